import { z } from 'zod';
import { alertLevelSchema, alertStateSchema } from './alerts';
import { positionSchema } from './geo';
import { bboxSchema } from './ogc';
import { storableTimestampSchema } from './storable';

/**
 * A case's life (网格化闭环): reported → dispatched → accepted → in progress → resolved → verified
 * → closed, with the side roads returned (退单, back to the command centre), invalid, duplicate
 * (merged into another case) and cancelled.
 */
export const CASE_STATES = [
  'reported',
  'dispatched',
  'accepted',
  'in_progress',
  'resolved',
  'verified',
  'closed',
  'returned',
  'invalid',
  'duplicate',
  'cancelled',
] as const;
export const caseStateSchema = z.enum(CASE_STATES).meta({ id: 'CaseState' });
export type CaseState = z.output<typeof caseStateSchema>;

/** States nothing leaves. */
export const FINAL_CASE_STATES: readonly CaseState[] = ['closed', 'invalid', 'duplicate', 'cancelled'];

/**
 * What can be done to a case. `dispatch`/`reroute`, `invalidate`, `merge`: the command centre;
 * `accept`, `return`, `start`, `resolve`: the responsible department's handlers; `verify` and
 * `reject` (the fix does not hold: reopened): a grid worker of the case's grid, on site; `close`
 * (with the reporter's rating); `cancel`: the reporter, or the command centre.
 */
export const CASE_ACTIONS = [
  'dispatch',
  'reroute',
  'accept',
  'return',
  'start',
  'resolve',
  'verify',
  'reject',
  'close',
  'invalidate',
  'merge',
  'cancel',
] as const;
export const caseActionSchema = z.enum(CASE_ACTIONS).meta({ id: 'CaseAction' });
export type CaseAction = z.output<typeof caseActionSchema>;

/** The reporter's rating when a case closes: 1 (poor) to 5 (very good). */
export const caseRatingSchema = z.number().int().min(1).max(5);

/** Where a case came from. */
export const CASE_SOURCES = ['citizen', 'grid_worker', 'staff', 'alert', 'machine', 'enterprise'] as const;
export const caseSourceSchema = z.enum(CASE_SOURCES).meta({ id: 'CaseSource' });
export type CaseSource = z.output<typeof caseSourceSchema>;

export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const casePrioritySchema = z.enum(CASE_PRIORITIES).meta({ id: 'CasePriority' });
export type CasePriority = z.output<typeof casePrioritySchema>;

const timestamp = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().trim().min(1).max(max);
const categoryKeySchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, 'a category key');

/** A case's code in a path: `GZ-TH-20261129-0042`. */
export const caseCodeParamsSchema = z.object({
  code: z
    .string()
    .max(40)
    .regex(/^[A-Za-z0-9]{1,6}-[A-Za-z0-9]{1,6}-\d{8}-\d{4,9}$/, 'a case code such as GZ-TH-20261129-0042')
    .transform((c) => c.toUpperCase()),
});
export type CaseCodeParams = z.output<typeof caseCodeParamsSchema>;

export const fileCaseSchema = z
  .object({
    category: categoryKeySchema.meta({ description: 'A category key of `GET /api/case-categories`.' }),
    description: text(4000),
    location: positionSchema,
    address: text(300).optional(),
    priority: casePrioritySchema.default('normal'),
    reportedAt: storableTimestampSchema.optional().meta({ description: 'When the problem was seen; default now. Not in the future.' }),
    alertId: z.uuid().optional().meta({ description: 'The alert this case is filed from; the alert links back to it.' }),
    clientRequestId: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,100}$/, '1–100 letters, digits, _ . : -')
      .optional()
      .meta({ description: 'Set by the client once per case: a retried submission answers the case its first attempt filed.' }),
  })
  .meta({ id: 'FileCaseRequest' });
export type FileCaseRequest = z.output<typeof fileCaseSchema>;

export const caseSummarySchema = z
  .object({
    code: z.string(),
    category: z.string(),
    categoryName: z.string(),
    categoryNameEn: z.string().nullable(),
    categoryGroup: z.string(),
    description: z.string(),
    address: z.string().nullable(),
    location: positionSchema,
    gridCode: z.string(),
    gridName: z.string(),
    districtCode: z.string().nullable(),
    districtName: z.string().nullable(),
    priority: casePrioritySchema,
    source: caseSourceSchema,
    state: caseStateSchema,
    department: z.string().nullable(),
    departmentName: z.string().nullable(),
    /** The department's English name, for a page in English (null when it has none, or the case no department). */
    departmentNameEn: z.string().nullable(),
    reportedAt: timestamp,
    createdAt: timestamp,
    updatedAt: timestamp,
    acceptDueAt: timestamp.nullable().meta({ description: 'Working-calendar deadline to accept, once dispatched.' }),
    resolveDueAt: timestamp.nullable().meta({ description: 'Working-calendar deadline to resolve, once accepted.' }),
    overdue: z
      .enum(['accept', 'resolve'])
      .nullable()
      .meta({ description: 'The stage whose deadline has passed while the case is still in it; null when none.' }),
    supervision: z
      .object({
        stage: z.enum(['accept', 'resolve']),
        level: z.number().int().min(1).max(4).meta({ description: '1 community, 2 street, 3 district, 4 command centre.' }),
        areaCode: z.string().nullable(),
        areaName: z.string().nullable(),
        areaLevel: z.string().nullable(),
        at: timestamp,
      })
      .nullable()
      .meta({ description: '督办: the overdue stage escalated up the hierarchy, and who supervises it now; null when none.' }),
  })
  .meta({ id: 'CaseSummary' });

/** `case.changed` on the `cases` channel: what was done, and the case as it stands. */
export interface CaseChangedEvent {
  action: string;
  case: CaseSummary;
}
export type CaseSummary = z.output<typeof caseSummarySchema>;

export const caseEventViewSchema = z
  .object({
    id: z.string(),
    at: timestamp,
    actor: z.string(),
    action: z.string().meta({ description: '`filed`, an action of `CaseAction`, `note`, or `escalated`.' }),
    fromState: caseStateSchema.nullable(),
    toState: caseStateSchema.nullable(),
    comment: z.string().nullable(),
    internal: z.boolean().meta({ description: 'An internal note: never shown to the reporter.' }),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'CaseEvent' });
export type CaseEventView = z.output<typeof caseEventViewSchema>;

export const routingRuleViewSchema = z
  .object({
    id: z.uuid(),
    category: z.string().nullable().meta({ description: 'A category key, a group key, or null for any category.' }),
    areaCode: z.string().nullable().meta({ description: 'An area (with all inside it), or null for the whole city.' }),
    areaName: z.string().nullable(),
    department: z.string(),
    departmentName: z.string(),
    createdBy: z.string(),
    createdAt: timestamp,
  })
  .meta({ id: 'CaseRoutingRule', description: 'Cases of a category in an area go to a department; the most specific rule wins.' });
export type RoutingRuleView = z.output<typeof routingRuleViewSchema>;

export const caseActionRequestSchema = z
  .object({
    action: caseActionSchema,
    department: z.string().min(1).max(50).optional().meta({ description: '`dispatch`, `reroute`: a department key.' }),
    reason: text(2000).optional().meta({ description: '`return`, `reject`, `invalidate`, and `cancel` by staff.' }),
    comment: text(2000).optional(),
    rating: caseRatingSchema.optional().meta({ description: '`close`: the reporter’s rating, 1–5.' }),
    mergeInto: caseCodeParamsSchema.shape.code.optional().meta({ description: '`merge`: the code of the case this one duplicates.' }),
    photoIds: z
      .array(z.uuid())
      .max(10)
      .optional()
      .meta({ description: 'Photos uploaded to this case for this action (the after photo of `resolve`).' }),
    expectedState: caseStateSchema
      .optional()
      .meta({ description: 'The state the client saw; when the case has moved on since, the answer is 409 and nothing changes.' }),
  })
  .meta({ id: 'CaseActionRequest' });
export type CaseActionRequest = z.output<typeof caseActionRequestSchema>;

export const caseNoteSchema = z
  .object({
    comment: text(2000),
    internal: z.boolean().default(true).meta({ description: 'Internal notes are never shown to the reporter.' }),
  })
  .meta({ id: 'CaseNoteRequest' });
export type CaseNoteRequest = z.output<typeof caseNoteSchema>;

const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .max(500)
    .transform((v) => v.split(',').filter(Boolean))
    .pipe(z.array(z.enum(values)).max(values.length));

export const listCasesQuerySchema = z.object({
  state: csv(CASE_STATES).optional().meta({ description: 'Comma-separated states.' }),
  open: z.enum(['true', 'false']).optional().meta({ description: '`true`: only cases not closed, invalid, merged or cancelled.' }),
  category: categoryKeySchema.optional().meta({ description: 'A category or a category group.' }),
  department: z.string().max(50).optional(),
  source: caseSourceSchema.optional(),
  priority: casePrioritySchema.optional(),
  area: z.string().min(1).max(100).optional().meta({ description: 'An area code: cases in it or anywhere inside it.' }),
  overdue: z.enum(['true', 'false']).optional(),
  alert: z.uuid().optional().meta({ description: 'Only cases filed from this alert.' }),
  q: z.string().max(100).optional().meta({ description: 'Part of the description or address, or a case code.' }),
  before: caseCodeParamsSchema.shape.code.optional().meta({ description: 'Paging: the code of the last case of the previous page.' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListCasesQuery = z.output<typeof listCasesQuerySchema>;

export const alertCasesQuerySchema = listCasesQuerySchema.pick({ before: true, limit: true });
export type AlertCasesQuery = z.output<typeof alertCasesQuerySchema>;

export const casePageSchema = z
  .object({
    items: z.array(caseSummarySchema),
    next: z.string().nullable().meta({ description: 'Pass as `before` for the next page; null on the last.' }),
  })
  .meta({ id: 'CasePage' });
export type CasePage = z.output<typeof casePageSchema>;

export const caseCategoryViewSchema = z
  .object({
    key: z.string(),
    group: z.string(),
    groupName: z.string(),
    groupNameEn: z.string().nullable(),
    name: z.string(),
    nameEn: z.string().nullable(),
    acceptHours: z.number().meta({ description: 'Working hours from dispatch to acceptance.' }),
    resolveHours: z.number().meta({ description: 'Working hours from acceptance to resolution.' }),
    responsePromiseHours: z
      .number()
      .nullable()
      .meta({ description: 'The group’s promise of a first answer, in clock hours (企业呼: 24).' }),
    enabled: z.boolean(),
  })
  .meta({ id: 'CaseCategory' });
export type CaseCategoryView = z.output<typeof caseCategoryViewSchema>;

export const createRoutingRuleSchema = z
  .object({
    category: categoryKeySchema.nullable().meta({ description: 'A category key, a group key, or null for any category.' }),
    areaCode: z.string().min(1).max(100).nullable().meta({ description: 'An area code, or null for the whole city.' }),
    department: z.string().min(1).max(50),
  })
  .meta({ id: 'CreateRoutingRuleRequest' });
export type CreateRoutingRuleRequest = z.output<typeof createRoutingRuleSchema>;

export const routingRuleIdParamsSchema = z.object({ id: z.uuid() });
export type RoutingRuleIdParams = z.output<typeof routingRuleIdParamsSchema>;

/** A case photo's upload limit, in bytes (10 MiB): the phone page checks it before sending. */
export const CASE_PHOTO_MAX_BYTES = 10 * 1024 * 1024;

/** What a case photo may be, decided from its bytes (never from its name or declared type). */
export const CASE_PHOTO_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type CasePhotoMimeType = (typeof CASE_PHOTO_MIME_TYPES)[number];

/**
 * Why a photo was refused: `empty` (no bytes), `size` (over CASE_PHOTO_MAX_BYTES), `type` (not a
 * JPEG, PNG or WebP still image by its content), `broken` (cut short or undecodable), `dimensions`
 * (too small to show anything, or so many pixels that decoding it could exhaust memory).
 */
export const CASE_PHOTO_REJECTIONS = ['empty', 'size', 'type', 'broken', 'dimensions'] as const;
export const casePhotoRejectionSchema = z.enum(CASE_PHOTO_REJECTIONS).meta({ id: 'CasePhotoRejection' });
export type CasePhotoRejection = z.output<typeof casePhotoRejectionSchema>;

export const CASE_PHOTO_STAGES = ['report', 'resolve', 'verify', 'note'] as const;
export const casePhotoStageSchema = z.enum(CASE_PHOTO_STAGES).meta({ id: 'CasePhotoStage' });
export type CasePhotoStage = z.output<typeof casePhotoStageSchema>;

export const casePhotoViewSchema = z
  .object({
    id: z.uuid(),
    stage: casePhotoStageSchema.meta({
      description: 'What it shows: the problem reported, the fix (resolve), the check on site (verify).',
    }),
    mimeType: z.enum(CASE_PHOTO_MIME_TYPES),
    width: z.number().int(),
    height: z.number().int(),
    bytes: z.number().int(),
    takenLocation: positionSchema
      .nullable()
      .meta({ description: 'Where the photo says it was taken (EXIF, read before it was stripped).' }),
    takenAt: timestamp.nullable(),
    uploadedBy: z.string(),
    createdAt: timestamp,
    attached: z.boolean().meta({ description: 'Used by an action (e.g. the resolve it proves); an unattached photo waits for one.' }),
  })
  .meta({ id: 'CasePhoto' });
export type CasePhotoView = z.output<typeof casePhotoViewSchema>;

export const uploadCasePhotoQuerySchema = z.object({
  stage: casePhotoStageSchema.default('note'),
});
export type UploadCasePhotoQuery = z.output<typeof uploadCasePhotoQuerySchema>;

export const casePhotoParamsSchema = caseCodeParamsSchema.extend({ id: z.uuid() });
export type CasePhotoParams = z.output<typeof casePhotoParamsSchema>;

export const casePhotoQuerySchema = z.object({
  size: z.enum(['full', 'thumbnail']).default('full'),
});
export type CasePhotoQuery = z.output<typeof casePhotoQuerySchema>;

export const casePhotoBytesSchema = z
  .string()
  .meta({ description: 'The image (JPEG for the full size, WebP for the thumbnail), metadata stripped.' });

/** Duplicates are looked for among open cases of the same category this near and this recent. */
export const DUPLICATE_RADIUS_METERS = 100;
export const DUPLICATE_WINDOW_HOURS = 48;

export const caseDuplicateSchema = z
  .object({
    case: caseSummarySchema,
    distanceMeters: z.number().int().meta({ description: 'On the ground, from the place asked about.' }),
  })
  .meta({ id: 'CaseDuplicate' });
export type CaseDuplicateView = z.output<typeof caseDuplicateSchema>;

export const caseDuplicatesQuerySchema = z.object({
  category: categoryKeySchema,
  lon: z.coerce.number().min(-180).max(180),
  lat: z.coerce.number().min(-90).max(90),
});
export type CaseDuplicatesQuery = z.output<typeof caseDuplicatesQuerySchema>;

export const splitCaseSchema = z
  .object({
    category: categoryKeySchema,
    description: text(4000),
    location: positionSchema.optional().meta({ description: 'Default: the original case’s location.' }),
    address: text(300).optional(),
    reason: text(2000).meta({ description: 'Why the report holds another problem.' }),
  })
  .meta({ id: 'SplitCaseRequest' });
export type SplitCaseRequest = z.output<typeof splitCaseSchema>;

// ---- machine-filed cases ----

export const DETECTION_VERDICTS = ['filed', 'attached', 'ignored', 'rejected'] as const;
export const detectionVerdictSchema = z.enum(DETECTION_VERDICTS).meta({
  id: 'DetectionVerdict',
  description:
    'filed: a new case; attached: to an open case of its category nearby; ignored: under the confidence floor; rejected: with its reason.',
});
export type DetectionVerdict = z.output<typeof detectionVerdictSchema>;

/** One detected problem, as a video-analysis or sensor system sends it; checked record by record. */
export const detectionSchema = z
  .object({
    id: z
      .string()
      .regex(/^[\x21-\x7e]{1,200}$/, '1–200 printable ASCII characters')
      .meta({ description: 'The system’s own id: a re-sent detection is recognised by it.' }),
    kind: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .meta({ description: 'What was detected, in the system’s words (mapped to a case category by the source).' }),
    confidence: z.number().min(0).max(1),
    location: positionSchema,
    detectedAt: storableTimestampSchema,
    snapshotUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional()
      .meta({ description: 'Where the system keeps the frame it detected the problem in.' }),
    description: text(500).optional(),
  })
  .meta({ id: 'Detection' });
export type Detection = z.output<typeof detectionSchema>;

export const detectionsBodySchema = z
  .object({ detections: z.array(z.unknown()).min(1).max(1000) })
  .meta({ id: 'DetectionBatch', description: 'Up to 1,000 detections; each is checked on its own (see Detection).' });

export const detectionResultSchema = z
  .object({
    received: z.number().int(),
    filed: z.number().int(),
    attached: z.number().int(),
    ignored: z.number().int(),
    rejected: z.number().int(),
    results: z.array(
      z.object({
        index: z.number().int(),
        id: z.string().nullable(),
        verdict: detectionVerdictSchema,
        caseCode: z.string().nullable(),
        reason: z.string().nullable(),
        repeated: z.boolean().meta({ description: 'Received before: the answer is what became of it then.' }),
      }),
    ),
  })
  .meta({ id: 'DetectionResult' });
export type DetectionResult = z.output<typeof detectionResultSchema>;

export const detectionSourceWriteSchema = z
  .object({
    categories: z
      .record(z.string().trim().min(1).max(100), categoryKeySchema)
      .refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= 200, '1–200 detection kinds')
      .meta({ description: 'Detection kind → case category key.' }),
    minConfidence: z.number().min(0).max(1).default(0),
    enabled: z.boolean().default(true),
  })
  .meta({ id: 'DetectionSourceWrite' });
export type DetectionSourceWrite = z.output<typeof detectionSourceWriteSchema>;

export const detectionSourceViewSchema = z
  .object({
    feed: z.string(),
    categories: z.record(z.string(), z.string()),
    minConfidence: z.number(),
    enabled: z.boolean(),
    updatedBy: z.string(),
    updatedAt: timestamp,
  })
  .meta({ id: 'DetectionSource' });
export type DetectionSourceView = z.output<typeof detectionSourceViewSchema>;

export const detectionViewSchema = z
  .object({
    feed: z.string(),
    detectionId: z.string().nullable(),
    kind: z.string().nullable(),
    confidence: z.number().nullable(),
    location: positionSchema.nullable(),
    detectedAt: timestamp.nullable(),
    snapshotUrl: z.string().nullable(),
    verdict: detectionVerdictSchema,
    reason: z.string().nullable(),
    caseCode: z.string().nullable(),
    receivedAt: timestamp,
    raw: z.string().nullable().meta({ description: 'A rejected detection as it came (cut to 10 kB).' }),
  })
  .meta({ id: 'DetectionRecord' });
export type DetectionView = z.output<typeof detectionViewSchema>;

export const listDetectionsQuerySchema = z.object({
  verdict: detectionVerdictSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type ListDetectionsQuery = z.output<typeof listDetectionsQuerySchema>;

/** The alert a case was filed from, as the case shows it (the link back). */
export const caseAlertSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    indicatorKey: z.string(),
    indicatorName: z.string(),
    indicatorNameEn: z.string().nullable(),
    areaCode: z.string(),
    areaName: z.string(),
    areaNameEn: z.string().nullable(),
    level: alertLevelSchema,
    state: alertStateSchema,
    startedAt: timestamp,
  })
  .meta({ id: 'CaseAlert' });
export type CaseAlert = z.output<typeof caseAlertSchema>;

export const caseDetailSchema = caseSummarySchema
  .extend({
    reporter: z.string().nullable().meta({ description: 'The reporter’s name as given (staff only).' }),
    assignee: z.string().nullable(),
    mergedInto: z.string().nullable().meta({ description: 'The surviving case, when this one was merged as a duplicate.' }),
    mergedFrom: z.array(z.string()).meta({ description: 'Cases merged into this one.' }),
    splitFrom: z.string().nullable().meta({ description: 'The case this one was split off.' }),
    detections: z
      .array(detectionViewSchema)
      .meta({ description: 'Machine detections that filed it or were attached to it, newest first.' }),
    splitInto: z.array(z.string()).meta({ description: 'Cases split off this one.' }),
    possibleDuplicates: z.array(caseDuplicateSchema).meta({
      description: `Open cases of the same category within ${DUPLICATE_RADIUS_METERS} m filed within ${DUPLICATE_WINDOW_HOURS} h before it (while it can still be merged).`,
    }),
    rating: z.number().int().nullable(),
    alertId: z.uuid().nullable(),
    alert: caseAlertSchema
      .nullable()
      .meta({ description: 'The alert it was filed from, when the caller may see that alert (`alertId` is given either way).' }),
    routedBy: routingRuleViewSchema.nullable().meta({ description: 'The rule that routed it; null when dispatched by hand or not yet.' }),
    areaPath: z
      .array(z.object({ code: z.string(), name: z.string(), level: z.string() }))
      .meta({ description: 'The city down to the grid.' }),
    timeline: z.array(caseEventViewSchema),
    photos: z.array(casePhotoViewSchema),
    availableActions: z.array(caseActionSchema).meta({ description: 'What the caller may do now (inputs aside).' }),
    maySplit: z.boolean().meta({ description: 'The caller may split a second problem off this case (`POST /api/cases/{code}/split`).' }),
  })
  .meta({ id: 'CaseDetail' });
export type CaseDetail = z.output<typeof caseDetailSchema>;

// ---- statistics ----

export const caseStatisticsQuerySchema = z
  .object({
    by: z.enum(['district', 'street', 'department']).default('district'),
    from: storableTimestampSchema.optional().meta({ description: 'Cases filed from this instant; default 30 days ago.' }),
    to: storableTimestampSchema.optional().meta({ description: 'Cases filed before this instant; default now.' }),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && Date.parse(q.from) >= Date.parse(q.to))
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  });
export type CaseStatisticsQuery = z.output<typeof caseStatisticsQuerySchema>;

const rate = z.number().min(0).max(1).nullable();

export const caseStatisticsRowSchema = z
  .object({
    key: z.string().meta({ description: 'The area code or department code (empty: not dispatched yet).' }),
    name: z.string(),
    nameEn: z.string().nullable(),
    filed: z.number().int(),
    open: z.number().int(),
    closed: z.number().int(),
    acceptOnTimeRate: rate.meta({
      description: 'Accepted by the deadline ÷ (accepted by it + accepted after it or still waiting past it); null when none.',
    }),
    resolveOnTimeRate: rate,
    meanHoursToClose: z.number().nullable(),
    meanRating: z.number().nullable(),
    ratings: z.number().int(),
    enterpriseRequests: z.number().int().meta({ description: 'Cases of a group with a response promise (企业呼).' }),
    promiseKeptRate: rate.meta({ description: 'Accepted within the group’s promise (24 h for 企业呼) ÷ those decided so far.' }),
    // The counts behind the rates, so that a reader can total rows by weight rather than average percentages.
    acceptOnTime: z.number().int().meta({ description: 'Accepted by the deadline (numerator of acceptOnTimeRate).' }),
    acceptLate: z.number().int().meta({ description: 'Accepted after the deadline, or still waiting past it.' }),
    resolveOnTime: z.number().int().meta({ description: 'Resolved by the deadline (numerator of resolveOnTimeRate).' }),
    resolveLate: z.number().int().meta({ description: 'Resolved after the deadline, or still being worked past it.' }),
    promiseKept: z.number().int().meta({ description: 'Accepted within the promise (numerator of promiseKeptRate).' }),
    promiseMissed: z.number().int().meta({ description: 'Accepted after the promise, or still waiting past it.' }),
  })
  .meta({ id: 'CaseStatisticsRow' });
export type CaseStatisticsRow = z.output<typeof caseStatisticsRowSchema>;

export const caseStatisticsSchema = z
  .object({
    by: z.enum(['district', 'street', 'department']),
    from: timestamp,
    to: timestamp,
    rows: z.array(caseStatisticsRowSchema),
  })
  .meta({ id: 'CaseStatistics' });
export type CaseStatistics = z.output<typeof caseStatisticsSchema>;

// ---- the map layer of cases ----

export const caseMapQuerySchema = z.object({
  bbox: bboxSchema.optional().meta({ description: '`minLon,minLat,maxLon,maxLat` (WGS84); default the whole city.' }),
  state: csv(CASE_STATES).optional().meta({ description: 'Comma-separated states; default every open state.' }),
  category: categoryKeySchema.optional().meta({ description: 'A category or a category group.' }),
  overdue: z.enum(['true', 'false']).optional(),
  supervised: z.enum(['true', 'false']).optional().meta({ description: '`true`: only cases under supervision (督办).' }),
  limit: z.coerce.number().int().min(1).max(20_000).default(5000),
});
export type CaseMapQuery = z.output<typeof caseMapQuerySchema>;

export const caseMapFeatureSchema = z
  .object({
    type: z.literal('Feature'),
    id: z.string(),
    geometry: z.object({ type: z.literal('Point'), coordinates: positionSchema }),
    properties: z.object({
      code: z.string(),
      category: z.string(),
      categoryName: z.string(),
      categoryNameEn: z.string().nullable(),
      state: caseStateSchema,
      priority: casePrioritySchema,
      overdue: z.boolean(),
      supervisionLevel: z.number().int().meta({ description: '0: not supervised; 1 community … 4 command centre.' }),
      createdAt: timestamp,
    }),
  })
  .meta({ id: 'CaseMapFeature' });

export const caseMapSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(caseMapFeatureSchema),
    truncated: z.boolean().meta({ description: 'More cases matched than `limit`: the newest are given.' }),
  })
  .meta({ id: 'CaseMap', description: 'Cases as GeoJSON points for a map layer, newest first.' });
export type CaseMap = z.output<typeof caseMapSchema>;

/**
 * The case indicators the wall's cases panel reads for an area (computed from the case-statistics
 * feed): open cases (the numerator of the per-10k rate), overdue and supervised (督办) cases.
 */
export const CASE_PANEL_INDICATORS = {
  open: 'cases.open_per_10k',
  overdue: 'cases.overdue',
  supervised: 'cases.supervised',
} as const;
