import type { IngestResult } from '@cityops/contracts';
import { DomainException } from '@cityops/core';

export class FeedNotFoundError extends DomainException<'feed_not_found'> {
  constructor(key: string) {
    super('feed_not_found', 404, 'Unknown feed', `There is no feed "${key}". GET /api/feeds lists the feeds.`);
  }
}

export class FeedExistsError extends DomainException<'feed_exists'> {
  constructor(key: string) {
    super('feed_exists', 409, 'Conflict', `Feed ${key} exists already; PUT /api/feeds/${key} changes it.`);
  }
}

/** A pushed body that cannot be read as records or entities at all (single bad records are kept instead). */
export class BadBodyError extends DomainException<'bad_body'> {
  constructor(detail: string) {
    super('bad_body', 400, 'Bad request', detail);
  }
}

export class PayloadTooLargeError extends DomainException<'payload_too_large'> {
  constructor(limit: number) {
    super(
      'payload_too_large',
      413,
      'Payload too large',
      `The body is larger than ${limit} bytes (after decompression). Split it, or stream NDJSON/CSV.`,
    );
  }
}

export class UnsupportedMediaTypeError extends DomainException<'unsupported_media_type'> {
  constructor(detail: string) {
    super('unsupported_media_type', 415, 'Unsupported media type', detail);
  }
}

/** More records than one request may carry (a document is refused whole; a stream is cut there). */
export class TooManyRecordsError extends DomainException<'too_many_records'> {
  constructor(detail: string) {
    super('too_many_records', 413, 'Too many records', detail);
  }
}

/**
 * An NDJSON or CSV stream that stopped partway (a cap reached, a broken body) after records were
 * already committed: the same problem as the cause, and the answer says what was stored.
 */
export class IngestStoppedError extends DomainException {
  constructor(cause: DomainException, processed: number, result: IngestResult) {
    super(
      cause.code,
      cause.status,
      cause.title,
      `${cause.detail ?? cause.title} The first ${processed.toLocaleString('en')} records of the body were processed and committed ` +
        `(${result.accepted.toLocaleString('en')} accepted, ${result.duplicates.toLocaleString('en')} duplicates, ` +
        `${result.rejected.toLocaleString('en')} rejected; see \`result\`); send what follows them again.`,
    );
    this.extensions = { result };
  }
}
