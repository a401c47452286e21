import { Inject, Injectable, Logger } from '@nestjs/common';
import type {
  CaseSource,
  CaseState,
  CreateOpen311KeyRequest,
  Open311Discovery,
  Open311KeySecret,
  Open311KeyView,
  Open311ListRequestsQuery,
  Open311PostRequest,
  Open311RequestCreated,
  Open311Service as Open311ServiceView,
  Open311ServiceDefinition,
  Open311ServiceRequest,
  Open311Status,
  Open311TokenAnswer,
} from '@cityops/contracts';
import { APP_CONFIG, AuditTrail, RateLimitService, unavailableService, ValidationError, type AppConfig } from '@cityops/core';
import { FeedCatalogService } from '@cityops/feeds';
import { hashSecret, newSecret, secretPrefix } from '@cityops/identity';
import { CaseRepository, type Open311CaseFilter, type StoredCase } from '../case.repository';
import { CaseService, type CaseFiler } from '../case.service';
import { Open311KeyRepository, type Open311KeyRow } from './open311-key.repository';
import { open311Request, open311Service, statesOf, type Open311SurvivorFacts } from './open311-mapping';
import {
  Open311KeyInvalidError,
  Open311KeyMissingError,
  Open311KeyNameTakenError,
  Open311KeyNotFoundError,
  Open311RequestNotFoundError,
  Open311ServiceNotFoundError,
} from './open311.exception';

/** GeoReport v2's default span of `GET requests` without dates, and its most requests in one answer. */
const DEFAULT_SPAN_MS = 90 * 24 * 3_600_000;
const MAX_REQUESTS = 1000;
/** When the shape of this endpoint last changed (discovery's `changeset`). */
const CHANGESET = '2026-11-30T00:00:00Z';
/**
 * The cases Open311 publishes: those the public filed themselves (through Open311 or the public
 * report page). What staff, grid workers, machines and enterprises file may name people, firms or
 * places that are not the public's to read, so their ids answer 404 like unknown ones.
 */
const PUBLIC_SOURCES: readonly CaseSource[] = ['citizen'];

const keyView = (row: Open311KeyRow): Open311KeyView => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.created_at.toISOString(),
  createdBy: row.created_by,
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

/** A comma list of a query parameter: its trimmed, non-empty items. */
const items = (list: string): string[] =>
  list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Open311 GeoReport v2 over the cases: the enabled categories are its services, a citizen's
 * request (through an application holding an api_key) is filed as a `citizen` case, and every
 * citizen's case is a public service request with the status the public may know.
 */
@Injectable()
export class Open311Service {
  private readonly logger = new Logger(Open311Service.name);

  constructor(
    private readonly cases: CaseRepository,
    private readonly caseService: CaseService,
    private readonly keys: Open311KeyRepository,
    private readonly feeds: FeedCatalogService,
    private readonly limits: RateLimitService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  discovery(baseUrl: string): Open311Discovery {
    const howToGetAKey = 'Ask the city operations centre: an administrator issues api_keys (POST /api/open311-keys).';
    return {
      changeset: CHANGESET,
      contact: 'The city operations centre.',
      key_service: howToGetAKey,
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: `${baseUrl}/open311/v2`,
          changeset: CHANGESET,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
  }

  async services(): Promise<Open311ServiceView[]> {
    return (await this.cases.categories()).filter((c) => c.enabled).map(open311Service);
  }

  async serviceDefinition(code: string): Promise<Open311ServiceDefinition> {
    const category = (await this.cases.categories()).find((c) => c.key === code && c.enabled);
    if (!category) throw new Open311ServiceNotFoundError(code);
    return { service_code: category.key, attributes: [] };
  }

  /**
   * Files a citizen's request: counted per client address before the key is even looked at (so
   * keys cannot be guessed quickly), then per key. lat and long are required: the city does not
   * geocode addresses. media_url is not fetched or kept; the answer's service_notice says so.
   */
  async file(body: Open311PostRequest, clientAddress: string): Promise<Open311RequestCreated[]> {
    await this.limit('address', clientAddress, this.config.rateLimits.open311PerAddress);
    if (!body.api_key) throw new Open311KeyMissingError();
    const key = await this.keys.use(hashSecret(body.api_key));
    if (!key) throw new Open311KeyInvalidError();
    await this.limit('key', key.id, this.config.rateLimits.open311PerKey);

    const errors: { path: string; message: string }[] = [];
    if (body.lat === undefined) errors.push({ path: 'lat', message: 'is required (addresses are not geocoded here)' });
    if (body.long === undefined) errors.push({ path: 'long', message: 'is required (addresses are not geocoded here)' });
    const category = (await this.cases.categories()).find((c) => c.key === body.service_code && c.enabled);
    if (!category) errors.push({ path: 'service_code', message: 'no such service (GET services lists them)' });
    if (errors.length || body.lat === undefined || body.long === undefined || !category) throw new ValidationError(errors);

    const name = [body.first_name, body.last_name].filter(Boolean).join(' ');
    const contact = [body.email, body.phone].filter(Boolean).join(' / ');
    const filer: CaseFiler = {
      userId: null,
      submittedBy: `open311:${key.id}`,
      actor: 'citizen',
      reporterName: name || null,
      reporterContact: contact || null,
      scope: null,
    };
    const filed = await this.caseService.file(
      {
        category: category.key,
        // The spec makes the description optional; a case needs one, and the service says what it is about.
        description: body.description ?? category.name,
        location: [body.long, body.lat],
        address: body.address_string,
        priority: 'normal',
      },
      filer,
      'citizen',
    );
    this.logger.log({ code: filed.code, open311Key: key.id }, 'Open311 request filed');
    return [
      {
        service_request_id: filed.code,
        token: filed.publicToken,
        service_notice: body.media_url ? 'media_url was not kept: this city does not take media by URL.' : null,
        account_id: null,
      },
    ];
  }

  async requests(query: Open311ListRequestsQuery): Promise<Open311ServiceRequest[]> {
    if (query.service_request_id !== undefined) {
      const codes = items(query.service_request_id).map((c) => c.toUpperCase());
      if (codes.length > MAX_REQUESTS) throw new ValidationError([{ path: 'service_request_id', message: `at most ${MAX_REQUESTS} ids` }]);
      // The spec: a list of ids overrides every other filter.
      return this.answer({ codes, sources: PUBLIC_SOURCES, limit: MAX_REQUESTS });
    }
    const from = query.start_date ? new Date(query.start_date) : undefined;
    const to = query.end_date ? new Date(query.end_date) : undefined;
    if (from && to && from > to) throw new ValidationError([{ path: 'start_date', message: 'is after end_date' }]);
    const filter: Open311CaseFilter = { sources: PUBLIC_SOURCES, limit: MAX_REQUESTS };
    // Without dates, the spec's default span: the last 90 days (or 90 days from a start, up to an end).
    filter.from = from ?? new Date((to?.getTime() ?? Date.now()) - DEFAULT_SPAN_MS);
    if (to) filter.to = to;
    if (query.service_code !== undefined) filter.categories = items(query.service_code);
    if (query.status !== undefined) filter.states = [...new Set(items(query.status))].flatMap((s) => statesOf(s as Open311Status));
    return this.answer(filter);
  }

  async request(code: string): Promise<Open311ServiceRequest[]> {
    const found = await this.answer({ codes: [code.toUpperCase()], sources: PUBLIC_SOURCES, limit: 1 });
    if (!found.length) throw new Open311RequestNotFoundError(`Service request ${code}`);
    return found;
  }

  async token(token: string): Promise<Open311TokenAnswer[]> {
    const found = await this.cases.findByPublicToken(token);
    if (!found || !PUBLIC_SOURCES.includes(found.source)) throw new Open311RequestNotFoundError('A request with this token');
    return [{ service_request_id: found.code, token: found.publicToken }];
  }

  // ---- keys (admin) ----

  async listKeys(): Promise<Open311KeyView[]> {
    return (await this.keys.list()).map(keyView);
  }

  async createKey(body: CreateOpen311KeyRequest, actor: string): Promise<Open311KeySecret> {
    const secret = newSecret('co311');
    const row = await this.keys.insert(body.name, hashSecret(secret), secretPrefix(secret), actor);
    if (!row) throw new Open311KeyNameTakenError(body.name);
    this.logger.log({ open311Key: row.id, name: row.name, by: actor }, 'Open311 key created');
    AuditTrail.noteChange({ targetType: 'open311_api_key', targetId: row.id, before: null, after: keyView(row) });
    return { key: keyView(row), secret };
  }

  async revokeKey(id: string, actor: string): Promise<Open311KeyView> {
    const row = await this.keys.revoke(id);
    if (!row) throw new Open311KeyNotFoundError();
    this.logger.log({ open311Key: id, by: actor }, 'Open311 key revoked');
    AuditTrail.noteChange({ targetType: 'open311_api_key', targetId: id, after: keyView(row) });
    return keyView(row);
  }

  // ---- helpers ----

  /** One filing against a budget; while Redis is away the count is skipped, not the citizen's report. */
  private async limit(kind: 'address' | 'key', who: string, limit: number): Promise<void> {
    try {
      await this.limits.consume(`Open311 requests from this ${kind === 'address' ? 'address' : 'api_key'} (${limit} a minute)`, [
        { bucket: ['open311', kind, who], limit },
      ]);
    } catch (error) {
      if (!unavailableService(error)) throw error;
    }
  }

  private async answer(filter: Open311CaseFilter): Promise<Open311ServiceRequest[]> {
    const found = await this.cases.open311CaseIds(filter);
    const ids = [...new Set(found.flatMap((f) => (f.survivorId ? [f.id, f.survivorId] : [f.id])))];
    const [stored, comments, categories, departments] = await Promise.all([
      this.cases.findByIds(ids),
      this.cases.latestPublicComments(ids),
      this.cases.categories(),
      this.feeds.departments(),
    ]);
    const byId = new Map(stored.map((c) => [c.id, c]));
    const departmentName = (c: StoredCase) =>
      c.department ? (departments.find((d) => d.code === c.department)?.name ?? c.department) : null;
    const facts = (c: StoredCase): Open311SurvivorFacts & { state: CaseState } => ({
      code: c.code,
      state: c.state,
      updatedAt: c.updatedAt,
      latestPublicComment: comments.get(c.id) ?? null,
      departmentName: departmentName(c),
      resolveDueAt: c.resolveDueAt,
    });
    return found.flatMap(({ id, survivorId }) => {
      const c = byId.get(id);
      if (!c) return [];
      const survivor = survivorId ? byId.get(survivorId) : undefined;
      return [
        open311Request(
          { ...c, ...facts(c), survivor: survivor ? facts(survivor) : null },
          categories.find((k) => k.key === c.category)?.name ?? c.category,
        ),
      ];
    });
  }
}
