import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobName, QueueService } from '@cityops/core';
import { FeedUpdates } from '@cityops/feeds';
import { IndicatorRepository } from './indicator.repository';

/** Coalescing window: all data arriving within one window triggers one recomputation. */
export const RECOMPUTE_WINDOW_MS = 250;

/**
 * Turns "feed X got data" into recomputation jobs. The job id names the indicator and the time
 * window, so any number of batches (on any number of API processes) in one window make one job,
 * and the job runs when its window closes, after every batch in it was committed.
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
    const keys = await this.indicators.keysFedBy(feedKey);
    const window = Math.floor(now / RECOMPUTE_WINDOW_MS);
    const delay = (window + 1) * RECOMPUTE_WINDOW_MS - now + 20;
    await Promise.all(
      keys.map((key) =>
        this.queues.add(JobName.recomputeIndicator, { indicatorKey: key, triggeredBy: feedKey }, { jobId: `${key}-w${window}`, delay }),
      ),
    );
  }
}
