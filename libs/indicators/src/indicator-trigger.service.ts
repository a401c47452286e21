import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JOBS, JobName, QueueService } from '@cityops/core';
import { FeedUpdates } from '@cityops/feeds';
import { IndicatorRepository } from './indicator.repository';

/**
 * How long a recomputation waits after its first cause: every cause arriving meanwhile joins it
 * (a busy feed's batches, a composite's several inputs), and a cheap indicator of a busy feed runs
 * at most this often. Short, because it is part of every alert's latency.
 */
export const RECOMPUTE_DELAY_MS = 100;

/** How often `indicator.tick` runs (the registry's `every`), and so the slot of a time-driven recomputation. */
export const TICK_MS = JOBS[JobName.indicatorTick].every ?? 5_000;

/**
 * At most one recomputation of an indicator runs at a time, and at most one more waits behind it
 * (BullMQ deduplication with `keepLastIfActive`): causes arriving while one waits join it, causes
 * arriving while one runs make the next. So an indicator whose SQL takes longer than its data
 * takes to arrive runs back to back instead of piling up jobs that hold every worker slot and
 * delay the other indicators.
 */
export function recomputeDeduplication(indicatorKey: string) {
  return { id: `recompute:${indicatorKey}`, keepLastIfActive: true };
}

/**
 * Turns "feed X got data", "indicator X has new values" and the passing of time into
 * recomputation jobs, coalesced per indicator by `recomputeDeduplication` across every process.
 * Causes are told after their data was committed, so the job sees it.
 */
@Injectable()
export class IndicatorTriggerService implements OnModuleInit {
  constructor(
    private readonly indicators: IndicatorRepository,
    private readonly queues: QueueService,
    private readonly updates: FeedUpdates,
  ) {}

  onModuleInit(): void {
    this.updates.onFeedUpdated((feedKey) => this.feedUpdated(feedKey));
  }

  async feedUpdated(feedKey: string): Promise<void> {
    await this.enqueueCoalesced(await this.indicators.keysFedBy(feedKey), feedKey);
  }

  /** An indicator's stored values changed: the composites that read it follow, deduplicated the same way. */
  async inputChanged(indicatorKey: string): Promise<void> {
    await this.enqueueCoalesced(await this.indicators.readersOf(indicatorKey), `indicator:${indicatorKey}`);
  }

  /** A definition was written: compute it on the data already stored. */
  async definitionChanged(indicatorKey: string): Promise<void> {
    await this.enqueueCoalesced([indicatorKey], 'definition');
  }

  /**
   * Every `TICK_MS` (the `indicator.tick` job): recomputes the indicators whose schedule came
   * round (one job per indicator and slot of its `evaluateEverySeconds`), and, every tick, those
   * whose alerts time alone can move (a pending period, keep-firing, a no-data policy). The slot
   * is in the job id, so ticks on several workers, or a late tick, add nothing twice.
   */
  async tick(now = Date.now()): Promise<number> {
    const due = await this.indicators.timeDriven();
    const jobs: { key: string; jobId: string; triggeredBy: string }[] = [];
    for (const d of due) {
      if (d.watched) {
        jobs.push({ key: d.key, jobId: `${d.key}-t${Math.floor(now / TICK_MS)}`, triggeredBy: 'tick' });
      } else if (d.evaluateEverySeconds) {
        const every = d.evaluateEverySeconds * 1000;
        jobs.push({ key: d.key, jobId: `${d.key}-e${d.evaluateEverySeconds}-${Math.floor(now / every)}`, triggeredBy: 'schedule' });
      }
    }
    await Promise.all(
      jobs.map((j) =>
        this.queues.add(
          JobName.recomputeIndicator,
          { indicatorKey: j.key, triggeredBy: j.triggeredBy },
          { jobId: j.jobId, deduplication: recomputeDeduplication(j.key) },
        ),
      ),
    );
    return jobs.length;
  }

  private async enqueueCoalesced(keys: string[], triggeredBy: string): Promise<void> {
    await Promise.all(
      keys.map((key) =>
        this.queues.add(
          JobName.recomputeIndicator,
          { indicatorKey: key, triggeredBy },
          { delay: RECOMPUTE_DELAY_MS, deduplication: recomputeDeduplication(key) },
        ),
      ),
    );
  }
}
