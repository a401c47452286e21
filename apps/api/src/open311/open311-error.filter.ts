import { type ArgumentsHost, Catch, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { open311Errors, open311FormatOfPath, renderOpen311 } from '@cityops/cases';
import type { ProblemDetails } from '@cityops/contracts';
import { DomainException, ProblemDetailsFilter, RETRY_AFTER_SECONDS, unavailableService } from '@cityops/core';

/** The paths of Open311 GeoReport v2, which answer errors in the spec's format. */
export const OPEN311_PATH = /^\/open311(\/|$)/;

/**
 * An error of an Open311 route as the spec words it: `[{code, description}]` in JSON,
 * `<errors><error>…` in XML, by the extension of the path asked for; the status is the problem's.
 */
export function sendOpen311Errors(res: Response, path: string, problem: ProblemDetails, retryAfterSeconds?: number): void {
  const retryAfter = retryAfterSeconds ?? (problem.status === 503 ? RETRY_AFTER_SECONDS : undefined);
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(Math.ceil(retryAfter)));
  const answer = renderOpen311(open311FormatOfPath(path), 'errors', open311Errors(problem));
  res.status(problem.status).type(answer.contentType).send(answer.text);
}

/**
 * The API's error filter (registered globally in place of ProblemDetailsFilter): problem+json
 * everywhere but under /open311, where every error, the router's 404 for an unknown path
 * included, is answered in the spec's format, classified as ProblemDetailsFilter does.
 */
@Catch()
export class Open311ErrorFilter extends ProblemDetailsFilter {
  private readonly open311Logger = new Logger(Open311ErrorFilter.name);

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const req = host.switchToHttp().getRequest<Request>();
    if (!OPEN311_PATH.test(req.path)) return super.catch(exception, host);
    const res = host.switchToHttp().getResponse<Response>();
    const problem = this.toProblem(exception);
    const unavailable = unavailableService(exception);
    if (unavailable) this.open311Logger.warn({ ...unavailable, path: req.originalUrl }, 'service unavailable: answered 503');
    else if (problem.status >= 500) this.open311Logger.error({ err: exception, path: req.originalUrl }, 'unhandled error');
    if (res.headersSent) return;
    sendOpen311Errors(res, req.path, problem, exception instanceof DomainException ? exception.retryAfterSeconds : undefined);
  }
}
