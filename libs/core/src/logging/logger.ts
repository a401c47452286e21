import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import { logContext } from './log-context';

let root: Logger = pino({ level: 'info' });

/** Creates the process-wide JSON logger; called once by each `main`. Lines go to stdout unless a destination is given. */
export function initLogger(level: string, processName: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { process: processName },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => logContext.getStore() ?? {},
    redact: {
      paths: ['*.password', '*.token', '*.accessToken', 'req.headers.authorization', '*.secret'],
      censor: '[redacted]',
    },
  };
  root = destination ? pino(options, destination) : pino(options);
  return root;
}

export function rootLogger(): Logger {
  return root;
}

/** Routes Nest's own `Logger` calls (`new Logger(AlertService.name)`) into pino. */
export class PinoNestLogger implements LoggerService {
  log(message: unknown, ...rest: unknown[]): void {
    // Nest's start-up chatter (one line per module and route) is debug material.
    const context = rest[rest.length - 1];
    const chatty =
      context === 'InstanceLoader' || context === 'RoutesResolver' || context === 'RouterExplorer' || context === 'WebSocketsController';
    this.write(chatty ? 'debug' : 'info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, rest: unknown[]): void {
    // Nest appends the context (class name) last. Before it comes either our own message text
    // (`logger.warn({ feed }, 'records rejected')`) or, for Nest's own errors, a stack trace.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const before = context === undefined ? rest : rest.slice(0, -1);
    const text = before.find((part): part is string => typeof part === 'string');
    const stack = text !== undefined && /\n\s+at /.test(text) ? text : undefined;
    const msg = stack === undefined ? text : undefined;
    const fields: Record<string, unknown> = { context };
    if (stack) fields.stack = stack;
    if (message instanceof Error) {
      root[level]({ ...fields, err: message }, msg ?? message.message);
    } else if (typeof message === 'object' && message !== null) {
      root[level]({ ...fields, ...(message as Record<string, unknown>) }, msg);
    } else {
      root[level](fields, msg === undefined ? String(message) : `${String(message)} ${msg}`);
    }
  }
}
