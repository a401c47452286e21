import { z } from 'zod';

export const ROLES = ['admin', 'analyst', 'dispatcher', 'handler', 'grid_worker', 'viewer', 'feed'] as const;
export type Role = (typeof ROLES)[number];

export const loginSchema = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof loginSchema>;

export const kioskLoginSchema = z.object({ token: z.string().min(16).max(200) });

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
}

export interface LoginResponse {
  accessToken: string;
  expiresAt: string;
  user: UserView;
}
