// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState, type ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EndpointSummary } from '../../shared/contract/analysisApi';
import type { Filters } from '../../shared/query/filterModel';
import { ApiProvider } from '../api/ApiContext';
import { createClient, createFakeTransport, type FakeHandlers } from '../api/client';
import { FilterBar } from './FilterBar';
import { endpointSummary } from '../testing/endpointSummary';
import { HIDDEN, expectShown, expectShownString } from '../testing/hiddenChars';

afterEach(cleanup);

const EID = 'eabe1131dbdcb3c65';
const HOSTILE = '/api/<img src=x onerror="window.pwned=1">';

function endpoint(id: string, template: string): EndpointSummary {
  return endpointSummary({ id, template, requestCount: 1, statusMix: {} });
}

function setup(initial: Filters, handlers: FakeHandlers = {}) {
  const fake = createFakeTransport(handlers);
  const changes: Filters[] = [];
  function Host(): ReactNode {
    const [filters, setFilters] = useState(initial);
    return (
      <FilterBar
        filters={filters}
        onChange={(f) => {
          changes.push(f);
          setFilters(f);
        }}
        label="Sessions"
      />
    );
  }
  render(
    <ApiProvider client={createClient(fake)}>
      <Host />
    </ApiProvider>,
  );
  return { fake, changes };
}

const fieldSelect = (): HTMLSelectElement =>
  screen.getByRole('combobox', { name: 'Add filter' }) as HTMLSelectElement;
const addButton = (): HTMLElement => screen.getByRole('button', { name: 'Add filter' });
const chips = (): string[] =>
  Array.from(screen.getByTestId('filter-chips').querySelectorAll('.chip-body')).map(
    (c) => c.textContent ?? '',
  );

function addTyped(field: string, label: string, value: string): void {
  fireEvent.change(fieldSelect(), { target: { value: field } });
  fireEvent.change(screen.getByRole('textbox', { name: label }), { target: { value } });
  fireEvent.click(addButton());
}

describe('filter bar', () => {
  it('refuses an IP that is not an address inline, with no chip', () => {
    const { changes } = setup({});
    addTyped('ips', 'IP', 'not-an-ip');
    expect(screen.getByRole('status').textContent).toMatch(/^IP: an IPv4 or IPv6 address/);
    expect(changes).toEqual([]);
    expect(chips()).toEqual([]);
    addTyped('ips', 'IP', '2001:db8::5');
    expect(changes).toEqual([{ ips: ['2001:db8::5'] }]);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('takes a CIDR range as a chip in its one spelling, and says why a range is refused', () => {
    const { changes } = setup({ ips: ['10.0.0.1'] });
    addTyped('ips', 'IP', '203.0.113.7/24');
    expect(screen.getByRole('status').textContent).toBe(
      'IP: 203.0.113.7/24 has bits set past its prefix; the range is written 203.0.113.0/24',
    );
    addTyped('ips', 'IP', '10.0.0.0/33');
    expect(screen.getByRole('status').textContent).toBe(
      'IP: the prefix length after the slash is a whole number from 0 to 32',
    );
    expect(changes).toEqual([]);
    addTyped('ips', 'IP', '2001:DB8::/32');
    expect(changes).toEqual([{ ips: ['10.0.0.1', '2001:db8::/32'] }]);
    expect(chips()).toEqual(['IP: 10.0.0.1', 'IP: 2001:db8::/32']);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('suggests the attack types and reads a type in any case as the stored lowercase one', () => {
    const { changes } = setup({});
    fireEvent.change(fieldSelect(), { target: { value: 'attackTypes' } });
    const input = screen.getByRole('combobox', { name: 'Attack' }) as HTMLInputElement;
    const options = Array.from(document.getElementById(input.getAttribute('list')!)!.children);
    expect(options.map((o) => (o as HTMLOptionElement).value)).toContain('sqli');
    fireEvent.change(input, { target: { value: 'SQLi' } });
    fireEvent.click(addButton());
    expect(changes).toEqual([{ attackTypes: ['sqli'] }]);
  });

  it('says typed search text is not applied until Enter, and stops saying it once it is', () => {
    const { changes } = setup({});
    const box = screen.getByRole('searchbox', { name: 'Search (press / to focus)' });
    expect(screen.queryByTestId('search-pending')).toBeNull();
    fireEvent.change(box, { target: { value: 'union select' } });
    expect(screen.getByTestId('search-pending').textContent).toBe('↵ Enter to search');
    expect(changes).toEqual([]);
    fireEvent.submit(box.closest('form')!);
    expect(changes).toEqual([{ text: 'union select' }]);
    expect(screen.queryByTestId('search-pending')).toBeNull();
  });

  it('refuses From after To and a date the calendar does not have', () => {
    const { changes } = setup({});
    addTyped('from', 'From', '2026-11-20 10:00');
    addTyped('to', 'To', '2026-11-20 09:00');
    expect(screen.getByRole('status').textContent).toBe('From is after To');
    expect(changes).toHaveLength(1);
    addTyped('to', 'To', '2026-02-30 10:00');
    expect(screen.getByRole('status').textContent).toBe(
      'To: 2026-02-30 10:00 is not a date and time on the calendar',
    );
    expect(changes).toHaveLength(1);
  });

  it('clears an error once the field or the value changes', () => {
    setup({});
    addTyped('statuses', 'Status', '99');
    expect(screen.getByRole('status').textContent).toMatch(/^Status: a status code/);
    fireEvent.change(fieldSelect(), { target: { value: 'users' } });
    expect(screen.queryByRole('status')).toBeNull();

    addTyped('statuses', 'Status', '99');
    expect(screen.getByRole('status')).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox', { name: 'Status' }), { target: { value: '9' } });
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('offers "Outliers only", which needs no value and makes a chip', () => {
    const { changes } = setup({ ips: ['10.0.0.1'] });
    fireEvent.change(fieldSelect(), { target: { value: 'outliersOnly' } });
    expect(screen.queryByRole('textbox', { name: 'Outliers only' })).toBeNull();
    fireEvent.click(addButton());
    expect(changes).toEqual([{ ips: ['10.0.0.1'], outliersOnly: true }]);
    expect(chips()).toEqual(['IP: 10.0.0.1', 'Outliers only: ✓']);
  });

  it('names an endpoint chip by method and template, as text, with the id in its title', async () => {
    const getEndpoint = vi.fn((i: { id: string }) => endpoint(i.id, HOSTILE));
    const { fake } = setup({ endpoints: [EID] }, { getEndpoint });
    await waitFor(() => expect(chips()).toEqual([`Endpoint: GET ${HOSTILE}`]));
    const body = screen.getByTestId('filter-chips').querySelector('.chip-body')!;
    expect(body.getAttribute('title')).toBe(`Endpoint: GET ${HOSTILE} (${EID})`);
    expect(body.querySelector('img')).toBeNull();
    expect(fake.calls).toEqual([{ name: 'getEndpoint', input: { id: EID } }]);
  });

  it('shows the id when the endpoint cannot be looked up', async () => {
    const other = 'e0123456789abcdef';
    const { fake } = setup({ endpoints: [other] });
    await waitFor(() => expect(fake.calls).toHaveLength(1));
    expect(chips()).toEqual([`Endpoint: ${other}`]);
  });

  it('shows the control characters of a value in its chip, title and remove label', () => {
    const { changes } = setup({ users: [HIDDEN.rlo.raw], text: HIDDEN.nul.raw });
    const [user, text] = Array.from(
      screen.getByTestId('filter-chips').querySelectorAll<HTMLElement>('.chip-body'),
    );
    expectShown(user!, `User: ${HIDDEN.rlo.shown}`);
    expectShownString(user!.title, `User: ${HIDDEN.rlo.shown}`);
    expectShown(text!, HIDDEN.nul.shown);
    const remove = screen.getByRole('button', { name: `Remove filter User: ${HIDDEN.rlo.shown}` });
    expectShownString(remove.title, HIDDEN.rlo.shown);
    // Removing it removes the value as logged.
    fireEvent.click(remove);
    expect(changes.at(-1)).toEqual({ text: HIDDEN.nul.raw });
  });
});
