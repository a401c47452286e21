import { MaxRetriesPerRequestError } from 'ioredis/built/errors';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { ValidationError } from './domain.exception';
import { unavailableService } from './service-unavailable';

/** A server error as node-postgres builds it from an ErrorResponse message. */
function pgError(code: string, message = 'server says no'): DatabaseError {
  const error = new DatabaseError(message, 100, 'error');
  error.severity = 'FATAL';
  error.code = code;
  return error;
}

/** A socket error as Node raises it. */
function socketError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: 'connect' });
}

const viaTypeorm = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('unavailableService (which errors mean "PostgreSQL or Redis cannot serve now")', () => {
  it.each([
    ['pg: the server is shutting down (57P01)', pgError('57P01'), { service: 'database', reason: 'SQLSTATE 57P01' }],
    ['pg: the server crashed (57P02)', pgError('57P02'), { service: 'database', reason: 'SQLSTATE 57P02' }],
    ['pg: starting up or in recovery (57P03)', pgError('57P03'), { service: 'database', reason: 'SQLSTATE 57P03' }],
    ['pg: too many connections (53300)', pgError('53300'), { service: 'database', reason: 'SQLSTATE 53300' }],
    ['pg: connection failure (08006)', pgError('08006'), { service: 'database', reason: 'SQLSTATE 08006' }],
    ['pg through TypeORM: admin shutdown', viaTypeorm(pgError('57P01')), { service: 'database', reason: 'SQLSTATE 57P01' }],
    [
      'pg: the connection ended mid-query',
      new Error('Connection terminated unexpectedly'),
      { service: 'database', reason: 'Connection terminated unexpectedly' },
    ],
    [
      'pg-pool: no connection within connectionTimeoutMillis',
      new Error('timeout exceeded when trying to connect'),
      { service: 'database', reason: 'timeout exceeded when trying to connect' },
    ],
    [
      'pg-pool: connect timed out (with the socket error as cause)',
      new Error('Connection terminated due to connection timeout', { cause: socketError('ETIMEDOUT') }),
      { service: 'database', reason: 'Connection terminated due to connection timeout' },
    ],
    [
      'pg through TypeORM: connection reset',
      viaTypeorm(socketError('ECONNRESET')),
      { service: 'database', reason: 'connect ECONNRESET 127.0.0.1:5432' },
    ],
    [
      'a bare socket error: connection refused',
      socketError('ECONNREFUSED'),
      { service: 'unknown', reason: 'connect ECONNREFUSED 127.0.0.1:5432' },
    ],
    [
      "Node's happy eyeballs: every address refused",
      Object.assign(new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')]), { code: 'ECONNREFUSED' }),
      { service: 'unknown', reason: 'ECONNREFUSED' },
    ],
    [
      'an error caused by a refused connection',
      new Error('could not run', { cause: socketError('ECONNREFUSED') }),
      { service: 'unknown', reason: 'connect ECONNREFUSED 127.0.0.1:5432' },
    ],
    ['ioredis: the offline queue gave up', new MaxRetriesPerRequestError(1), { service: 'redis', reason: 'MaxRetriesPerRequestError' }],
    ['ioredis: connection closed', new Error('Connection is closed.'), { service: 'redis', reason: 'Connection is closed.' }],
    [
      'ioredis: offline queue switched off (BullMQ producers)',
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
      { service: 'redis', reason: "Stream isn't writeable and enableOfflineQueue options is false" },
    ],
    ['ioredis: commandTimeout passed', new Error('Command timed out'), { service: 'redis', reason: 'Command timed out' }],
    [
      "BullMQ's ConnectionClosedError",
      Object.assign(new Error('Connection is closed.'), { name: 'ConnectionClosedError' }),
      { service: 'redis', reason: 'ConnectionClosedError' },
    ],
    [
      'BullMQ wrapping an ioredis failure',
      new Error('Missing lock for job', { cause: new MaxRetriesPerRequestError(1) }),
      { service: 'redis', reason: 'MaxRetriesPerRequestError' },
    ],
    [
      'Redis still loading its data set',
      Object.assign(new Error('LOADING Redis is loading the dataset in memory'), { name: 'ReplyError' }),
      { service: 'redis', reason: 'LOADING' },
    ],
  ] as const)('%s: unavailable', (_name, error, expected) => {
    expect(unavailableService(error)).toEqual(expected);
  });

  it.each([
    ['pg: unique violation (23505)', pgError('23505', 'duplicate key value violates unique constraint')],
    ['pg: syntax error (42601)', pgError('42601', 'syntax error at or near "SELEC"')],
    ['pg: invalid geometry (XX000)', pgError('XX000', 'parse error - invalid geometry')],
    ['pg through TypeORM: undefined table (42P01)', viaTypeorm(pgError('42P01', 'relation "nope" does not exist'))],
    ['a SQLSTATE-like code without a server severity', Object.assign(new Error('odd'), { code: '08006' })],
    [
      'Redis: wrong type',
      Object.assign(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'), { name: 'ReplyError' }),
    ],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a validation failure', new ValidationError([{ path: 'value', message: 'must be a number' }])],
    [
      "body-parser: the client's request was aborted",
      Object.assign(new Error('request aborted'), { code: 'ECONNABORTED', status: 400, type: 'request.aborted' }),
    ],
    ['not an error at all', 'Connection is closed.'],
    ['nothing', undefined],
  ] as const)('%s: not unavailable', (_name, error) => {
    expect(unavailableService(error)).toBeNull();
  });

  it('stops at a cause chain that loops', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });
    expect(unavailableService(a)).toBeNull();
  });
});
