import { z } from 'zod';
import { caseRatingSchema, casePhotoStageSchema, CASE_PHOTO_MIME_TYPES } from './cases';
import { positionSchema } from './geo';

/**
 * What a citizen (or an enterprise) sees and sends without an account: the report page reached
 * from a grid's QR code (`/report?grid=<code>`) and the follow page of a case (`/r/<token>`).
 * Nothing here names a member of staff or the reporter; the token is the only key.
 */

const timestamp = z.iso.datetime({ offset: true });
/** Free text from the public: trimmed, not empty, and without control characters (NUL cannot be stored). */
const publicText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
    .refine((v) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v), 'must not contain control characters');

/** An area code as the QR code carries it (`440106001001001`). */
export const publicGridCodeSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'an area code such as 440106001001001');

export const publicReportContextQuerySchema = z.object({ grid: publicGridCodeSchema });
export type PublicReportContextQuery = z.output<typeof publicReportContextQuerySchema>;

const namedAreaSchema = z.object({ code: z.string(), name: z.string(), nameEn: z.string().nullable() });

export const publicCategoryGroupSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    responsePromiseHours: z
      .number()
      .nullable()
      .meta({ description: 'A first answer is promised within this many clock hours (企业呼: 24); null: no promise.' }),
    enterprise: z.boolean().meta({ description: 'An enterprise request (企业呼): the enterprise’s name and credit code are required.' }),
    categories: z.array(z.object({ key: z.string(), name: z.string(), nameEn: z.string().nullable() })),
  })
  .meta({ id: 'PublicCategoryGroup' });
export type PublicCategoryGroup = z.output<typeof publicCategoryGroupSchema>;

export const publicReportContextSchema = z
  .object({
    grid: namedAreaSchema,
    district: namedAreaSchema.nullable(),
    center: positionSchema.meta({ description: 'A point inside the grid: where a report is placed without the phone’s position.' }),
    groups: z.array(publicCategoryGroupSchema).meta({ description: 'The categories in use, by group.' }),
  })
  .meta({ id: 'PublicReportContext' });
export type PublicReportContext = z.output<typeof publicReportContextSchema>;

/** The 31 characters of a unified social credit code (no I, O, S, V, Z). */
const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * Whether a 统一社会信用代码 (GB 32100-2015) is well formed: 18 characters of its alphabet whose
 * last is the check character of the first 17 (weights 3^i mod 31).
 */
export function isCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  const sum = CREDIT_CODE_WEIGHTS.reduce((s, w, i) => s + CREDIT_CODE_CHARS.indexOf(code[i]) * w, 0);
  return CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31] === code[17];
}

/** A phone number (digits, spaces, dashes, a leading +) or an e-mail address. */
const contactSchema = z
  .string()
  .trim()
  .max(200)
  .refine((v) => /^\+?[0-9][0-9 -]{4,22}[0-9]$/.test(v) || z.email().safeParse(v).success, 'a phone number or an e-mail address');

export const publicFileCaseSchema = z
  .object({
    grid: publicGridCodeSchema.meta({ description: 'The grid of the QR code the page was opened from.' }),
    category: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, 'a category key'),
    description: publicText(2000),
    location: positionSchema.optional().meta({
      description: 'The phone’s position; default: a point inside the QR code’s grid. Must lie in the city: the case takes its grid.',
    }),
    address: publicText(300).optional(),
    name: publicText(100).optional().meta({ description: 'The reporter’s name, if they give it: shown to staff only.' }),
    contact: contactSchema.optional().meta({ description: 'A phone number or e-mail address: for staff only, never shown back.' }),
    enterprise: z
      .object({
        name: publicText(200),
        creditCode: z
          .string()
          .trim()
          .transform((v) => v.toUpperCase())
          .refine(isCreditCode, 'a unified social credit code (统一社会信用代码): 18 characters with a valid check character'),
      })
      .optional()
      .meta({ description: 'Required for a category of the enterprise group (企业呼), refused otherwise.' }),
    clientRequestId: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,100}$/, '1–100 letters, digits, _ . : -')
      .optional()
      .meta({ description: 'Set once per report by the page: a retried submission answers the case its first attempt filed.' }),
  })
  .meta({ id: 'PublicFileCaseRequest' });
export type PublicFileCaseRequest = z.output<typeof publicFileCaseSchema>;

export const publicFiledCaseSchema = z
  .object({
    code: z.string(),
    token: z.string().meta({ description: 'The key to follow the case by; whoever holds it may rate the case.' }),
    followUrl: z.string().meta({ description: '`/r/<token>`: the follow page.' }),
  })
  .meta({ id: 'PublicFiledCase' });
export type PublicFiledCase = z.output<typeof publicFiledCaseSchema>;

export const publicCaseTokenParamsSchema = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'a case token'),
});
export type PublicCaseTokenParams = z.output<typeof publicCaseTokenParamsSchema>;

export const publicCasePhotoParamsSchema = publicCaseTokenParamsSchema.extend({ id: z.uuid() });
export type PublicCasePhotoParams = z.output<typeof publicCasePhotoParamsSchema>;

/**
 * A case's state as the public is told it: the internal states without the command centre's side
 * roads (a case a department sent back is `reassigning`; a merged one answers its surviving case).
 */
export const PUBLIC_CASE_STATUSES = [
  'received',
  'dispatched',
  'accepted',
  'in_progress',
  'resolved',
  'verified',
  'closed',
  'reassigning',
  'invalid',
  'cancelled',
] as const;
export const publicCaseStatusSchema = z.enum(PUBLIC_CASE_STATUSES).meta({ id: 'PublicCaseStatus' });
export type PublicCaseStatus = z.output<typeof publicCaseStatusSchema>;

/** Who did something, as the public is told: a role or a department, never a person. */
export const PUBLIC_ACTORS = ['reporter', 'command_centre', 'department', 'grid_worker', 'system', 'staff'] as const;
export type PublicActor = (typeof PUBLIC_ACTORS)[number];

export const publicCaseEventSchema = z
  .object({
    at: timestamp,
    action: z.string().meta({ description: '`filed`, an action (`dispatch`, `accept`, `resolve`, …), `supervised` (督办), `note`, …' }),
    status: publicCaseStatusSchema.nullable().meta({ description: 'The status it led to; null when it changed none.' }),
    by: z.enum(PUBLIC_ACTORS),
    departmentName: z.string().nullable().meta({ description: 'The department that acted, or that the case was sent to.' }),
    comment: z.string().nullable(),
  })
  .meta({ id: 'PublicCaseEvent' });
export type PublicCaseEvent = z.output<typeof publicCaseEventSchema>;

export const publicCasePhotoSchema = z
  .object({
    id: z.uuid(),
    stage: casePhotoStageSchema,
    mimeType: z.enum(CASE_PHOTO_MIME_TYPES),
    width: z.number().int(),
    height: z.number().int(),
    createdAt: timestamp,
  })
  .meta({ id: 'PublicCasePhoto' });
export type PublicCasePhoto = z.output<typeof publicCasePhotoSchema>;

export const responsePromiseSchema = z
  .object({
    hours: z.number(),
    dueAt: timestamp.meta({ description: 'Filed at + the promised hours (clock hours).' }),
    respondedAt: timestamp
      .nullable()
      .meta({ description: 'The first answer: the department first accepting the case (or the case ruled invalid or cancelled).' }),
    status: z.enum(['running', 'kept', 'missed']),
  })
  .meta({ id: 'ResponsePromise' });
export type ResponsePromise = z.output<typeof responsePromiseSchema>;

export const publicCaseViewSchema = z
  .object({
    code: z.string(),
    category: z.string(),
    categoryName: z.string(),
    categoryNameEn: z.string().nullable(),
    groupName: z.string(),
    groupNameEn: z.string().nullable(),
    description: z.string(),
    address: z.string().nullable(),
    gridName: z.string(),
    districtName: z.string().nullable(),
    source: z.enum(['citizen', 'enterprise', 'other']),
    status: publicCaseStatusSchema,
    departmentName: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    acceptDueAt: timestamp.nullable(),
    resolveDueAt: timestamp.nullable(),
    closedAt: timestamp.nullable(),
    rating: z.number().int().nullable(),
    promise: responsePromiseSchema.nullable().meta({ description: '企业呼: the promised first answer; null for other cases.' }),
    merged: z
      .object({ yourCode: z.string() })
      .nullable()
      .meta({ description: 'The token’s case was merged into this one as a duplicate: its reporter follows this case.' }),
    timeline: z.array(publicCaseEventSchema).meta({ description: 'What the public may see, oldest first: no internal notes.' }),
    photos: z.array(publicCasePhotoSchema).meta({ description: 'The reporter’s own photos and the photos of the fix.' }),
    mayAddPhotos: z.boolean().meta({ description: 'Photos may still be added (received or dispatched, the token’s own case).' }),
    mayRate: z.boolean().meta({ description: 'Verified on site: the reporter closes it with a rating.' }),
  })
  .meta({ id: 'PublicCaseView' });
export type PublicCaseView = z.output<typeof publicCaseViewSchema>;

export const publicRatingSchema = z
  .object({
    rating: caseRatingSchema,
    comment: publicText(1000).optional(),
  })
  .meta({ id: 'PublicRatingRequest' });
export type PublicRatingRequest = z.output<typeof publicRatingSchema>;

export const publicCasePhotoQuerySchema = z.object({
  size: z.enum(['full', 'thumbnail']).default('full'),
});
export type PublicCasePhotoQuery = z.output<typeof publicCasePhotoQuerySchema>;

/** How many reports and photos one client address may send in a window (PUBLIC_*_PER_10_MINUTES). */
export const PUBLIC_RATE_WINDOW_SECONDS = 600;
