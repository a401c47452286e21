import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { catchError, type Observable, tap, throwError } from 'rxjs';
import { AuditTrail, type AuditScope, DomainException, ProblemDetailsFilter } from '@cityops/core';
import { isCountedRoute, WRITE_METHODS } from './audit-actions';

/** The numbers of a push's answer (`accepted`, `rejected`, …), never its records or reasons. */
export function countsOf(answer: unknown): Record<string, number> | null {
  if (typeof answer !== 'object' || answer === null) return null;
  const counts = Object.entries(answer).filter((entry): entry is [string, number] => typeof entry[1] === 'number');
  return counts.length ? Object.fromEntries(counts) : null;
}

/**
 * Adds to a write's audit event (opened by `auditWrites`) what only the handler's outcome knows:
 * the counts a push answered, and the problem a failure answered (its type and detail; a 500
 * says no more than its answer does).
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly problems = new ProblemDetailsFilter();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const scope = AuditTrail.current();
    if (context.getType() !== 'http' || !scope) return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const route = (req.route as { path?: unknown } | undefined)?.path;
    if (!WRITE_METHODS.has(req.method) || typeof route !== 'string') return next.handle();
    const counted = isCountedRoute(req.method, route);
    return next.handle().pipe(
      tap((answer) => {
        if (counted) this.noteCounts(scope, answer);
      }),
      catchError((error: unknown) => {
        const problem = this.problems.toProblem(error);
        scope.detail.problem = { type: problem.type, title: problem.title, ...(problem.detail ? { detail: problem.detail } : {}) };
        // A stream cut at its cap committed what came before: the 413 carries those counts.
        if (counted && error instanceof DomainException) this.noteCounts(scope, error.extensions?.result);
        return throwError(() => error);
      }),
    );
  }

  private noteCounts(scope: AuditScope, answer: unknown): void {
    const counts = countsOf(answer);
    if (counts) scope.detail.result = counts;
  }
}
