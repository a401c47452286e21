import { Injectable, Logger } from '@nestjs/common';
import { EntityRepository } from './entity.repository';
import { FeedRepository } from './feed.repository';
import { StorageRepository, type ObservationPartition } from './storage.repository';

const DAY_MS = 86400_000;

/**
 * How long one run may spend deleting old entity states. A feed that kept years of states before
 * retention reached it could take hours at once; the rest waits for the next run (hourly).
 */
export const ENTITY_HISTORY_BUDGET_MS = 5 * 60_000;

/** Entity states deleted per statement: each batch a short transaction, holding its row locks briefly. */
export const ENTITY_HISTORY_BATCH = 5000;

/** What one retention run dropped and deleted. */
export interface RetentionResult {
  droppedPartitions: string[];
  /** Observation rows deleted from partitions that stay. */
  deletedRows: number;
  /** Entity states (`entity_history`) older than their feed's retention, deleted. */
  deletedEntityStates: number;
}

/**
 * Observations live in daily partitions: created ahead of time, and dropped whole once every
 * feed's retention has passed them. A feed with a shorter retention than others has its old rows
 * deleted from the partitions that must stay for the others. Entity states (`entity_history`)
 * follow the same retention per feed, deleted in batches within a time budget per run.
 */
@Injectable()
export class StorageService {
  private readonly logger = new Logger(StorageService.name);

  constructor(
    private readonly storage: StorageRepository,
    private readonly feeds: FeedRepository,
    private readonly entities: EntityRepository,
  ) {}

  async ensurePartitions(daysBack = 1, daysAhead = 7): Promise<number> {
    const created = await this.storage.ensurePartitions(daysBack, daysBack + daysAhead + 1);
    if (created) this.logger.log({ created }, 'observation partitions created');
    return created;
  }

  partitions(): Promise<ObservationPartition[]> {
    return this.storage.partitions();
  }

  /**
   * Applies every feed's retention at `now` to its observations and its entity states; answers
   * what was dropped and deleted. Deleting entity states stops once the run has taken `budgetMs`
   * (but not before it deleted some, so every run makes headway); the next run goes on from there.
   */
  async applyRetention(now = new Date(), budgetMs = ENTITY_HISTORY_BUDGET_MS): Promise<RetentionResult> {
    const started = Date.now();
    const feeds = await this.feeds.retentions();
    const longest = Math.max(1, ...feeds.map((f) => f.retentionDays));
    const droppedPartitions: string[] = [];
    let deletedRows = 0;
    for (const p of await this.storage.partitions()) {
      const end = Date.parse(`${p.day}T00:00:00Z`) + DAY_MS;
      const ageDays = (now.getTime() - end) / DAY_MS;
      if (ageDays >= longest) {
        await this.storage.dropPartition(p);
        droppedPartitions.push(p.name);
        continue;
      }
      const expired = feeds.filter((f) => ageDays >= f.retentionDays).map((f) => f.key);
      if (expired.length) deletedRows += await this.storage.deleteFeedsFrom(p, expired);
    }
    deletedRows += await this.storage.deleteExpiredFromDefault(now);
    const { deleted: deletedEntityStates, finished } = await this.pruneEntityHistory(feeds, now, started + budgetMs);
    if (!finished)
      this.logger.warn({ deletedEntityStates, budgetMs }, 'entity history retention stopped at its time budget: the next run goes on');
    if (droppedPartitions.length || deletedRows || deletedEntityStates) {
      this.logger.log({ droppedPartitions, deletedRows, deletedEntityStates }, 'retention applied');
    }
    return { droppedPartitions, deletedRows, deletedEntityStates };
  }

  /**
   * Each feed's entity states older than its retention, batch by batch, until done or `deadline`
   * (epoch ms) passes; past it, a run still deletes until something was deleted, so a run that
   * starts late (slow partitions) still makes headway. `finished` false: stopped with more maybe left.
   */
  private async pruneEntityHistory(
    feeds: readonly { key: string; retentionDays: number }[],
    now: Date,
    deadline: number,
  ): Promise<{ deleted: number; finished: boolean }> {
    let deleted = 0;
    for (const feed of feeds) {
      const before = new Date(now.getTime() - feed.retentionDays * DAY_MS);
      for (;;) {
        if (deleted > 0 && Date.now() >= deadline) return { deleted, finished: false };
        const batch = await this.entities.deleteHistoryBefore(feed.key, before, ENTITY_HISTORY_BATCH);
        deleted += batch;
        if (batch < ENTITY_HISTORY_BATCH) break;
      }
    }
    return { deleted, finished: true };
  }
}
