import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Position } from '@cityops/contracts';
import type { CasePhotoTakenAt } from './case-photo-exif';
import { inspectCasePhoto, type CasePhotoFormat } from './case-photo-inspect';
import { normalizeCasePhoto, type CasePhotoImage } from './case-photo-normalize';
import { CasePhotoRejectedError } from './case-photo.exception';
import { CasePhotoStore, type StoredCasePhotoBytes } from './case-photo.store';

/** One stored rendition: where it is and what it is. */
export interface StoredCasePhotoImage extends Omit<CasePhotoImage, 'bytes'> {
  key: string;
  /** Bytes stored. */
  size: number;
}

/** A photo taken in: what a case keeps of it. Nothing of the original is stored. */
export interface StoredCasePhoto {
  /** From the original's EXIF, read before it was stripped. */
  location: Position | null;
  takenAt: CasePhotoTakenAt | null;
  original: { format: CasePhotoFormat; width: number; height: number; size: number };
  full: StoredCasePhotoImage;
  thumbnail: StoredCasePhotoImage;
}

/** Case photos from upload to storage: checked by content, read for location, stripped, scaled, stored. */
@Injectable()
export class CasePhotoService {
  private readonly logger = new Logger(CasePhotoService.name);

  constructor(@Inject(CasePhotoStore) private readonly store: CasePhotoStore) {}

  /**
   * Takes in an uploaded photo; throws CasePhotoRejectedError (413, 415 or 422, with the reason in
   * its code) before storing anything when the bytes are not a photo we accept. The same bytes
   * sent twice give the same keys and store nothing twice.
   */
  async accept(bytes: Buffer): Promise<StoredCasePhoto> {
    const inspection = await inspectCasePhoto(bytes);
    if (!inspection.ok) throw new CasePhotoRejectedError(inspection.reason, inspection.message);
    const normalized = await normalizeCasePhoto(bytes);
    const [full, thumbnail] = await Promise.all([this.put(normalized.full), this.put(normalized.thumbnail)]);
    this.logger.log(`stored photo ${full.key} (${full.size} bytes) and thumbnail ${thumbnail.key}`);
    return {
      location: inspection.location,
      takenAt: inspection.takenAt,
      original: { format: inspection.format, width: inspection.width, height: inspection.height, size: bytes.length },
      full,
      thumbnail,
    };
  }

  /** A stored rendition's bytes, or null; InvalidCasePhotoKeyError for a key we never make. */
  read(key: string): Promise<StoredCasePhotoBytes | null> {
    return this.store.get(key);
  }

  /** Removes a stored rendition; only once no case refers to its key any more (keys are shared by equal photos). */
  remove(key: string): Promise<boolean> {
    return this.store.delete(key);
  }

  private async put(image: CasePhotoImage): Promise<StoredCasePhotoImage> {
    const key = await this.store.put(image.bytes, image.mime);
    const { bytes, ...rest } = image;
    return { ...rest, key, size: bytes.length };
  }
}
