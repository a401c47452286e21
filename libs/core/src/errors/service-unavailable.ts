import type { ProblemDetails } from '@cityops/contracts';

/** Which backing service an error says cannot be reached; `unknown` for a bare network failure. */
export type UnavailableService = 'database' | 'redis' | 'unknown';

export interface Unavailability {
  service: UnavailableService;
  /** The recognised cause, for the log (never sent to clients). */
  reason: string;
}

/**
 * Seconds a client should wait before trying again. Short: Redis and PostgreSQL restarts take
 * seconds, and every connection in this codebase reconnects by itself within about a second.
 */
export const RETRY_AFTER_SECONDS = 5;

/** Socket-level failures of a connection to a service (connect refused, reset, timed out, no route, no DNS). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/**
 * SQLSTATEs that mean "the server cannot serve you now", not "your statement is wrong": class 08
 * (connection exception), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now
 * (starting up or in recovery), 53300 too_many_connections.
 */
const PG_UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

/** node-postgres and pg-pool say these without a code when a connection ends or cannot be had. */
const PG_MESSAGES = [
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];

/**
 * ioredis (and BullMQ's own copy of its message) when a command cannot reach Redis: the offline
 * queue gave up, it is switched off, the connection was closed, or `commandTimeout` passed.
 */
const REDIS_MESSAGES = ['Connection is closed.', "Stream isn't writeable and enableOfflineQueue options is false", 'Command timed out'];

/** Redis replies that mean "not now": loading its data set, a replica without its master, a cluster in failover. */
const REDIS_REPLY_PREFIXES = ['LOADING ', 'MASTERDOWN ', 'CLUSTERDOWN ', 'TRYAGAIN '];

const REDIS_ERROR_NAMES = new Set(['MaxRetriesPerRequestError', 'ConnectionClosedError', 'ClusterAllFailedError']);

function field(error: object, name: string): unknown {
  return (error as Record<string, unknown>)[name];
}

function classifyOne(error: object): Unavailability | null {
  // An HTTP error (body-parser's "request aborted" carries ECONNABORTED) is about the client's connection.
  if (typeof field(error, 'status') === 'number' || typeof field(error, 'statusCode') === 'number') return null;
  const name = field(error, 'name');
  const message = typeof field(error, 'message') === 'string' ? (field(error, 'message') as string) : '';
  const code = field(error, 'code');
  if (typeof name === 'string' && REDIS_ERROR_NAMES.has(name)) return { service: 'redis', reason: name };
  if (REDIS_MESSAGES.includes(message)) return { service: 'redis', reason: message };
  if (name === 'ReplyError' && REDIS_REPLY_PREFIXES.some((p) => message.startsWith(p))) {
    return { service: 'redis', reason: message.split(' ')[0] };
  }
  // pg's DatabaseError and TypeORM's QueryFailedError (which copies the driver error's fields)
  // carry the SQLSTATE in `code`, next to the server's `severity`.
  if (typeof code === 'string' && PG_UNAVAILABLE_SQLSTATE.test(code) && field(error, 'severity') !== undefined) {
    return { service: 'database', reason: `SQLSTATE ${code}` };
  }
  if (PG_MESSAGES.includes(message)) return { service: 'database', reason: message };
  // Node's message names the address ("connect ECONNREFUSED 10.0.0.5:5432"), which tells the service.
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return { service: 'unknown', reason: message || code };
  return null;
}

/** The errors an error wraps: TypeORM's driverError, an Error's cause, an AggregateError's errors. */
function wrapped(error: object): unknown[] {
  const inner: unknown[] = [field(error, 'driverError'), field(error, 'cause')];
  const errors = field(error, 'errors');
  if (Array.isArray(errors)) inner.push(...(errors as unknown[]));
  return inner;
}

/** TypeORM's QueryFailedError keeps the driver's error: a socket error inside it is the database's. */
function isDatabaseWrapper(error: object): boolean {
  return field(error, 'driverError') !== undefined;
}

/**
 * Whether `error` says that PostgreSQL or Redis cannot be reached or cannot serve right now
 * (rather than that the request or the code is wrong), and which. Looks through the wrappers
 * TypeORM, BullMQ and Node put around the driver's error. Used by the exception filter (503 with
 * Retry-After instead of 500) and by the places that log such failures.
 */
export function unavailableService(error: unknown, depth = 0): Unavailability | null {
  if (typeof error !== 'object' || error === null || depth > 5) return null;
  let found = classifyOne(error);
  for (const inner of found ? [] : wrapped(error)) {
    found = unavailableService(inner, depth + 1);
    if (found) break;
  }
  if (found?.service === 'unknown' && isDatabaseWrapper(error)) return { ...found, service: 'database' };
  return found;
}

/** The answer to a request that needs a service that is down: nothing about the cause reaches the client. */
export function serviceUnavailableProblem(): ProblemDetails {
  return {
    type: 'urn:cityops:problem:service_unavailable',
    title: 'Service unavailable',
    status: 503,
    detail: `A service this request needs cannot be reached at the moment; try again in ${RETRY_AFTER_SECONDS} seconds.`,
  };
}
