import { DomainException } from '@cityops/core';

export class FeedNotFoundException extends DomainException<'feed_not_found'> {
  constructor(key: string) {
    super('feed_not_found', 404, 'Unknown feed', `There is no feed "${key}". GET /api/feeds lists the feeds.`);
  }
}

export class IngestBodyException extends DomainException<'ingest_body_invalid'> {
  constructor(detail: string) {
    super('ingest_body_invalid', 400, 'Bad request', detail);
  }
}
