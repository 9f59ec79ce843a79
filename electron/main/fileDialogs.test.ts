import { describe, expect, it } from 'vitest';
import { openDialogOptions } from './fileDialogs.js';

describe('file dialogs', () => {
  it('opens one case file, one spec file, or many logs of any name', () => {
    expect(openDialogOptions('openCase')).toEqual({
      properties: ['openFile'],
      filters: [{ name: 'Sessionscope case', extensions: ['sscase'] }],
    });
    const spec = openDialogOptions('spec');
    expect(spec.properties).toEqual(['openFile']);
    expect(spec.filters?.flatMap((f) => f.extensions)).toEqual(['json', 'yaml', 'yml']);
    expect(openDialogOptions('import')).toEqual({ properties: ['openFile', 'multiSelections'] });
  });
});
