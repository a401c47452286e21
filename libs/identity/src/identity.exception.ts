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

export class UserNotFoundError extends DomainException<'user_not_found'> {
  constructor() {
    super('user_not_found', 404, 'Not found', 'There is no such user.');
  }
}

export class UsernameTakenError extends DomainException<'username_taken'> {
  constructor(username: string) {
    super('username_taken', 409, 'Conflict', `The user name "${username}" is taken.`);
  }
}

/** An admin may not lock themselves out: disable their own account or drop their own admin role. */
export class SelfLockoutError extends DomainException<'self_lockout'> {
  constructor() {
    super('self_lockout', 409, 'Conflict', 'You cannot disable your own account or remove your own admin role; ask another admin.');
  }
}

export class PasswordChangeRequiredError extends DomainException<'password_change_required'> {
  constructor() {
    super('password_change_required', 403, 'Password change required', 'Set a new password first: POST /api/auth/password.');
  }
}
