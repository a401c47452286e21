import type { ProblemDetails } from '@cityops/contracts';
import type { ProblemError } from './validation-issues';

/**
 * An error whose message is safe to show to a client. Each domain defines its codes; the global
 * filter maps the status and writes problem+json. Anything that is not a DomainException is
 * reported to clients as a generic 500.
 *
 * Subclasses are named `…Error` (never `…Exception`), so that none of them shadows one of Nest's
 * built-in HTTP exceptions of the same name.
 */
export class DomainException<Code extends string = string> extends Error {
  /** When set, the answer carries `Retry-After` with these seconds (429, 503). */
  retryAfterSeconds?: number;

  /** Extension members of the problem (RFC 9457 §3.2), e.g. `result` of an ingest stream stopped partway. */
  extensions?: Pick<ProblemDetails, 'result'>;

  constructor(
    readonly code: Code,
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: ProblemError[],
  ) {
    super(detail ?? title);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainException<'validation_failed'> {
  constructor(errors: ProblemError[], detail = 'The request is not valid.') {
    super('validation_failed', 400, 'Validation failed', detail, errors);
  }
}

export class NotFoundError extends DomainException<'not_found'> {
  constructor(what: string) {
    super('not_found', 404, 'Not found', `${what} was not found.`);
  }
}
