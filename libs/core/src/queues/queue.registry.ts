import type { JobsOptions } from 'bullmq';

/**
 * Every queue and job the system runs, with its payload type and default options. The worker
 * refuses to start if a job here has no handler or two.
 */
export const QueueName = {
  indicators: 'indicators',
  feeds: 'feeds',
  maintenance: 'maintenance',
  alerts: 'alerts',
  notifications: 'notifications',
  cases: 'cases',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  recomputeIndicator: 'indicator.recompute',
  indicatorTick: 'indicator.tick',
  rollupIndicators: 'indicator.rollup',
  maintainIndicatorHistory: 'indicator.history.maintain',
  feedHealth: 'feed.health',
  pullFeed: 'feed.pull',
  maintainStorage: 'storage.maintain',
  pruneSessions: 'sessions.prune',
  escalateAlert: 'alert.escalate',
  deliverWebhook: 'webhook.deliver',
  sweepWebhookDeliveries: 'webhook.sweep',
  pruneWebhookLog: 'webhook.log.prune',
  superviseCase: 'case.supervise',
  sweepCaseDeadlines: 'case.deadlines.sweep',
  publishCaseStatistics: 'case.statistics.publish',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

export interface JobPayloads {
  'indicator.recompute': { indicatorKey: string; triggeredBy: string };
  'indicator.tick': Record<string, never>;
  'indicator.rollup': Record<string, never>;
  'indicator.history.maintain': Record<string, never>;
  'feed.health': Record<string, never>;
  'feed.pull': { feedKey: string };
  'storage.maintain': Record<string, never>;
  'sessions.prune': Record<string, never>;
  /** Step 1 goes to the first role up, step 2 to the next; the job id is `escalate-<alertId>-<step>`. */
  'alert.escalate': { alertId: string; step: number };
  /** The job id is `webhook-<delivery's dedupe key>`, one per delivery (see WebhookJobs). */
  'webhook.deliver': { deliveryId: string };
  'webhook.sweep': Record<string, never>;
  'webhook.log.prune': Record<string, never>;
  /** At a stage's deadline or its next supervision level; the job id names the case, stage and instant. */
  'case.supervise': { caseId: string };
  'case.deadlines.sweep': Record<string, never>;
  'case.statistics.publish': Record<string, never>;
}

export interface JobDefinition {
  queue: QueueName;
  options: JobsOptions;
  /** Jobs the worker schedules itself (BullMQ job schedulers, one per id across all workers). */
  every?: number;
}

const housekeeping: JobsOptions = { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } };

export const JOBS: Record<JobName, JobDefinition> = {
  'indicator.recompute': {
    queue: QueueName.indicators,
    options: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 200 },
      removeOnComplete: { count: 1000 },
      removeOnFail: false,
    },
  },
  // Recomputes indicators that time alone changes (schedules, pending periods, no data); see IndicatorTriggerService.tick.
  'indicator.tick': { queue: QueueName.indicators, options: { ...housekeeping, removeOnFail: { count: 100 } }, every: 5_000 },
  // History rollups: each run takes the closed minutes since the last and re-rolls buckets that got late values.
  'indicator.rollup': { queue: QueueName.maintenance, options: housekeeping, every: 60_000 },
  // History retention (drops whole days of raw values) and the coming days' partitions.
  'indicator.history.maintain': { queue: QueueName.maintenance, options: housekeeping, every: 3600_000 },
  'feed.health': { queue: QueueName.feeds, options: housekeeping, every: 15_000 },
  'feed.pull': {
    queue: QueueName.feeds,
    // Failures are retried by the connector's own schedule with backoff, not by BullMQ.
    options: { attempts: 1, removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } },
  },
  'storage.maintain': { queue: QueueName.maintenance, options: housekeeping, every: 3600_000 },
  'sessions.prune': { queue: QueueName.maintenance, options: housekeeping, every: 3600_000 },
  'alert.escalate': {
    queue: QueueName.alerts,
    // Removed once done, so that an alert going critical again later can schedule the same step anew.
    options: { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: false },
  },
  'webhook.deliver': {
    queue: QueueName.notifications,
    // Defaults; the producer sets attempts and backoff from WEBHOOK_ATTEMPTS and WEBHOOK_BACKOFF_MS.
    // Every attempt is in webhook_delivery_attempt, so BullMQ keeps only recent jobs.
    options: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 10_000 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 5000 },
    },
  },
  // Pending deliveries whose job never reached Redis (or was lost with it) are queued again.
  'webhook.sweep': { queue: QueueName.maintenance, options: housekeeping, every: 60_000 },
  // Delivery log retention (WEBHOOK_LOG_RETENTION_DAYS), deleted in batches.
  'webhook.log.prune': { queue: QueueName.maintenance, options: housekeeping, every: 3600_000 },
  'case.supervise': {
    queue: QueueName.cases,
    options: { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: { count: 1000 } },
  },
  // Deadlines whose delayed job never reached Redis (or was lost with it) are supervised all the same.
  'case.deadlines.sweep': { queue: QueueName.cases, options: housekeeping, every: 60_000 },
  // Every street's case counts into the case-statistics feed (its expected interval: 300 s).
  'case.statistics.publish': { queue: QueueName.cases, options: housekeeping, every: 300_000 },
};
