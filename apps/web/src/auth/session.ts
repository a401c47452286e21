import { useSyncExternalStore } from 'react';
import type { LoginResponse, SessionUser } from '@cityops/contracts';
import { ApiError, apiRequest, configureApiAuth } from '../api/client';
import { serverNow } from '../clock';

/**
 * The signed-in session of this browser tab.
 *
 * - Signing in gives a short-lived access token (kept in sessionStorage) and a refresh token,
 *   which the server keeps in an HttpOnly cookie that scripts never see. About 5 minutes before
 *   the access token expires the session is renewed with that cookie; each renewal rotates it.
 * - The wall opens as `/wall?kiosk=<token>`: the display token is exchanged for a session,
 *   kept in sessionStorage for when the session cannot be renewed, and removed from the visible URL.
 * - A 401 renews the session; when that is refused, the display token is exchanged again if
 *   there is one, otherwise the user has to sign in.
 */

const ACCESS_KEY = 'cityops.session';
const KIOSK_KEY = 'cityops.kioskToken';
const REFRESH_BEFORE_MS = 5 * 60_000;
const RETRY_MS = 10_000;
const MIN_TIMER_MS = 5_000;

export type SessionStatus = 'starting' | 'signing-in' | 'signed-in' | 'signed-out';

export interface SessionState {
  status: SessionStatus;
  user: SessionUser | null;
  expiresAt: string | null;
  /** Signed in with a kiosk token (read-only wall). */
  kiosk: boolean;
  /** Last sign-in failure, shown with title/detail. */
  error: ApiError | null;
  /** When the next automatic kiosk retry happens (server epoch ms), after a failure. */
  retryAt: number | null;
}

interface StoredSession {
  accessToken: string;
  expiresAt: string;
  user: SessionUser;
}

let accessToken: string | null = null;
let state: SessionState = {
  status: 'starting',
  user: null,
  expiresAt: null,
  kiosk: false,
  error: null,
  retryAt: null,
};
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setTimeout> | undefined;
let exchangeInFlight: Promise<boolean> | null = null;
let lastExchangeAt = 0;
let started = false;

function setState(patch: Partial<SessionState>): void {
  state = { ...state, ...patch };
  for (const listener of listeners) listener();
}

function storageGet(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function storageSet(key: string, value: string | null): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    // sessionStorage unavailable: the session then only lives in memory.
  }
}

function readStoredSession(): StoredSession | null {
  const raw = storageGet(ACCESS_KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof parsed.accessToken === 'string' && typeof parsed.expiresAt === 'string' && parsed.user) {
      return parsed as StoredSession;
    }
  } catch {
    // Corrupt entry: ignore it.
  }
  return null;
}

function kioskToken(): string | null {
  return storageGet(KIOSK_KEY);
}

function clearTimer(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
}

/** Runs `run` at `atMs` (server time, as `expiresAt` is). */
function schedule(atMs: number, run: () => void): void {
  clearTimer();
  timer = setTimeout(run, Math.max(MIN_TIMER_MS, atMs - serverNow()));
}

function applySession(session: StoredSession): void {
  accessToken = session.accessToken;
  storageSet(ACCESS_KEY, JSON.stringify(session));
  setState({
    status: 'signed-in',
    user: session.user,
    expiresAt: session.expiresAt,
    kiosk: kioskToken() !== null,
    error: null,
    retryAt: null,
  });
  const expiresMs = Date.parse(session.expiresAt);
  if (Number.isNaN(expiresMs)) return;
  schedule(expiresMs - REFRESH_BEFORE_MS, () => void renewSession());
}

function dropAccessToken(): void {
  accessToken = null;
  storageSet(ACCESS_KEY, null);
}

/** A failure worth retrying later (server down, overloaded), as opposed to a refused token. */
function isTransient(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

async function runKioskExchange(token: string): Promise<boolean> {
  const stillValid = state.status === 'signed-in' && accessToken !== null;
  if (!stillValid) setState({ status: 'signing-in' });
  try {
    const session = await apiRequest<LoginResponse>('/api/auth/kiosk', {
      method: 'POST',
      body: { token },
      auth: false,
    });
    lastExchangeAt = Date.now();
    applySession(session);
    return true;
  } catch (error) {
    const apiError = error instanceof ApiError ? error : new ApiError({ type: 'about:blank', title: 'Sign-in failed', status: 0 });
    if (isTransient(error)) {
      const retryAt = serverNow() + RETRY_MS;
      schedule(retryAt, () => void exchangeKiosk());
      if (stillValid) {
        setState({ error: apiError, retryAt });
      } else {
        dropAccessToken();
        setState({ status: 'signing-in', error: apiError, retryAt });
      }
    } else {
      // The kiosk token was refused: retrying will not help, a person has to act.
      storageSet(KIOSK_KEY, null);
      dropAccessToken();
      clearTimer();
      setState({ status: 'signed-out', user: null, expiresAt: null, kiosk: false, error: apiError, retryAt: null });
    }
    return false;
  }
}

async function runRenewal(): Promise<boolean> {
  const stillValid = state.status === 'signed-in' && accessToken !== null;
  try {
    // The refresh token travels in its cookie (same origin), never through this script.
    const session = await apiRequest<LoginResponse>('/api/auth/refresh', { method: 'POST', body: {}, auth: false });
    lastExchangeAt = Date.now();
    applySession(session);
    return true;
  } catch (error) {
    if (isTransient(error) && stillValid) {
      const apiError = error instanceof ApiError ? error : null;
      const retryAt = serverNow() + RETRY_MS;
      schedule(retryAt, () => void renewSession());
      setState({ error: apiError, retryAt });
      return false;
    }
    // The session ended (signed out elsewhere, revoked, expired): a display signs in again by itself.
    if (kioskToken()) return runKioskExchange(kioskToken()!);
    signOut(error instanceof ApiError && error.status !== 400 ? error : null);
    return false;
  }
}

/** Renews the session with its refresh cookie (concurrent calls share one request). */
export function renewSession(): Promise<boolean> {
  exchangeInFlight ??= runRenewal().finally(() => {
    exchangeInFlight = null;
  });
  return exchangeInFlight;
}

/** Exchanges the stored kiosk token for a new session (concurrent calls share one request). */
export function exchangeKiosk(): Promise<boolean> {
  const token = kioskToken();
  if (!token) return Promise.resolve(false);
  exchangeInFlight ??= runKioskExchange(token).finally(() => {
    exchangeInFlight = null;
  });
  return exchangeInFlight;
}

export async function login(username: string, password: string): Promise<void> {
  setState({ error: null });
  const session = await apiRequest<LoginResponse>('/api/auth/login', {
    method: 'POST',
    body: { username, password },
    auth: false,
  });
  storageSet(KIOSK_KEY, null);
  applySession(session);
}

/**
 * Sets a new password (a must after an admin set a temporary one). The answer is who is signed in
 * now, without the must-change mark: the same session goes on, the person's other sessions end.
 */
export async function changePassword(currentPassword: string, newPassword: string): Promise<SessionUser> {
  const user = await apiRequest<SessionUser>('/api/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
  const stored = readStoredSession();
  if (stored) storageSet(ACCESS_KEY, JSON.stringify({ ...stored, user }));
  setState({ user });
  return user;
}

/** Ends the session on the server too (its refresh cookie is cleared), then here. */
export async function logout(): Promise<void> {
  const token = accessToken;
  storageSet(KIOSK_KEY, null);
  signOut();
  if (token) {
    await fetch('/api/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` } }).catch(() => undefined);
  }
}

/** Forgets the session in this tab (the server's ends by itself, or was ended already). */
export function signOut(error: ApiError | null = null): void {
  clearTimer();
  dropAccessToken();
  setState({ status: 'signed-out', user: null, expiresAt: null, kiosk: false, error, retryAt: null });
}

/**
 * Reaction to a 401 (REST or socket): renew the session (falling back to the display token),
 * else sign out. Resolves true when a fresh token is available.
 */
export async function handleUnauthorized(): Promise<boolean> {
  // A request that was sent just before a renewal finished: the new token is already here.
  if (Date.now() - lastExchangeAt < 5_000 && accessToken) return true;
  return renewSession();
}

export function getAccessToken(): string | null {
  return accessToken;
}

/**
 * Reads `?kiosk=` (and removes it from the visible URL), then restores or creates the session.
 * Safe to call more than once.
 */
export function startSession(): void {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('kiosk');
  if (fromUrl) {
    storageSet(KIOSK_KEY, fromUrl);
    url.searchParams.delete('kiosk');
    window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  }
  if (started && !fromUrl) return;
  started = true;

  const stored = fromUrl ? null : readStoredSession();
  if (stored && Date.parse(stored.expiresAt) - serverNow() > 60_000) {
    applySession(stored);
    return;
  }
  dropAccessToken();
  if (fromUrl) {
    void exchangeKiosk();
  } else {
    // A reload after the access token ran out: the refresh cookie may still hold the session.
    setState({ status: 'signing-in' });
    void renewSession();
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function getState(): SessionState {
  return state;
}

export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, getState);
}

/** Whether the user may act on alerts (a display, a viewer or an analyst may not). */
export function canAcknowledge(user: SessionUser | null): boolean {
  return !!user && user.kind === 'user' && user.roles.some((role) => role === 'admin' || role === 'commander' || role === 'operator');
}

/** Whether the user may silence alerts (`/api/silences`: admins, commanders and operators, as for acknowledging). */
export function canSilence(user: SessionUser | null): boolean {
  return canAcknowledge(user);
}

configureApiAuth({ getToken: getAccessToken, onUnauthorized: handleUnauthorized });
