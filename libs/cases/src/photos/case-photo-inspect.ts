import sharp, { type Metadata } from 'sharp';
import { CASE_PHOTO_MAX_BYTES, type CasePhotoMimeType, type CasePhotoRejection, type Position } from '@cityops/contracts';
import { readCasePhotoExif, type CasePhotoTakenAt } from './case-photo-exif';

/**
 * Most pixels a photo may have (64 Mi, about 67 MP): a 50 MP phone camera's full resolution fits;
 * past it, a few kilobytes of PNG or WebP could make the decoder allocate gigabytes (a
 * decompression bomb). Given to sharp as `limitInputPixels` as well as checked from the header.
 */
export const CASE_PHOTO_MAX_PIXELS = 64 * 1024 * 1024;
/** Longest side accepted: WebP's own limit, and more than any camera makes. */
export const CASE_PHOTO_MAX_SIDE = 16_383;
/** Shortest side accepted: smaller shows nothing a handler can act on. */
export const CASE_PHOTO_MIN_SIDE = 16;

export type CasePhotoFormat = 'jpeg' | 'png' | 'webp';

export const CASE_PHOTO_MIME: Record<CasePhotoFormat, CasePhotoMimeType> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

/** An accepted photo: what it is by content, its upright size, and where and when EXIF says it was taken. */
export interface AcceptedCasePhotoInspection {
  ok: true;
  format: CasePhotoFormat;
  mime: CasePhotoMimeType;
  /** Upright, i.e. after the EXIF orientation is applied (what normalizeCasePhoto produces before scaling). */
  width: number;
  height: number;
  /** `[lon, lat]` WGS 84 from EXIF GPS; null when absent or not believable. */
  location: Position | null;
  takenAt: CasePhotoTakenAt | null;
}

export interface RefusedCasePhotoInspection {
  ok: false;
  reason: CasePhotoRejection;
  /** English, safe to show to the person who sent the photo. */
  message: string;
}

export type CasePhotoInspection = AcceptedCasePhotoInspection | RefusedCasePhotoInspection;

/** Options every decode of a case photo uses: the pixel limit, and a truncated file is an error. */
export const CASE_PHOTO_DECODE_OPTIONS = {
  limitInputPixels: CASE_PHOTO_MAX_PIXELS,
  // 'truncated' refuses a cut-short file but not the harmless warnings many phone JPEGs raise.
  failOn: 'truncated',
  // One frame only: an animated WebP is refused before this matters.
  pages: 1,
} as const satisfies sharp.SharpOptions;

const refuse = (reason: CasePhotoRejection, message: string): RefusedCasePhotoInspection => ({ ok: false, reason, message });

/** The format by the file's first bytes (its magic number), or null; the name and declared type are never asked. */
export function sniffCasePhotoFormat(bytes: Buffer): CasePhotoFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The header, checked: format by content, one frame, sizes within bounds. Decodes no pixels. */
export async function checkCasePhotoHeader(
  bytes: Buffer,
): Promise<{ ok: true; format: CasePhotoFormat; metadata: Metadata } | RefusedCasePhotoInspection> {
  if (bytes.length === 0) return refuse('empty', 'The photo is empty.');
  if (bytes.length > CASE_PHOTO_MAX_BYTES) {
    return refuse('size', `The photo is ${bytes.length} bytes; at most ${CASE_PHOTO_MAX_BYTES} (10 MB) are accepted.`);
  }
  const format = sniffCasePhotoFormat(bytes);
  if (!format) return refuse('type', 'The file is not a JPEG, PNG or WebP image (judged by its content, not its name).');
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, CASE_PHOTO_DECODE_OPTIONS).metadata();
  } catch (error) {
    // sharp applies the pixel limit to the header already: a bomb ends here, undecoded.
    return decodeFailure(error, format);
  }
  // The decoder's verdict must agree with the magic number (it is asked for no other format).
  if (metadata.format !== format) return refuse('type', 'The file is not a JPEG, PNG or WebP image (judged by its content, not its name).');
  if ((metadata.pages ?? 1) > 1) return refuse('type', 'Animated images are not accepted; send a still photo.');
  const { width, height } = metadata;
  if (!(width > 0 && height > 0)) return refuse('broken', 'The image has no size.');
  if (width * height > CASE_PHOTO_MAX_PIXELS || Math.max(width, height) > CASE_PHOTO_MAX_SIDE) {
    return refuse(
      'dimensions',
      `The image is ${width}×${height} pixels; at most ${Math.round(CASE_PHOTO_MAX_PIXELS / 1e6)} megapixels and ${CASE_PHOTO_MAX_SIDE} pixels a side are accepted.`,
    );
  }
  if (Math.min(width, height) < CASE_PHOTO_MIN_SIDE) {
    return refuse('dimensions', `The image is ${width}×${height} pixels; each side must be at least ${CASE_PHOTO_MIN_SIDE}.`);
  }
  return { ok: true, format, metadata };
}

/** Why sharp failed on bytes whose header was fine: the pixel limit, or a broken file. */
export function decodeFailure(error: unknown, format: CasePhotoFormat): RefusedCasePhotoInspection {
  const text = error instanceof Error ? error.message : String(error);
  return /pixel limit/i.test(text)
    ? refuse('dimensions', `The image has more than ${Math.round(CASE_PHOTO_MAX_PIXELS / 1e6)} megapixels.`)
    : refuse('broken', `The ${format.toUpperCase()} image is cut short or damaged and cannot be decoded.`);
}

/**
 * Decides whether bytes are a case photo we accept, by their content alone, and reads the location
 * and time from their EXIF. The whole image is decoded once (at reduced size where the format
 * allows), so a file cut short is refused here rather than later.
 */
export async function inspectCasePhoto(bytes: Buffer, now: Date = new Date()): Promise<CasePhotoInspection> {
  const header = await checkCasePhotoHeader(bytes);
  if (!header.ok) return header;
  const { format, metadata } = header;
  try {
    // A small target lets libjpeg shrink while decoding; every byte of the file is still read.
    await sharp(bytes, CASE_PHOTO_DECODE_OPTIONS).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
  } catch (error) {
    return decodeFailure(error, format);
  }
  const { location, takenAt } = await readCasePhotoExif(metadata.exif, now);
  return {
    ok: true,
    format,
    mime: CASE_PHOTO_MIME[format],
    width: metadata.autoOrient.width,
    height: metadata.autoOrient.height,
    location,
    takenAt,
  };
}
