import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { logContext } from './log-context';

let root: Logger = pino({ level: 'info' });

/** Creates the process-wide JSON logger; called once by each `main`. */
export function initLogger(level: string, processName: string): Logger {
  root = pino({
    level,
    base: { process: processName },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => logContext.getStore() ?? {},
    redact: {
      paths: ['*.password', '*.token', '*.accessToken', 'req.headers.authorization', '*.secret'],
      censor: '[redacted]',
    },
  });
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
    // Nest passes the context (class name) last, and for errors the stack before it.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    const fields: Record<string, unknown> = { context };
    if (stack) fields.stack = stack;
    if (message instanceof Error) {
      root[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      root[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      root[level](fields, String(message));
    }
  }
}
