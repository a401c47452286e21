import { AsyncLocalStorage } from 'node:async_hooks';

/** What a write changed, for its audit event: the thing, and how it looked before and after. */
export interface AuditChange {
  targetType?: string;
  targetId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** The audit event a request is building while it runs (the API opens one per request). */
export interface AuditScope {
  readonly requestId?: string;
  readonly clientAddress?: string;
  change?: AuditChange;
  /** Merged into the event's `detail`. */
  detail: Record<string, unknown>;
}

const storage = new AsyncLocalStorage<AuditScope>();

/**
 * The current request's audit event, reachable from any service it calls without passing it
 * along (AsyncLocalStorage, like the log context). Outside a request (jobs, MQTT, the set-up)
 * there is none, and noting is a no-op: only requests are recorded this way.
 */
export const AuditTrail = {
  /** Runs `fn` (and everything it starts) with `scope` as the current audit event. */
  run<T>(scope: AuditScope, fn: () => T): T {
    return storage.run(scope, fn);
  },

  current(): AuditScope | undefined {
    return storage.getStore();
  },

  /**
   * Says what the current request changed. Called more than once, the first `before` and the last
   * `after` are kept, and the target is the last one named. Pass what an answer would show (secrets
   * masked); the audit service masks again what looks like a secret.
   */
  noteChange(change: AuditChange): void {
    const scope = storage.getStore();
    if (!scope) return;
    const previous = scope.change;
    scope.change = {
      targetType: change.targetType ?? previous?.targetType,
      targetId: change.targetId ?? previous?.targetId,
      before: previous && 'before' in previous ? previous.before : change.before,
      after: 'after' in change ? change.after : previous?.after,
    };
  },

  /** Adds to the current event's `detail` (counts, a reason): small values, no records. */
  noteDetail(detail: Record<string, unknown>): void {
    const scope = storage.getStore();
    if (scope) Object.assign(scope.detail, detail);
  },
} as const;
