import type { CasePhotoMimeType } from '@cityops/contracts';
import { InvalidCasePhotoKeyError } from './case-photo.exception';

/** A stored photo's bytes and what they are. */
export interface StoredCasePhotoBytes {
  bytes: Buffer;
  mime: CasePhotoMimeType;
}

/**
 * Where photo bytes live, by key. Keys are made by the store from the bytes (see casePhotoKey),
 * never from anything a client sent, so the same bytes always land on the same key: a retried
 * upload stores nothing twice. Two cases may hold the same photo; whoever deletes a key must know
 * that no case refers to it any more.
 */
export abstract class CasePhotoStore {
  /** Stores the bytes (atomically: a reader sees all of them or none) and returns their key. */
  abstract put(bytes: Buffer, mime: CasePhotoMimeType): Promise<string>;
  /** The bytes under a key, or null when nothing is stored there. Throws InvalidCasePhotoKeyError for a key we never make. */
  abstract get(key: string): Promise<StoredCasePhotoBytes | null>;
  /** Removes a key's bytes; false when there were none. Throws InvalidCasePhotoKeyError for a key we never make. */
  abstract delete(key: string): Promise<boolean>;
  /** Resolves when the storage answers and may be written to; rejects otherwise (for the health report). */
  abstract check(): Promise<void>;
}

const EXTENSION: Record<CasePhotoMimeType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };
const MIME_BY_EXTENSION = new Map<string, CasePhotoMimeType>(
  Object.entries(EXTENSION).map(([mime, ext]) => [ext, mime as CasePhotoMimeType]),
);
const KEY = /^([0-9a-f]{64})\.(jpg|png|webp)$/;

/** `<sha256 hex>.<jpg|png|webp>`: the only keys a store accepts. */
export function casePhotoKey(sha256: string, mime: CasePhotoMimeType): string {
  const key = `${sha256.toLowerCase()}.${EXTENSION[mime]}`;
  if (!KEY.test(key)) throw new InvalidCasePhotoKeyError();
  return key;
}

/** A key's parts, or InvalidCasePhotoKeyError: nothing else (no `/`, `..`, NUL, upper case) can reach a path or an object name. */
export function parseCasePhotoKey(key: string): { sha256: string; mime: CasePhotoMimeType } {
  const match = typeof key === 'string' ? KEY.exec(key) : null;
  const mime = match ? MIME_BY_EXTENSION.get(match[2]) : undefined;
  if (!match || !mime) throw new InvalidCasePhotoKeyError();
  return { sha256: match[1], mime };
}
