import { Injectable } from '@nestjs/common';

/** Reacts to new data in a feed (e.g. schedules the recomputation of the indicators it feeds). */
export type FeedUpdatedListener = (feedKey: string) => Promise<void>;

/**
 * "Feed X got new data", in process. Feeds tells it without knowing who listens, so the domains
 * built on feeds (indicators) depend on feeds and not the other way round. Listeners subscribe
 * when their module starts; ingest awaits them all, so whatever they schedule is scheduled before
 * the sender gets its answer, and a failure reaches the sender as before.
 */
@Injectable()
export class FeedUpdates {
  private readonly listeners: FeedUpdatedListener[] = [];

  onFeedUpdated(listener: FeedUpdatedListener): void {
    this.listeners.push(listener);
  }

  async feedUpdated(feedKey: string): Promise<void> {
    await Promise.all(this.listeners.map((listener) => listener(feedKey)));
  }
}
