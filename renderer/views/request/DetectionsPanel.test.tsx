// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestDetail } from '../../../shared/contract/analysisApi';
import type { DetectionInfo } from '../../../shared/contract/detectApi';
import { ApiProvider } from '../../api/ApiContext';
import { createClient, createFakeTransport, type FakeHandlers } from '../../api/client';
import { DetectionsPanel } from './DetectionsPanel';

afterEach(cleanup);

const HOSTILE = '<img src=x onerror="window.pwned=1">';

const REQUEST = {
  id: 5,
  path: '/search',
  query: "q=1' union select 1--",
  headers: null,
  userAgent: 'Firefox',
  reqBody: null,
  respBody: null,
} as unknown as RequestDetail;

const base: Omit<DetectionInfo, 'id' | 'type' | 'ruleId'> = {
  requestId: 5,
  source: 'engine',
  location: 'query',
  param: 'q',
  part: 'value',
  start: 2,
  end: 20,
  basis: 'raw',
  fragment: "1' union select 1",
  verdict: null,
  markId: null,
  ruleRef: null,
  verdictNote: null,
};

function setup(handlers: FakeHandlers) {
  const fake = createFakeTransport(handlers);
  render(
    <ApiProvider client={createClient(fake)}>
      <DetectionsPanel request={REQUEST} />
    </ApiProvider>,
  );
  return fake;
}

const card = (rule: string): HTMLElement =>
  screen.getByText(rule).closest('.detection') as HTMLElement;

describe('detections panel verdicts', () => {
  it('marks a finding false positive with a chosen scope, then shows it greyed with its mark', async () => {
    let marked = false;
    const fake = setup({
      requestDetections: () => [
        marked
          ? {
              ...base,
              id: 1,
              type: 'sqli',
              ruleId: 'sqli.union-select',
              verdict: 'false_positive',
              ruleRef: 9,
              verdictNote: HOSTILE,
            }
          : { ...base, id: 1, type: 'sqli', ruleId: 'sqli.union-select' },
      ],
      markDetection: () => {
        marked = true;
        return { id: 9, markId: null, ruleRef: 9, detections: 0, falsePositives: 1 };
      },
    });
    await screen.findByText('sqli.union-select');
    expect(card('sqli.union-select').dataset['verdict']).toBe('none');
    fireEvent.change(screen.getByRole('combobox', { name: 'Applies to' }), {
      target: { value: 'type' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'False positive' }));
    await screen.findByText('False positive by rule 9');
    expect(fake.calls.find((c) => c.name === 'markDetection')!.input).toEqual({
      detectionId: 1,
      verdict: 'false_positive',
      scope: 'type',
    });
    expect(card('sqli.union-select').dataset['verdict']).toBe('false_positive');
    expect(screen.getByText('not counted')).toBeTruthy();
    // The note is text, never markup.
    expect(screen.getByText(`— ${HOSTILE}`)).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
  });

  it('undoes a per-request mark with unmarkDetection and a rule verdict with deleteRule', async () => {
    const fake = setup({
      requestDetections: () => [
        {
          ...base,
          id: 1,
          type: 'sqli',
          ruleId: 'sqli.union-select',
          verdict: 'false_positive',
          markId: 4,
        },
        {
          ...base,
          id: 2,
          type: 'sqli',
          ruleId: 'sqli.comment',
          verdict: 'false_positive',
          ruleRef: 7,
        },
        {
          ...base,
          id: 3,
          type: 'xss',
          ruleId: 'xss.script-tag',
          verdict: 'true_positive',
          markId: 5,
        },
      ],
      unmarkDetection: (i) => ({ id: i.markId, detections: 1, falsePositives: 0 }),
      deleteRule: (i) => ({ id: i.id, detections: 1, falsePositives: 0 }),
    });
    await screen.findByText('sqli.comment');
    expect(screen.getByText('Marked false positive on this request')).toBeTruthy();
    expect(screen.getByText('Marked true positive')).toBeTruthy();
    const undo = screen.getAllByRole('button', { name: 'Undo' });
    fireEvent.click(undo[0]!);
    await waitFor(() => expect(fake.calls.some((c) => c.name === 'unmarkDetection')).toBe(true));
    fireEvent.click(screen.getAllByRole('button', { name: 'Undo' })[1]!);
    await waitFor(() => expect(fake.calls.some((c) => c.name === 'deleteRule')).toBe(true));
    const writes = fake.calls.filter(
      (c) => !['requestDetections', 'rebuildStatus'].includes(c.name),
    );
    expect(writes.map((c) => c.input)).toEqual([{ markId: 4 }, { id: 7 }]);
  });

  it('a true positive is marked on the request only; a failure is shown', async () => {
    const fake = setup({
      requestDetections: () => [{ ...base, id: 1, type: 'sqli', ruleId: 'sqli.union-select' }],
      markDetection: () => {
        throw new Error('disk full');
      },
    });
    await screen.findByText('sqli.union-select');
    fireEvent.change(screen.getByRole('combobox', { name: 'Applies to' }), {
      target: { value: 'all' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'True positive' }));
    await screen.findByText(/disk full/);
    expect(fake.calls.find((c) => c.name === 'markDetection')!.input).toEqual({
      detectionId: 1,
      verdict: 'true_positive',
      scope: 'request',
    });
  });
});
