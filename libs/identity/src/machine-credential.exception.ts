import { DomainException } from '@cityops/core';

export class FeedKeyNotFoundError extends DomainException<'feed_key_not_found'> {
  constructor() {
    super('feed_key_not_found', 404, 'Not found', 'There is no such feed key (GET /api/feed-keys lists them).');
  }
}

export class DisplayNotFoundError extends DomainException<'display_not_found'> {
  constructor() {
    super('display_not_found', 404, 'Not found', 'There is no such display device (GET /api/displays lists them).');
  }
}

export class FeedKeyNameTakenError extends DomainException<'feed_key_name_taken'> {
  constructor(feed: string, name: string) {
    super(
      'feed_key_name_taken',
      409,
      'Conflict',
      `Feed ${feed} has an active key named "${name}" already; rotate it, or choose another name.`,
    );
  }
}

export class DisplayNameTakenError extends DomainException<'display_name_taken'> {
  constructor(name: string) {
    super('display_name_taken', 409, 'Conflict', `An active display device is named "${name}" already.`);
  }
}

/** A revoked key or display stays revoked: it is listed for the record, but never used again. */
export class CredentialRevokedError extends DomainException<'credential_revoked'> {
  constructor(what: 'feed key' | 'display device') {
    super('credential_revoked', 409, 'Conflict', `This ${what} is revoked and cannot be changed or rotated; create a new one.`);
  }
}
