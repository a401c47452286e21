import type { QueuedDelivery, WebhookJobs } from './webhook-jobs.service';
import { PRUNE_BATCH, SWEEP_BATCH, SWEEP_GRACE_MS, WebhookMaintenanceService } from './webhook-maintenance.service';
import type { WebhookRepository } from './webhook.repository';

const DAY_MS = 24 * 3600_000;
const NOW = new Date('2026-11-29T08:00:00.000Z');

/** A log of `ended` deliveries past their retention and `overdue` pending ones; `live` names those whose job is still queued. */
function maintenance(options: { ended?: number; overdue?: QueuedDelivery[]; live?: string[] } = {}) {
  let ended = options.ended ?? 0;
  const statements: { before: Date; limit: number }[] = [];
  const claims: { dueBefore: Date; limit: number }[] = [];
  const requeued: QueuedDelivery[] = [];
  const repository = {
    deleteFinishedBefore: (before: Date, limit: number) => {
      statements.push({ before, limit });
      const n = Math.min(ended, limit);
      ended -= n;
      return Promise.resolve(n);
    },
    claimOverdue: (dueBefore: Date, limit: number) => {
      claims.push({ dueBefore, limit });
      return Promise.resolve(options.overdue ?? []);
    },
  };
  const jobs = {
    requeue: (d: QueuedDelivery) => {
      requeued.push(d);
      return Promise.resolve(!(options.live ?? []).includes(d.id));
    },
  };
  const service = new WebhookMaintenanceService(repository as unknown as WebhookRepository, jobs as unknown as WebhookJobs, {
    webhooks: { attempts: 8, backoffMs: 10_000, timeoutMs: 5000, logRetentionDays: 30 },
  });
  return { service, statements, claims, requeued };
}

describe('WebhookMaintenanceService.prune (delivery log retention in batches)', () => {
  it.each([
    ['nothing to delete', 0, 1, 0],
    ['fewer than a batch', 1, 1, 1],
    ['a batch and a half', 3, 2, 3],
    ['exactly one batch (one more statement finds nothing)', 2, 2, 2],
    ['two and a half batches', 5, 3, 5],
  ])('deletes %s, one batch per statement until a short one', async (_name, ended, statementCount, deleted) => {
    const { service, statements } = maintenance({ ended });
    expect(await service.prune(NOW, 2)).toEqual({ deleted });
    expect(statements).toHaveLength(statementCount);
    expect(statements.every((s) => s.limit === 2)).toBe(true);
  });

  it('takes what ended more than WEBHOOK_LOG_RETENTION_DAYS ago, in batches of PRUNE_BATCH by default', async () => {
    const { service, statements } = maintenance();
    await service.prune(NOW);
    expect(statements).toEqual([{ before: new Date(NOW.getTime() - 30 * DAY_MS), limit: PRUNE_BATCH }]);
  });
});

describe('WebhookMaintenanceService.sweep (pending deliveries that lost their job)', () => {
  it('queues again the overdue deliveries whose job is gone, and counts but leaves those still queued', async () => {
    const overdue = [
      { id: 'd1', dedupeKey: 'k1' },
      { id: 'd2', dedupeKey: 'k2' },
    ];
    const { service, claims, requeued } = maintenance({ overdue, live: ['d2'] });
    expect(await service.sweep(NOW)).toEqual({ overdue: 2, requeued: ['d1'] });
    expect(claims).toEqual([{ dueBefore: new Date(NOW.getTime() - SWEEP_GRACE_MS), limit: SWEEP_BATCH }]);
    expect(requeued).toEqual(overdue);
  });
});
