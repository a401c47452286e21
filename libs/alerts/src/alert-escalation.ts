import type { AlertChange, AlertLevel, AlertState, Role } from '@cityops/contracts';

/** Who an unacknowledged critical alert goes to, step by step (the operators see it first). */
export const ESCALATION_ROLES: readonly Role[] = ['commander', 'admin'];

/** What deciding on an escalation needs of an alert. */
export interface EscalationSubject {
  id: string;
  state: AlertState;
  level: AlertLevel;
  acknowledgedAt: string | null;
  /** How far escalation went: 0 none, 1 the first role up, … */
  escalationStep: number;
}

/** A delayed `alert.escalate` job to add. */
export interface EscalationDue {
  alertId: string;
  step: number;
  delayMs: number;
}

/**
 * The alert's next escalation step, if it is one to wait for: a critical alert firing without
 * acknowledgement escalates `escalationMs` after `criticalSince` (the instant it went critical,
 * or the previous step), so one critical for longer than that is due at once. Null for an alert
 * that is not critical and firing, was acknowledged, or went up every step already.
 */
export function nextEscalation(alert: EscalationSubject, criticalSince: Date, escalationMs: number, now: Date): EscalationDue | null {
  if (alert.state !== 'firing' || alert.level !== 'critical' || alert.acknowledgedAt !== null) return null;
  if (alert.escalationStep >= ESCALATION_ROLES.length) return null;
  return {
    alertId: alert.id,
    step: alert.escalationStep + 1,
    delayMs: Math.max(0, criticalSince.getTime() + escalationMs - now.getTime()),
  };
}

/** One job per alert and step, whoever schedules it and however often. */
export function escalationJobId(alertId: string, step: number): string {
  return `escalate-${alertId}-${step}`;
}

/** The changes after which an alert may be newly due for escalation: it fired, went up a level, or went up a step. */
export const ESCALATING_CHANGES: readonly AlertChange[] = ['fired', 'escalated', 'escalation'];

/**
 * When an alert's history says it last went critical while firing: the last `fired` or
 * `escalated` entry at the critical level (a pending alert that went critical escalates from
 * when it fired). Null when no entry made it critical.
 */
export function criticalSince(events: readonly { at: Date; change: AlertChange; level: AlertLevel }[]): Date | null {
  let since: Date | null = null;
  for (const e of events) {
    if (e.level !== 'critical' || (e.change !== 'fired' && e.change !== 'escalated')) continue;
    if (since === null || e.at.getTime() >= since.getTime()) since = e.at;
  }
  return since;
}
