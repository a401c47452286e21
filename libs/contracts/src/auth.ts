import { z } from 'zod';

export const ROLES = ['admin', 'analyst', 'dispatcher', 'handler', 'grid_worker', 'viewer', 'feed'] as const;
export const roleSchema = z.enum(ROLES).meta({ id: 'Role' });
export type Role = z.output<typeof roleSchema>;

export const loginSchema = z
  .object({
    username: z.string().min(1).max(100),
    password: z.string().min(1).max(200),
  })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.output<typeof loginSchema>;

export const kioskLoginSchema = z
  .object({ token: z.string().min(16).max(200).meta({ description: 'The kiosk token printed at start (`KIOSK_TOKEN`).' }) })
  .meta({ id: 'KioskLoginRequest' });
export type KioskLoginRequest = z.output<typeof kioskLoginSchema>;

export const userViewSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(roleSchema),
  })
  .meta({ id: 'UserView' });
export type UserView = z.output<typeof userViewSchema>;

export const loginResponseSchema = z
  .object({
    accessToken: z.string().meta({ description: 'A JWT; send it as `Authorization: Bearer <token>` and as `auth.token` on the socket.' }),
    expiresAt: z.iso.datetime({ offset: true }),
    user: userViewSchema,
  })
  .meta({ id: 'LoginResponse' });
export type LoginResponse = z.output<typeof loginResponseSchema>;

export const PRINCIPAL_KINDS = ['user', 'kiosk', 'feed'] as const;

/** `GET /api/auth/me`: who the token belongs to. */
export const principalViewSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    kind: z.enum(PRINCIPAL_KINDS).meta({ description: 'A person, a wall-screen kiosk, or a machine pushing to feeds.' }),
    roles: z.array(roleSchema),
  })
  .meta({ id: 'PrincipalView', description: 'Who the token belongs to.' });
export type PrincipalView = z.output<typeof principalViewSchema>;
