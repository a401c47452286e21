import { Inject, Injectable, Logger } from '@nestjs/common';
import { connectorSchema, type ConnectorConfig } from '@cityops/contracts';
import { APP_CONFIG, type AppConfig, issuesText } from '@cityops/core';
import { ConnectorSecretsUnreadableError, FeedCatalogService } from '../feed-catalog.service';
import { FeedRepository } from '../feed.repository';
import { IngestService } from '../ingest.service';
import { ConnectorAddressPolicy } from './connector-address';
import { needsRunNow, nextRunDelayMs } from './connector-schedule';
import { ConnectorStateRepository } from './connector-state.repository';
import { mapItem } from './item-mapping';
import { fetchSource, MAX_ERROR_LENGTH, PullError, sourceItems } from './source-reader';

/** How often a feed whose stored connector is broken is retried (before backoff). */
const FALLBACK_INTERVAL_SECONDS = 300;

export type PullOutcome =
  | { status: 'skipped'; reason: 'unknown feed' | 'no connector' }
  | { status: 'ok'; intervalSeconds: number; items: number; accepted: number; duplicates: number; rejected: number }
  | { status: 'failed'; intervalSeconds: number; error: string; consecutiveFailures: number };

/** A run the scheduler must enqueue: job `feed.pull` at `runAt` (epoch ms), replacing `supersedes`. */
export interface PlannedRun {
  feedKey: string;
  runAt: number;
  supersedes: number | null;
}

/**
 * Pull connectors: fetch a feed's source, map its items to records, ingest them, and keep the
 * outcome in connector_state. Also decides each feed's next run; the worker turns those
 * decisions into BullMQ jobs.
 */
@Injectable()
export class PullConnectorService {
  private readonly logger = new Logger(PullConnectorService.name);

  constructor(
    private readonly feeds: FeedRepository,
    private readonly catalog: FeedCatalogService,
    private readonly state: ConnectorStateRepository,
    private readonly ingest: IngestService,
    private readonly addresses: ConnectorAddressPolicy,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One run, now: the outcome is recorded, the schedule is left alone. */
  async pull(feedKey: string): Promise<PullOutcome> {
    if (!(await this.feeds.find(feedKey))) return { status: 'skipped', reason: 'unknown feed' };
    let stored: ConnectorConfig | null;
    try {
      stored = await this.catalog.connector(feedKey);
    } catch (error) {
      if (!(error instanceof ConnectorSecretsUnreadableError)) throw error;
      const shown = (await this.feeds.find(feedKey))?.connector;
      return this.failed(feedKey, { intervalSeconds: shown?.intervalSeconds ?? FALLBACK_INTERVAL_SECONDS }, error.message);
    }
    if (!stored) return { status: 'skipped', reason: 'no connector' };
    // Checked again: a connector written straight into the database never met the API's schema.
    const checked = connectorSchema.safeParse(stored);
    if (!checked.success) {
      const fallback = { ...stored, intervalSeconds: FALLBACK_INTERVAL_SECONDS };
      return this.failed(feedKey, fallback, `connector definition is not valid: ${issuesText(checked.error.issues)}`);
    }
    const connector = checked.data;
    const fetchedAt = new Date().toISOString();
    let records: Record<string, unknown>[];
    try {
      const text = await fetchSource(connector, this.config.ingestMaxBodyBytes, this.addresses.dispatcher());
      records = sourceItems(connector, text).map((item) => mapItem(item, connector, fetchedAt));
    } catch (error) {
      if (!(error instanceof PullError)) throw error;
      return this.failed(feedKey, connector, error.message);
    }
    let result = { accepted: 0, duplicates: 0, rejected: 0 };
    try {
      // An empty source is a quiet period, not a failure (ingest refuses an empty batch).
      if (records.length) result = await this.ingest.ingestRecords(feedKey, records, 'pull');
    } catch (error) {
      // Recorded like a source failure, so the feed backs off instead of losing its schedule.
      return this.failed(feedKey, connector, `ingest failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    await this.state.recordSuccess(feedKey, result.accepted);
    this.logger.debug(
      { feed: feedKey, items: records.length, accepted: result.accepted, duplicates: result.duplicates, rejected: result.rejected },
      'connector pulled',
    );
    return {
      status: 'ok',
      intervalSeconds: connector.intervalSeconds,
      items: records.length,
      accepted: result.accepted,
      duplicates: result.duplicates,
      rejected: result.rejected,
    };
  }

  /**
   * The run planned for `runAt`: skipped when another run has superseded it (a job left behind
   * after the schedule moved). Answers the next run to enqueue, if this run still owns the
   * schedule and the feed still has a connector.
   */
  async runPlanned(feedKey: string, runAt: number): Promise<PlannedRun | null> {
    if (!(await this.state.isPendingRun(feedKey, runAt))) {
      this.logger.debug({ feed: feedKey, runAt }, 'superseded connector run skipped');
      return null;
    }
    const outcome = await this.pull(feedKey);
    if (outcome.status === 'skipped') {
      // The connector was removed: the chain ends here; adding one again starts a new chain.
      await this.state.movePendingRun(feedKey, runAt, null);
      return null;
    }
    const failures = outcome.status === 'failed' ? outcome.consecutiveFailures : 0;
    const next = Date.now() + nextRunDelayMs(outcome.intervalSeconds, failures);
    return (await this.state.movePendingRun(feedKey, runAt, next)) ? { feedKey, runAt: next, supersedes: null } : null;
  }

  /**
   * Gives every connector feed without a live pending run one now. Compare-and-set on the
   * pending run makes concurrent callers (every worker does this) agree on a single run.
   */
  async claimDueRuns(now = Date.now()): Promise<PlannedRun[]> {
    const planned: PlannedRun[] = [];
    for (const row of await this.state.connectorFeeds()) {
      if (!needsRunNow(row, now)) continue;
      if (await this.state.movePendingRun(row.feedKey, row.nextRunAt, now)) {
        planned.push({ feedKey: row.feedKey, runAt: now, supersedes: row.nextRunAt });
      }
    }
    return planned;
  }

  private async failed(feedKey: string, connector: Pick<ConnectorConfig, 'intervalSeconds'>, reason: string): Promise<PullOutcome> {
    const error = reason.length > MAX_ERROR_LENGTH ? `${reason.slice(0, MAX_ERROR_LENGTH - 1)}…` : reason;
    const consecutiveFailures = await this.state.recordFailure(feedKey, error);
    this.logger.warn({ feed: feedKey, error, consecutiveFailures }, 'connector run failed');
    return { status: 'failed', intervalSeconds: connector.intervalSeconds, error, consecutiveFailures };
  }
}
