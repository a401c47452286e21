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
import { decideAlert, thresholdFor } from './alert-rules';
import { AlertNotFoundError } from './alert.exception';
import { AlertRepository } from './alert.repository';

@Injectable()
export class AlertService {
  private readonly logger = new Logger(AlertService.name);

  constructor(
    private readonly alerts: AlertRepository,
    private readonly live: LivePublisher,
  ) {}

  /** Applies the thresholds to each area's latest value; publishes every change. */
  async evaluate(event: IndicatorValuesEvent): Promise<AlertChangedEvent[]> {
    const thresholds = event.thresholds;
    if (!thresholds) return [];
    const changes: AlertChangedEvent[] = [];
    for (const value of event.values) {
      const change = await this.evaluateOne(event.indicatorKey, value, thresholds);
      if (change) changes.push(change);
    }
    for (const change of changes) this.publish(change);
    return changes;
  }

  private evaluateOne(
    indicatorKey: string,
    v: IndicatorValueView,
    t: NonNullable<IndicatorValuesEvent['thresholds']>,
  ): Promise<AlertChangedEvent | null> {
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
      const alert = await this.alerts.view(id, m);
      if (change !== 'updated') this.logger.log({ alertId: id, change, area: v.areaCode, value: v.value }, 'alert changed');
      return alert ? { change, alert } : null;
    });
  }

  list(state: AlertState | undefined, limit: number): Promise<AlertView[]> {
    return this.alerts.list(state, limit);
  }

  async get(id: string): Promise<AlertView & { history: unknown[] }> {
    const alert = await this.alerts.view(id);
    if (!alert) throw new AlertNotFoundError(id);
    return { ...alert, history: await this.alerts.history(id) };
  }

  /** Acknowledging twice is harmless: the answer is the alert as it stands. */
  async acknowledge(id: string, actor: string): Promise<AlertView> {
    const changed = await this.alerts.acknowledge(id, actor);
    const alert = await this.alerts.view(id);
    if (!alert) throw new AlertNotFoundError(id);
    if (changed) this.publish({ change: 'acknowledged', alert });
    return alert;
  }

  private publish(change: AlertChangedEvent): void {
    this.live.publish('alerts', ServerEvents.alertChanged, change);
    this.live.publish(`area:${change.alert.areaId}`, ServerEvents.alertChanged, change);
  }
}
