import type { CasePhotoRejection } from '@cityops/contracts';
import { DomainException, RETRY_AFTER_SECONDS } from '@cityops/core';

/** 413 for a body too large, 415 for what is not an accepted image type, 422 for an image we cannot use. */
const STATUS: Record<CasePhotoRejection, number> = { empty: 422, size: 413, type: 415, broken: 422, dimensions: 422 };

/**
 * A photo refused before anything of it was stored. The code carries the reason
 * (`case_photo_type` …), so a client tells them apart by the problem's `type`.
 */
export class CasePhotoRejectedError extends DomainException<`case_photo_${CasePhotoRejection}`> {
  constructor(
    readonly reason: CasePhotoRejection,
    message: string,
  ) {
    super(`case_photo_${reason}`, STATUS[reason], 'Photo refused', message);
  }
}

/** A photo key that we never generate: refused before it comes near a path. */
export class InvalidCasePhotoKeyError extends DomainException<'case_photo_key_invalid'> {
  constructor() {
    super('case_photo_key_invalid', 400, 'Invalid photo key', 'A photo key is a SHA-256 in hex with the extension .jpg, .png or .webp.');
  }
}

/**
 * The photo storage does not answer (or refuses us): nothing was recorded, and the same upload
 * may simply be sent again later. The cause is in the log, never in the answer.
 */
export class CasePhotoStorageUnavailableError extends DomainException<'case_photo_storage_unavailable'> {
  constructor() {
    super(
      'case_photo_storage_unavailable',
      503,
      'Photo storage unavailable',
      `The photo storage cannot be reached at the moment; try again in ${RETRY_AFTER_SECONDS} seconds.`,
    );
    this.retryAfterSeconds = RETRY_AFTER_SECONDS;
  }
}
