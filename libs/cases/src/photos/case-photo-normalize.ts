import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { CasePhotoMimeType } from '@cityops/contracts';
import { CASE_PHOTO_DECODE_OPTIONS, checkCasePhotoHeader, decodeFailure } from './case-photo-inspect';
import { CasePhotoRejectedError } from './case-photo.exception';

/** Longest side of the stored photo: sharp on a wall screen, a fraction of a phone's original. */
export const CASE_PHOTO_FULL_MAX_SIDE = 2560;
/** Longest side of the thumbnail lists and map pop-ups show. */
export const CASE_PHOTO_THUMBNAIL_MAX_SIDE = 320;

/** One stored rendition of a photo. */
export interface CasePhotoImage {
  bytes: Buffer;
  mime: CasePhotoMimeType;
  width: number;
  height: number;
  /** Of `bytes`, lower-case hex: the store's key is made from it. */
  sha256: string;
}

export interface NormalizedCasePhoto {
  /** JPEG, at most CASE_PHOTO_FULL_MAX_SIDE a side (never enlarged): any client and any export can show it. */
  full: CasePhotoImage;
  /** WebP, at most CASE_PHOTO_THUMBNAIL_MAX_SIDE a side: small, and only ever shown by our web app. */
  thumbnail: CasePhotoImage;
}

/**
 * Re-encodes a photo into what we store: turned upright by its EXIF orientation first, then every
 * piece of metadata left behind (EXIF with its GPS, XMP, IPTC, comments, the ICC profile: the
 * pixels are converted to sRGB, which a browser assumes without a profile). Re-encoding also drops
 * whatever was hidden after or inside the original (a script appended to a JPEG).
 *
 * Checks the bytes itself (the same limits as inspectCasePhoto) and throws CasePhotoRejectedError
 * for anything inspectCasePhoto would refuse, so it is safe on bytes nobody inspected.
 */
export async function normalizeCasePhoto(bytes: Buffer): Promise<NormalizedCasePhoto> {
  const header = await checkCasePhotoHeader(bytes);
  if (!header.ok) throw new CasePhotoRejectedError(header.reason, header.message);
  const upright = sharp(bytes, { ...CASE_PHOTO_DECODE_OPTIONS, autoOrient: true }).toColourspace('srgb');
  try {
    const [full, thumbnail] = await Promise.all([
      upright
        .clone()
        .resize(CASE_PHOTO_FULL_MAX_SIDE, CASE_PHOTO_FULL_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
        // JPEG has no transparency: a transparent PNG's background becomes white, not black.
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 82, progressive: true, chromaSubsampling: '4:2:0' })
        .toBuffer({ resolveWithObject: true }),
      upright
        .clone()
        .resize(CASE_PHOTO_THUMBNAIL_MAX_SIDE, CASE_PHOTO_THUMBNAIL_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 75 })
        .toBuffer({ resolveWithObject: true }),
    ]);
    return {
      full: image(full.data, 'image/jpeg', full.info),
      thumbnail: image(thumbnail.data, 'image/webp', thumbnail.info),
    };
  } catch (error) {
    const refusal = decodeFailure(error, header.format);
    throw new CasePhotoRejectedError(refusal.reason, refusal.message);
  }
}

function image(bytes: Buffer, mime: CasePhotoMimeType, info: { width: number; height: number }): CasePhotoImage {
  return { bytes, mime, width: info.width, height: info.height, sha256: createHash('sha256').update(bytes).digest('hex') };
}
