import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { ProblemDetails } from '@cityops/contracts';
import { DomainException } from './domain.exception';
import { RETRY_AFTER_SECONDS, serviceUnavailableProblem, unavailableService } from './service-unavailable';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  431: 'Request header fields too large',
};

/** The title of a status, as every problem of this API words it. */
export function problemTitle(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Error' : 'Bad request');
}

/** What a problem echoes of the request (its path, a router's message quoting it) stays short. */
function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Body-parser errors carry `status` (http-errors) and mostly a `type`; they are the client's fault,
 * never a 500. One without a type is what reading the body ran into, e.g. zlib's error on bad
 * gzip or brotli, which body-parser passes on with status 400.
 */
interface BodyParserError {
  type?: unknown;
  status: number;
}

function isBodyParserError(e: unknown): e is BodyParserError {
  return typeof e === 'object' && e !== null && 'status' in e && typeof (e as BodyParserError).status === 'number';
}

/** Turns every error into RFC 9457 problem+json; unexpected ones become a generic 500. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { id?: string }>();
    const res = http.getResponse<Response>();
    const problem = this.toProblem(exception);
    problem.instance = clip(req.originalUrl, 1000);
    if (req.id) problem.requestId = req.id;
    const unavailable = unavailableService(exception);
    if (unavailable) {
      this.logger.warn({ ...unavailable, path: req.originalUrl }, 'service unavailable: answered 503');
    } else if (exception instanceof DomainException && problem.status === 503) {
      // A dependency the code knows to be away (photo storage): said where it was found, no stack needed.
      this.logger.warn({ type: problem.type, path: req.originalUrl }, 'service unavailable: answered 503');
    } else if (problem.status >= 500) {
      this.logger.error({ err: exception, path: req.originalUrl }, 'unhandled error');
    }
    if (res.headersSent) return;
    const retryAfter = exception instanceof DomainException ? exception.retryAfterSeconds : undefined;
    if (retryAfter !== undefined) res.setHeader('Retry-After', String(Math.ceil(retryAfter)));
    else if (problem.status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof DomainException) {
      return {
        type: `urn:cityops:problem:${exception.code}`,
        title: exception.title,
        status: exception.status,
        detail: exception.detail,
        ...(exception.errors ? { errors: exception.errors } : {}),
        ...exception.extensions,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const detail =
        typeof body === 'string' ? body : typeof body === 'object' && body && 'message' in body ? String(body.message) : undefined;
      return { type: 'about:blank', title: problemTitle(status), status, detail: status < 500 && detail ? clip(detail) : undefined };
    }
    if (isBodyParserError(exception) && exception.status >= 400 && exception.status < 500) {
      const type = typeof exception.type === 'string' ? exception.type : 'unreadable.body';
      const detail =
        type === 'entity.too.large'
          ? 'The request body is larger than this endpoint accepts.'
          : type === 'entity.parse.failed'
            ? 'The request body is not valid JSON.'
            : type === 'encoding.unsupported'
              ? 'The request body encoding is not supported (gzip, deflate, br or none).'
              : type === 'charset.unsupported'
                ? 'The request body charset is not supported (utf-8).'
                : exception.status === 400
                  ? 'The request body could not be read (bad compression or a broken connection).'
                  : undefined;
      return {
        type: `urn:cityops:problem:${type.replace(/[^a-z0-9]+/gi, '_')}`,
        title: problemTitle(exception.status),
        status: exception.status,
        detail,
      };
    }
    // A database or Redis outage is worth a retry, not a 500.
    if (unavailableService(exception)) return serviceUnavailableProblem();
    return { type: 'about:blank', title: 'Internal server error', status: 500, detail: 'An unexpected error occurred.' };
  }
}
