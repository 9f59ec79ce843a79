// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { exportQuerySchema } from '../../shared/contract/exportApi';
import { ApiProvider } from '../api/ApiContext';
import { createClient, createFakeTransport, type FakeHandlers } from '../api/client';
import { DownloadCsv } from './DownloadCsv';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const SID = 's0123456789abcdef';
const TICKET = 'T'.repeat(43);
const HOSTILE_PATH = '/home/me/<img src=x onerror="window.pwned=1">.csv';

function setup(handlers: FakeHandlers, mode: 'fake' | 'browser' = 'fake', table?: 'endpoints') {
  const fake = createFakeTransport(handlers);
  const client = createClient(mode === 'browser' ? { ...fake, mode: 'browser' } : fake);
  render(
    <ApiProvider client={client}>
      {table ? (
        <DownloadCsv table={table} filters={{}} title="Download endpoints" />
      ) : (
        <DownloadCsv filters={{ statuses: ['4xx'] }} sessionId={SID} title="Download this" />
      )}
    </ApiProvider>,
  );
  return fake;
}

const button = (): HTMLButtonElement =>
  screen.getByRole('button', { name: 'Download CSV' }) as HTMLButtonElement;

describe('Download CSV button', () => {
  it('desktop: starts an export, shows progress, cancels, then saves and names the file as text', async () => {
    const fake = setup({
      startExport: () => ({ started: true, path: HOSTILE_PATH }),
      cancelExport: () => ({ cancelled: true }),
    });
    fireEvent.click(screen.getByRole('checkbox', { name: 'BOM (for Excel)' }));
    fireEvent.click(button());
    await waitFor(() => expect(fake.calls.map((c) => c.name)).toEqual(['startExport']));
    const input = fake.calls[0]!.input as { exportId: string };
    expect(input).toEqual({
      exportId: input.exportId,
      filters: { statuses: ['4xx'] },
      sessionId: SID,
      bom: true,
    });
    expect(button().disabled).toBe(true);

    // Another export's events are not ours.
    fake.emit('exportProgress', { exportId: 'ex-someone-else', rows: 9, total: 9, bytes: 1 });
    fake.emit('exportProgress', { exportId: input.exportId, rows: 5, total: 10, bytes: 500 });
    await screen.findByText('5 / 10 rows');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');

    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(fake.calls.at(-1)).toEqual({
        name: 'cancelExport',
        input: { exportId: input.exportId },
      }),
    );
    fake.emit('exportDone', {
      exportId: input.exportId,
      result: null,
      error: { code: 'CANCELLED', message: 'Export cancelled.' },
    });
    await screen.findByText('Export cancelled; no file was kept.');
    expect(button().disabled).toBe(false);

    fireEvent.click(button());
    await waitFor(() => expect(fake.calls.filter((c) => c.name === 'startExport')).toHaveLength(2));
    const second = fake.calls.at(-1)!.input as { exportId: string };
    expect(second.exportId).not.toBe(input.exportId);
    fake.emit('exportDone', {
      exportId: second.exportId,
      result: { rows: 1234, bytes: 99, path: HOSTILE_PATH },
      error: null,
    });
    const status = await screen.findByRole('status');
    expect(status.textContent).toBe(`1,234 rows saved to ${HOSTILE_PATH}`);
    expect(document.querySelector('img')).toBeNull();
  });

  it('desktop: a cancelled save dialog changes nothing; a refused start says why', async () => {
    const fake = setup({ startExport: () => ({ started: false, path: null }) });
    fireEvent.click(button());
    await waitFor(() => expect(fake.calls).toHaveLength(1));
    await waitFor(() => expect(button().disabled).toBe(false));
    expect(screen.queryByRole('progressbar')).toBeNull();
    cleanup();

    setup({
      startExport: () => {
        throw new AppError('NOT_FOUND', 'No session s0123456789abcdef.');
      },
    });
    fireEvent.click(button());
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Export failed: No session s0123456789abcdef.',
    );
  });

  it('browser mode: asks for a ticket for this very export, then downloads /api/export with it, never the token', async () => {
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this.getAttribute('href') ?? '');
    });
    const fake = setup({ exportTicket: () => ({ ticket: TICKET }) }, 'browser');
    fireEvent.click(button());
    await waitFor(() => expect(clicked).toHaveLength(1));
    const url = new URL(clicked[0]!, 'http://127.0.0.1:1234/');
    expect(url.pathname).toBe('/api/export');
    expect([...url.searchParams.keys()].sort()).toEqual(['id', 'input', 'ticket']);
    expect(url.searchParams.get('ticket')).toBe(TICKET);
    const query = exportQuerySchema.parse(JSON.parse(url.searchParams.get('input')!));
    expect(query).toEqual({ filters: { statuses: ['4xx'] }, sessionId: SID });
    const id = url.searchParams.get('id')!;
    // The ticket was asked for the same id and the same input the URL carries.
    expect(fake.calls).toEqual([{ name: 'exportTicket', input: { ...query, exportId: id } }]);
    fake.emit('exportProgress', { exportId: id, rows: 3, total: null, bytes: 10 });
    await screen.findByText('3 rows');
    fake.emit('exportDone', {
      exportId: id,
      result: { rows: 3, bytes: 10, path: null },
      error: null,
    });
    expect((await screen.findByRole('status')).textContent).toBe('3 rows downloaded');
    expect(document.querySelector('a[download]')).toBeNull();
  });

  it('browser mode: a refused ticket starts no download and says why', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    setup(
      {
        exportTicket: () => {
          throw new AppError('BUSY', 'That export is already running.');
        },
      },
      'browser',
    );
    fireEvent.click(button());
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Export failed: That export is already running.',
    );
    expect(click).not.toHaveBeenCalled();
    expect(button().disabled).toBe(false);
  });

  it('the endpoint inventory: asked for as the endpoints table, in either shell', async () => {
    const fake = setup(
      { startExport: () => ({ started: true, path: '/tmp/e.csv' }) },
      'fake',
      'endpoints',
    );
    fireEvent.click(button());
    await waitFor(() => expect(fake.calls.map((c) => c.name)).toEqual(['startExport']));
    const input = fake.calls[0]!.input as { exportId: string };
    expect(input).toEqual({ exportId: input.exportId, table: 'endpoints', filters: {} });
    cleanup();

    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this.getAttribute('href') ?? '');
    });
    setup({ exportTicket: () => ({ ticket: TICKET }) }, 'browser', 'endpoints');
    fireEvent.click(button());
    await waitFor(() => expect(clicked).toHaveLength(1));
    const url = new URL(clicked[0]!, 'http://127.0.0.1:1234/');
    expect(exportQuerySchema.parse(JSON.parse(url.searchParams.get('input')!))).toEqual({
      table: 'endpoints',
      filters: {},
    });
  });
});
