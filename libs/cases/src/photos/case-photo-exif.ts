import { parse as parseExif } from 'exifr';
import type { Position } from '@cityops/contracts';

/** When a photo was taken, as far as its EXIF tells. */
export interface CasePhotoTakenAt {
  /** The camera's wall-clock time, `YYYY-MM-DDTHH:mm:ss`, without a zone (EXIF's DateTimeOriginal). */
  local: string | null;
  /**
   * The instant, only when EXIF fixes it: DateTimeOriginal with its OffsetTimeOriginal, or else the
   * GPS receiver's UTC date and time stamps. A bare wall-clock time is never guessed into an instant.
   */
  at: Date | null;
}

/** What a photo's EXIF says about where and when, each part null when absent or not believable. */
export interface CasePhotoExif {
  /** `[lon, lat]` in WGS 84 decimal degrees. */
  location: Position | null;
  takenAt: CasePhotoTakenAt | null;
}

/** The tags read, and no others: nothing else in a photo's EXIF is ours to keep. */
const TAGS = [
  'GPSLatitude',
  'GPSLatitudeRef',
  'GPSLongitude',
  'GPSLongitudeRef',
  'GPSStatus',
  'GPSDateStamp',
  'GPSTimeStamp',
  'DateTimeOriginal',
  'OffsetTimeOriginal',
];

/** The tags as exifr gives them with revivers and translations off: numbers, arrays of them, strings. */
export type ExifTags = Record<string, unknown>;

const EXIF_HEADER = Buffer.from('Exif\0\0', 'latin1');
/** Photos older than this are not from a case's report: a camera whose clock was never set. */
const EARLIEST_YEAR = 1990;
/** A camera's clock may run ahead a little; further ahead, its time is not believed. */
const FUTURE_SLACK_MS = 24 * 3600 * 1000;
const MAX_UTC_OFFSET_MS = 14 * 3600 * 1000;

/**
 * Reads the EXIF block that the decoder found in a photo (sharp's `metadata().exif`), for every
 * accepted format alike: exifr reads no WebP container, but it reads this block as the TIFF
 * structure it is. A block exifr cannot read counts as no EXIF: EXIF is a hint, never a reason to
 * refuse a photo.
 */
export async function readCasePhotoExif(exifBlock: Buffer | undefined, now: Date = new Date()): Promise<CasePhotoExif> {
  if (!exifBlock || exifBlock.length === 0) return { location: null, takenAt: null };
  const tiff = exifBlock.subarray(0, EXIF_HEADER.length).equals(EXIF_HEADER) ? exifBlock.subarray(EXIF_HEADER.length) : exifBlock;
  let tags: ExifTags | undefined;
  try {
    tags = (await parseExif(tiff, {
      pick: TAGS,
      reviveValues: false,
      translateValues: false,
      translateKeys: true,
      mergeOutput: true,
    })) as ExifTags | undefined;
  } catch {
    tags = undefined;
  }
  return tags ? exifFromTags(tags, now) : { location: null, takenAt: null };
}

/** The location and time in a set of EXIF tags (pure, for the scenario table). */
export function exifFromTags(tags: ExifTags, now: Date = new Date()): CasePhotoExif {
  return { location: gpsPosition(tags), takenAt: takenAt(tags, now) };
}

function gpsPosition(tags: ExifTags): Position | null {
  // 'V' (void): the receiver says it has no fix; what it wrote is not a position.
  if (typeof tags.GPSStatus === 'string' && tags.GPSStatus.trim().toUpperCase() === 'V') return null;
  const lat = signedDegrees(tags.GPSLatitude, tags.GPSLatitudeRef, 'N', 'S', 90);
  const lon = signedDegrees(tags.GPSLongitude, tags.GPSLongitudeRef, 'E', 'W', 180);
  if (lat === null || lon === null) return null;
  // Exactly 0,0 is what cameras without a fix write, not a case in the Gulf of Guinea.
  if (lat === 0 && lon === 0) return null;
  return [round(lon), round(lat)];
}

/** Degrees, minutes, seconds and a hemisphere letter as signed decimal degrees; null when any part is nonsense. */
function signedDegrees(value: unknown, ref: unknown, positive: string, negative: string, max: number): number | null {
  const parts = Array.isArray(value) ? value : typeof value === 'number' ? [value] : null;
  if (!parts || parts.length < 1 || parts.length > 3 || !parts.every((p) => typeof p === 'number' && Number.isFinite(p) && p >= 0))
    return null;
  const [deg, min = 0, sec = 0] = parts as number[];
  if (min >= 60 || sec >= 60) return null;
  const degrees = deg + min / 60 + sec / 3600;
  if (degrees > max) return null;
  // Without its hemisphere a coordinate could be on the other side of the world: not used.
  const hemisphere = typeof ref === 'string' ? ref.trim().toUpperCase() : '';
  if (hemisphere === positive) return degrees;
  if (hemisphere === negative) return -degrees;
  return null;
}

/** Seven decimals: about a centimetre, more than any phone's GPS knows. */
function round(degrees: number): number {
  return Math.round(degrees * 1e7) / 1e7;
}

const EXIF_DATE_TIME = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const EXIF_DATE = /^(\d{4}):(\d{2}):(\d{2})$/;
const OFFSET = /^([+-])(\d{2}):(\d{2})$/;

function takenAt(tags: ExifTags, now: Date): CasePhotoTakenAt | null {
  const local = typeof tags.DateTimeOriginal === 'string' ? wallClock(tags.DateTimeOriginal) : null;
  const offsetMinutes = typeof tags.OffsetTimeOriginal === 'string' ? utcOffsetMinutes(tags.OffsetTimeOriginal) : null;
  let at = local && offsetMinutes !== null ? new Date(Date.parse(`${local}Z`) - offsetMinutes * 60_000) : gpsInstant(tags);
  if (at && !believable(at, now)) at = null;
  // A zone's wall clock runs up to 14 hours ahead of UTC (UTC+14), on top of the clock's slack.
  const keptLocal = local && believable(new Date(`${local}Z`), new Date(now.getTime() + MAX_UTC_OFFSET_MS)) ? local : null;
  return keptLocal || at ? { local: keptLocal, at } : null;
}

/** `2026:11:29 10:15:00` as `2026-11-29T10:15:00` when it is a real date and time. */
function wallClock(text: string): string | null {
  const m = EXIF_DATE_TIME.exec(text.trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
  const parsed = new Date(`${iso}Z`);
  // Date rolls 2026-02-30 over into March; a time that does not round-trip was not a real one.
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) === iso ? iso : null;
}

function utcOffsetMinutes(text: string): number | null {
  const m = OFFSET.exec(text.trim());
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return minutes * 60_000 <= MAX_UTC_OFFSET_MS && Number(m[3]) < 60 ? (m[1] === '-' ? -minutes : minutes) : null;
}

/** GPSDateStamp `YYYY:MM:DD` with GPSTimeStamp `[h, m, s]`, both UTC by the standard. */
function gpsInstant(tags: ExifTags): Date | null {
  const date = typeof tags.GPSDateStamp === 'string' ? EXIF_DATE.exec(tags.GPSDateStamp.trim()) : null;
  const time = tags.GPSTimeStamp;
  if (!date || !Array.isArray(time) || time.length !== 3) return null;
  const [h, min, s] = time as unknown[];
  if (![h, min, s].every((p) => typeof p === 'number' && Number.isFinite(p) && p >= 0)) return null;
  const [hours, minutes, seconds] = [h, min, s] as number[];
  if (hours >= 24 || minutes >= 60 || seconds >= 61) return null;
  const day = wallClock(`${date[1]}:${date[2]}:${date[3]} 00:00:00`);
  if (!day) return null;
  return new Date(Date.parse(`${day}Z`) + ((hours * 60 + minutes) * 60 + seconds) * 1000);
}

function believable(at: Date, now: Date): boolean {
  return at.getUTCFullYear() >= EARLIEST_YEAR && at.getTime() <= now.getTime() + FUTURE_SLACK_MS;
}
