import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ServerEvents,
  type AlertChange,
  type AlertChangedEvent,
  type AlertDetail,
  type AlertStretch,
  type AlertTimeline,
  type AlertTimelineQuery,
  type AlertView,
  type IndicatorFormat,
  type IndicatorPreview,
  type IndicatorWrite,
  type ThresholdSpec,
} from '@cityops/contracts';
import { APP_CONFIG, AuditTrail, JobName, LivePublisher, QueueService, type AppConfig } from '@cityops/core';
import { AreaDirectory, type ScopeRoots } from '@cityops/geo';
import { IndicatorHistoryService, IndicatorService } from '@cityops/indicators';
import { AlertNotifications } from '@cityops/notifications';
import { deriveAlerts, evaluationOf } from './alert-derivation';
import {
  criticalSince,
  ESCALATING_CHANGES,
  ESCALATION_ROLES,
  escalationJobId,
  nextEscalation,
  type EscalationDue,
} from './alert-escalation';
import { nextAlertPhase, simulateAlerts, type AlertPhase, type AlertSample } from './alert-rules';
import { firingStretches } from './alert-timeline';
import { AlertNotFoundError } from './alert.exception';
import {
  AlertRepository,
  type AlertFilter,
  type AlertWrite,
  type DerivedAlertRow,
  type OpenAlertRow,
  type StoredAlert,
} from './alert.repository';

/** One area's newest value of an indicator; `value` null: the source says it has none. */
export interface AreaValue {
  areaId: number;
  value: number | null;
  ts: string | Date;
}

/** The actor of the history entries of alerts derived from an indicator's stored past (`deriveFromHistory`). */
export const HISTORY_ACTOR = 'history';

interface StoredChange {
  change: AlertChange;
  alert: StoredAlert;
}

function phaseOf(open: OpenAlertRow | null): AlertPhase {
  if (!open) return { state: 'none' };
  if (open.state === 'pending') return { state: 'pending', level: open.level, since: open.startedAt };
  return {
    state: 'firing',
    level: open.level,
    firedAt: open.firedAt ?? open.startedAt,
    conditionLostAt: open.conditionLostAt,
    staleSince: open.staleSince,
  };
}

@Injectable()
export class AlertService {
  private readonly logger = new Logger(AlertService.name);

  constructor(
    private readonly alerts: AlertRepository,
    private readonly areas: AreaDirectory,
    private readonly indicators: IndicatorService,
    private readonly history: IndicatorHistoryService,
    private readonly live: LivePublisher,
    private readonly queues: QueueService,
    private readonly notifications: AlertNotifications,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Applies the thresholds to each area's newest value, and lets time pass for the areas with a
   * pending or firing alert that have no value here (their last value is evaluated again at `now`:
   * a pending period ends, keep-firing runs out, data goes missing).
   *
   * Most areas of most indicators have no alert and no value across a threshold: those are decided
   * from one unlocked read of the indicator's open alerts, with no transaction. The rest (the
   * "candidates") are evaluated in one transaction under their keys' advisory locks, taken in area
   * order so that two evaluations cannot deadlock; every change is published after it commits.
   * An alert another evaluation of the same indicator opens after that read, for an area this one
   * finds quiet, waits for the next round: the queue runs one evaluation per indicator at a time,
   * so only direct callers can race like that.
   */
  async evaluate(
    indicatorKey: string,
    spec: ThresholdSpec | null,
    values: readonly AreaValue[],
    now = new Date(),
  ): Promise<AlertChangedEvent[]> {
    if (!spec) return [];
    const samples = new Map<number, AlertSample>();
    for (const v of values) samples.set(v.areaId, { value: v.value, ts: new Date(v.ts) });
    const open = await this.alerts.openOf(indicatorKey);
    const openAreas = new Set(open.map((a) => a.areaId));
    for (const a of open) if (!samples.has(a.areaId)) samples.set(a.areaId, { value: a.value, ts: a.valueTs });
    const candidates = [...samples.entries()]
      .filter(([areaId, sample]) => openAreas.has(areaId) || nextAlertPhase({ state: 'none' }, sample, spec, now).phase.state !== 'none')
      .map(([areaId]) => areaId)
      .sort((a, b) => a - b);
    if (candidates.length === 0) return [];
    const theme = (await this.indicators.definition(indicatorKey).catch(() => null))?.theme ?? null;
    const stored = await this.alerts.transaction(async (m) => {
      await this.alerts.lockAreas(m, indicatorKey, candidates);
      const locked = await this.alerts.findOpenIn(m, indicatorKey, candidates);
      const changes: StoredChange[] = [];
      for (const areaId of candidates) {
        const sample = samples.get(areaId) as AlertSample;
        changes.push(...(await this.evaluateLocked(m, indicatorKey, theme, areaId, locked.get(areaId) ?? null, sample, spec, now)));
      }
      return changes;
    });
    return this.announce(stored);
  }

  /** One area, its key locked and its open alert (if any) read under the lock. */
  private async evaluateLocked(
    m: EntityManager,
    indicatorKey: string,
    theme: string | null,
    areaId: number,
    open: OpenAlertRow | null,
    sample: AlertSample,
    spec: ThresholdSpec,
    now: Date,
  ): Promise<StoredChange[]> {
    // A value older than the one the alert last saw (a late job) must not undo a newer verdict.
    if (open && open.valueTs.getTime() > sample.ts.getTime()) return [];
    const evaluation = evaluationOf(open, sample, nextAlertPhase(phaseOf(open), sample, spec, now), spec);
    if (!evaluation) return [];
    const { changes, named } = evaluation;
    const write: AlertWrite = { ...evaluation.outcome, theme };
    let alert: StoredAlert | null;
    if (open) {
      const quiet =
        open.valueTs.getTime() === write.valueTs.getTime() && open.conditionLostAt?.getTime() === write.conditionLostAt?.getTime();
      if (changes.length === 0 && quiet) return [];
      alert = await this.alerts.write(m, open.id, write, changes.length > 0 ? now : null, named);
      if (changes.length === 0) return [];
    } else {
      alert = await this.alerts.insert(m, indicatorKey, areaId, write, now, named);
    }
    if (!alert) return [];
    if (named.length) this.logger.log({ alertId: alert.id, changes: named, areaId, value: write.value }, 'alert changed');
    return changes.map((change) => ({ change, alert }));
  }

  /**
   * The alerts the indicators' stored history over the window implies, stored as real alerts:
   * each area's values played in time order through the same rules (and the thresholds as they
   * are now), every change a history entry at the instant it happened, under the actor
   * `HISTORY_ACTOR` so that nobody takes them for live ones. Nothing is published, notified or
   * filed: nothing happened now. An alert still pending or firing at the window's end is the
   * key's open alert, which the live evaluation continues; one still critical and firing without
   * acknowledgement gets its first escalation step as a live one would have, due
   * `alertEscalationMs` after it went critical (at once when that is past at `now`). A derived
   * alert whose time overlaps an alert of its key already stored is left out (a key that has an
   * open alert keeps it), so repeating the derivation stores nothing twice, nor schedules anything
   * again. Answers the alerts stored per indicator.
   *
   * Per indicator, one read of its history and one statement under the locks of its areas.
   */
  async deriveFromHistory(
    indicatorKeys: readonly string[],
    window: { from: Date; to: Date },
    now = new Date(),
  ): Promise<Map<string, number>> {
    const stored = new Map<string, number>();
    for (const key of indicatorKeys) {
      const definition = await this.indicators.definition(key).catch(() => null);
      const spec = definition?.thresholds;
      if (!definition?.enabled || !spec) continue;
      const series = await this.history.series(key, window);
      const derived: DerivedAlertRow[] = [...series.entries()].flatMap(([areaId, points]) =>
        deriveAlerts(points, spec, window.to).map((alert) => ({ areaId, ...alert })),
      );
      if (derived.length === 0) continue;
      const areaIds = [...new Set(derived.map((a) => a.areaId))].sort((a, b) => a - b);
      const written = await this.alerts.transaction(async (m) => {
        await this.alerts.lockAreas(m, key, areaIds);
        return this.alerts.insertDerived(m, key, definition.theme, derived, HISTORY_ACTOR);
      });
      this.logger.log(
        { indicatorKey: key, derived: derived.length, alerts: written.alerts, events: written.events },
        'alerts derived from the indicator history',
      );
      stored.set(key, written.alerts);
      for (const due of this.derivedEscalations(derived, written.open, now)) await this.scheduleEscalation(due);
    }
    return stored;
  }

  /**
   * The first escalation step of each open derived alert stored critical and firing, timed from
   * when its history says it went critical. A derivation that stored nothing (run again) asks for
   * nothing; the job ids keep a repeat harmless besides.
   */
  private derivedEscalations(derived: readonly DerivedAlertRow[], open: readonly StoredAlert[], now: Date): EscalationDue[] {
    if (open.length === 0) return [];
    // By area and start: a city's grids can derive thousands of alerts, a search per open one would be quadratic.
    const key = (areaId: number, startedMs: number) => `${areaId}:${startedMs}`;
    const rows = new Map(derived.map((d) => [key(d.areaId, d.startedAt.getTime()), d]));
    return open.flatMap((alert) => {
      const row = rows.get(key(alert.areaId, Date.parse(alert.startedAt)));
      const since = row && criticalSince(row.events);
      const due = since ? nextEscalation(alert, since, this.config.alertEscalationMs, now) : null;
      return due ? [due] : [];
    });
  }

  /**
   * `POST /api/indicators/preview`: the definition evaluated over the last hour (by the indicator
   * engine), and each area's series replayed through the same rules live evaluation applies.
   */
  async preview(definition: IndicatorWrite): Promise<IndicatorPreview> {
    const preview = await this.indicators.preview(definition);
    const spec = definition.thresholds;
    if (!spec) return preview;
    const until = new Date(preview.to);
    const alerts = preview.areas.flatMap((area) =>
      simulateAlerts(area.points, spec, until).map((stretch) => ({ areaId: area.areaId, ...stretch })),
    );
    return { ...preview, alerts };
  }

  /**
   * Escalates a critical alert still firing without acknowledgement to the role of `step`, and
   * schedules the next step. Called by the `alert.escalate` job; a job for an alert acknowledged,
   * resolved or de-escalated meanwhile changes nothing.
   */
  async escalate(alertId: string, step: number): Promise<AlertChangedEvent[]> {
    const role = ESCALATION_ROLES[step - 1];
    if (!role) return [];
    const key = await this.alerts.keyOf(alertId, null);
    if (!key) return [];
    const stored = await this.alerts.transaction(async (m) => {
      await this.alerts.lockArea(m, key.indicatorKey, key.areaId);
      if (!(await this.alerts.escalate(m, alertId, step, role))) return [];
      const alert = await this.alerts.find(alertId, m);
      return alert ? [{ change: 'escalation' as const, alert }] : [];
    });
    if (stored.length) this.logger.warn({ alertId, step, role }, 'critical alert not acknowledged in time: escalated');
    return this.announce(stored);
  }

  /** The scope's alerts that pass the filter (every alert for a null scope), newest change first. */
  async list(filter: AlertFilter, scope: ScopeRoots = null): Promise<AlertView[]> {
    return (await this.views(await this.alerts.list(filter, scope))).filter((v): v is AlertView => v !== null);
  }

  /**
   * The levels the scope's alerts of an indicator fired at over a window, from their histories
   * (`firingStretches`), earliest first and at most `limit`: the earliest alerts are kept when
   * there are more.
   */
  async timeline(query: AlertTimelineQuery, scope: ScopeRoots = null): Promise<AlertTimeline> {
    const window = { from: new Date(query.from), to: new Date(query.to) };
    // One alert more than asked for: each overlapping alert has a stretch, so it tells that some were cut.
    const alerts = await this.alerts.firingIn(query.indicator, window.from, window.to, scope, query.limit + 1);
    const stretches: AlertStretch[] = alerts
      .flatMap((alert) => firingStretches(alert.events, window).map((s) => ({ alert, s })))
      .sort((a, b) => a.s.from.getTime() - b.s.from.getTime() || a.alert.id.localeCompare(b.alert.id))
      .map(({ alert, s }) => ({
        alertId: alert.id,
        areaId: alert.areaId,
        level: s.level,
        from: s.from.toISOString(),
        to: s.to?.toISOString() ?? null,
      }));
    return {
      indicatorKey: query.indicator,
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      stretches: stretches.slice(0, query.limit),
      truncated: alerts.length > query.limit || stretches.length > query.limit,
    };
  }

  /** The alert without its history, or null when it does not exist or lies outside the scope. */
  async find(id: string, scope: ScopeRoots = null): Promise<AlertView | null> {
    const stored = await this.alerts.findInScope(id, scope);
    const [alert] = stored ? await this.views([stored]) : [null];
    return alert ?? null;
  }

  /** An alert outside the scope is not found, exactly as one that does not exist. */
  async get(id: string, scope: ScopeRoots = null): Promise<AlertDetail> {
    const stored = await this.alerts.findWithHistory(id, scope);
    const [alert] = stored ? await this.views([stored.alert]) : [null];
    if (!stored || !alert) throw new AlertNotFoundError(id);
    return { ...alert, history: stored.history };
  }

  /**
   * Acknowledging twice is harmless: the answer is the alert as it stands (the first comment
   * stays). An alert outside the scope is neither changed nor shown: 404, as for one that does not exist.
   */
  async acknowledge(id: string, actor: string, comment: string | null = null, scope: ScopeRoots = null): Promise<AlertView> {
    return this.manualChange(id, scope, 'acknowledged', (m) => this.alerts.acknowledge(m, id, actor, comment));
  }

  /**
   * Resolves a pending or firing alert by hand, with a reason. The data no longer drives it: the
   * next value that breaches a threshold opens a new alert. Resolving twice is harmless.
   */
  async resolve(id: string, actor: string, reason: string, scope: ScopeRoots = null): Promise<AlertView> {
    return this.manualChange(id, scope, 'resolved', (m) => this.alerts.resolveByHand(m, id, actor, reason));
  }

  /**
   * A case was filed from the alert: its history says so (the code in the comment) and the alert's
   * listeners hear of it, so an open alert view lists the case. Not a webhook change: nothing about
   * the alert itself changed. The case is stored first; the cases lib calls this after its commit.
   */
  async noteCaseFiled(id: string, caseCode: string, actor: string): Promise<void> {
    const stored = await this.alerts.find(id);
    if (!stored) return;
    await this.alerts.transaction((m) => this.alerts.addEvent(m, id, 'case_filed', stored.level, null, actor, caseCode));
    const [alert] = await this.views([stored]);
    if (alert) this.publishLive({ change: 'case_filed', alert });
  }

  /** A person's change, under the key's lock so that it cannot interleave with an evaluation. */
  private async manualChange(
    id: string,
    scope: ScopeRoots,
    change: AlertChange,
    apply: (m: EntityManager) => Promise<boolean>,
  ): Promise<AlertView> {
    const key = await this.alerts.keyOf(id, scope);
    if (!key) throw new AlertNotFoundError(id);
    const before = await this.alerts.find(id);
    const changed = await this.alerts.transaction(async (m) => {
      await this.alerts.lockArea(m, key.indicatorKey, key.areaId);
      return apply(m);
    });
    const alert = await this.view(id, scope);
    if (changed) {
      AuditTrail.noteChange({
        targetType: 'alert',
        targetId: id,
        before: before && this.auditShape(before),
        after: this.auditShape(alert),
      });
      await this.publish({ change, alert });
    }
    return alert;
  }

  private auditShape(a: Pick<StoredAlert, 'state' | 'level' | 'acknowledgedBy' | 'ackComment' | 'resolvedBy' | 'resolveReason'>) {
    return {
      state: a.state,
      level: a.level,
      acknowledgedBy: a.acknowledgedBy,
      ackComment: a.ackComment,
      resolvedBy: a.resolvedBy,
      resolveReason: a.resolveReason,
    };
  }

  private async view(id: string, scope: ScopeRoots): Promise<AlertView> {
    const stored = await this.alerts.findInScope(id, scope);
    const [alert] = stored ? await this.views([stored]) : [null];
    if (!alert) throw new AlertNotFoundError(id);
    return alert;
  }

  /** Names the changes after their transactions (no lock is held meanwhile), publishes them, schedules escalations. */
  private async announce(stored: StoredChange[]): Promise<AlertChangedEvent[]> {
    if (stored.length === 0) return [];
    const views = await this.views(stored.map((s) => s.alert));
    const changes = stored.flatMap(({ change }, i) => (views[i] ? [{ change, alert: views[i] }] : []));
    for (const change of changes) this.publishLive(change);
    await this.notifications.changed(...changes);
    for (const due of this.liveEscalations(stored)) await this.scheduleEscalation(due);
    return changes;
  }

  /**
   * A critical alert that fired, went critical while firing, or went up a step, unacknowledged:
   * its next step is due `alertEscalationMs` from now (the change happened now).
   */
  private liveEscalations(stored: readonly StoredChange[]): EscalationDue[] {
    const now = new Date();
    const due = new Map<string, EscalationDue>();
    for (const { change, alert } of stored) {
      if (!ESCALATING_CHANGES.includes(change)) continue;
      const next = nextEscalation(alert, now, this.config.alertEscalationMs, now);
      if (next) due.set(alert.id, next);
    }
    return [...due.values()];
  }

  /**
   * The delayed job of an escalation step, live or derived: one job id per alert and step across
   * every worker and every repeat (no timer in memory), and the job itself changes nothing for an
   * alert acknowledged, resolved or escalated meanwhile.
   */
  private async scheduleEscalation({ alertId, step, delayMs }: EscalationDue): Promise<void> {
    try {
      await this.queues.add(JobName.escalateAlert, { alertId, step }, { jobId: escalationJobId(alertId, step), delay: delayMs });
    } catch (err) {
      // The alert is stored (and published); a missed escalation is logged, not a failed evaluation.
      this.logger.error({ err, alertId, step, delayMs }, 'could not schedule the escalation of a critical alert');
    }
  }

  /**
   * Alerts as the wall shows them: with the area's code, name and centre (from geo) and the
   * indicator's name in the title. An alert whose area or indicator is gone maps to null.
   */
  private async views(alerts: StoredAlert[]): Promise<(AlertView | null)[]> {
    if (alerts.length === 0) return [];
    const keys = [...new Set(alerts.map((a) => a.indicatorKey))];
    const [areas, labels] = await Promise.all([this.areas.byIds(alerts.map((a) => a.areaId)), this.labels(keys)]);
    return alerts.map(({ escalationStep: _step, ...a }) => {
      const area = areas.get(a.areaId);
      const label = labels.get(a.indicatorKey);
      if (!area || !label) return null;
      return {
        ...a,
        indicatorName: label.name,
        indicatorNameEn: label.nameEn,
        unit: label.unit,
        format: label.format,
        areaCode: area.code,
        areaName: area.name,
        title: `${area.name} · ${label.name}`,
        center: area.center,
      };
    });
  }

  /** The indicators' names, units and formats, from their definitions (one lookup per indicator, none for a missing one). */
  private async labels(
    keys: string[],
  ): Promise<Map<string, { name: string; nameEn: string | null; unit: string | null; format: IndicatorFormat }>> {
    const found = await Promise.all(keys.map((key) => this.indicators.definition(key).catch(() => null)));
    return new Map(
      found.flatMap((d, i) => (d ? [[keys[i], { name: d.name, nameEn: d.nameEn, unit: d.unit, format: d.format }] as const] : [])),
    );
  }

  /**
   * Every alert change leaves the service here, after its transaction committed: to `alerts` (each
   * scoped listener only if the alert's area is in its scope), to the area's own channel, and to
   * the webhooks whose filter it matches (queued; `changed` never throws).
   */
  private async publish(change: AlertChangedEvent): Promise<void> {
    this.publishLive(change);
    await this.notifications.changed(change);
  }

  private publishLive(change: AlertChangedEvent): void {
    this.live.publishScoped({
      channel: 'alerts',
      event: ServerEvents.alertChanged,
      payload: change,
      place: { areaIds: [change.alert.areaId] },
    });
    this.live.publish(`area:${change.alert.areaId}`, ServerEvents.alertChanged, change);
  }
}
