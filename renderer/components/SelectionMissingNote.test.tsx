// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SelectionMissingNote } from './SelectionMissingNote';

describe('SelectionMissingNote', () => {
  afterEach(cleanup);

  const texts = { gone: 'No longer in the list', beyond: 'Not in the first 5,000 rows' };

  it('says nothing while the row is selected or still looked for', () => {
    const { container } = render(<SelectionMissingNote missing={null} {...texts} testId="m" />);
    expect(container.innerHTML).toBe('');
  });

  it('says the row is gone, as a status the screen reader announces', () => {
    render(<SelectionMissingNote missing="gone" {...texts} testId="m" />);
    const note = screen.getByTestId('m');
    expect(note.getAttribute('role')).toBe('status');
    expect(note.textContent).toBe(texts.gone);
  });

  it('says the row is beyond the rows read', () => {
    render(<SelectionMissingNote missing="beyond" {...texts} testId="other" />);
    expect(screen.getByTestId('other').textContent).toBe(texts.beyond);
  });
});
