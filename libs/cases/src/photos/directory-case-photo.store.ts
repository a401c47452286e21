import { createHash, randomUUID } from 'node:crypto';
import { access, constants, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { CasePhotoMimeType } from '@cityops/contracts';
import { CasePhotoStore, casePhotoKey, parseCasePhotoKey, type StoredCasePhotoBytes } from './case-photo.store';

/**
 * Photos as files under one directory (CASE_PHOTO_DIR): `<root>/<first two hex digits>/<key>`,
 * so no directory grows past a few thousand files. Several processes may share the directory:
 * a write goes to a temporary file beside its target and is renamed over it, which is atomic on
 * one file system, and the same bytes always make the same file.
 */
export class DirectoryCasePhotoStore extends CasePhotoStore {
  constructor(private readonly root: string) {
    super();
  }

  async put(bytes: Buffer, mime: CasePhotoMimeType): Promise<string> {
    const key = casePhotoKey(createHash('sha256').update(bytes).digest('hex'), mime);
    const path = this.pathOf(key);
    // The name is the content's hash: a file of the right size there already holds these bytes
    // (renames are atomic, so no half-written file ever bears a final name).
    if ((await sizeOf(path)) === bytes.length) return key;
    const dir = join(path, '..');
    await mkdir(dir, { recursive: true });
    const temporary = join(dir, `.${key}.${randomUUID()}.tmp`);
    try {
      const file = await open(temporary, 'wx', 0o640);
      try {
        await file.writeFile(bytes);
        // On disk before the name points at it: a crash leaves the old state or the whole file.
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    return key;
  }

  async get(key: string): Promise<StoredCasePhotoBytes | null> {
    const { mime } = parseCasePhotoKey(key);
    try {
      return { bytes: await readFile(this.pathOf(key)), mime };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<boolean> {
    parseCasePhotoKey(key);
    try {
      await unlink(this.pathOf(key));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async check(): Promise<void> {
    try {
      await access(this.root, constants.W_OK | constants.X_OK);
    } catch (error) {
      // Not made yet: the first upload makes it (the config checked at start that it can be).
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  /** Only for a validated key: it is made of hex digits, a dot and a known extension. */
  private pathOf(key: string): string {
    const { sha256 } = parseCasePhotoKey(key);
    return join(this.root, sha256.slice(0, 2), key);
  }
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
