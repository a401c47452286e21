import { DomainException } from '@cityops/core';

export class UnauthorizedError extends DomainException<'unauthorized'> {
  constructor(detail = 'Sign in first: a valid access token is required.') {
    super('unauthorized', 401, 'Unauthorized', detail);
  }
}

export class ForbiddenError extends DomainException<'forbidden'> {
  constructor(detail = 'Your role does not allow this.') {
    super('forbidden', 403, 'Forbidden', detail);
  }
}

export class TooManyAttemptsError extends DomainException<'too_many_attempts'> {
  constructor(retryAfterSeconds: number) {
    super(
      'too_many_attempts',
      429,
      'Too many requests',
      `Too many failed sign-ins from here; try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
