import { Injectable } from '@nestjs/common';
import type { DepartmentView, FeedDefinition, FeedSampleRecord } from '@cityops/contracts';
import { ValidationError } from '@cityops/core';
import { AreaDirectory } from '@cityops/geo';
import { ConnectorAddressPolicy } from './connector/connector-address';
import { FeedExistsError, FeedNotFoundError } from './feed.exception';
import { FeedRepository } from './feed.repository';
import { ObservationRepository } from './observation.repository';

/** What each feed is: owner department, theme, metrics with units and valid ranges, cadence, retention. */
@Injectable()
export class FeedCatalogService {
  constructor(
    private readonly feeds: FeedRepository,
    private readonly observations: ObservationRepository,
    private readonly areas: AreaDirectory,
    private readonly connectorAddresses: ConnectorAddressPolicy,
  ) {}

  async list(filter: { department?: string; theme?: string } = {}): Promise<FeedDefinition[]> {
    return (await this.feeds.list()).filter(
      (f) => (!filter.department || f.departmentCode === filter.department) && (!filter.theme || f.theme === filter.theme),
    );
  }

  async get(key: string): Promise<FeedDefinition> {
    const feed = await this.feeds.find(key);
    if (!feed) throw new FeedNotFoundError(key);
    return feed;
  }

  async create(feed: FeedDefinition): Promise<FeedDefinition> {
    if (await this.feeds.find(feed.key)) throw new FeedExistsError(feed.key);
    await this.checkReferences(feed);
    await this.feeds.upsert(feed);
    return feed;
  }

  /** Replaces a definition; a retry of the same PUT changes nothing more. */
  async replace(feed: FeedDefinition): Promise<FeedDefinition> {
    if (!(await this.feeds.find(feed.key))) throw new FeedNotFoundError(feed.key);
    await this.checkReferences(feed);
    await this.feeds.upsert(feed);
    return feed;
  }

  /** For start-up seeding: create or replace without the existence checks. */
  async ensure(feed: FeedDefinition): Promise<void> {
    await this.feeds.upsert(feed);
  }

  departments(): Promise<DepartmentView[]> {
    return this.feeds.departments();
  }

  ensureDepartment(code: string, name: string, nameEn: string | null): Promise<void> {
    return this.feeds.upsertDepartment(code, name, nameEn);
  }

  /** The feed's newest observations, newest first, each with the code of the area it was tagged with. */
  async sample(key: string, limit: number): Promise<FeedSampleRecord[]> {
    const stored = await this.observations.newest(key, limit);
    const areas = await this.areas.byIds(stored.flatMap((o) => (o.areaId === null ? [] : [o.areaId])));
    return stored.map(({ areaId, ts, receivedAt, ...o }) => ({
      ...o,
      ts: ts.toISOString(),
      area: areaId === null ? null : (areas.get(areaId)?.code ?? null),
      receivedAt: receivedAt.toISOString(),
    }));
  }

  private async checkReferences(feed: FeedDefinition): Promise<void> {
    const issues: { path: string; message: string }[] = [];
    if (feed.departmentCode && !(await this.feeds.departmentExists(feed.departmentCode))) {
      issues.push({ path: 'departmentCode', message: `no department ${feed.departmentCode} (GET /api/departments)` });
    }
    const keys = feed.metrics.map((m) => m.key);
    if (new Set(keys).size !== keys.length) issues.push({ path: 'metrics', message: 'metric keys must be unique' });
    const refusal = feed.connector && (await this.connectorAddresses.urlRefusal(feed.connector.url));
    if (refusal) issues.push({ path: 'connector.url', message: refusal });
    if (issues.length) throw new ValidationError(issues);
  }
}
