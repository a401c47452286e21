import { describe, expect, it } from '@jest/globals';
import type { CaseSummary } from '@cityops/contracts';
import { formatCountdown, formatSpan, runningDeadline } from './case-deadline';

const NOW = Date.parse('2026-11-30T10:00:00+08:00');
const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (ms: number) => new Date(NOW + ms).toISOString();
type Facts = Pick<CaseSummary, 'state' | 'acceptDueAt' | 'resolveDueAt' | 'overdue'>;
const facts = (patch: Partial<Facts>): Facts => ({ state: 'reported', acceptDueAt: null, resolveDueAt: null, overdue: null, ...patch });

describe('the running deadline of a case', () => {
  it('runs to accept while dispatched and to resolve while accepted or in progress, and to none otherwise', () => {
    const c = { acceptDueAt: at(2 * HOUR), resolveDueAt: at(26 * HOUR) };
    expect(runningDeadline(facts({ ...c, state: 'dispatched' }), NOW)).toEqual({
      stage: 'accept',
      dueAt: NOW + 2 * HOUR,
      remainingMs: 2 * HOUR,
      overdue: false,
    });
    expect(runningDeadline(facts({ ...c, state: 'accepted' }), NOW)?.stage).toBe('resolve');
    expect(runningDeadline(facts({ ...c, state: 'in_progress' }), NOW)?.remainingMs).toBe(26 * HOUR);
    for (const state of ['reported', 'resolved', 'verified', 'closed', 'returned', 'cancelled'] as const) {
      expect(runningDeadline(facts({ ...c, state }), NOW)).toBeNull();
    }
    // Dispatched, but the deadline is not known (yet): nothing to count down.
    expect(runningDeadline(facts({ state: 'dispatched' }), NOW)).toBeNull();
  });

  it('is overdue once passed here, or when the server says so though this clock is behind', () => {
    expect(runningDeadline(facts({ state: 'dispatched', acceptDueAt: at(-5 * MIN) }), NOW)?.overdue).toBe(true);
    expect(runningDeadline(facts({ state: 'dispatched', acceptDueAt: at(0) }), NOW)?.overdue).toBe(true);
    expect(runningDeadline(facts({ state: 'accepted', resolveDueAt: at(30_000), overdue: 'resolve' }), NOW)?.overdue).toBe(true);
    // The server's flag is for the other stage: not this one's.
    expect(runningDeadline(facts({ state: 'accepted', resolveDueAt: at(HOUR), overdue: 'accept' }), NOW)?.overdue).toBe(false);
  });
});

describe('countdown words', () => {
  it.each([
    [30_000, '不足1分钟', 'under 1 min'],
    [59 * MIN + 59_000, '59分钟', '59 min'],
    [HOUR, '1小时', '1 h'],
    [3 * HOUR + 12 * MIN, '3小时12分', '3 h 12 min'],
    [24 * HOUR, '1天', '1 d'],
    [50 * HOUR + 40 * MIN, '2天2小时', '2 d 2 h'],
  ])('says %d ms as “%s” / “%s”, rounded down', (ms, zh, en) => {
    expect(formatSpan(ms, 'zh')).toBe(zh);
    expect(formatSpan(ms, 'en')).toBe(en);
    expect(formatSpan(-ms, 'en')).toBe(en);
  });

  it('says what is left before the deadline and by how much it is overdue after, in both languages', () => {
    const left = runningDeadline(facts({ state: 'dispatched', acceptDueAt: at(3 * HOUR + 12 * MIN) }), NOW);
    const late = runningDeadline(facts({ state: 'in_progress', resolveDueAt: at(-25 * MIN) }), NOW);
    if (!left || !late) throw new Error('expected running deadlines');
    expect(formatCountdown(left, 'zh')).toBe('受理剩 3小时12分');
    expect(formatCountdown(left, 'en')).toBe('3 h 12 min left to accept');
    expect(formatCountdown(late, 'zh')).toBe('处置超时 25分钟');
    expect(formatCountdown(late, 'en')).toBe('Resolve overdue by 25 min');
    // Overdue by the server's word while this clock still shows time left: never "overdue by 20 min".
    const flagged = runningDeadline(facts({ state: 'accepted', resolveDueAt: at(20 * MIN), overdue: 'resolve' }), NOW);
    if (!flagged) throw new Error('expected a running deadline');
    expect(formatCountdown(flagged, 'zh')).toBe('处置超时 不足1分钟');
  });
});
