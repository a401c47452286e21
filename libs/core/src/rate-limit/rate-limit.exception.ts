import { DomainException } from '../errors/domain.exception';

/** A limit of requests per window was reached: come back in `retryAfterSeconds` (sent as `Retry-After`). */
export class RateLimitedError extends DomainException<'rate_limited'> {
  constructor(what: string, retryAfterSeconds: number) {
    super('rate_limited', 429, 'Too many requests', `Too many ${what}; try again in ${retryAfterSeconds} s.`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
