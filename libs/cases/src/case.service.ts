import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AlertNotFoundError, AlertService } from '@cityops/alerts';
import {
  FINAL_CASE_STATES,
  type CaseActionRequest,
  type CaseAlert,
  type CaseCategoryView,
  type CaseDetail,
  type CaseEventView,
  type CaseNoteRequest,
  type CaseMapQuery,
  type CaseDuplicatesQuery,
  type CaseDuplicateView,
  type SplitCaseRequest,
  DUPLICATE_RADIUS_METERS,
  DUPLICATE_WINDOW_HOURS,
  type CasePhotoStage,
  type CasePhotoView,
  type CasePage,
  type CaseSource,
  type CreateRoutingRuleRequest,
  type FileCaseRequest,
  type ListCasesQuery,
  type Role,
  type RoutingRuleView,
} from '@cityops/contracts';
import { AuditTrail, ValidationError } from '@cityops/core';
import { AreaDirectory, AreaLocator, type ScopeRoots } from '@cityops/geo';
import { CaseChanges } from './case-changes';
import { caseDay, formatCaseCode } from './case-code';
import { routeCase } from './case-routing';
import { CaseSupervisionService } from './case-supervision.service';
import { CaseViews } from './case-views';
import { availableCaseActions, COMMAND_ROLES, decideCaseAction, type CaseActor, type CaseFacts } from './case-workflow';
import {
  CaseActionRefusedError,
  CaseMovedOnError,
  CaseNotFoundError,
  CasePhotoNotFoundError,
  RoutingRuleExistsError,
  RoutingRuleNotFoundError,
} from './case.exception';
import {
  CaseRepository,
  caseSightKey,
  type CaseEnterprise,
  type CaseFilter,
  type CasePatch,
  type CaseReader,
  type StoredCase,
  type StoredCasePhotoRow,
  type StoredCategory,
  type StoredRule,
} from './case.repository';
import { CasePhotoService } from './photos/case-photo.service';
import { addWorkingTime, type WorkingCalendar } from './working-calendar';

const HOUR_MS = 3_600_000;
/** A phone's clock may run a little ahead; a report "from the future" beyond this is refused. */
const CLOCK_SKEW_MS = 5 * 60_000;

const photoView = (p: StoredCasePhotoRow): CasePhotoView => ({
  id: p.id,
  stage: p.stage,
  mimeType: p.mimeType,
  width: p.width,
  height: p.height,
  bytes: p.bytes,
  takenLocation: p.takenLocation,
  takenAt: p.takenAt?.toISOString() ?? null,
  uploadedBy: p.uploadedBy,
  createdAt: p.createdAt.toISOString(),
  attached: p.attached,
});

/** A new stage (or a new deadline) starts without supervision. */
const UNSUPERVISED: CasePatch = { supervisionStage: null, supervisionLevel: 0, supervisedAt: null, supervisedAreaId: null };

const facts = (c: StoredCase): CaseFacts => ({ state: c.state, departmentId: c.department });

/**
 * Who files a case: a signed-in person, or someone without an account (a citizen through Open311
 * or a grid's QR code, an outside system), named by what they submit under.
 */
export interface CaseFiler {
  /** The person's user id; null without an account. */
  userId: string | null;
  /** What a retry is recognised by, with the request's clientRequestId: a user name, `open311:<api key id>`, … */
  submittedBy: string;
  /** Shown on the timeline as who filed it. */
  actor: string;
  reporterName: string | null;
  /** Never shown beyond staff. */
  reporterContact: string | null;
  /** Where the filer may file: null anywhere in the city. */
  scope: ScopeRoots;
  /** 企业呼: the enterprise filing, stored with the case in the same statement. */
  enterprise?: CaseEnterprise;
}

export interface FiledCase {
  code: string;
  /** What a citizen follows the case by, without an account. */
  publicToken: string;
  /** False when a retry found the case its first attempt filed. */
  created: boolean;
}

/** A signed-in person filing under their own name. */
export function filerOf(caller: CaseCaller): CaseFiler {
  return {
    userId: caller.userId,
    submittedBy: caller.username,
    actor: caller.username,
    reporterName: caller.username,
    reporterContact: null,
    scope: caller.scope,
  };
}

/** Who calls, as the server knows them. */
export interface CaseCaller {
  userId: string;
  username: string;
  roles: readonly Role[];
  department: string | null;
  scope: ScopeRoots;
}

/**
 * Cases from report to verified close: filing finds the grid, routes by the most specific rule
 * and numbers the case by district and day; each action is decided by the workflow and written
 * with its timeline entry in one transaction, guarded by the state it was decided on.
 */
@Injectable()
export class CaseService {
  private readonly logger = new Logger(CaseService.name);

  constructor(
    private readonly cases: CaseRepository,
    private readonly areas: AreaDirectory,
    private readonly locator: AreaLocator,
    private readonly alerts: AlertService,
    private readonly photos: CasePhotoService,
    private readonly views: CaseViews,
    private readonly supervision: CaseSupervisionService,
    private readonly changes: CaseChanges,
  ) {}

  // ---- the catalog and the rules ----

  async categories(): Promise<CaseCategoryView[]> {
    return this.cases.categories();
  }

  async rules(): Promise<RoutingRuleView[]> {
    return this.ruleViews(await this.cases.rules());
  }

  async createRule(body: CreateRoutingRuleRequest, actor: string): Promise<RoutingRuleView> {
    const errors: { path: string; message: string }[] = [];
    const categories = await this.cases.categories();
    if (body.category !== null && !categories.some((c) => c.key === body.category || c.group === body.category))
      errors.push({ path: 'category', message: 'no such category or category group (GET /api/case-categories)' });
    const area = body.areaCode === null ? null : (await this.areas.byCodes([body.areaCode])).get(body.areaCode);
    if (area === undefined || (area && area.level === 'zone'))
      errors.push({ path: 'areaCode', message: 'no such area of the city hierarchy (a district, street, community or grid)' });
    if (!(await this.views.departmentNames()).has(body.department))
      errors.push({ path: 'department', message: 'no such department (GET /api/departments)' });
    if (errors.length) throw new ValidationError(errors);
    const id = await this.cases.insertRule({
      category: body.category,
      areaId: area?.id ?? null,
      department: body.department,
      createdBy: actor,
    });
    if (id === null) throw new RoutingRuleExistsError();
    const created = (await this.rules()).find((r) => r.id === id);
    if (!created) throw new RoutingRuleNotFoundError(id);
    AuditTrail.noteChange({ targetType: 'case_routing_rule', targetId: id, before: null, after: created });
    return created;
  }

  async deleteRule(id: string): Promise<RoutingRuleView> {
    const before = (await this.rules()).find((r) => r.id === id);
    if (!before || !(await this.cases.deleteRule(id))) throw new RoutingRuleNotFoundError(id);
    AuditTrail.noteChange({ targetType: 'case_routing_rule', targetId: id, before, after: null });
    return before;
  }

  // ---- filing ----

  /**
   * Files a case where the caller stands (a scoped caller only inside its areas), routed by the
   * most specific rule: a match dispatches it at once with its accept deadline; otherwise it
   * waits for the command centre. A retry with the same `clientRequestId` answers the first case.
   */
  async file(body: FileCaseRequest, filer: CaseFiler, source: CaseSource): Promise<FiledCase> {
    if (body.clientRequestId) {
      const earlier = await this.cases.findByRequest(filer.submittedBy, body.clientRequestId);
      if (earlier) return { code: earlier.code, publicToken: earlier.publicToken, created: false };
    }
    const errors: { path: string; message: string }[] = [];
    const category = (await this.cases.categories()).find((c) => c.key === body.category);
    if (!category || !category.enabled) errors.push({ path: 'category', message: 'no such category in use (GET /api/case-categories)' });
    const located = await this.locator.locate(body.location[0], body.location[1]);
    if (!located) errors.push({ path: 'location', message: 'outside every grid of the city' });
    else if (filer.scope !== null && !(await this.areas.scopeAreaIds(filer.scope)).has(located.areaId))
      errors.push({ path: 'location', message: 'outside your areas' });
    const reportedAt = body.reportedAt ? new Date(body.reportedAt) : new Date();
    if (reportedAt.getTime() > Date.now() + CLOCK_SKEW_MS) errors.push({ path: 'reportedAt', message: 'in the future' });
    if (body.alertId && !(await this.alerts.find(body.alertId, filer.scope)))
      errors.push({ path: 'alertId', message: 'no such alert in your areas' });
    if (errors.length || !category || !located) throw new ValidationError(errors);

    const now = new Date();
    const calendar = await this.cases.calendar();
    const route = routeCase(await this.cases.rules(), { category: category.key, categoryGroup: category.group, areaPath: located.path });
    const prefix = await this.codePrefix(located.path);
    const day = caseDay(now, calendar.utcOffsetMinutes);
    const filed = await this.cases.transaction(async (m) => {
      const code = formatCaseCode({ ...prefix, day, seq: await this.cases.nextSequence(m, `${prefix.city}-${prefix.district}`, day) });
      const id = await this.cases.insert(m, {
        code,
        category: category.key,
        description: body.description,
        address: body.address ?? null,
        location: body.location,
        gridId: located.areaId,
        areaPath: located.path,
        priority: body.priority,
        source,
        state: route ? 'dispatched' : 'reported',
        reporterUserId: filer.userId,
        reporterName: filer.reporterName,
        reporterContact: filer.reporterContact,
        enterprise: filer.enterprise ?? null,
        publicToken: randomBytes(18).toString('base64url'),
        submittedBy: filer.submittedBy,
        clientRequestId: body.clientRequestId ?? null,
        alertId: body.alertId ?? null,
        department: route?.departmentId ?? null,
        routingRuleId: route?.rule.id ?? null,
        acceptDueAt: route ? addWorkingTime(calendar, now, category.acceptHours * HOUR_MS) : null,
        reportedAt,
        dispatchedAt: route ? now : null,
      });
      // The same request filed concurrently: the other attempt's case stands (this one's number is skipped).
      if (id === null) return null;
      await this.cases.addEvent(m, id, {
        actor: filer.actor,
        action: 'filed',
        fromState: null,
        toState: 'reported',
        comment: null,
        internal: false,
        detail: body.alertId ? { source, alertId: body.alertId } : { source },
      });
      if (route) {
        await this.cases.addEvent(m, id, {
          actor: 'system',
          action: 'dispatch',
          fromState: 'reported',
          toState: 'dispatched',
          comment: null,
          internal: false,
          detail: { department: route.departmentId, rule: route.rule.id },
        });
      }
      return id;
    });
    const stored =
      filed === null ? await this.cases.findByRequest(filer.submittedBy, body.clientRequestId ?? '') : await this.cases.findById(filed);
    if (!stored) throw new CaseNotFoundError(body.clientRequestId ?? '');
    if (filed !== null) {
      await this.changed('filed', stored);
      if (stored.alertId) await this.noteOnAlert(stored.alertId, stored.code, filer.actor);
    }
    return { code: stored.code, publicToken: stored.publicToken, created: filed !== null };
  }

  /** The link's other end: the alert's history names the case. The case stands without it (the alert lists its cases from `city_case`). */
  private async noteOnAlert(alertId: string, code: string, actor: string): Promise<void> {
    try {
      await this.alerts.noteCaseFiled(alertId, code, actor);
    } catch (err) {
      this.logger.error({ err, alertId, code }, 'case filed from an alert: the alert’s history does not name it');
    }
  }

  // ---- reading ----

  /**
   * The cases filed from an alert that the caller sees, newest first. An alert outside the caller's
   * areas is not found (404), as `GET /api/alerts/:id` says.
   */
  async ofAlert(alertId: string, query: Pick<ListCasesQuery, 'before' | 'limit'>, caller: CaseCaller): Promise<CasePage> {
    if (!(await this.alerts.find(alertId, caller.scope))) throw new AlertNotFoundError(alertId);
    return this.list({ ...query, alert: alertId }, caller);
  }

  async get(code: string, caller: CaseCaller): Promise<CaseDetail> {
    const stored = await this.cases.findByCode(code, this.reader(caller));
    if (!stored) throw new CaseNotFoundError(code);
    return this.detail(stored, caller);
  }

  async list(query: ListCasesQuery, caller: CaseCaller): Promise<CasePage> {
    const filter: CaseFilter = { limit: query.limit + 1 };
    if (query.state) filter.states = query.state;
    if (query.open) filter.open = query.open === 'true';
    if (query.overdue) filter.overdue = query.overdue === 'true';
    if (query.category) {
      const categories = await this.cases.categories();
      filter.categories = categories.filter((c) => c.key === query.category || c.group === query.category).map((c) => c.key);
    }
    if (query.department) filter.department = query.department;
    if (query.alert) filter.alertId = query.alert;
    if (query.source) filter.source = query.source;
    if (query.priority) filter.priority = query.priority;
    if (query.area) {
      const area = (await this.areas.byCodes([query.area])).get(query.area);
      if (!area) throw new ValidationError([{ path: 'area', message: 'no such area' }]);
      filter.areaId = area.id;
    }
    if (query.q?.trim()) filter.text = query.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
    if (query.before) {
      const before = await this.cases.findByCode(query.before, this.reader(caller));
      if (!before) throw new ValidationError([{ path: 'before', message: 'no such case' }]);
      filter.beforeId = before.id;
    }
    const found = await this.cases.list(filter, this.reader(caller));
    const page = found.slice(0, query.limit);
    return { items: await this.views.summaries(page), next: found.length > query.limit ? (page.at(-1)?.code ?? null) : null };
  }

  // ---- acting ----

  /**
   * Takes an action on a case: the workflow decides on the facts read now; the transition and
   * its timeline entry are written together, and only if the case is still in the state the
   * decision was made on (two dispatchers racing: one wins, the other gets 409).
   */
  async act(code: string, input: CaseActionRequest, caller: CaseCaller): Promise<CaseDetail> {
    const reader = this.reader(caller);
    const current = await this.cases.findByCode(code, reader);
    if (!current) throw new CaseNotFoundError(code);
    if (input.expectedState && input.expectedState !== current.state) throw new CaseMovedOnError(code, current.state);
    const target = input.mergeInto ? await this.mergeTarget(current, input.mergeInto, reader) : null;
    if (input.department !== undefined && !(await this.views.departmentNames()).has(input.department))
      throw new ValidationError([{ path: 'department', message: 'no such department (GET /api/departments)' }]);
    const photos = input.photoIds?.length ? await this.cases.unattachedPhotos(current.id, input.photoIds) : 0;
    if (input.photoIds?.length && photos !== new Set(input.photoIds).size)
      throw new ValidationError([{ path: 'photoIds', message: 'photos must be uploaded to this case and not yet used by another action' }]);
    const decision = decideCaseAction(facts(current), await this.actor(current, caller), {
      action: input.action,
      departmentId: input.department ?? null,
      reason: input.reason ?? null,
      photos,
      rating: input.rating ?? null,
      mergeInto: target?.id ?? null,
    });
    if (!decision.ok) throw new CaseActionRefusedError(input.action, decision.refusal);

    const now = new Date();
    const patch = await this.patchFor(current, input, now, target, caller.userId);
    const moved = await this.cases.transaction(async (m) => {
      if (!(await this.cases.transition(m, current.id, current.state, decision.next, patch))) return false;
      const eventId = await this.cases.addEvent(m, current.id, {
        actor: caller.username,
        action: input.action,
        fromState: current.state,
        toState: decision.next,
        comment: input.reason ?? input.comment ?? null,
        internal: false,
        detail: this.eventDetail(current, input, target),
      });
      if (input.photoIds?.length) await this.cases.attachPhotos(m, current.id, input.photoIds, eventId);
      if (target) await this.noteMerged(m, target, current, caller.username);
      return true;
    });
    const after = await this.cases.findById(current.id);
    if (!moved || !after) throw new CaseMovedOnError(code, after?.state ?? 'gone');
    await this.changed(input.action, after);
    const detail = await this.detail(after, caller);
    AuditTrail.noteChange({ targetType: 'case', targetId: code, before: { state: current.state }, after: { state: after.state } });
    return detail;
  }

  /** A note on the timeline; internal ones are never shown to the reporter. */
  async note(code: string, body: CaseNoteRequest, caller: CaseCaller): Promise<CaseDetail> {
    const current = await this.cases.findByCode(code, this.reader(caller));
    if (!current) throw new CaseNotFoundError(code);
    await this.cases.addEvent(null, current.id, {
      actor: caller.username,
      action: 'note',
      fromState: null,
      toState: null,
      comment: body.comment,
      internal: body.internal,
      detail: {},
    });
    return this.detail(current, caller);
  }

  // ---- the map layer ----

  /** The open cases in a vector tile (`caseTileStatement`), in the caller's sight. */
  tile(z: number, x: number, y: number, caller: CaseCaller): Promise<Buffer> {
    return this.cases.tile(z, x, y, this.reader(caller));
  }

  /** What the caller sees of the cases, as part of a cache key (`caseSightKey`). */
  sightKey(caller: CaseCaller): string {
    return caseSightKey(this.reader(caller));
  }

  /** Changes with every change of a case: the version the cases' tiles are cached under. */
  tileVersion(): Promise<string> {
    return this.changes.version();
  }

  /**
   * Open cases (or the states asked for) as GeoJSON points, newest first, for a map layer; the
   * caller's sight only. Written as JSON text here, point by point: a district holds thousands.
   */
  async mapLayer(query: CaseMapQuery, caller: CaseCaller): Promise<string> {
    const categories = await this.cases.categories();
    const wanted = query.category
      ? categories.filter((c) => c.key === query.category || c.group === query.category).map((c) => c.key)
      : null;
    const rows = await this.cases.mapPoints({
      bbox: query.bbox ?? null,
      states: query.state?.length ? query.state : null,
      categories: wanted,
      overdue: query.overdue ? query.overdue === 'true' : null,
      supervised: query.supervised ? query.supervised === 'true' : null,
      reader: this.reader(caller),
      limit: query.limit,
    });
    // Each category's names once, as JSON, instead of once per point.
    const names = new Map(
      categories.map((c) => [c.key, `"categoryName":${JSON.stringify(c.name)},"categoryNameEn":${JSON.stringify(c.nameEn)}`]),
    );
    const features = rows
      .slice(0, query.limit)
      .map(
        (r) =>
          `{"type":"Feature","id":${JSON.stringify(r.code)},"geometry":{"type":"Point","coordinates":[${r.lon},${r.lat}]},` +
          `"properties":{"code":${JSON.stringify(r.code)},"category":${JSON.stringify(r.category)},` +
          `${names.get(r.category) ?? `"categoryName":${JSON.stringify(r.category)},"categoryNameEn":null`},` +
          `"state":"${r.state}","priority":"${r.priority}","overdue":${r.overdue},"supervisionLevel":${r.supervisionLevel},"createdAt":"${r.createdAt}"}}`,
      );
    return `{"type":"FeatureCollection","truncated":${rows.length > query.limit},"features":[${features.join(',')}]}`;
  }

  // ---- duplicates and splits ----

  /** Open cases of the category near a place, filed within the window: shown while reporting, before a duplicate is filed. */
  async duplicates(query: CaseDuplicatesQuery, caller: CaseCaller): Promise<CaseDuplicateView[]> {
    return this.duplicatesNear(query.category, [query.lon, query.lat], new Date(), null, caller);
  }

  /**
   * Splits a second problem off a case (one report that held two): a new case with the same
   * reporter and source, routed on its own, linked both ways on the timelines. For the command
   * centre, on a case it sees that is not final.
   */
  async split(code: string, body: SplitCaseRequest, caller: CaseCaller): Promise<CaseDetail> {
    const original = await this.cases.findByCode(code, this.reader(caller));
    if (!original) throw new CaseNotFoundError(code);
    const actor = await this.actor(original, caller);
    const refusal = splitRefusal(original, caller, actor.inScope);
    if (refusal) throw new CaseActionRefusedError('split', refusal);
    const filed = await this.file(
      {
        category: body.category,
        description: body.description,
        location: body.location ?? original.location,
        address: body.address ?? original.address ?? undefined,
        priority: original.priority,
        reportedAt: original.reportedAt.toISOString(),
      },
      {
        userId: original.reporterUserId,
        submittedBy: caller.username,
        actor: caller.username,
        reporterName: original.reporterName,
        reporterContact: null,
        scope: caller.scope,
      },
      // Its description is staff's words: a citizen's case split in two gives a staff case, which
      // Open311 does not publish (a citizen's own words are what it publishes).
      original.source === 'citizen' ? 'staff' : original.source,
    );
    const created = await this.cases.findByCode(filed.code, null);
    if (!created) throw new CaseNotFoundError(filed.code);
    await this.cases.setSplitFrom(created.id, original.id);
    await this.cases.transaction(async (m) => {
      await this.cases.addEvent(m, original.id, {
        actor: caller.username,
        action: 'split',
        fromState: null,
        toState: null,
        comment: body.reason,
        internal: false,
        detail: { case: created.code },
      });
      await this.cases.addEvent(m, created.id, {
        actor: caller.username,
        action: 'split_from',
        fromState: null,
        toState: null,
        comment: body.reason,
        internal: false,
        detail: { case: original.code },
      });
    });
    return this.get(created.code, caller);
  }

  private async duplicatesNear(
    category: string,
    location: [number, number],
    at: Date,
    excludeId: string | null,
    caller: CaseCaller,
  ): Promise<CaseDuplicateView[]> {
    const found = await this.cases.nearbyOpen({
      category,
      location,
      meters: DUPLICATE_RADIUS_METERS,
      since: new Date(at.getTime() - DUPLICATE_WINDOW_HOURS * HOUR_MS),
      excludeId,
      reader: this.reader(caller),
      limit: 20,
    });
    const summaries = await this.views.summaries(found.map((f) => f.stored));
    return found.map((f, i) => ({ case: summaries[i], distanceMeters: f.distanceMeters }));
  }

  // ---- photos ----

  /**
   * Takes a photo in for a case the caller sees and may still act on: checked by content,
   * stripped, stored, and recorded unattached until an action (the after photo of `resolve`) uses it.
   */
  async addPhoto(code: string, stage: CasePhotoStage, bytes: Buffer, caller: CaseCaller): Promise<CasePhotoView> {
    const current = await this.cases.findByCode(code, this.reader(caller));
    if (!current) throw new CaseNotFoundError(code);
    if (FINAL_CASE_STATES.includes(current.state)) throw new CaseActionRefusedError('photo', 'final');
    return this.storePhoto(current, stage, bytes, caller.username);
  }

  /** Takes the photo in (checked, stripped, stored) and records it on the case, unattached. */
  private async storePhoto(current: StoredCase, stage: CasePhotoStage, bytes: Buffer, uploadedBy: string): Promise<CasePhotoView> {
    const photo = await this.photos.accept(bytes);
    const id = await this.cases.insertPhoto({
      caseId: current.id,
      stage,
      storageKey: photo.full.key,
      thumbnailKey: photo.thumbnail.key,
      mimeType: photo.full.mime,
      width: photo.full.width,
      height: photo.full.height,
      bytes: photo.full.size,
      sha256: photo.full.sha256,
      takenLocation: photo.location,
      takenAt: photo.takenAt?.at ? new Date(photo.takenAt.at) : null,
      uploadedBy,
    });
    const stored = (await this.cases.photos(current.id)).find((p) => p.id === id);
    if (!stored) throw new CasePhotoNotFoundError(id);
    return photoView(stored);
  }

  /** A photo's bytes (the full size or the thumbnail), for a caller who sees its case. */
  async photoBytes(code: string, id: string, size: 'full' | 'thumbnail', caller: CaseCaller): Promise<{ bytes: Buffer; mime: string }> {
    const current = await this.cases.findByCode(code, this.reader(caller));
    const photo = current ? (await this.cases.photos(current.id)).find((p) => p.id === id) : undefined;
    if (!photo) throw new CasePhotoNotFoundError(id);
    const stored = await this.photos.read(size === 'full' ? photo.storageKey : photo.thumbnailKey);
    if (!stored) throw new CasePhotoNotFoundError(id);
    return { bytes: stored.bytes, mime: stored.mime };
  }

  // ---- helpers ----

  /** Told live, and its next supervision scheduled when its stage has a deadline. */
  private async changed(action: string, c: StoredCase): Promise<void> {
    await this.supervision.publish(action, c);
    await this.supervision.schedule(c);
  }

  private reader(caller: CaseCaller): CaseReader {
    return { scope: caller.scope, department: caller.department, userId: caller.userId };
  }

  private async actor(c: StoredCase, caller: CaseCaller): Promise<CaseActor> {
    const inScope = caller.scope === null || (await this.areas.scopeAreaIds(caller.scope)).has(c.gridId);
    return {
      roles: caller.roles,
      departmentIds: caller.department ? [caller.department] : [],
      inScope,
      isReporter: c.reporterUserId !== null && c.reporterUserId === caller.userId,
    };
  }

  private async mergeTarget(current: StoredCase, code: string, reader: CaseReader): Promise<StoredCase> {
    const target = await this.cases.findByCode(code, reader);
    const problem = !target
      ? 'no such case'
      : target.id === current.id
        ? 'a case cannot be merged into itself'
        : FINAL_CASE_STATES.includes(target.state)
          ? `that case is ${target.state}: merge into one still open`
          : null;
    if (problem || !target) throw new ValidationError([{ path: 'mergeInto', message: problem ?? 'no such case' }]);
    return target;
  }

  private async patchFor(
    c: StoredCase,
    input: CaseActionRequest,
    now: Date,
    target: StoredCase | null,
    actingUserId: string | null,
  ): Promise<CasePatch> {
    const category = async (): Promise<StoredCategory> => {
      const found = (await this.cases.categories()).find((k) => k.key === c.category);
      if (!found) throw new CaseNotFoundError(c.code);
      return found;
    };
    const calendar = async (): Promise<WorkingCalendar> => this.cases.calendar();
    switch (input.action) {
      case 'dispatch':
      case 'reroute':
        return {
          department: input.department ?? null,
          assigneeUserId: null,
          routingRuleId: null,
          dispatchedAt: now,
          acceptDueAt: addWorkingTime(await calendar(), now, (await category()).acceptHours * HOUR_MS),
          acceptedAt: null,
          resolveDueAt: null,
          ...UNSUPERVISED,
        };
      case 'accept':
        return {
          // Whoever accepts it works it: the department's handler the case is with now.
          assigneeUserId: actingUserId,
          acceptedAt: now,
          resolveDueAt: addWorkingTime(await calendar(), now, (await category()).resolveHours * HOUR_MS),
          ...UNSUPERVISED,
        };
      case 'return':
        // Back to the command centre: it leaves the department's queue until re-dispatched.
        return {
          department: null,
          assigneeUserId: null,
          routingRuleId: null,
          dispatchedAt: null,
          acceptDueAt: null,
          acceptedAt: null,
          resolveDueAt: null,
          ...UNSUPERVISED,
        };
      case 'resolve':
        return { resolvedAt: now };
      case 'reject':
        // The fix did not hold: the department works on it again, with a fresh resolve deadline.
        return {
          resolvedAt: null,
          resolveDueAt: addWorkingTime(await calendar(), now, (await category()).resolveHours * HOUR_MS),
          ...UNSUPERVISED,
        };
      case 'close':
        return { closedAt: now, rating: input.rating ?? null };
      case 'merge':
        return { mergedInto: target?.id ?? null, closedAt: now };
      case 'invalidate':
      case 'cancel':
        return { closedAt: now };
      default:
        return {};
    }
  }

  private eventDetail(c: StoredCase, input: CaseActionRequest, target: StoredCase | null): Record<string, unknown> {
    const detail: Record<string, unknown> = {};
    if (input.department !== undefined) detail.department = input.department;
    if (input.action === 'return' && c.department) detail.department = c.department;
    if (input.rating !== undefined) detail.rating = input.rating;
    if (target) detail.mergedInto = target.code;
    if (input.photoIds?.length) detail.photos = input.photoIds;
    return detail;
  }

  private async noteMerged(m: EntityManager, target: StoredCase, merged: StoredCase, actor: string): Promise<void> {
    await this.cases.addEvent(m, target.id, {
      actor,
      action: 'merged_in',
      fromState: null,
      toState: null,
      comment: null,
      internal: false,
      detail: { case: merged.code },
    });
  }

  /** The city's and the district's letters for the code; an area without letters set lends the end of its code. */
  private async codePrefix(path: readonly number[]): Promise<{ city: string; district: string }> {
    const refs = await this.areas.byIds(path);
    const chain = path.flatMap((id) => refs.get(id) ?? []);
    const short = (level: string): string => {
      const area = chain.find((a) => a.level === level);
      if (!area) return 'X';
      return (
        area.abbrev ??
        (area.code
          .replace(/[^A-Za-z0-9]/g, '')
          .slice(-4)
          .toUpperCase() ||
          'X')
      );
    };
    return { city: short('city'), district: short('district') };
  }

  private async ruleViews(rules: readonly StoredRule[]): Promise<RoutingRuleView[]> {
    const areas = await this.areas.byIds(rules.flatMap((r) => (r.areaId === null ? [] : [r.areaId])));
    const departments = await this.views.departmentNames();
    return rules.map((r) => {
      const area = r.areaId === null ? null : (areas.get(r.areaId) ?? null);
      return {
        id: r.id,
        category: r.category,
        areaCode: area?.code ?? null,
        areaName: area?.name ?? null,
        department: r.departmentId,
        departmentName: departments.get(r.departmentId)?.name ?? r.departmentId,
        createdBy: r.createdBy,
        createdAt: r.createdAt.toISOString(),
      };
    });
  }

  /** The alert a case came from, if the caller may see it (a department's handler may see the case and not the alert). */
  private async alertOf(id: string, caller: CaseCaller): Promise<CaseAlert | null> {
    const a = await this.alerts.find(id, caller.scope);
    if (!a) return null;
    const area = (await this.areas.byCodes([a.areaCode])).get(a.areaCode);
    return {
      id: a.id,
      title: a.title,
      indicatorKey: a.indicatorKey,
      indicatorName: a.indicatorName,
      indicatorNameEn: a.indicatorNameEn,
      areaCode: a.areaCode,
      areaName: a.areaName,
      areaNameEn: area?.nameEn ?? null,
      level: a.level,
      state: a.state,
      startedAt: a.startedAt,
    };
  }

  private async detail(c: StoredCase, caller: CaseCaller): Promise<CaseDetail> {
    // Every signed-in caller is staff and reads internal notes; a citizen follows a case elsewhere, by its token.
    const mergeable = c.state === 'reported' || c.state === 'dispatched' || c.state === 'returned';
    const [[summary], events, mergedFrom, rules, areas, actor, photos, splitInto, detections, duplicates, alert] = await Promise.all([
      this.views.summaries([c]),
      this.cases.events(c.id, true),
      this.cases.mergedFrom(c.id),
      c.routingRuleId ? this.cases.rules() : Promise.resolve([]),
      this.areas.byIds(c.areaPath),
      this.actor(c, caller),
      this.cases.photos(c.id),
      this.cases.splitsOf(c.id),
      this.cases.detections({ caseId: c.id, limit: 50 }),
      // Cases filed before it: the one to keep is the earlier, so later ones are merged into it.
      mergeable ? this.duplicatesNear(c.category, c.location, c.createdAt, c.id, caller) : Promise.resolve([]),
      c.alertId ? this.alertOf(c.alertId, caller) : Promise.resolve(null),
    ]);
    const splitFrom = c.splitFrom ? ((await this.cases.codesByIds([c.splitFrom])).get(c.splitFrom) ?? null) : null;
    const mergedInto = c.mergedInto ? ((await this.cases.codesByIds([c.mergedInto])).get(c.mergedInto) ?? null) : null;
    const rule = rules.find((r) => r.id === c.routingRuleId);
    return {
      ...summary,
      reporter: c.reporterName,
      // The handler who accepted it while it is with that department (the timeline names them; no user table is read).
      assignee: c.assigneeUserId === null ? null : (events.findLast((e) => e.action === 'accept')?.actor ?? null),
      mergedInto,
      mergedFrom,
      splitFrom,
      splitInto,
      detections,
      possibleDuplicates: duplicates.filter((d) => Date.parse(d.case.createdAt) <= c.createdAt.getTime()),
      rating: c.rating,
      alertId: c.alertId,
      alert,
      routedBy: rule ? ((await this.ruleViews([rule]))[0] ?? null) : null,
      areaPath: c.areaPath.flatMap((id) => {
        const a = areas.get(id);
        return a ? [{ code: a.code, name: a.name, level: a.level }] : [];
      }),
      timeline: events.map((e): CaseEventView => ({
        id: e.id,
        at: e.at.toISOString(),
        actor: e.actor,
        action: e.action,
        fromState: e.fromState,
        toState: e.toState,
        comment: e.comment,
        internal: e.internal,
        detail: e.detail,
      })),
      photos: photos.map(photoView),
      availableActions: availableCaseActions(facts(c), actor),
      maySplit: splitRefusal(c, caller, actor.inScope) === null,
    };
  }

  // ---- the reporter without an account, by the case's public token ----

  /**
   * Acts as whoever holds the case's public token: its reporter, with no roles and no areas. The
   * workflow decides as for anyone else (`close` needs a rating; `cancel` only while reported),
   * and the transition is written with its timeline entry under the actor `reporter`.
   */
  async actAsReporter(token: string, input: { action: 'close' | 'cancel'; rating?: number; comment?: string }): Promise<StoredCase | null> {
    const current = await this.cases.findByPublicToken(token);
    if (!current) return null;
    const reporter: CaseActor = { roles: [], departmentIds: [], inScope: false, isReporter: true };
    const decision = decideCaseAction(facts(current), reporter, { action: input.action, rating: input.rating ?? null });
    if (!decision.ok) throw new CaseActionRefusedError(input.action, decision.refusal);
    const request: CaseActionRequest = { action: input.action, rating: input.rating, comment: input.comment };
    const patch = await this.patchFor(current, request, new Date(), null, null);
    const moved = await this.cases.transaction(async (m) => {
      if (!(await this.cases.transition(m, current.id, current.state, decision.next, patch))) return false;
      await this.cases.addEvent(m, current.id, {
        actor: 'reporter',
        action: input.action,
        fromState: current.state,
        toState: decision.next,
        comment: input.comment ?? null,
        internal: false,
        detail: this.eventDetail(current, request, null),
      });
      return true;
    });
    const after = await this.cases.findById(current.id);
    if (!moved || !after) throw new CaseMovedOnError(current.code, after?.state ?? 'gone');
    await this.changed(input.action, after);
    AuditTrail.noteChange({ targetType: 'case', targetId: current.code, before: { state: current.state }, after: { state: after.state } });
    return after;
  }

  /**
   * A photo of the problem from whoever holds the case's public token, while the case waits to be
   * taken on (reported or dispatched): checked by content, stripped and stored like any other,
   * recorded as uploaded by `reporter`. Null when no case has the token.
   */
  async addPhotoAsReporter(token: string, bytes: Buffer): Promise<CasePhotoView | null> {
    const current = await this.cases.findByPublicToken(token);
    if (!current) return null;
    if (FINAL_CASE_STATES.includes(current.state)) throw new CaseActionRefusedError('photo', 'final');
    if (current.state !== 'reported' && current.state !== 'dispatched') throw new CaseActionRefusedError('photo', 'state');
    return this.storePhoto(current, 'report', bytes, 'reporter');
  }
}

/**
 * Splitting is the command centre's, on a case in its areas that is not final: why it is refused,
 * or null. One rule for the answer's `maySplit` and the split itself.
 */
function splitRefusal(
  c: Pick<StoredCase, 'state'>,
  caller: Pick<CaseCaller, 'roles'>,
  inScope: boolean,
): 'role' | 'scope' | 'final' | null {
  if (!caller.roles.some((r) => COMMAND_ROLES.includes(r))) return 'role';
  if (!inScope) return 'scope';
  return FINAL_CASE_STATES.includes(c.state) ? 'final' : null;
}
