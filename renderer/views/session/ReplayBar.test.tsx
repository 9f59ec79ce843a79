// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionDetail, SessionRequest } from '../../../shared/contract/analysisApi';
import { caseInfo, renderApp, stubLayout } from '../../testing/renderWithApi';
import { sessionRequest } from '../../testing/sessionRequest';
import { initialViewState } from '../../state/viewState';

const SID = 's00000000000000aa';
const T0 = Date.UTC(2026, 10, 20, 9) * 1000;

// A second apart: at 600× every step waits the 100 ms floor.
const request = (i: number): SessionRequest =>
  sessionRequest(i, T0, {
    id: 100 + i,
    path: `/item/${i}`,
    latencyMs: 10,
    respBytes: 100,
    userAgent: 'ua',
    endpointId: 'e0000000000000001',
    template: '/item/{id}',
  });

const REQUESTS = Array.from({ length: 6 }, (_, i) => request(i));

function detail(): SessionDetail {
  return {
    session: {
      id: SID,
      keyKind: 'ip+ua',
      keyValue: '10.0.0.1',
      firstSeen: '',
      lastSeen: '',
      firstUs: T0,
      lastUs: T0 + 5e6,
      durationMs: 5000,
      requestCount: 6,
      matchedRequests: 6,
      ipCount: 1,
      firstIp: '10.0.0.1',
      userAgent: 'ua',
      hosts: ['shop.example'],
      user: null,
      userCount: 0,
      users: [],
      role: null,
      flows: [],
      outlierCount: 0,
      attackCount: 0,
    },
    flows: [],
    byMethod: [{ value: 'GET', count: 6 }],
    byStatus: [{ value: 200, count: 6 }],
    byIp: [{ value: '10.0.0.1', count: 6 }],
    byEndpoint: [],
  };
}

/** Position of the table's selected row (rows are keyed `row-<request id>`). */
function selectedPath(): string | undefined {
  const row = document.querySelector('[data-testid="session-requests"] .vtable-row.selected');
  return row ? `/item/${Number(row.id.replace('row-', '')) - 100}` : undefined;
}

describe('session replay', () => {
  beforeEach(() => stubLayout());
  afterEach(cleanup);

  it('plays, pauses and steps the requests table, from the buttons and the keyboard', async () => {
    renderApp(
      {
        getCaseInfo: () => caseInfo(6),
        getSession: () => detail(),
        listSessionRequests: () => ({ requests: REQUESTS, nextCursor: null }),
        listAttacks: () => ({ types: [], groups: [], groupsTotal: 0, items: [], nextCursor: null }),
        requestHistogram: () => ({
          buckets: [],
          widthUs: 0,
          total: 0,
          caseFirstUs: T0,
          caseLastUs: T0 + 5e6,
        }),
      },
      { ...initialViewState(), view: 'session', sessionId: SID, selected: { requests: 0 } },
    );
    const bar = await screen.findByRole('toolbar', { name: 'Replay' });
    await waitFor(() => expect(selectedPath()).toBe('/item/0'));
    expect(within(bar).getByTestId('replay-position').textContent).toContain('1 of 6');

    // Step forward twice with the button and the → key, back once with ←.
    fireEvent.click(within(bar).getByRole('button', { name: 'Next request' }));
    await waitFor(() => expect(selectedPath()).toBe('/item/1'));
    fireEvent.keyDown(bar, { key: 'ArrowRight' });
    await waitFor(() => expect(selectedPath()).toBe('/item/2'));
    fireEvent.keyDown(bar, { key: 'ArrowLeft' });
    await waitFor(() => expect(selectedPath()).toBe('/item/1'));
    expect(within(bar).getByTestId('replay-position').textContent).toContain('2 of 6');
    expect(bar.textContent).toContain('+1.0s after the previous request');

    // Space plays; at 600× each step takes the 100 ms floor; it stops on the last request.
    fireEvent.change(within(bar).getByRole('combobox', { name: 'Replay speed' }), {
      target: { value: '600' },
    });
    fireEvent.keyDown(bar, { key: ' ' });
    expect(within(bar).getByRole('button', { name: 'Pause' })).toBeTruthy();
    await waitFor(() => expect(selectedPath()).toBe('/item/5'), { timeout: 3000 });
    await waitFor(() => expect(within(bar).getByRole('button', { name: 'Play' })).toBeTruthy());

    // Play at the end starts over; Pause (space again) holds the position.
    fireEvent.click(within(bar).getByRole('button', { name: 'Play' }));
    await waitFor(() => expect(selectedPath()).toBe('/item/1'), { timeout: 3000 });
    fireEvent.keyDown(bar, { key: ' ' });
    const held = selectedPath();
    await new Promise((r) => setTimeout(r, 400));
    expect(selectedPath()).toBe(held);
    expect(held).not.toBe('/item/5');
  });
});
