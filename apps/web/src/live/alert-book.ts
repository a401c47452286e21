import {
  everFired,
  isActive,
  isOlderThan,
  isResolved,
  RECENT_MS,
  RESOLVED_HELD,
  resolvedMs,
  startedMs,
  type WallAlert,
} from '../wall/alert-status';

/**
 * The wall's one record of alerts, keyed by id: the active ones and those resolved in the last
 * hour ({@link RESOLVED_HELD} at most, the most recently resolved). The banner, the list and the
 * KPIs all read it, so they cannot disagree. Pure: the live hook feeds it snapshots and
 * `alert.changed` deltas. Active alerts are as many as the server has (one per indicator and area).
 */
export class AlertBook {
  private readonly byId = new Map<string, WallAlert>();
  private readonly resolvedHeld: number;

  constructor(resolvedHeld: number = RESOLVED_HELD) {
    this.resolvedHeld = resolvedHeld;
  }

  /** Replaces everything with a snapshot (active and recently resolved alerts together). */
  replace(snapshot: readonly WallAlert[]): void {
    this.byId.clear();
    for (const alert of snapshot) this.apply(alert);
  }

  /** Applies one alert's new state; a state older than the one held is late and ignored. Returns whether it was taken. */
  apply(alert: WallAlert): boolean {
    const held = this.byId.get(alert.id);
    if (held && isOlderThan(alert, held)) return false;
    // A resolution may come without everything the active alert carried: keep what it lacks.
    this.byId.set(alert.id, held ? { ...held, ...alert } : alert);
    // Nothing to show of a resolution without its time, nor of an alert that never fired.
    if (isResolved(alert) && (!everFired(alert) || resolvedMs(alert) === null)) this.byId.delete(alert.id);
    else if (isResolved(alert)) this.trimResolved();
    return true;
  }

  /** How many alerts are held, active and resolved. */
  get size(): number {
    return this.byId.size;
  }

  /** Beyond the bound, the resolved alerts that ended first go (one pass each: the bound is passed by one at a time). */
  private trimResolved(): void {
    for (;;) {
      let count = 0;
      let oldest: WallAlert | null = null;
      for (const alert of this.byId.values()) {
        if (!isResolved(alert)) continue;
        count += 1;
        if (!oldest || (resolvedMs(alert) ?? 0) < (resolvedMs(oldest) ?? 0)) oldest = alert;
      }
      if (count <= this.resolvedHeld || !oldest) return;
      this.byId.delete(oldest.id);
    }
  }

  get(id: string): WallAlert | undefined {
    return this.byId.get(id);
  }

  /** Forgets resolved alerts that ended an hour or more before `now`. */
  prune(now: number): void {
    for (const [id, alert] of this.byId) {
      const ended = resolvedMs(alert);
      if (ended !== null && now - ended >= RECENT_MS) this.byId.delete(id);
    }
  }

  /** Active alerts, newest first. */
  active(): WallAlert[] {
    return [...this.byId.values()].filter(isActive).sort((a, b) => startedMs(b) - startedMs(a));
  }

  /** Resolved alerts held (the last hour's, until pruned), most recently resolved first. */
  resolved(): WallAlert[] {
    return [...this.byId.values()].filter(isResolved).sort((a, b) => (resolvedMs(b) ?? 0) - (resolvedMs(a) ?? 0));
  }
}
