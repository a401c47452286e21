import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JOBS, JobName, QueueService } from '@cityops/core';
import { FeedUpdates } from '@cityops/feeds';
import { IndicatorRepository } from './indicator.repository';

/** Coalescing window: all data arriving within one window triggers one recomputation. */
export const RECOMPUTE_WINDOW_MS = 250;

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
 * recomputation jobs. The job id names the indicator and the time window, so any number of
 * causes (on any number of processes) in one window make one job, and the job runs when its
 * window closes, after every batch in it was committed; beyond that, `recomputeDeduplication`.
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

  async feedUpdated(feedKey: string, now = Date.now()): Promise<void> {
    await this.enqueueWindowed(await this.indicators.keysFedBy(feedKey), feedKey, now);
  }

  /** An indicator's stored values changed: the composites that read it follow, deduplicated the same way. */
  async inputChanged(indicatorKey: string, now = Date.now()): Promise<void> {
    await this.enqueueWindowed(await this.indicators.readersOf(indicatorKey), `indicator:${indicatorKey}`, now);
  }

  /** A definition was written: compute it on the data already stored. */
  async definitionChanged(indicatorKey: string, now = Date.now()): Promise<void> {
    await this.enqueueWindowed([indicatorKey], 'definition', now);
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

  private async enqueueWindowed(keys: string[], triggeredBy: string, now: number): Promise<void> {
    const window = Math.floor(now / RECOMPUTE_WINDOW_MS);
    const delay = (window + 1) * RECOMPUTE_WINDOW_MS - now + 20;
    await Promise.all(
      keys.map((key) =>
        this.queues.add(
          JobName.recomputeIndicator,
          { indicatorKey: key, triggeredBy },
          { jobId: `${key}-w${window}`, delay, deduplication: recomputeDeduplication(key) },
        ),
      ),
    );
  }
}
