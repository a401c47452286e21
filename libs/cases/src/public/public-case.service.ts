import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  PUBLIC_RATE_WINDOW_SECONDS,
  type CaseState,
  type PublicActor,
  type PublicCaseEvent,
  type PublicCasePhoto,
  type PublicCaseStatus,
  type PublicCaseView,
  type PublicCategoryGroup,
  type PublicFileCaseRequest,
  type PublicFiledCase,
  type PublicRatingRequest,
  type PublicReportContext,
  type ResponsePromise,
} from '@cityops/contracts';
import { APP_CONFIG, RateLimitService, ValidationError, type AppConfig } from '@cityops/core';
import { AreaDirectory, type AreaRef, type ScopeRoots } from '@cityops/geo';
import { CaseViews } from '../case-views';
import { CaseRepository, type StoredCase, type StoredCaseEvent, type StoredCategory } from '../case.repository';
import { CaseService } from '../case.service';
import { CasePhotoService } from '../photos/case-photo.service';
import { PublicCaseNotFoundError, PublicGridNotFoundError } from './public-case.exception';
import { reportQrSvg } from './report-qr';

const HOUR_MS = 3_600_000;
/** A chain of merges is followed this far at most (a merge target is always open when merged, so chains are short). */
const MAX_MERGE_HOPS = 10;

/** Internal states as the public is told them: the command centre's side roads stay inside. */
const PUBLIC_STATUS: Record<CaseState, PublicCaseStatus> = {
  reported: 'received',
  dispatched: 'dispatched',
  accepted: 'accepted',
  in_progress: 'in_progress',
  resolved: 'resolved',
  verified: 'verified',
  closed: 'closed',
  returned: 'reassigning',
  invalid: 'invalid',
  // Never shown for itself (the surviving case is answered); only if a merge chain were broken.
  duplicate: 'closed',
  cancelled: 'cancelled',
};

const COMMAND_ACTIONS = new Set(['dispatch', 'reroute', 'invalidate', 'merge', 'merged_in', 'split', 'split_from']);
const DEPARTMENT_ACTIONS = new Set(['accept', 'return', 'start', 'resolve']);
const GRID_WORKER_ACTIONS = new Set(['verify', 'reject']);
/** The first answer an enterprise is promised: the department taking the case on, or the case ruled out. */
const RESPONSE_ACTIONS = new Set(['accept', 'invalidate', 'cancel']);

/** A group that promises a first answer within hours is the enterprise group (企业呼): its filers name their enterprise. */
export const isEnterpriseGroup = (c: Pick<StoredCategory, 'responsePromiseHours'>): boolean => c.responsePromiseHours !== null;

/**
 * The promise of a first answer (企业呼): due at filing + the promised clock hours; kept when the
 * first answer came by then, missed when it came later or has not come and the time is up.
 */
export function responsePromise(createdAt: Date, hours: number, respondedAt: Date | null, now: Date): ResponsePromise {
  const dueAt = new Date(createdAt.getTime() + hours * HOUR_MS);
  const status = respondedAt ? (respondedAt <= dueAt ? 'kept' : 'missed') : now > dueAt ? 'missed' : 'running';
  return { hours, dueAt: dueAt.toISOString(), respondedAt: respondedAt?.toISOString() ?? null, status };
}

/**
 * The citizen's side of cases, without an account: what the page a grid's QR code opens needs,
 * filing as a citizen or an enterprise (rate-limited per client address), and following a case by
 * its public token — its public timeline (no internal notes, no staff names), its photos, the
 * enterprise promise, and the reporter's rating that closes it.
 *
 * Where a report lies: the phone's position, else a point inside the QR code's grid. Any position
 * in the city is taken and the case falls in the grid under it (a citizen standing across the
 * street from the poster reports where the problem is); outside every grid it is refused.
 */
@Injectable()
export class PublicCaseService {
  constructor(
    private readonly cases: CaseRepository,
    private readonly caseService: CaseService,
    private readonly areas: AreaDirectory,
    private readonly views: CaseViews,
    private readonly photos: CasePhotoService,
    private readonly limits: RateLimitService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The grid's names, district and a point inside it, and the categories in use by group. Unknown grid: 404. */
  async context(gridCode: string): Promise<PublicReportContext> {
    const grid = await this.grid(gridCode);
    if (!grid?.center) throw new PublicGridNotFoundError(gridCode);
    const path = await this.areas.byIds(grid.path);
    const district = grid.path.map((id) => path.get(id)).find((a) => a?.level === 'district') ?? null;
    return {
      grid: { code: grid.code, name: grid.name, nameEn: grid.nameEn },
      district: district ? { code: district.code, name: district.name, nameEn: district.nameEn } : null,
      center: grid.center,
      groups: groupsOf(await this.cases.categories()),
    };
  }

  /**
   * Files a report from the public: checked, then counted against the address's budget (a
   * refused form costs nothing), then filed through CaseService as a citizen's or, for the
   * enterprise group, an enterprise's, without an account.
   */
  async file(body: PublicFileCaseRequest, clientAddress: string): Promise<PublicFiledCase> {
    const errors: { path: string; message: string }[] = [];
    const grid = await this.grid(body.grid);
    if (!grid?.center) errors.push({ path: 'grid', message: 'no such grid: scan the QR code again' });
    const category = (await this.cases.categories()).find((c) => c.key === body.category && c.enabled);
    if (!category) errors.push({ path: 'category', message: 'no such category in use' });
    const enterprise = category ? isEnterpriseGroup(category) : false;
    if (enterprise && !body.enterprise)
      errors.push({ path: 'enterprise', message: 'an enterprise request names the enterprise and its credit code' });
    if (category && !enterprise && body.enterprise)
      errors.push({ path: 'enterprise', message: 'only enterprise requests (企业服务) name an enterprise' });
    const location = body.location ?? grid?.center;
    if (errors.length || !category || !location) throw new ValidationError(errors);

    await this.limits.consume(
      `reports from this address (${this.config.rateLimits.publicReports} in 10 minutes)`,
      [{ bucket: ['public-reports', this.addressKey(clientAddress)], limit: this.config.rateLimits.publicReports }],
      PUBLIC_RATE_WINDOW_SECONDS,
    );
    const filed = await this.caseService.file(
      {
        category: category.key,
        description: body.description,
        location,
        address: body.address,
        priority: 'normal',
        clientRequestId: body.clientRequestId,
      },
      {
        userId: null,
        submittedBy: `public:${this.reportKey(body)}`,
        actor: enterprise ? 'enterprise' : 'citizen',
        reporterName: body.name ?? body.enterprise?.name ?? null,
        reporterContact: body.contact ?? null,
        scope: null,
        ...(body.enterprise ? { enterprise: body.enterprise } : {}),
      },
      enterprise ? 'enterprise' : 'citizen',
    );
    return { code: filed.code, token: filed.publicToken, followUrl: `/r/${filed.publicToken}` };
  }

  /** What the token's holder may see; a case merged away answers the case it was merged into. */
  async view(token: string): Promise<PublicCaseView> {
    const own = await this.cases.findByPublicToken(token);
    if (!own) throw new PublicCaseNotFoundError();
    const shown = await this.survivor(own);
    const isOwn = shown.id === own.id;
    const [[summary], categories, events, photos] = await Promise.all([
      this.views.summaries([shown]),
      this.cases.categories(),
      this.cases.events(shown.id, false),
      this.publicPhotos(shown, isOwn),
    ]);
    const category = categories.find((c) => c.key === shown.category);
    const departments = await this.views.departmentNames();
    const firstResponse = events.find((e) => RESPONSE_ACTIONS.has(e.action) && e.toState !== null);
    return {
      code: shown.code,
      category: shown.category,
      categoryName: summary.categoryName,
      categoryNameEn: summary.categoryNameEn,
      groupName: category?.groupName ?? '',
      groupNameEn: category?.groupNameEn ?? null,
      description: shown.description,
      address: shown.address,
      gridName: summary.gridName,
      districtName: summary.districtName,
      source: shown.source === 'citizen' || shown.source === 'enterprise' ? shown.source : 'other',
      status: PUBLIC_STATUS[shown.state],
      departmentName: summary.departmentName,
      createdAt: shown.createdAt.toISOString(),
      updatedAt: shown.updatedAt.toISOString(),
      acceptDueAt: summary.acceptDueAt,
      resolveDueAt: summary.resolveDueAt,
      closedAt: shown.closedAt?.toISOString() ?? null,
      rating: shown.rating,
      promise:
        category && isEnterpriseGroup(category) && category.responsePromiseHours !== null
          ? responsePromise(shown.createdAt, category.responsePromiseHours, firstResponse?.at ?? null, new Date())
          : null,
      merged: isOwn ? null : { yourCode: own.code },
      timeline: publicTimeline(shown, events, (key) => departments.get(key)?.name ?? key),
      photos: photos.map((p): PublicCasePhoto => ({
        id: p.id,
        stage: p.stage,
        mimeType: p.mimeType,
        width: p.width,
        height: p.height,
        createdAt: p.createdAt.toISOString(),
      })),
      mayAddPhotos: isOwn && (shown.state === 'reported' || shown.state === 'dispatched'),
      mayRate: isOwn && shown.state === 'verified',
    };
  }

  /** A photo the token's holder may see (its own, or one of the fix), full size or thumbnail. */
  async photo(token: string, id: string, size: 'full' | 'thumbnail'): Promise<{ bytes: Buffer; mime: string }> {
    const own = await this.cases.findByPublicToken(token);
    if (!own) throw new PublicCaseNotFoundError();
    const shown = await this.survivor(own);
    const photo = (await this.publicPhotos(shown, shown.id === own.id)).find((p) => p.id === id);
    const stored = photo ? await this.photos.read(size === 'full' ? photo.storageKey : photo.thumbnailKey) : null;
    if (!stored) throw new PublicCaseNotFoundError('photo');
    return { bytes: stored.bytes, mime: stored.mime };
  }

  /** A photo of the problem from the reporter, while the case waits to be taken on; counted per address. */
  async addPhoto(token: string, bytes: Buffer, clientAddress: string): Promise<PublicCasePhoto> {
    if (!(await this.cases.findByPublicToken(token))) throw new PublicCaseNotFoundError();
    await this.limits.consume(
      `photos from this address (${this.config.rateLimits.publicPhotos} in 10 minutes)`,
      [{ bucket: ['public-photos', this.addressKey(clientAddress)], limit: this.config.rateLimits.publicPhotos }],
      PUBLIC_RATE_WINDOW_SECONDS,
    );
    const photo = await this.caseService.addPhotoAsReporter(token, bytes);
    if (!photo) throw new PublicCaseNotFoundError();
    return {
      id: photo.id,
      stage: photo.stage,
      mimeType: photo.mimeType,
      width: photo.width,
      height: photo.height,
      createdAt: photo.createdAt,
    };
  }

  /** The reporter closes a case verified on site, with a rating (the workflow's `close` by its reporter); counted per address like photos. */
  async rate(token: string, body: PublicRatingRequest, clientAddress: string): Promise<PublicCaseView> {
    if (!(await this.cases.findByPublicToken(token))) throw new PublicCaseNotFoundError();
    await this.limits.consume(
      `ratings from this address (${this.config.rateLimits.publicPhotos} in 10 minutes)`,
      [{ bucket: ['public-ratings', this.addressKey(clientAddress)], limit: this.config.rateLimits.publicPhotos }],
      PUBLIC_RATE_WINDOW_SECONDS,
    );
    const closed = await this.caseService.actAsReporter(token, { action: 'close', rating: body.rating, comment: body.comment });
    if (!closed) throw new PublicCaseNotFoundError();
    return this.view(token);
  }

  /**
   * The poster of a grid in the caller's areas: a QR code of `<origin>/report?grid=<code>`, the
   * configured public origin (PUBLIC_BASE_URL) or else the one the request came in at. Not a grid,
   * or outside the caller's areas: 404.
   */
  async reportQr(gridCode: string, scope: ScopeRoots, requestOrigin: string): Promise<{ svg: string; url: string }> {
    const grid = await this.grid(gridCode);
    if (!grid || (scope !== null && !(await this.areas.scopeAreaIds(scope)).has(grid.id))) throw new PublicGridNotFoundError(gridCode);
    const path = await this.areas.byIds(grid.path);
    const district = grid.path.map((id) => path.get(id)).find((a) => a?.level === 'district');
    const url = `${this.config.publicBaseUrl ?? requestOrigin}/report?grid=${encodeURIComponent(grid.code)}`;
    const svg = await reportQrSvg(url, {
      title: grid.name,
      subtitle: district ? `${district.name} · ${grid.code}` : grid.code,
      hint: '扫码上报问题 · Scan to report a problem',
    });
    return { svg, url };
  }

  // ---- helpers ----

  private async grid(code: string): Promise<AreaRef | null> {
    const area = (await this.areas.byCodes([code])).get(code);
    return area && area.level === 'grid' ? area : null;
  }

  /** The case a merged one lives on in (its reporters follow it); the case itself otherwise. */
  private async survivor(c: StoredCase): Promise<StoredCase> {
    let shown = c;
    for (let hop = 0; hop < MAX_MERGE_HOPS && shown.state === 'duplicate' && shown.mergedInto; hop++) {
      const next = await this.cases.findById(shown.mergedInto);
      if (!next) break;
      shown = next;
    }
    return shown;
  }

  /** The reporter's own photos (only on its own case) and the photos that prove the fix. */
  private async publicPhotos(c: StoredCase, isOwn: boolean) {
    return (await this.cases.photos(c.id)).filter(
      (p) => (isOwn && p.stage === 'report' && p.uploadedBy === 'reporter') || (p.stage === 'resolve' && p.attached),
    );
  }

  /** The client address as the budget's key: keyed by a server secret, so it names no address. */
  private addressKey(address: string): string {
    return createHmac('sha256', this.config.secretsKey).update(`public-address:${address}`).digest('hex').slice(0, 24);
  }

  /**
   * What a retry is recognised by, with its clientRequestId: the report itself (grid, category,
   * description, enterprise), not the client address, since a phone retrying after a lost answer
   * has often moved from Wi-Fi to mobile data. Binding it to the report keeps another filer who
   * happens to use the same clientRequestId from being answered someone else's case and token.
   */
  private reportKey(body: PublicFileCaseRequest): string {
    const report = JSON.stringify([body.grid, body.category, body.description, body.enterprise?.creditCode ?? null]);
    return createHmac('sha256', this.config.secretsKey).update(`public-report:${report}`).digest('hex').slice(0, 24);
  }
}

function groupsOf(categories: readonly StoredCategory[]): PublicCategoryGroup[] {
  const groups = new Map<string, PublicCategoryGroup>();
  for (const c of categories) {
    if (!c.enabled) continue;
    let group = groups.get(c.group);
    if (!group) {
      group = {
        key: c.group,
        name: c.groupName,
        nameEn: c.groupNameEn,
        responsePromiseHours: c.responsePromiseHours,
        enterprise: isEnterpriseGroup(c),
        categories: [],
      };
      groups.set(c.group, group);
    }
    group.categories.push({ key: c.key, name: c.name, nameEn: c.nameEn });
  }
  return [...groups.values()];
}

/**
 * The timeline as the public sees it (the events are already without internal notes): who acted
 * as a role or a department, never a user name; the status each step led to.
 */
export function publicTimeline(
  c: Pick<StoredCase, 'source'>,
  events: readonly StoredCaseEvent[],
  departmentName: (key: string) => string,
): PublicCaseEvent[] {
  let department: string | null = null;
  return events.map((e) => {
    const named = typeof e.detail.department === 'string' ? e.detail.department : null;
    if ((e.action === 'dispatch' || e.action === 'reroute') && named) department = named;
    let by: PublicActor;
    let dept: string | null = null;
    if (e.action === 'filed') {
      by =
        c.source === 'citizen' || c.source === 'enterprise'
          ? 'reporter'
          : c.source === 'grid_worker'
            ? 'grid_worker'
            : c.source === 'staff'
              ? 'staff'
              : 'system';
    } else if (e.actor === 'reporter') by = 'reporter';
    else if (e.actor === 'system' || e.action === 'supervised' || e.action === 'detected') by = 'system';
    else if (COMMAND_ACTIONS.has(e.action) || e.action === 'close' || e.action === 'cancel') by = 'command_centre';
    else if (DEPARTMENT_ACTIONS.has(e.action)) by = 'department';
    else if (GRID_WORKER_ACTIONS.has(e.action)) by = 'grid_worker';
    else by = 'staff';
    if (e.action === 'dispatch' || e.action === 'reroute') dept = named;
    else if (by === 'department') dept = e.action === 'return' ? (named ?? department) : department;
    if (e.action === 'return') department = null;
    return {
      at: e.at.toISOString(),
      action: e.action,
      status: e.toState ? PUBLIC_STATUS[e.toState] : null,
      by,
      departmentName: dept ? departmentName(dept) : null,
      comment: e.comment,
    };
  });
}
