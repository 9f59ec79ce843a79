import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowserMode } from './harness';

/**
 * What the import form says of a file it cannot take as it is (empty, missing, a CSV without a
 * time column), and how a file imported in the wrong format is imported again: in the app's
 * words, never the CLI's flags or a system error.
 */
describe('import problems and recovery (browser mode)', () => {
  const app = useBrowserMode({});

  beforeAll(async () => {
    await app.driven.page.goto(app.served.url);
  });

  const detect = async (file: string): Promise<void> => {
    const { page } = app.driven;
    await page.getByTestId('import-path').fill(file);
    await page.getByRole('button', { name: 'Detect format' }).click();
  };

  it('an empty file is said to be empty at preview', async () => {
    const file = path.join(app.served.dir, 'empty.log');
    writeFileSync(file, '');
    await detect(file);
    await app.driven.page
      .getByTestId('import-preview')
      .getByText('empty.log: the file is empty: nothing to import')
      .waitFor();
  });

  it('a path naming no file is said so, without the system error', async () => {
    const gone = path.join(app.served.dir, 'gone.log');
    await detect(gone);
    await app.driven.page.getByText(`No file at ${gone}`).waitFor();
    expect(await app.driven.page.getByText(/ENOENT/).count()).toBe(0);
  });

  it('a CSV without a time column points to the column table, not to --map', async () => {
    const file = path.join(app.served.dir, 'no-time.csv');
    writeFileSync(file, 'who,what\n203.0.113.9,GET\n');
    await detect(file);
    const problem = app.driven.page.getByTestId('csv-problem');
    await problem.getByText(/In the column table, choose "timestamp"/).waitFor();
    expect(await problem.innerText()).not.toContain('--map');
  });

  it('a file imported in the wrong format is skipped on re-import with how to import it again', async () => {
    const { page } = app.driven;
    const file = path.join(app.served.dir, 'weblog.csv');
    writeFileSync(
      file,
      'IP,Time,URL,Staus\n10.128.2.1,[29/Nov/2017:06:58:55,GET /login.php HTTP/1.1,200\n' +
        '10.128.2.1,[29/Nov/2017:06:59:02,POST /process.php HTTP/1.1,302\n',
    );
    await detect(file);
    await page.getByTestId('import-preview').waitFor();
    await page.getByRole('combobox', { name: 'Format' }).selectOption('combined');
    await page.getByTestId('import-start').click();
    const summary = page.getByTestId('import-summary');
    await summary.getByText(/no line was read as a request: all 3 lines were rejected/).waitFor();
    await page.getByRole('button', { name: 'Import another file' }).click();
    await detect(file);
    await page.getByTestId('import-preview').waitFor();
    await page.getByTestId('import-start').click();
    await summary
      .getByText(
        'weblog.csv was skipped: it is already in the case as source 1 (format combined, 0 of 3 ' +
          'lines accepted). To import it again (in another format, say): remove that source ' +
          '(Overview, Sources, "Remove…") and import the file again, or import it again with ' +
          '"Import again even if already in the case" ticked.',
      )
      .waitFor();
    // The missing path's preview was refused (BAD_INPUT, a 400): no other error.
    expect(app.driven.errors.filter((e) => !/Unknown call|status of 400/.test(e))).toEqual([]);
  });
});
