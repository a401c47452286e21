import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  CASE_STATES,
  FINAL_CASE_STATES,
  type CasePhotoMimeType,
  type CasePhotoStage,
  type CasePriority,
  type CaseSource,
  type CaseState,
  type DetectionVerdict,
  type DetectionView,
} from '@cityops/contracts';
import { VectorTileQueries, type VectorTileStatement } from '@cityops/core';
import type { ScopeRoots } from '@cityops/geo';
import type { RoutingRule } from './case-routing';
import type { WorkingCalendar } from './working-calendar';

export interface StoredCategory {
  key: string;
  group: string;
  groupName: string;
  groupNameEn: string | null;
  name: string;
  nameEn: string | null;
  acceptHours: number;
  resolveHours: number;
  responsePromiseHours: number | null;
  enabled: boolean;
}

export interface StoredRule extends RoutingRule {
  createdBy: string;
  createdAt: Date;
}

export interface StoredCase {
  id: string;
  code: string;
  category: string;
  description: string;
  address: string | null;
  location: [number, number];
  gridId: number;
  areaPath: number[];
  priority: CasePriority;
  source: CaseSource;
  state: CaseState;
  reporterUserId: string | null;
  reporterName: string | null;
  publicToken: string;
  submittedBy: string;
  alertId: string | null;
  department: string | null;
  routingRuleId: string | null;
  assigneeUserId: string | null;
  mergedInto: string | null;
  rating: number | null;
  acceptDueAt: Date | null;
  resolveDueAt: Date | null;
  reportedAt: Date;
  dispatchedAt: Date | null;
  acceptedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  supervisionStage: SupervisionStage | null;
  supervisionLevel: number;
  supervisedAt: Date | null;
  supervisedAreaId: number | null;
  splitFrom: string | null;
}

/** The stages with a deadline: from dispatch to acceptance, from acceptance to resolution. */
export type SupervisionStage = 'accept' | 'resolve';

export interface StoredCaseEvent {
  id: string;
  at: Date;
  actor: string;
  action: string;
  fromState: CaseState | null;
  toState: CaseState | null;
  comment: string | null;
  internal: boolean;
  detail: Record<string, unknown>;
}

export interface NewCase {
  code: string;
  category: string;
  description: string;
  address: string | null;
  location: [number, number];
  gridId: number;
  areaPath: number[];
  priority: CasePriority;
  source: CaseSource;
  state: CaseState;
  reporterUserId: string | null;
  reporterName: string | null;
  reporterContact: string | null;
  publicToken: string;
  submittedBy: string;
  clientRequestId: string | null;
  alertId: string | null;
  department: string | null;
  routingRuleId: string | null;
  acceptDueAt: Date | null;
  reportedAt: Date;
  dispatchedAt: Date | null;
  /** 企业呼: the enterprise behind the request, written with the case itself (a failed filing leaves neither). */
  enterprise?: CaseEnterprise | null;
}

/** The enterprise an enterprise request (企业呼) names: shown to staff, never to the public. */
export interface CaseEnterprise {
  name: string;
  creditCode: string;
}

export interface NewCasePhoto {
  caseId: string;
  stage: CasePhotoStage;
  storageKey: string;
  thumbnailKey: string;
  mimeType: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  takenLocation: [number, number] | null;
  takenAt: Date | null;
  uploadedBy: string;
}

export interface StoredCasePhotoRow {
  id: string;
  stage: CasePhotoStage;
  storageKey: string;
  thumbnailKey: string;
  mimeType: CasePhotoMimeType;
  width: number;
  height: number;
  bytes: number;
  takenLocation: [number, number] | null;
  takenAt: Date | null;
  uploadedBy: string;
  createdAt: Date;
  attached: boolean;
}

export interface StoredDetectionSource {
  feed: string;
  categories: Record<string, string>;
  minConfidence: number;
  enabled: boolean;
  updatedBy: string;
  updatedAt: Date;
}

export interface NewDetection {
  feed: string;
  detectionId: string | null;
  kind: string | null;
  confidence: number | null;
  location: [number, number] | null;
  detectedAt: Date | null;
  snapshotUrl: string | null;
  verdict: DetectionVerdict;
  reason: string | null;
  caseId: string | null;
  raw: string | null;
}

export interface StatisticsRow {
  /** A department code, or an area path written as PostgreSQL array text (`{1,5,40}`). */
  key: string;
  filed: number;
  open: number;
  closed: number;
  acceptOnTime: number;
  acceptLate: number;
  resolveOnTime: number;
  resolveLate: number;
  meanHoursToClose: number | null;
  meanRating: number | null;
  ratings: number;
  promised: number;
  promiseKept: number;
  promiseMissed: number;
}

export interface MapPointRow {
  code: string;
  category: string;
  state: CaseState;
  priority: CasePriority;
  lon: number;
  lat: number;
  overdue: boolean;
  supervisionLevel: number;
  /** ISO 8601 in UTC, as PostgreSQL wrote it. */
  createdAt: string;
}

export interface NewCaseEvent {
  actor: string;
  action: string;
  fromState: CaseState | null;
  toState: CaseState | null;
  comment: string | null;
  internal: boolean;
  detail: Record<string, unknown>;
}

/** Columns a transition may set besides the state; `undefined` leaves a column as it is. */
export interface CasePatch {
  department?: string | null;
  routingRuleId?: string | null;
  mergedInto?: string | null;
  rating?: number | null;
  acceptDueAt?: Date | null;
  resolveDueAt?: Date | null;
  dispatchedAt?: Date | null;
  acceptedAt?: Date | null;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  supervisionStage?: SupervisionStage | null;
  supervisionLevel?: number;
  supervisedAt?: Date | null;
  supervisedAreaId?: number | null;
  assigneeUserId?: string | null;
}

const PATCH_COLUMNS: Record<keyof CasePatch, string> = {
  department: 'department',
  routingRuleId: 'routing_rule_id',
  mergedInto: 'merged_into',
  rating: 'rating',
  acceptDueAt: 'accept_due_at',
  resolveDueAt: 'resolve_due_at',
  dispatchedAt: 'dispatched_at',
  acceptedAt: 'accepted_at',
  resolvedAt: 'resolved_at',
  closedAt: 'closed_at',
  supervisionStage: 'supervision_stage',
  supervisionLevel: 'supervision_level',
  supervisedAt: 'supervised_at',
  supervisedAreaId: 'supervised_area_id',
  assigneeUserId: 'assignee_user_id',
};

/** Who reads: the areas of their scope, plus the cases of their department and those they filed. */
export interface CaseReader {
  scope: ScopeRoots;
  department: string | null;
  userId: string | null;
}

export interface CaseFilter {
  states?: readonly CaseState[];
  open?: boolean;
  /** Category keys (a group is expanded by the service). */
  categories?: readonly string[];
  department?: string;
  source?: CaseSource;
  priority?: CasePriority;
  /** Cases in this area or below it. */
  areaId?: number;
  overdue?: boolean;
  /** Cases filed from this alert. */
  alertId?: string;
  /** A case code, or part of the description or address. */
  text?: string;
  /** Paging: cases filed before this one (by id). */
  beforeId?: string;
  limit: number;
}

const SELECT_CASE = `
  SELECT c.id::text, c.code, c.category, c.description, c.address,
         ST_X(c.location) AS lon, ST_Y(c.location) AS lat, c.grid_id, c.area_path, c.priority, c.source, c.state,
         c.reporter_user_id, c.reporter_name, c.public_token, c.submitted_by, c.alert_id, c.department,
         c.routing_rule_id, c.assignee_user_id, c.merged_into::text, c.rating, c.accept_due_at, c.resolve_due_at,
         c.reported_at, c.dispatched_at, c.accepted_at, c.resolved_at, c.closed_at, c.created_at, c.updated_at,
         c.supervision_stage, c.supervision_level, c.supervised_at, c.supervised_area_id, c.split_from::text
    FROM city_case c`;

interface CaseRow {
  id: string;
  code: string;
  category: string;
  description: string;
  address: string | null;
  lon: number;
  lat: number;
  grid_id: number;
  area_path: number[];
  priority: CasePriority;
  source: CaseSource;
  state: CaseState;
  reporter_user_id: string | null;
  reporter_name: string | null;
  public_token: string;
  submitted_by: string;
  alert_id: string | null;
  department: string | null;
  routing_rule_id: string | null;
  assignee_user_id: string | null;
  merged_into: string | null;
  rating: number | null;
  accept_due_at: Date | null;
  resolve_due_at: Date | null;
  reported_at: Date;
  dispatched_at: Date | null;
  accepted_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  supervision_stage: SupervisionStage | null;
  supervision_level: number;
  supervised_at: Date | null;
  supervised_area_id: number | null;
  split_from: string | null;
}

const toCase = (r: CaseRow): StoredCase => ({
  id: r.id,
  code: r.code,
  category: r.category,
  description: r.description,
  address: r.address,
  location: [r.lon, r.lat],
  gridId: r.grid_id,
  areaPath: r.area_path,
  priority: r.priority,
  source: r.source,
  state: r.state,
  reporterUserId: r.reporter_user_id,
  reporterName: r.reporter_name,
  publicToken: r.public_token,
  submittedBy: r.submitted_by,
  alertId: r.alert_id,
  department: r.department,
  routingRuleId: r.routing_rule_id,
  assigneeUserId: r.assignee_user_id,
  mergedInto: r.merged_into,
  rating: r.rating,
  acceptDueAt: r.accept_due_at,
  resolveDueAt: r.resolve_due_at,
  reportedAt: r.reported_at,
  dispatchedAt: r.dispatched_at,
  acceptedAt: r.accepted_at,
  resolvedAt: r.resolved_at,
  closedAt: r.closed_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  supervisionStage: r.supervision_stage,
  supervisionLevel: r.supervision_level,
  supervisedAt: r.supervised_at,
  supervisedAreaId: r.supervised_area_id,
  splitFrom: r.split_from,
});

/**
 * The SQL condition "the reader (parameters `$n` scope roots, `$n+1` department, `$n+2` user id)
 * may see case `c`". A grid is in a scope exactly when its path holds a root (the rule of
 * `cityops_scope_area_ids`, whose event zones never reach a grid), and a case carries its grid's
 * path: so `area_path && roots` decides it per row, with no set of thousands of area ids
 * computed for every statement.
 */
const VISIBLE = (n: number) =>
  `($${n}::int[] IS NULL OR c.area_path && $${n}::int[] OR (c.department IS NOT NULL AND c.department = $${n + 1}) OR c.reporter_user_id = $${n + 2}::uuid)`;

/** Open: not closed, ruled invalid, merged away or cancelled. */
const OPEN_STATE_LIST: readonly CaseState[] = CASE_STATES.filter((s) => !FINAL_CASE_STATES.includes(s));
const OPEN_STATES = `(${OPEN_STATE_LIST.map((s) => `'${s}'`).join(', ')})`;

/** Overdue: still in the stage whose deadline has passed. */
const OVERDUE = `((c.state = 'dispatched' AND c.accept_due_at < now()) OR (c.state IN ('accepted', 'in_progress') AND c.resolve_due_at < now()))`;

/** What duplicate detection looks for: open cases of a category near a place since an instant, in the reader's sight. */
export interface NearbyQuery {
  category: string;
  location: [number, number];
  meters: number;
  since: Date;
  excludeId: string | null;
  reader: CaseReader;
  limit: number;
}

/**
 * Filing's statements, exported so that bench:cases times the bare SQL a filing runs: the
 * duplicate check (a geography distance, the GiST index narrowing by degrees first), the day's
 * number, the case, its timeline entries.
 */
export function nearbyOpenStatement(q: NearbyQuery): { text: string; values: unknown[] } {
  return {
    text: `SELECT d.*, ST_Distance(d.location_g, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography) AS distance
         FROM (${SELECT_CASE.replace('SELECT c.id::text,', 'SELECT c.location::geography AS location_g, c.id::text,')}
                WHERE c.category = $1 AND c.created_at >= $5 AND c.state IN ${OPEN_STATES}
                  AND ($6::bigint IS NULL OR c.id <> $6::bigint)
                  AND ST_DWithin(c.location, ST_SetSRID(ST_MakePoint($2, $3), 4326), $11)
                  AND ST_DWithin(c.location::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography, $4)
                  AND ${VISIBLE(7)}) d
        ORDER BY distance, d.id LIMIT $10`,
    values: [
      q.category,
      q.location[0],
      q.location[1],
      q.meters,
      q.since,
      q.excludeId,
      q.reader.scope,
      q.reader.department,
      q.reader.userId,
      q.limit,
      // The same radius in degrees, widest along the longitude, so the GiST index narrows it first.
      q.meters / (111_000 * Math.max(0.01, Math.cos((Math.abs(q.location[1]) * Math.PI) / 180))),
    ],
  };
}

export function nextSequenceStatement(prefix: string, day: string): { text: string; values: unknown[] } {
  return {
    text: `INSERT INTO case_code_counter (prefix, day, last) VALUES ($1, $2, 1)
           ON CONFLICT (prefix, day) DO UPDATE SET last = case_code_counter.last + 1 RETURNING last`,
    values: [prefix, day],
  };
}

export function caseInsertStatement(c: NewCase): { text: string; values: unknown[] } {
  return {
    text: `INSERT INTO city_case (code, category, description, address, location, grid_id, area_path, priority, source, state,
                              reporter_user_id, reporter_name, public_token, submitted_by, client_request_id, alert_id,
                              department, routing_rule_id, accept_due_at, reported_at, dispatched_at, reporter_contact,
                              enterprise_name, enterprise_credit_code)
       VALUES ($1, $2, $3, $4, ST_SetSRID(ST_MakePoint($5, $6), 4326), $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
               $18, $19, $20, $21, $22, $23, $24, $25)
       ON CONFLICT (submitted_by, client_request_id) WHERE client_request_id IS NOT NULL DO NOTHING
       RETURNING id::text`,
    values: [
      c.code,
      c.category,
      c.description,
      c.address,
      c.location[0],
      c.location[1],
      c.gridId,
      c.areaPath,
      c.priority,
      c.source,
      c.state,
      c.reporterUserId,
      c.reporterName,
      c.publicToken,
      c.submittedBy,
      c.clientRequestId,
      c.alertId,
      c.department,
      c.routingRuleId,
      c.acceptDueAt,
      c.reportedAt,
      c.dispatchedAt,
      c.reporterContact,
      c.enterprise?.name ?? null,
      c.enterprise?.creditCode ?? null,
    ],
  };
}

export function caseEventInsertStatement(caseId: string, e: NewCaseEvent): { text: string; values: unknown[] } {
  return {
    text: `INSERT INTO case_event (case_id, actor, action, from_state, to_state, comment, internal, detail)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text`,
    values: [caseId, e.actor, e.action, e.fromState, e.toState, e.comment, e.internal, JSON.stringify(e.detail)],
  };
}

/** What the map layer reads. */
export interface CaseMapFilter {
  bbox: [number, number, number, number] | null;
  states: readonly CaseState[] | null;
  categories: readonly string[] | null;
  overdue: boolean | null;
  supervised: boolean | null;
  reader: CaseReader;
  limit: number;
}

/**
 * The case list's statement, exported so that bench:cases times the bare SQL the API runs: the
 * reader's sight, the filters, newest first (by id, which the pages continue from).
 */
export function caseListStatement(filter: CaseFilter, reader: CaseReader): { text: string; values: unknown[] } {
  const values: unknown[] = [reader.scope, reader.department, reader.userId];
  const where = [VISIBLE(1)];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  if (filter.states?.length) where.push(`c.state = ANY(${param(filter.states)}::text[])`);
  if (filter.open === true) where.push(`c.state IN ${OPEN_STATES}`);
  if (filter.open === false) where.push(`c.state NOT IN ${OPEN_STATES}`);
  if (filter.categories) where.push(`c.category = ANY(${param(filter.categories)}::text[])`);
  if (filter.department !== undefined) where.push(`c.department = ${param(filter.department)}`);
  if (filter.source !== undefined) where.push(`c.source = ${param(filter.source)}`);
  if (filter.priority !== undefined) where.push(`c.priority = ${param(filter.priority)}`);
  if (filter.areaId !== undefined) where.push(`c.area_path @> ARRAY[${param(filter.areaId)}::int]`);
  if (filter.overdue === true) where.push(OVERDUE);
  if (filter.overdue === false) where.push(`NOT ${OVERDUE}`);
  if (filter.alertId !== undefined) where.push(`c.alert_id = ${param(filter.alertId)}::uuid`);
  if (filter.text !== undefined) {
    const text = param(filter.text);
    where.push(`(c.code = upper(${text}) OR c.description ILIKE '%' || ${text} || '%' OR c.address ILIKE '%' || ${text} || '%')`);
  }
  if (filter.beforeId !== undefined) where.push(`c.id < ${param(filter.beforeId)}::bigint`);
  const limit = param(filter.limit);
  const onlyOpen = filter.open === true || (filter.states?.length && filter.states.every((s) => OPEN_STATE_LIST.includes(s)));
  if (onlyOpen && (filter.areaId !== undefined || reader.scope !== null)) {
    // Open cases of some areas: picked first by the open cases' indexes (area path, department,
    // reporter) and then sorted, a few thousand at most. Left to itself the planner walks every
    // case newest first for the LIMIT and tests each (100,000 rows for a quiet district's group).
    return {
      text: `WITH m AS MATERIALIZED (SELECT c.id FROM city_case c WHERE ${where.join(' AND ')})
             ${SELECT_CASE} WHERE c.id IN (SELECT id FROM m ORDER BY id DESC LIMIT ${limit}) ORDER BY c.id DESC`,
      values,
    };
  }
  return { text: `${SELECT_CASE} WHERE ${where.join(' AND ')} ORDER BY c.id DESC LIMIT ${limit}`, values };
}

/**
 * The map layer's statement (exported for bench:cases): the few columns a point needs, times as
 * text (no Date per row), one row more than `limit` to tell `truncated`.
 */
export function caseMapStatement(q: CaseMapFilter): { text: string; values: unknown[] } {
  const values: unknown[] = [q.reader.scope, q.reader.department, q.reader.userId];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  const where = [VISIBLE(1), q.states ? `c.state = ANY(${param(q.states)}::text[])` : `c.state IN ${OPEN_STATES}`];
  if (q.bbox)
    where.push(`c.location && ST_MakeEnvelope(${param(q.bbox[0])}, ${param(q.bbox[1])}, ${param(q.bbox[2])}, ${param(q.bbox[3])}, 4326)`);
  if (q.categories) where.push(`c.category = ANY(${param(q.categories)}::text[])`);
  if (q.overdue !== null) where.push(q.overdue ? OVERDUE : `NOT ${OVERDUE}`);
  if (q.supervised !== null) where.push(q.supervised ? `c.supervision_level > 0` : `c.supervision_level = 0`);
  return {
    // Materialised so that the box picks the rows (by the open cases' GiST index) before they are
    // sorted: left to itself the planner walks every open case by id for the LIMIT and tests the box on each.
    text: `WITH m AS MATERIALIZED (
             SELECT c.id, c.code, c.category, c.state, c.priority, ST_X(c.location) AS lon, ST_Y(c.location) AS lat,
                    ${OVERDUE} AS overdue, c.supervision_level AS "supervisionLevel",
                    to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"
               FROM city_case c
              WHERE ${where.join(' AND ')})
           SELECT code, category, state, priority, lon, lat, overdue, "supervisionLevel", "createdAt"
             FROM m ORDER BY id DESC LIMIT ${param(q.limit + 1)}`,
    values,
  };
}

/**
 * What a reader sees of the cases (VISIBLE), as text: readers with the same text see the same
 * cases, so what is cached for one may be answered to the other. A city-wide reader sees them all.
 */
export function caseSightKey(reader: CaseReader): string {
  if (reader.scope === null) return 'city';
  return `s${[...reader.scope].sort((a, b) => a - b).join(',')}|d${reader.department ?? ''}|u${reader.userId ?? ''}`;
}

/** The source layer of the cases' vector tiles. */
export const CASE_TILE_LAYER = 'cases';

/**
 * The statement behind the cases' vector tiles (exported for bench:cases): the open cases in the
 * reader's sight inside a tile, as points with code, category, state, priority, supervision level
 * and `due` — the epoch second the current stage's deadline falls due, absent when the stage has
 * none. Overdue is left to the map (due before now), so a tile holds nothing that changes with
 * the clock alone and stays good until a case changes. Written as the area tiles are: the box
 * picks the rows by the open cases' GiST index in a materialised step, so the planner never moves
 * ST_AsMVTGeom into a filter.
 */
export function caseTileStatement(z: number, x: number, y: number, reader: CaseReader): VectorTileStatement {
  return {
    text: `WITH features AS MATERIALIZED (
             SELECT c.code, c.category, c.state, c.priority, c.supervision_level AS "supervisionLevel",
                    floor(extract(epoch FROM CASE WHEN c.state = 'dispatched' THEN c.accept_due_at
                                                  WHEN c.state IN ('accepted', 'in_progress') THEN c.resolve_due_at END))::int8 AS due,
                    ST_AsMVTGeom(ST_Transform(c.location, 3857), ST_TileEnvelope($4, $5, $6), 4096, 64, true) AS geom
               FROM city_case c
              WHERE c.state IN ${OPEN_STATES} AND ${VISIBLE(1)}
                AND c.location && ST_Transform(ST_TileEnvelope($4, $5, $6, margin => 64.0 / 4096), 4326)
           )
           SELECT ST_AsMVT(features.*, '${CASE_TILE_LAYER}', 4096, 'geom') AS tile FROM features WHERE geom IS NOT NULL`,
    values: [reader.scope, reader.department, reader.userId, z, x, y],
  };
}

@Injectable()
export class CaseRepository {
  constructor(
    private readonly db: DataSource,
    private readonly tiles: VectorTileQueries,
  ) {}

  /** The open cases in a tile, in the reader's sight (`caseTileStatement`). */
  tile(z: number, x: number, y: number, reader: CaseReader): Promise<Buffer> {
    return this.tiles.tile(caseTileStatement(z, x, y, reader));
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async categories(): Promise<StoredCategory[]> {
    return this.db.query(
      `SELECT c.key, c.group_key AS "group", g.name AS "groupName", g.name_en AS "groupNameEn", c.name, c.name_en AS "nameEn",
              c.accept_hours::float8 AS "acceptHours", c.resolve_hours::float8 AS "resolveHours",
              g.response_promise_hours::float8 AS "responsePromiseHours", c.enabled
         FROM case_category c JOIN case_category_group g ON g.key = c.group_key
        ORDER BY g.sort, g.key, c.sort, c.key`,
    );
  }

  async upsertCategoryGroup(g: {
    key: string;
    name: string;
    nameEn: string | null;
    responsePromiseHours: number | null;
    sort: number;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO case_category_group (key, name, name_en, response_promise_hours, sort) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en,
         response_promise_hours = EXCLUDED.response_promise_hours, sort = EXCLUDED.sort`,
      [g.key, g.name, g.nameEn, g.responsePromiseHours, g.sort],
    );
  }

  async upsertCategory(c: {
    key: string;
    group: string;
    name: string;
    nameEn: string | null;
    acceptHours: number;
    resolveHours: number;
    enabled: boolean;
    sort: number;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO case_category (key, group_key, name, name_en, accept_hours, resolve_hours, enabled, sort)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (key) DO UPDATE SET group_key = EXCLUDED.group_key, name = EXCLUDED.name, name_en = EXCLUDED.name_en,
         accept_hours = EXCLUDED.accept_hours, resolve_hours = EXCLUDED.resolve_hours, enabled = EXCLUDED.enabled, sort = EXCLUDED.sort`,
      [c.key, c.group, c.name, c.nameEn, c.acceptHours, c.resolveHours, c.enabled, c.sort],
    );
  }

  async rules(): Promise<StoredRule[]> {
    return this.db.query(
      `SELECT id, category, area_id AS "areaId", department AS "departmentId", created_by AS "createdBy", created_at AS "createdAt"
         FROM case_routing_rule ORDER BY category NULLS FIRST, area_id NULLS FIRST, id`,
    );
  }

  /** Inserts a rule, or answers null when one for the same category and area exists. */
  async insertRule(r: { category: string | null; areaId: number | null; department: string; createdBy: string }): Promise<string | null> {
    const rows: { id: string }[] = await this.db.query(
      `INSERT INTO case_routing_rule (category, area_id, department, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (category, area_id) DO NOTHING RETURNING id`,
      [r.category, r.areaId, r.department, r.createdBy],
    );
    return rows[0]?.id ?? null;
  }

  async deleteRule(id: string): Promise<boolean> {
    // Through a CTE: TypeORM answers a bare DELETE … RETURNING with [rows, count], not the rows.
    const rows: unknown[] = await this.db.query(
      `WITH gone AS (DELETE FROM case_routing_rule WHERE id = $1 RETURNING id) SELECT id FROM gone`,
      [id],
    );
    return rows.length > 0;
  }

  async calendar(): Promise<WorkingCalendar> {
    const [row]: { utc_offset_minutes: number; hours: { start: string; end: string }[]; workdays: number[] }[] = await this.db.query(
      `SELECT utc_offset_minutes, hours, workdays FROM working_calendar`,
    );
    const days: { day: string; kind: 'holiday' | 'workday' }[] = await this.db.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM working_calendar_day`,
    );
    return {
      utcOffsetMinutes: row.utc_offset_minutes,
      hours: row.hours,
      workdays: row.workdays,
      holidays: new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.day)),
      extraWorkdays: new Set(days.filter((d) => d.kind === 'workday').map((d) => d.day)),
    };
  }

  /** Adds days off and make-up working days; a date already held keeps what it says. Answers how many were added. */
  async addCalendarDays(days: readonly { day: string; kind: 'holiday' | 'workday'; name: string | null }[]): Promise<number> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO working_calendar_day (day, kind, name)
       SELECT * FROM unnest($1::date[], $2::text[], $3::text[]) ON CONFLICT (day) DO NOTHING RETURNING day`,
      [days.map((d) => d.day), days.map((d) => d.kind), days.map((d) => d.name)],
    );
    return rows.length;
  }

  /** The next number of the day for a code prefix (`GZ-TH`), counted in the caller's transaction. */
  async nextSequence(m: EntityManager, prefix: string, day: string): Promise<number> {
    const { text, values } = nextSequenceStatement(prefix, day);
    const rows: { last: number }[] = await m.query(text, values);
    return rows[0].last;
  }

  /** Inserts a case; null when the submitter filed this request before (its retry). */
  async insert(m: EntityManager, c: NewCase): Promise<string | null> {
    const { text, values } = caseInsertStatement(c);
    const rows: { id: string }[] = await m.query(text, values);
    return rows[0]?.id ?? null;
  }

  async findByRequest(submittedBy: string, clientRequestId: string): Promise<StoredCase | null> {
    const rows: CaseRow[] = await this.db.query(`${SELECT_CASE} WHERE c.submitted_by = $1 AND c.client_request_id = $2`, [
      submittedBy,
      clientRequestId,
    ]);
    return rows[0] ? toCase(rows[0]) : null;
  }

  async addEvent(m: EntityManager | null, caseId: string, e: NewCaseEvent): Promise<string> {
    const { text, values } = caseEventInsertStatement(caseId, e);
    const rows: { id: string }[] = await (m ?? this.db).query(text, values);
    return rows[0].id;
  }

  /** A case the reader may see (any case for a null reader), by code. */
  async findByCode(code: string, reader: CaseReader | null, m?: EntityManager): Promise<StoredCase | null> {
    const rows: CaseRow[] = reader
      ? await (m ?? this.db).query(`${SELECT_CASE} WHERE c.code = $1 AND ${VISIBLE(2)}`, [
          code,
          reader.scope,
          reader.department,
          reader.userId,
        ])
      : await (m ?? this.db).query(`${SELECT_CASE} WHERE c.code = $1`, [code]);
    return rows[0] ? toCase(rows[0]) : null;
  }

  async findById(id: string, m?: EntityManager): Promise<StoredCase | null> {
    const rows: CaseRow[] = await (m ?? this.db).query(`${SELECT_CASE} WHERE c.id = $1`, [id]);
    return rows[0] ? toCase(rows[0]) : null;
  }

  /**
   * Moves a case from the state its caller read to `to`, with the patch, in the caller's
   * transaction; false when the case has moved on meanwhile (another actor was first), and then
   * nothing is written.
   */
  async transition(m: EntityManager, id: string, from: CaseState, to: CaseState, patch: CasePatch): Promise<boolean> {
    const sets = ['state = $3', 'updated_at = now()'];
    const params: unknown[] = [id, from, to];
    for (const [key, column] of Object.entries(PATCH_COLUMNS) as [keyof CasePatch, string][]) {
      if (patch[key] === undefined) continue;
      params.push(patch[key]);
      sets.push(`${column} = $${params.length}`);
    }
    const rows: unknown[] = await m.query(
      `WITH moved AS (UPDATE city_case SET ${sets.join(', ')} WHERE id = $1 AND state = $2 RETURNING id) SELECT id FROM moved`,
      params,
    );
    return rows.length > 0;
  }

  async events(caseId: string, withInternal: boolean): Promise<StoredCaseEvent[]> {
    return this.db.query(
      `SELECT e.id::text AS id, e.at, e.actor, e.action, e.from_state AS "fromState", e.to_state AS "toState", e.comment, e.internal, e.detail
         FROM case_event e WHERE e.case_id = $1 AND ($2 OR NOT e.internal) ORDER BY e.at, e.id`,
      [caseId, withInternal],
    );
  }

  /**
   * Records a stored photo on a case; the same photo sent again for the same stage answers the
   * row its first upload made (a phone retrying on a bad connection files it once).
   */
  async insertPhoto(p: NewCasePhoto): Promise<string> {
    const rows: { id: string }[] = await this.db.query(
      `INSERT INTO case_photo (case_id, stage, storage_key, thumbnail_key, mime_type, width, height, bytes, sha256,
                               taken_location, taken_at, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
               CASE WHEN $10::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($10, $11), 4326) END, $12, $13)
       ON CONFLICT (case_id, sha256, stage) DO UPDATE SET case_id = EXCLUDED.case_id
       RETURNING id`,
      [
        p.caseId,
        p.stage,
        p.storageKey,
        p.thumbnailKey,
        p.mimeType,
        p.width,
        p.height,
        p.bytes,
        p.sha256,
        p.takenLocation?.[0] ?? null,
        p.takenLocation?.[1] ?? null,
        p.takenAt,
        p.uploadedBy,
      ],
    );
    return rows[0].id;
  }

  async photos(caseId: string): Promise<StoredCasePhotoRow[]> {
    return this.db.query(
      `SELECT id, stage, storage_key AS "storageKey", thumbnail_key AS "thumbnailKey", mime_type AS "mimeType", width, height, bytes,
              CASE WHEN taken_location IS NULL THEN NULL ELSE json_build_array(ST_X(taken_location), ST_Y(taken_location)) END AS "takenLocation",
              taken_at AS "takenAt", uploaded_by AS "uploadedBy", created_at AS "createdAt", event_id IS NOT NULL AS attached
         FROM case_photo WHERE case_id = $1 ORDER BY created_at, id`,
      [caseId],
    );
  }

  /** How many of these photos belong to the case and are not yet attached to an action. */
  async unattachedPhotos(caseId: string, ids: readonly string[]): Promise<number> {
    const rows: { n: number }[] = await this.db.query(
      `SELECT count(*)::int AS n FROM case_photo WHERE case_id = $1 AND id = ANY($2::uuid[]) AND event_id IS NULL`,
      [caseId, ids],
    );
    return rows[0].n;
  }

  async attachPhotos(m: EntityManager, caseId: string, ids: readonly string[], eventId: string): Promise<void> {
    await m.query(`UPDATE case_photo SET event_id = $3 WHERE case_id = $1 AND id = ANY($2::uuid[]) AND event_id IS NULL`, [
      caseId,
      ids,
      eventId,
    ]);
  }

  /** The codes of the cases merged into this one. */
  async mergedFrom(caseId: string): Promise<string[]> {
    const rows: { code: string }[] = await this.db.query(`SELECT code FROM city_case WHERE merged_into = $1 ORDER BY id`, [caseId]);
    return rows.map((r) => r.code);
  }

  async codesByIds(ids: readonly string[]): Promise<Map<string, string>> {
    const rows: { id: string; code: string }[] = await this.db.query(`SELECT id::text, code FROM city_case WHERE id = ANY($1::bigint[])`, [
      ids,
    ]);
    return new Map(rows.map((r) => [r.id, r.code]));
  }

  /** The reader's cases matching the filter, newest first. */
  async list(filter: CaseFilter, reader: CaseReader): Promise<StoredCase[]> {
    const { text, values } = caseListStatement(filter, reader);
    const rows: CaseRow[] = await this.db.query(text, values);
    return rows.map(toCase);
  }

  // ---- supervision ----

  /** Cases still in a stage whose deadline is before `now` and not yet at the top level, earliest deadline first. */
  async overdueIds(now: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT id::text FROM (
         SELECT id, accept_due_at AS due FROM city_case WHERE state = 'dispatched' AND accept_due_at < $1 AND supervision_level < 4
         UNION ALL
         SELECT id, resolve_due_at FROM city_case WHERE state IN ('accepted', 'in_progress') AND resolve_due_at < $1 AND supervision_level < 4
       ) o ORDER BY due, id LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Raises a case's supervision from the level its caller read, while the case is still in the
   * state it read: false when it moved on (acted upon, or supervised by another worker first).
   */
  async raiseSupervision(
    m: EntityManager,
    id: string,
    read: { state: CaseState; level: number },
    to: { stage: SupervisionStage; level: number; areaId: number | null; at: Date },
  ): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `WITH raised AS (
         UPDATE city_case SET supervision_stage = $4, supervision_level = $5, supervised_area_id = $6, supervised_at = $7, updated_at = now()
          WHERE id = $1 AND state = $2 AND supervision_level = $3
         RETURNING id)
       SELECT id FROM raised`,
      [id, read.state, read.level, to.stage, to.level, to.areaId, to.at],
    );
    return rows.length > 0;
  }

  // ---- duplicates and splits ----

  /**
   * Open cases of a category within `meters` of a point filed since `since`, that the reader may
   * see, nearest first (a geography distance: metres on the ground).
   */
  async nearbyOpen(q: NearbyQuery): Promise<{ stored: StoredCase; distanceMeters: number }[]> {
    const { text, values } = nearbyOpenStatement(q);
    const rows: (CaseRow & { distance: number })[] = await this.db.query(text, values);
    return rows.map((r) => ({ stored: toCase(r), distanceMeters: Math.round(r.distance) }));
  }

  async setSplitFrom(id: string, from: string): Promise<void> {
    await this.db.query(`UPDATE city_case SET split_from = $2 WHERE id = $1`, [id, from]);
  }

  /** The codes of the cases split off this one. */
  async splitsOf(caseId: string): Promise<string[]> {
    const rows: { code: string }[] = await this.db.query(`SELECT code FROM city_case WHERE split_from = $1 ORDER BY id`, [caseId]);
    return rows.map((r) => r.code);
  }

  // ---- machine detections ----

  async detectionSource(feedKey: string): Promise<StoredDetectionSource | null> {
    const rows: StoredDetectionSource[] = await this.db.query(
      `SELECT feed_key AS feed, categories, min_confidence::float8 AS "minConfidence", enabled, updated_by AS "updatedBy", updated_at AS "updatedAt"
         FROM case_detection_source WHERE feed_key = $1`,
      [feedKey],
    );
    return rows[0] ?? null;
  }

  async detectionSources(): Promise<StoredDetectionSource[]> {
    return this.db.query(
      `SELECT feed_key AS feed, categories, min_confidence::float8 AS "minConfidence", enabled, updated_by AS "updatedBy", updated_at AS "updatedAt"
         FROM case_detection_source ORDER BY feed_key`,
    );
  }

  async putDetectionSource(s: {
    feed: string;
    categories: Record<string, string>;
    minConfidence: number;
    enabled: boolean;
    updatedBy: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO case_detection_source (feed_key, categories, min_confidence, enabled, updated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (feed_key) DO UPDATE SET categories = EXCLUDED.categories, min_confidence = EXCLUDED.min_confidence,
         enabled = EXCLUDED.enabled, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [s.feed, JSON.stringify(s.categories), s.minConfidence, s.enabled, s.updatedBy],
    );
  }

  /** What became of detections received before, by their ids. */
  async receivedDetections(
    feedKey: string,
    ids: readonly string[],
  ): Promise<Map<string, { verdict: DetectionVerdict; reason: string | null; caseCode: string | null }>> {
    const rows: { detection_id: string; verdict: DetectionVerdict; reason: string | null; code: string | null }[] = await this.db.query(
      `SELECT d.detection_id, d.verdict, d.reason, c.code
         FROM case_detection d LEFT JOIN city_case c ON c.id = d.case_id
        WHERE d.feed_key = $1 AND d.detection_id = ANY($2::text[])`,
      [feedKey, ids],
    );
    return new Map(rows.map((r) => [r.detection_id, { verdict: r.verdict, reason: r.reason, caseCode: r.code }]));
  }

  /** Keeps a detection with its verdict; a detection id received meanwhile keeps its first record (false). */
  async recordDetection(d: NewDetection): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO case_detection (feed_key, detection_id, kind, confidence, location, detected_at, snapshot_url, verdict, reason, case_id, raw)
       VALUES ($1, $2, $3, $4, CASE WHEN $5::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($5, $6), 4326) END, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (feed_key, detection_id) WHERE detection_id IS NOT NULL DO NOTHING RETURNING id`,
      [
        d.feed,
        d.detectionId,
        d.kind,
        d.confidence,
        d.location?.[0] ?? null,
        d.location?.[1] ?? null,
        d.detectedAt,
        d.snapshotUrl,
        d.verdict,
        d.reason,
        d.caseId,
        d.raw,
      ],
    );
    return rows.length > 0;
  }

  async detections(filter: { feed?: string; caseId?: string; verdict?: DetectionVerdict; limit: number }): Promise<DetectionView[]> {
    const rows: (Omit<DetectionView, 'detectedAt' | 'receivedAt'> & { detectedAt: Date | null; receivedAt: Date })[] = await this.db.query(
      `SELECT d.feed_key AS feed, d.detection_id AS "detectionId", d.kind, d.confidence::float8 AS confidence,
              CASE WHEN d.location IS NULL THEN NULL ELSE json_build_array(ST_X(d.location), ST_Y(d.location)) END AS location,
              d.detected_at AS "detectedAt", d.snapshot_url AS "snapshotUrl", d.verdict, d.reason, c.code AS "caseCode",
              d.received_at AS "receivedAt", d.raw
         FROM case_detection d LEFT JOIN city_case c ON c.id = d.case_id
        WHERE ($1::text IS NULL OR d.feed_key = $1) AND ($2::bigint IS NULL OR d.case_id = $2) AND ($3::text IS NULL OR d.verdict = $3)
        ORDER BY d.received_at DESC, d.id DESC LIMIT $4`,
      [filter.feed ?? null, filter.caseId ?? null, filter.verdict ?? null, filter.limit],
    );
    return rows.map((r) => ({ ...r, detectedAt: r.detectedAt?.toISOString() ?? null, receivedAt: r.receivedAt.toISOString() }));
  }

  // ---- statistics ----

  /** Open, overdue and supervised cases now, and cases filed in the 24 hours before `now`, by the first three areas of their path (city, district, street). */
  async countsByStreet(now: Date): Promise<{ path: number[]; open: number; overdue: number; supervised: number; filed24h: number }[]> {
    return this.db.query(
      `SELECT c.area_path[1:3] AS path,
              count(*) FILTER (WHERE c.state IN ${OPEN_STATES})::int AS open,
              count(*) FILTER (WHERE ${OVERDUE.replaceAll('now()', '$1')})::int AS overdue,
              count(*) FILTER (WHERE c.state IN ${OPEN_STATES} AND c.supervision_level > 0)::int AS supervised,
              count(*) FILTER (WHERE c.created_at >= $1::timestamptz - interval '24 hours')::int AS "filed24h"
         FROM city_case c
        WHERE c.state IN ${OPEN_STATES} OR c.created_at >= $1::timestamptz - interval '24 hours'
        GROUP BY 1`,
      [now],
    );
  }

  /**
   * The loop's numbers for cases filed in [from, to), grouped by district (the first two areas of
   * their path), street (three) or department, for what the reader sees. On time: the stage was
   * done by its deadline; late: done after it, or still open past it at \`now\`.
   */
  async statistics(
    by: 'district' | 'street' | 'department',
    from: Date,
    to: Date,
    now: Date,
    reader: CaseReader,
  ): Promise<StatisticsRow[]> {
    const key =
      by === 'department' ? `coalesce(c.department, '')` : by === 'district' ? `c.area_path[1:2]::text` : `c.area_path[1:3]::text`;
    const promiseDue = `c.created_at + g.response_promise_hours * interval '1 hour'`;
    return this.db.query(
      `SELECT ${key} AS key,
              count(*)::int AS filed,
              count(*) FILTER (WHERE c.state IN ${OPEN_STATES})::int AS open,
              count(*) FILTER (WHERE c.state = 'closed')::int AS closed,
              count(*) FILTER (WHERE c.accepted_at IS NOT NULL AND c.accepted_at <= c.accept_due_at)::int AS "acceptOnTime",
              count(*) FILTER (WHERE c.accept_due_at IS NOT NULL AND (c.accepted_at > c.accept_due_at
                                 OR (c.accepted_at IS NULL AND c.state = 'dispatched' AND c.accept_due_at < $3)))::int AS "acceptLate",
              count(*) FILTER (WHERE c.resolved_at IS NOT NULL AND c.resolved_at <= c.resolve_due_at)::int AS "resolveOnTime",
              count(*) FILTER (WHERE c.resolve_due_at IS NOT NULL AND (c.resolved_at > c.resolve_due_at
                                 OR (c.resolved_at IS NULL AND c.state IN ('accepted', 'in_progress') AND c.resolve_due_at < $3)))::int AS "resolveLate",
              (avg(extract(epoch FROM c.closed_at - c.created_at)) FILTER (WHERE c.state = 'closed') / 3600)::float8 AS "meanHoursToClose",
              avg(c.rating)::float8 AS "meanRating",
              count(c.rating)::int AS ratings,
              count(*) FILTER (WHERE g.response_promise_hours IS NOT NULL)::int AS promised,
              count(*) FILTER (WHERE g.response_promise_hours IS NOT NULL AND c.accepted_at <= ${promiseDue})::int AS "promiseKept",
              count(*) FILTER (WHERE g.response_promise_hours IS NOT NULL
                                 AND (c.accepted_at > ${promiseDue} OR (c.accepted_at IS NULL AND ${promiseDue} < $3)))::int AS "promiseMissed"
         FROM city_case c
         JOIN case_category k ON k.key = c.category
         JOIN case_category_group g ON g.key = k.group_key
        WHERE c.created_at >= $1 AND c.created_at < $2 AND ${VISIBLE(4)}
        GROUP BY 1 ORDER BY 1`,
      [from, to, now, reader.scope, reader.department, reader.userId],
    );
  }
  // ---- Open311: the public's reads (libs/cases/src/open311) ----

  /**
   * The ids of the cases an Open311 request list holds, newest reported first, each with the case
   * it lives on in when it was merged away (followed to the end of a chain of merges; null when it
   * was not merged). A status filter reads the status a duplicate reports: its survivor's.
   */
  async open311CaseIds(filter: Open311CaseFilter): Promise<{ id: string; survivorId: string | null }[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.codes) where.push(`c.code = ANY(${param(filter.codes)}::text[])`);
    where.push(`c.source = ANY(${param(filter.sources)}::text[])`);
    if (filter.categories) where.push(`c.category = ANY(${param(filter.categories)}::text[])`);
    if (filter.from) where.push(`c.reported_at >= ${param(filter.from)}`);
    if (filter.to) where.push(`c.reported_at <= ${param(filter.to)}`);
    if (filter.states) where.push(`coalesce(sv.state, c.state) = ANY(${param(filter.states)}::text[])`);
    const rows: { id: string; survivor_id: string | null }[] = await this.db.query(
      `WITH RECURSIVE chain AS (
         SELECT id AS origin, merged_into AS at, 1 AS depth FROM city_case WHERE merged_into IS NOT NULL
         UNION ALL
         SELECT chain.origin, n.merged_into, chain.depth + 1
           FROM chain JOIN city_case n ON n.id = chain.at
          WHERE n.merged_into IS NOT NULL AND chain.depth < 50
       ), survivor AS (SELECT DISTINCT ON (origin) origin, at AS id FROM chain ORDER BY origin, depth DESC)
       SELECT c.id::text AS id, sv.id::text AS survivor_id
         FROM city_case c LEFT JOIN survivor s ON s.origin = c.id LEFT JOIN city_case sv ON sv.id = s.id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY c.reported_at DESC, c.id DESC LIMIT ${param(filter.limit)}`,
      params,
    );
    return rows.map((r) => ({ id: r.id, survivorId: r.survivor_id }));
  }

  async findByIds(ids: readonly string[]): Promise<StoredCase[]> {
    if (!ids.length) return [];
    const rows: CaseRow[] = await this.db.query(`${SELECT_CASE} WHERE c.id = ANY($1::bigint[])`, [ids]);
    return rows.map(toCase);
  }

  /** The case a citizen follows by its public token. */
  async findByPublicToken(token: string): Promise<StoredCase | null> {
    const rows: CaseRow[] = await this.db.query(`${SELECT_CASE} WHERE c.public_token = $1`, [token]);
    return rows[0] ? toCase(rows[0]) : null;
  }

  /** Each case's latest comment that is not internal (an action's reason or comment, a public note), by case id. */
  async latestPublicComments(caseIds: readonly string[]): Promise<Map<string, string>> {
    if (!caseIds.length) return new Map();
    const rows: { case_id: string; comment: string }[] = await this.db.query(
      `SELECT DISTINCT ON (case_id) case_id::text AS case_id, comment
         FROM case_event
        WHERE case_id = ANY($1::bigint[]) AND NOT internal AND comment IS NOT NULL AND btrim(comment) <> ''
        ORDER BY case_id, at DESC, id DESC`,
      [caseIds],
    );
    return new Map(rows.map((r) => [r.case_id, r.comment]));
  }

  // ---- map layer ----

  /** Cases as map points inside a box (the whole city without one), newest first; one more than `limit` says there are more. */
  async mapPoints(q: CaseMapFilter): Promise<MapPointRow[]> {
    const { text, values } = caseMapStatement(q);
    return this.db.query(text, values);
  }
}

/** What an Open311 request list is filtered by (GeoReport v2 `GET requests`). */
export interface Open311CaseFilter {
  codes?: readonly string[];
  /** Only cases filed from these sources are answered (a merged one still reports its survivor's status, whatever its source). */
  sources: readonly CaseSource[];
  categories?: readonly string[];
  from?: Date;
  to?: Date;
  /** The states reported: a duplicate's are its survivor's. */
  states?: readonly CaseState[];
  limit: number;
}
