import type { AlertChange, AlertLevel } from '@cityops/contracts';

/** One entry of an alert's history as the timeline reads it (its level is the alert's level after the change). */
export interface TimelineEvent {
  at: Date;
  change: AlertChange;
  level: AlertLevel;
}

/** A stretch of time during which an alert fired at one level. */
export interface FiringStretch {
  level: AlertLevel;
  from: Date;
  /** Null: nothing in the alert's history ended it yet (it still fires). */
  to: Date | null;
}

/** The history entries that start, split or end a stretch; the others (acknowledged, stale, escalation to a role, …) leave the level as it was. */
export const TIMELINE_CHANGES = ['fired', 'escalated', 'deescalated', 'resolved', 'lapsed'] as const satisfies readonly AlertChange[];

/**
 * The stretches during which an alert fired at one level, from its history (oldest entry first):
 * `fired` starts one, `escalated`/`deescalated` to another level ends it and starts the next,
 * `resolved` ends the last. Pending time is not firing and shows as nothing; a level change
 * while pending only sets the level `fired` brings. Each stretch is clipped to the window
 * `[from, to)`; those outside it, and any of no length, are left out. One still firing keeps
 * `to: null` even when the window ends before now.
 */
export function firingStretches(events: readonly TimelineEvent[], window: { from: Date; to: Date }): FiringStretch[] {
  const whole: FiringStretch[] = [];
  let current: FiringStretch | null = null;
  for (const event of events) {
    switch (event.change) {
      case 'fired':
        current ??= pushed(whole, { level: event.level, from: event.at, to: null });
        break;
      case 'escalated':
      case 'deescalated':
        if (current && current.level !== event.level) current = changedLevel(whole, current, event);
        break;
      case 'resolved':
      case 'lapsed':
        if (current) current.to = event.at;
        current = null;
        break;
      default:
        break;
    }
  }
  const start = window.from.getTime();
  const end = window.to.getTime();
  return whole.flatMap((s) => {
    const from = Math.max(s.from.getTime(), start);
    const to = s.to === null ? null : Math.min(s.to.getTime(), end);
    if (from >= end || (to !== null && to <= from)) return [];
    return [{ level: s.level, from: new Date(from), to: to === null ? null : new Date(to) }];
  });
}

/**
 * Ends the firing stretch at the event and starts the next at its level. A stretch of no length
 * (up and down again at one instant) is dropped, and the one before it goes on when the level
 * came back to its own.
 */
function changedLevel(whole: FiringStretch[], current: FiringStretch, event: TimelineEvent): FiringStretch {
  if (current.from.getTime() === event.at.getTime()) {
    whole.pop();
    const before = whole.at(-1);
    if (before && before.level === event.level && before.to?.getTime() === event.at.getTime()) {
      before.to = null;
      return before;
    }
  } else {
    current.to = event.at;
  }
  return pushed(whole, { level: event.level, from: event.at, to: null });
}

function pushed(list: FiringStretch[], stretch: FiringStretch): FiringStretch {
  list.push(stretch);
  return stretch;
}
