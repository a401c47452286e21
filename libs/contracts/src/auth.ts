import { z } from 'zod';
import { areaLevelSchema } from './areas';

/**
 * What a person may do. `admin` configures everything; `commander` (指挥长) sees the whole of their
 * scope and acknowledges; `operator` (值班员) watches, acknowledges and files cases; `analyst` reads
 * data, indicators and maps and exports; `handler` works a department's cases; `grid_worker` (网格员)
 * reports and verifies on a phone; `viewer` only reads.
 */
export const ROLES = ['admin', 'commander', 'operator', 'analyst', 'handler', 'grid_worker', 'viewer'] as const;
export const roleSchema = z.enum(ROLES).meta({ id: 'Role' });
export type Role = z.output<typeof roleSchema>;

/** A person, a registered wall screen (display device), or an outside system pushing to one feed. */
export const PRINCIPAL_KINDS = ['user', 'display', 'feed'] as const;
export const principalKindSchema = z.enum(PRINCIPAL_KINDS).meta({ id: 'PrincipalKind' });
export type PrincipalKind = z.output<typeof principalKindSchema>;

/** Passwords shorter than this are refused, as are the common ones (see libs/identity). */
export const MIN_PASSWORD_LENGTH = 10;

const areaCodeSchema = z.string().min(1).max(100);
const zoneSetKeySchema = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/, 'a zone set key');

/** An area of the hierarchy by its code (and everything inside it), or a whole zone set. */
export const scopeRefSchema = z
  .union([z.strictObject({ area: areaCodeSchema }), z.strictObject({ zoneSet: zoneSetKeySchema })])
  .meta({ id: 'ScopeRef', description: '`{"area": "<area code>"}` (that area and all inside it) or `{"zoneSet": "<key>"}`.' });
export type ScopeRef = z.output<typeof scopeRefSchema>;

export const scopeViewSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('area'),
      id: z.number().int(),
      code: z.string(),
      name: z.string(),
      nameEn: z.string().nullable(),
      level: areaLevelSchema,
    }),
    z.object({ kind: z.literal('zoneSet'), key: z.string(), name: z.string(), nameEn: z.string().nullable() }),
  ])
  .meta({ id: 'ScopeView', description: 'An area (with all inside it) or a zone set that a user or display may see.' });
export type ScopeView = z.output<typeof scopeViewSchema>;

export const scopeRefsSchema = z.array(scopeRefSchema).min(1).max(200);

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(200)
  .meta({ description: `At least ${MIN_PASSWORD_LENGTH} characters and not a commonly used password.` });

export const loginSchema = z
  .object({
    username: z.string().min(1).max(100),
    password: z.string().min(1).max(200),
  })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.output<typeof loginSchema>;

export const kioskLoginSchema = z
  .object({
    token: z
      .string()
      .min(16)
      .max(200)
      .meta({ description: 'The token of a registered display device (the demo wall’s is `KIOSK_TOKEN`, printed at start).' }),
  })
  .meta({ id: 'KioskLoginRequest' });
export type KioskLoginRequest = z.output<typeof kioskLoginSchema>;

export const refreshSchema = z
  .object({
    refreshToken: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .meta({ description: 'The refresh token of the last sign-in or refresh; browsers send it as the `cityops_refresh` cookie instead.' }),
  })
  .meta({ id: 'RefreshRequest' });
export type RefreshRequest = z.output<typeof refreshSchema>;

export const changePasswordSchema = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword: passwordSchema })
  .meta({ id: 'ChangePasswordRequest' });
export type ChangePasswordRequest = z.output<typeof changePasswordSchema>;

/** Who signed in, as the client shows it. */
export const sessionUserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    kind: principalKindSchema,
    roles: z.array(roleSchema),
    scopes: z.array(scopeViewSchema).meta({ description: 'Empty for a city-wide scope.' }),
    cityWide: z.boolean().meta({ description: 'The scope covers the whole city.' }),
    department: z.string().nullable(),
    mustChangePassword: z
      .boolean()
      .meta({ description: 'Only `POST /api/auth/password`, `GET /api/auth/me` and sign-out work until the password is changed.' }),
  })
  .meta({ id: 'SessionUser' });
export type SessionUser = z.output<typeof sessionUserSchema>;

export const loginResponseSchema = z
  .object({
    accessToken: z.string().meta({ description: 'A JWT; send it as `Authorization: Bearer <token>` and as `auth.token` on the socket.' }),
    expiresAt: z.iso.datetime({ offset: true }),
    refreshToken: z.string().meta({
      description:
        'Trade it at `POST /api/auth/refresh` for a new pair before `refreshExpiresAt`; each is good once (also set as an HttpOnly cookie).',
    }),
    refreshExpiresAt: z.iso.datetime({ offset: true }),
    user: sessionUserSchema,
  })
  .meta({ id: 'LoginResponse' });
export type LoginResponse = z.output<typeof loginResponseSchema>;

export const signedOutSchema = z.object({ ok: z.literal(true) }).meta({ id: 'SignedOut' });

/** `GET /api/auth/me`: who the token belongs to. */
export const principalViewSchema = sessionUserSchema.meta({ id: 'PrincipalView', description: 'Who the token belongs to.' });
export type PrincipalView = z.output<typeof principalViewSchema>;

// ---- users (admin) ----

const usernameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{1,63}$/, '2–64 characters: lower-case letters, digits, _ . -')
  .meta({ description: 'Sign-in name: 2–64 characters, lower-case letters, digits, `_`, `.`, `-`.' });

export const userViewSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(roleSchema),
    scopes: z.array(scopeViewSchema),
    cityWide: z.boolean().meta({ description: 'The scope covers the whole city (an admin’s always does).' }),
    department: z.string().nullable(),
    disabled: z.boolean(),
    mustChangePassword: z.boolean(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
    lastSignInAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'UserView' });
export type UserView = z.output<typeof userViewSchema>;

export const createUserSchema = z
  .object({
    username: usernameSchema,
    displayName: z.string().trim().min(1).max(100),
    password: passwordSchema.meta({ description: 'A first password; the user must change it at the first sign-in.' }),
    roles: z.array(roleSchema).min(1).max(ROLES.length),
    scopes: scopeRefsSchema,
    department: z.string().min(1).max(100).nullable().default(null).meta({ description: 'A department key of `GET /api/departments`.' }),
  })
  .meta({ id: 'CreateUserRequest' });
export type CreateUserRequest = z.output<typeof createUserSchema>;

export const updateUserSchema = z
  .object({
    displayName: z.string().trim().min(1).max(100).optional(),
    roles: z.array(roleSchema).min(1).max(ROLES.length).optional(),
    scopes: scopeRefsSchema.optional(),
    department: z.string().min(1).max(100).nullable().optional(),
    disabled: z.boolean().optional().meta({ description: 'A disabled user is signed out everywhere within a minute.' }),
  })
  .meta({ id: 'UpdateUserRequest' });
export type UpdateUserRequest = z.output<typeof updateUserSchema>;

export const resetPasswordSchema = z
  .object({ password: passwordSchema.meta({ description: 'A temporary password; the user must change it at the next sign-in.' }) })
  .meta({ id: 'ResetPasswordRequest' });
export type ResetPasswordRequest = z.output<typeof resetPasswordSchema>;

export const listUsersQuerySchema = z.object({
  q: z.string().max(100).optional().meta({ description: 'Part of the user name or display name.' }),
  role: roleSchema.optional(),
  department: z.string().max(100).optional(),
  area: areaCodeSchema.optional().meta({ description: 'Users whose scope includes this area.' }),
  disabled: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type ListUsersQuery = z.output<typeof listUsersQuerySchema>;

export const userIdParamsSchema = z.object({ id: z.uuid() });
export type UserIdParams = z.output<typeof userIdParamsSchema>;

// ---- machine credentials (admin) ----

export const feedKeyViewSchema = z
  .object({
    id: z.string(),
    feed: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The first characters of the key, to tell keys apart; the key itself is shown once.' }),
    createdAt: z.iso.datetime({ offset: true }),
    createdBy: z.string().nullable(),
    lastUsedAt: z.iso.datetime({ offset: true }).nullable(),
    rotatedAt: z.iso.datetime({ offset: true }).nullable(),
    revokedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'FeedKeyView', description: 'A key an outside system uses to push to one feed; it can read nothing.' });
export type FeedKeyView = z.output<typeof feedKeyViewSchema>;

export const createFeedKeySchema = z
  .object({ feed: z.string().min(1).max(100), name: z.string().trim().min(1).max(100) })
  .meta({ id: 'CreateFeedKeyRequest' });
export type CreateFeedKeyRequest = z.output<typeof createFeedKeySchema>;

export const feedKeySecretSchema = z
  .object({ key: feedKeyViewSchema, secret: z.string().meta({ description: 'Shown this once; stored only as a hash.' }) })
  .meta({ id: 'FeedKeySecret' });
export type FeedKeySecret = z.output<typeof feedKeySecretSchema>;

export const listFeedKeysQuerySchema = z.object({
  feed: z.string().max(100).optional(),
  revoked: z.enum(['true', 'false']).optional(),
});
export type ListFeedKeysQuery = z.output<typeof listFeedKeysQuerySchema>;

export const displayViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    scopes: z.array(scopeViewSchema),
    prefix: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
    lastSeenAt: z.iso.datetime({ offset: true }).nullable(),
    rotatedAt: z.iso.datetime({ offset: true }).nullable(),
    revokedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'DisplayView', description: 'A registered wall screen: it reads only what the wall shows, inside its scope.' });
export type DisplayView = z.output<typeof displayViewSchema>;

export const createDisplaySchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().max(500).nullable().default(null),
    scopes: scopeRefsSchema,
  })
  .meta({ id: 'CreateDisplayRequest' });
export type CreateDisplayRequest = z.output<typeof createDisplaySchema>;

export const updateDisplaySchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().max(500).nullable().optional(),
    scopes: scopeRefsSchema.optional(),
  })
  .meta({ id: 'UpdateDisplayRequest' });
export type UpdateDisplayRequest = z.output<typeof updateDisplaySchema>;

export const displaySecretSchema = z
  .object({
    display: displayViewSchema,
    token: z.string().meta({ description: 'Shown this once; the wall opens with `/wall?kiosk=<token>`.' }),
  })
  .meta({ id: 'DisplaySecret' });
export type DisplaySecret = z.output<typeof displaySecretSchema>;

export const listDisplaysQuerySchema = z.object({
  revoked: z.enum(['true', 'false']).optional().meta({ description: 'Only revoked (`true`) or only active (`false`) displays.' }),
});
export type ListDisplaysQuery = z.output<typeof listDisplaysQuerySchema>;

export const credentialIdParamsSchema = z.object({ id: z.uuid() });
export type CredentialIdParams = z.output<typeof credentialIdParamsSchema>;
