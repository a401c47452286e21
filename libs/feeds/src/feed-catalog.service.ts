import { Injectable, Logger } from '@nestjs/common';
import type { ConnectorConfig, DepartmentView, FeedDefinition, FeedSampleRecord } from '@cityops/contracts';
import { AuditTrail, SecretBox, ValidationError } from '@cityops/core';
import { AreaDirectory, type ScopeRoots } from '@cityops/geo';
import { ConnectorAddressPolicy } from './connector/connector-address';
import { joinSecrets, resolveMasks, splitSecrets, type ConnectorSecrets } from './connector/connector-secrets';
import { FeedExistsError, FeedNotFoundError } from './feed.exception';
import { FeedRepository } from './feed.repository';
import { ObservationRepository } from './observation.repository';

/** A connector's secrets that cannot be opened any more: SECRETS_KEY changed since they were sealed. */
export class ConnectorSecretsUnreadableError extends Error {
  constructor(feedKey: string, options?: ErrorOptions) {
    super(
      `the stored secrets of feed ${feedKey}'s connector cannot be opened with SECRETS_KEY (was it changed?): send its URL and headers again`,
      options,
    );
    this.name = 'ConnectorSecretsUnreadableError';
  }
}

/** A feed as any answer shows it: its connector's secrets masked (also those stored before sealing existed). */
function shownFeed(feed: FeedDefinition): FeedDefinition {
  return feed.connector ? { ...feed, connector: splitSecrets(feed.connector).shown } : feed;
}

/**
 * What each feed is: owner department, theme, metrics with units and valid ranges, cadence,
 * retention, and the pull connector, whose secrets (URL credentials and query values, header
 * values) are write-only: every answer masks them, they are stored sealed (SecretBox), and only
 * `connector()` (the worker's pull) sees them whole.
 */
@Injectable()
export class FeedCatalogService {
  private readonly logger = new Logger(FeedCatalogService.name);

  constructor(
    private readonly feeds: FeedRepository,
    private readonly observations: ObservationRepository,
    private readonly areas: AreaDirectory,
    private readonly secrets: SecretBox,
    private readonly connectorAddresses: ConnectorAddressPolicy,
  ) {}

  async list(filter: { department?: string; theme?: string } = {}): Promise<FeedDefinition[]> {
    return (await this.feeds.list())
      .filter((f) => (!filter.department || f.departmentCode === filter.department) && (!filter.theme || f.theme === filter.theme))
      .map(shownFeed);
  }

  async get(key: string): Promise<FeedDefinition> {
    const feed = await this.feeds.find(key);
    if (!feed) throw new FeedNotFoundError(key);
    return shownFeed(feed);
  }

  async create(feed: FeedDefinition): Promise<FeedDefinition> {
    if (await this.feeds.find(feed.key)) throw new FeedExistsError(feed.key);
    const created = await this.store(feed, null);
    AuditTrail.noteChange({ targetType: 'feed', targetId: feed.key, before: null, after: created });
    return created;
  }

  /** Replaces a definition; a retry of the same PUT changes nothing more. `********` keeps a stored secret. */
  async replace(feed: FeedDefinition): Promise<FeedDefinition> {
    const existing = await this.feeds.find(feed.key);
    if (!existing) throw new FeedNotFoundError(feed.key);
    const replaced = await this.store(feed, await this.storedConnector(feed.key, { forEditing: true }));
    // As answers show them: the connector's secrets masked.
    AuditTrail.noteChange({ targetType: 'feed', targetId: feed.key, before: shownFeed(existing), after: replaced });
    return replaced;
  }

  /** For start-up seeding: create or replace without the existence checks. */
  async ensure(feed: FeedDefinition): Promise<void> {
    await this.store(feed, await this.storedConnector(feed.key, { forEditing: true }), { checkReferences: false });
  }

  /** The feed's connector as the worker runs it, secrets included; null without one. */
  async connector(key: string): Promise<ConnectorConfig | null> {
    return this.storedConnector(key, { forEditing: false });
  }

  /**
   * Seals the secrets of connectors stored before secrets were sealed (they sat in the clear in
   * `feed.connector`); run at start-up by `cli.js prepare`. Answers the feeds it sealed.
   */
  async sealStoredSecrets(): Promise<string[]> {
    const sealed: string[] = [];
    for (const key of await this.feeds.unsealedConnectorKeys()) {
      const feed = await this.feeds.find(key);
      if (!feed?.connector) continue;
      const { shown, secrets } = splitSecrets(feed.connector);
      if (!secrets) continue;
      await this.feeds.upsert({ ...feed, connector: shown }, this.secrets.seal(secrets));
      sealed.push(key);
    }
    if (sealed.length) this.logger.log({ feeds: sealed }, 'connector secrets sealed');
    return sealed;
  }

  departments(): Promise<DepartmentView[]> {
    return this.feeds.departments();
  }

  ensureDepartment(code: string, name: string, nameEn: string | null): Promise<void> {
    return this.feeds.upsertDepartment(code, name, nameEn);
  }

  /** The feed's newest observations in the scope, newest first, each with the code of the area it was tagged with. */
  async sample(key: string, limit: number, scope: ScopeRoots = null): Promise<FeedSampleRecord[]> {
    const stored = await this.observations.newest(key, limit, scope);
    const areas = await this.areas.byIds(stored.flatMap((o) => (o.areaId === null ? [] : [o.areaId])));
    return stored.map(({ areaId, ts, receivedAt, ...o }) => ({
      ...o,
      ts: ts.toISOString(),
      area: areaId === null ? null : (areas.get(areaId)?.code ?? null),
      receivedAt: receivedAt.toISOString(),
    }));
  }

  /** Checks, resolves masks against what is stored, seals the secrets and stores; answers the feed as shown. */
  private async store(feed: FeedDefinition, stored: ConnectorConfig | null, options = { checkReferences: true }): Promise<FeedDefinition> {
    let connector = feed.connector;
    if (connector) {
      const resolved = resolveMasks(connector, stored);
      if (!resolved.ok) throw new ValidationError(resolved.problems, 'The feed was not saved: fix the connector fields listed.');
      connector = resolved.connector;
    }
    if (options.checkReferences) await this.checkReferences(feed);
    const { shown, secrets } = connector ? splitSecrets(connector) : { shown: null, secrets: null };
    const view: FeedDefinition = { ...feed, connector: shown };
    await this.feeds.upsert(view, secrets ? this.secrets.seal(secrets) : null);
    return view;
  }

  /**
   * The stored connector with its secrets. For an edit whose stored secrets cannot be opened any
   * more, the secrets are gone (the masks then name what to send again); for a pull, it is an error.
   */
  private async storedConnector(key: string, { forEditing }: { forEditing: boolean }): Promise<ConnectorConfig | null> {
    const feed = await this.feeds.find(key);
    if (!feed?.connector) return null;
    const sealed = await this.feeds.connectorSecrets(key);
    // Stored before sealing existed: the connector itself still holds its secrets.
    if (sealed === null) return feed.connector;
    let secrets: ConnectorSecrets;
    try {
      secrets = this.secrets.open<ConnectorSecrets>(sealed);
    } catch (error) {
      if (forEditing) return null;
      throw new ConnectorSecretsUnreadableError(key, { cause: error });
    }
    return joinSecrets(feed.connector, secrets);
  }

  private async checkReferences(feed: FeedDefinition): Promise<void> {
    const issues: { path: string; message: string }[] = [];
    if (feed.departmentCode && !(await this.feeds.departmentExists(feed.departmentCode))) {
      issues.push({ path: 'departmentCode', message: `no department ${feed.departmentCode} (GET /api/departments)` });
    }
    if (feed.entityProfile && feed.kind !== 'entity') issues.push({ path: 'entityProfile', message: 'only an entity feed has one' });
    const keys = feed.metrics.map((m) => m.key);
    if (new Set(keys).size !== keys.length) issues.push({ path: 'metrics', message: 'metric keys must be unique' });
    const refusal = feed.connector && (await this.connectorAddresses.urlRefusal(feed.connector.url));
    if (refusal) issues.push({ path: 'connector.url', message: refusal });
    if (issues.length) throw new ValidationError(issues);
  }
}
