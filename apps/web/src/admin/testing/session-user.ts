import type { LoginResponse, SessionUser } from '@cityops/contracts';

export function sessionUser(patch: Partial<SessionUser> = {}): SessionUser {
  return {
    id: '0b8f7e2c-0000-4000-8000-000000000009',
    username: 'liwan.analyst',
    displayName: '荔湾区分析员',
    kind: 'user',
    roles: ['analyst'],
    scopes: [],
    cityWide: false,
    department: null,
    mustChangePassword: false,
    ...patch,
  };
}

/** What `POST /api/auth/login` answers, for a session that lasts the test. */
export function loginResponse(user: SessionUser): LoginResponse {
  const later = new Date(Date.now() + 15 * 60_000).toISOString();
  return { accessToken: 'access-token', expiresAt: later, refreshToken: 'refresh-token', refreshExpiresAt: later, user };
}
