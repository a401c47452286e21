import { Injectable, Logger } from '@nestjs/common';
import {
  ServerEvents,
  type AlertChange,
  type AlertChangedEvent,
  type AlertState,
  type AlertView,
  type IndicatorValueView,
  type IndicatorValuesEvent,
} from '@cityops/contracts';
import { LivePublisher } from '@cityops/core';
import { AreaDirectory, type ScopeRoots } from '@cityops/geo';
import { IndicatorService } from '@cityops/indicators';
import { decideAlert, thresholdFor, warningAndCritical, type IndicatorThresholds } from './alert-rules';
import { AlertNotFoundError } from './alert.exception';
import { AlertRepository, type StoredAlert } from './alert.repository';

@Injectable()
export class AlertService {
  private readonly logger = new Logger(AlertService.name);

  constructor(
    private readonly alerts: AlertRepository,
    private readonly areas: AreaDirectory,
    private readonly indicators: IndicatorService,
    private readonly live: LivePublisher,
  ) {}

  /** Applies the thresholds to each area's latest value; publishes every change. */
  async evaluate(event: IndicatorValuesEvent): Promise<AlertChangedEvent[]> {
    if (!event.thresholds) return [];
    const thresholds = warningAndCritical(event.thresholds);
    const stored: { change: AlertChange; alert: StoredAlert }[] = [];
    for (const value of event.values) {
      const change = await this.evaluateOne(event.indicatorKey, value, thresholds);
      if (change) stored.push(change);
    }
    // Named after the transactions: no lock is held while the names are looked up.
    const views = await this.views(stored.map((s) => s.alert));
    const changes = stored.flatMap(({ change }, i) => (views[i] ? [{ change, alert: views[i] }] : []));
    for (const change of changes) this.publish(change);
    return changes;
  }

  private evaluateOne(
    indicatorKey: string,
    v: IndicatorValueView,
    t: IndicatorThresholds,
  ): Promise<{ change: AlertChange; alert: StoredAlert } | null> {
    return this.alerts.transaction(async (m) => {
      await this.alerts.lockArea(m, indicatorKey, v.areaId);
      const open = await this.alerts.findOpen(m, indicatorKey, v.areaId);
      // A value older than the one the alert last saw (a late job) must not undo a newer verdict.
      if (open && open.valueTs.getTime() > Date.parse(v.ts)) return null;
      const decision = decideAlert(open?.level ?? null, v.value, t);
      let id: string;
      let change: AlertChange;
      switch (decision.action) {
        case 'none':
          return null;
        case 'open': {
          const created = await this.alerts.open(m, {
            indicatorKey,
            areaId: v.areaId,
            level: decision.level,
            value: v.value,
            threshold: thresholdFor(decision.level, t),
            valueTs: v.ts,
          });
          if (!created) return null;
          id = created;
          change = 'opened';
          await this.alerts.addEvent(m, id, change, decision.level, v.value, null);
          break;
        }
        case 'escalate':
        case 'deescalate':
          id = open!.id;
          change = decision.action === 'escalate' ? 'escalated' : 'deescalated';
          await this.alerts.update(m, id, decision.level, v.value, thresholdFor(decision.level, t), v.ts);
          await this.alerts.addEvent(m, id, change, decision.level, v.value, null);
          break;
        case 'update':
          if (open!.value === v.value) return null;
          id = open!.id;
          change = 'updated';
          await this.alerts.update(m, id, open!.level, v.value, thresholdFor(open!.level, t), v.ts);
          break;
        case 'resolve':
          id = open!.id;
          change = 'resolved';
          await this.alerts.resolve(m, id, v.value, v.ts, null);
          await this.alerts.addEvent(m, id, change, null, v.value, null);
          break;
      }
      const alert = await this.alerts.find(id, m);
      if (change !== 'updated') this.logger.log({ alertId: id, change, area: v.areaCode, value: v.value }, 'alert changed');
      return alert ? { change, alert } : null;
    });
  }

  /** The scope's alerts (every alert for a null scope), newest first. */
  async list(state: AlertState | undefined, limit: number, scope: ScopeRoots = null): Promise<AlertView[]> {
    return (await this.views(await this.alerts.list(state, limit, scope))).filter((v): v is AlertView => v !== null);
  }

  /** An alert outside the scope is not found, exactly as one that does not exist. */
  async get(id: string, scope: ScopeRoots = null): Promise<AlertView & { history: unknown[] }> {
    const alert = await this.view(id, scope);
    return { ...alert, history: await this.alerts.history(id) };
  }

  /**
   * Acknowledging twice is harmless: the answer is the alert as it stands. An alert outside the
   * scope is neither changed nor shown: 404, as for one that does not exist.
   */
  async acknowledge(id: string, actor: string, scope: ScopeRoots = null): Promise<AlertView> {
    const changed = await this.alerts.acknowledge(id, actor, scope);
    const alert = await this.view(id, scope);
    if (changed) this.publish({ change: 'acknowledged', alert });
    return alert;
  }

  private async view(id: string, scope: ScopeRoots): Promise<AlertView> {
    const stored = await this.alerts.findInScope(id, scope);
    const [alert] = stored ? await this.views([stored]) : [null];
    if (!alert) throw new AlertNotFoundError(id);
    return alert;
  }

  /**
   * Alerts as the wall shows them: with the area's code, name and centre (from geo) and the
   * indicator's name in the title. An alert whose area or indicator is gone maps to null.
   */
  private async views(alerts: StoredAlert[]): Promise<(AlertView | null)[]> {
    if (alerts.length === 0) return [];
    const [areas, names] = await Promise.all([
      this.areas.byIds(alerts.map((a) => a.areaId)),
      this.indicators.names([...new Set(alerts.map((a) => a.indicatorKey))]),
    ]);
    return alerts.map((a) => {
      const area = areas.get(a.areaId);
      const indicatorName = names.get(a.indicatorKey);
      if (!area || indicatorName === undefined) return null;
      return { ...a, areaCode: area.code, areaName: area.name, title: `${area.name} · ${indicatorName}`, center: area.center };
    });
  }

  /** To `alerts` (each scoped listener only if the alert's area is in its scope) and to the area's own channel. */
  private publish(change: AlertChangedEvent): void {
    this.live.publishScoped({
      channel: 'alerts',
      event: ServerEvents.alertChanged,
      payload: change,
      place: { areaIds: [change.alert.areaId] },
    });
    this.live.publish(`area:${change.alert.areaId}`, ServerEvents.alertChanged, change);
  }
}
