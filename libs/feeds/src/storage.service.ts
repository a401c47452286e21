import { Injectable, Logger } from '@nestjs/common';
import { FeedRepository } from './feed.repository';
import { StorageRepository, type ObservationPartition } from './storage.repository';

const DAY_MS = 86400_000;

/**
 * Observations live in daily partitions: created ahead of time, and dropped whole once every
 * feed's retention has passed them. A feed with a shorter retention than others has its old rows
 * deleted from the partitions that must stay for the others.
 */
@Injectable()
export class StorageService {
  private readonly logger = new Logger(StorageService.name);

  constructor(
    private readonly storage: StorageRepository,
    private readonly feeds: FeedRepository,
  ) {}

  async ensurePartitions(daysBack = 1, daysAhead = 7): Promise<number> {
    const created = await this.storage.ensurePartitions(daysBack, daysBack + daysAhead + 1);
    if (created) this.logger.log({ created }, 'observation partitions created');
    return created;
  }

  partitions(): Promise<ObservationPartition[]> {
    return this.storage.partitions();
  }

  /** Applies every feed's retention; answers what was dropped and deleted. */
  async applyRetention(now = new Date()): Promise<{ droppedPartitions: string[]; deletedRows: number }> {
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
    if (droppedPartitions.length || deletedRows) this.logger.log({ droppedPartitions, deletedRows }, 'retention applied');
    return { droppedPartitions, deletedRows };
  }
}
