import type { AlertChange, AlertLevel } from '@cityops/contracts';
import { criticalSince, escalationJobId, nextEscalation, type EscalationSubject } from './alert-escalation';

const T0 = Date.parse('2025-10-01T08:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
/** Five minutes, as ALERT_ESCALATION_MINUTES defaults. */
const ESCALATION_MS = 300_000;

const firingCritical: EscalationSubject = { id: 'a1', state: 'firing', level: 'critical', acknowledgedAt: null, escalationStep: 0 };

describe('nextEscalation: the step an unacknowledged critical alert waits for, and how long', () => {
  it.each<[string, Partial<EscalationSubject>, number, number, { step: number; delayMs: number } | null]>([
    // name, alert (beside a firing critical one), critical since (s), now (s), due
    ['went critical now: the whole wait', {}, 0, 0, { step: 1, delayMs: ESCALATION_MS }],
    ['went critical two minutes ago: the three minutes left', {}, 0, 120, { step: 1, delayMs: 180_000 }],
    ['went critical exactly the wait ago: due at once', {}, 0, 300, { step: 1, delayMs: 0 }],
    ['went critical an hour ago: due at once, never a negative delay', {}, 0, 3600, { step: 1, delayMs: 0 }],
    ['escalated once: the next step', { escalationStep: 1 }, 0, 0, { step: 2, delayMs: ESCALATION_MS }],
    ['escalated to every role: nothing more', { escalationStep: 2 }, 0, 3600, null],
    ['acknowledged: nobody needs telling', { acknowledgedAt: at(10).toISOString() }, 0, 3600, null],
    ['a warning: never escalated', { level: 'warning' }, 0, 3600, null],
    ['pending at critical: waits until it fires', { state: 'pending' }, 0, 3600, null],
    ['resolved: nothing', { state: 'resolved' }, 0, 3600, null],
  ])('%s', (_name, alert, since, now, due) => {
    const next = nextEscalation({ ...firingCritical, ...alert }, at(since), ESCALATION_MS, at(now));
    expect(next).toEqual(due && { alertId: 'a1', ...due });
  });

  it('names one job per alert and step', () => {
    expect(escalationJobId('a1', 1)).toBe('escalate-a1-1');
    expect(escalationJobId('a1', 2)).not.toBe(escalationJobId('a1', 1));
  });
});

describe('criticalSince: when a derived alert last went critical while firing, from its history', () => {
  /** History entries as `t:change@level`. */
  const history = (...entries: string[]) =>
    entries.map((e) => {
      const [, t, change, level] = /^(\d+):(\w+)@(\w+)$/.exec(e) ?? [];
      return { at: at(Number(t)), change: change as AlertChange, level: level as AlertLevel };
    });

  it.each<[string, string[], number | null]>([
    ['fired at critical straight away', ['0:fired@critical'], 0],
    ['pending at critical, then fired: from the firing', ['0:pending@critical', '600:fired@critical'], 600],
    ['fired as a warning, went critical later', ['0:pending@warning', '300:fired@warning', '900:escalated@critical'], 900],
    ['went critical while pending: from the firing', ['0:pending@warning', '60:escalated@critical', '600:fired@critical'], 600],
    [
      'went critical, down, and critical again: from the last time',
      ['0:fired@critical', '300:deescalated@warning', '900:escalated@critical', '1200:stale@critical'],
      900,
    ],
    ['never critical', ['0:pending@warning', '300:fired@warning'], null],
    ['no history', [], null],
  ])('%s', (_name, entries, since) => {
    expect(criticalSince(history(...entries))).toEqual(since === null ? null : at(since));
  });
});
