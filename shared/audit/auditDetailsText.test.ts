import { describe, expect, it } from 'vitest';
import { auditDetailLines, auditDetailsText } from './auditDetailsText.js';

describe('audit details as text', () => {
  it('shows key: value, nested keys dotted, lists joined', () => {
    expect(
      auditDetailsText({
        file: '/x/access.log',
        accepted: 5,
        forced: false,
        tz: null,
        options: { map: { ts: 'time' } },
        sourceIds: [3, 4],
      }),
    ).toBe(
      'file: /x/access.log; accepted: 5; forced: false; tz: -; options.map.ts: time; sourceIds: 3, 4',
    );
  });

  it('shows only what changed between before and after', () => {
    expect(
      auditDetailLines({
        before: { inactivityTimeoutMin: 30, outliers: { zThreshold: 3.5, minSamples: 30 } },
        after: { inactivityTimeoutMin: 7, outliers: { zThreshold: 3.5, minSamples: 50 } },
      }),
    ).toEqual(['inactivityTimeoutMin: 30 → 7', 'outliers.minSamples: 30 → 50']);
    expect(auditDetailLines({ before: { a: 1 }, after: { a: 1 } })).toEqual(['(no change)']);
  });

  it('keeps hostile text as it is: plain text for a text node, not markup', () => {
    expect(auditDetailsText({ note: '<img src=x onerror=alert(1)>' })).toBe(
      'note: <img src=x onerror=alert(1)>',
    );
    expect(auditDetailsText({ rows: [{ a: 1 }] })).toBe('rows: [{"a":1}]');
  });
});
