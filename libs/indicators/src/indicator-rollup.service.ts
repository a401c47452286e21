import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cityops/core';
import { IndicatorHistoryRepository, type PartitionedHistoryTable } from './indicator-history.repository';

const DAY_MS = 86400_000;
/** One step rolls up at most a day of minutes, so catching up on a long history commits as it goes. */
const MAX_STEP_SPAN_MS = DAY_MS;
/** A run stops after this many steps (a year of backlog); the next run goes on. */
const MAX_STEPS_PER_RUN = 366;

export interface RollupRun {
  steps: number;
  minuteBuckets: number;
  hourBuckets: number;
  /** Another worker was rolling up: this run did nothing. */
  busy: boolean;
  minutesRolledTo: string | null;
}

export interface HistoryMaintenance {
  createdPartitions: number;
  droppedPartitions: string[];
  deletedRows: number;
}

/**
 * Keeps indicator history at three resolutions: rolls raw values up into 1-minute and 1-hour
 * buckets (every minute), and applies each resolution's retention (hourly). Nothing is pruned
 * before it is rolled up into the next resolution, so a stopped job loses no history.
 */
@Injectable()
export class IndicatorRollupService {
  private readonly logger = new Logger(IndicatorRollupService.name);

  constructor(
    private readonly history: IndicatorHistoryRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Rolls up every closed bucket not yet rolled, and every bucket that got a value since the last run. */
  async rollup(now = new Date()): Promise<RollupRun> {
    const run: RollupRun = { steps: 0, minuteBuckets: 0, hourBuckets: 0, busy: false, minutesRolledTo: null };
    const rawCutoff = new Date(now.getTime() - this.config.indicatorHistory.rawDays * DAY_MS);
    while (run.steps < MAX_STEPS_PER_RUN) {
      const step = await this.history.rollupStep(rawCutoff, MAX_STEP_SPAN_MS);
      if (step.busy) return { ...run, busy: true };
      run.steps++;
      run.minuteBuckets += step.minuteBuckets;
      run.hourBuckets += step.hourBuckets;
      run.minutesRolledTo = step.minutesRolledTo?.toISOString() ?? null;
      if (step.caughtUp) break;
    }
    if (run.steps > 1) this.logger.log(run, 'indicator history rolled up (catching up)');
    return run;
  }

  /**
   * Creates the coming days' partitions and drops what each resolution no longer keeps: raw
   * values after `INDICATOR_RAW_RETENTION_DAYS` (whole days: a partition goes once its day is
   * entirely past; each area's newest value stays, so a quiet area keeps its latest), 1-minute buckets after `INDICATOR_MINUTE_RETENTION_DAYS`, 1-hour buckets after
   * `INDICATOR_HOUR_RETENTION_DAYS` (0: never), but never anything the rollup has not yet read.
   */
  async maintain(now = new Date()): Promise<HistoryMaintenance> {
    const { rawDays, minuteDays, hourDays } = this.config.indicatorHistory;
    const createdPartitions = await this.history.ensurePartitions(-1, 4);
    const { minuteTo, hourTo } = await this.history.marks();
    const droppedPartitions: string[] = [];
    let deletedRows = 0;
    // Nothing goes before the rollups have read it (no watermark yet: nothing goes). Raw values
    // feed the minutes, and the hour still open is read from raw (IndicatorHistoryRepository.buckets).
    if (minuteTo && hourTo) {
      const rawCutoff = earliest(now.getTime() - rawDays * DAY_MS, minuteTo, hourTo);
      const minuteCutoff = earliest(now.getTime() - minuteDays * DAY_MS, hourTo);
      droppedPartitions.push(...(await this.dropBefore('indicator_value', rawCutoff)));
      droppedPartitions.push(...(await this.dropBefore('indicator_value_1m', minuteCutoff)));
      deletedRows += await this.history.deleteFromDefault('indicator_value', rawCutoff);
      deletedRows += await this.history.deleteFromDefault('indicator_value_1m', minuteCutoff);
    }
    if (hourDays > 0) deletedRows += await this.history.deleteHoursBefore(new Date(now.getTime() - hourDays * DAY_MS));
    if (droppedPartitions.length || deletedRows) this.logger.log({ droppedPartitions, deletedRows }, 'indicator history retention applied');
    return { createdPartitions, droppedPartitions, deletedRows };
  }

  /** Drops the partitions whose whole day lies before `cutoff`. */
  private async dropBefore(table: PartitionedHistoryTable, cutoff: Date): Promise<string[]> {
    const dropped: string[] = [];
    for (const p of await this.history.partitions(table)) {
      if (Date.parse(`${p.day}T00:00:00Z`) + DAY_MS > cutoff.getTime()) continue;
      if (table === 'indicator_value') await this.history.dropRawPartitionKeepingNewest(p);
      else await this.history.dropPartition(table, p);
      dropped.push(p.name);
    }
    return dropped;
  }
}

function earliest(...times: (number | Date)[]): Date {
  return new Date(Math.min(...times.map((t) => (typeof t === 'number' ? t : t.getTime()))));
}
