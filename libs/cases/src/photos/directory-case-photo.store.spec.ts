import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { casePhotoStoreContract, MALFORMED_CASE_PHOTO_KEYS } from '../../../../test/support/case-photo-store-contract';
import { InvalidCasePhotoKeyError } from './case-photo.exception';
import { casePhotoKey, parseCasePhotoKey } from './case-photo.store';
import { DirectoryCasePhotoStore } from './directory-case-photo.store';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every file under a directory, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

casePhotoStoreContract('DirectoryCasePhotoStore', () => {
  const parent = mkdtempSync(join(tmpdir(), 'case-photos-'));
  made.push(parent);
  const root = join(parent, 'photos');
  // Not made before the first put: a store over a directory that is not there yet.
  return { store: new DirectoryCasePhotoStore(root), stored: () => (existsSync(root) ? filesUnder(root) : []) };
});

describe('DirectoryCasePhotoStore', () => {
  let parent: string;
  let root: string;
  let store: DirectoryCasePhotoStore;

  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'case-photos-'));
    // The root need not exist yet: the first put makes it.
    root = join(parent, 'photos');
    store = new DirectoryCasePhotoStore(root);
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('lays files out as <root>/<first two hex digits>/<key>, with no temporary file left', async () => {
    const bytes = Buffer.from('the same photo, uploaded again after a timeout');
    const keys = await Promise.all(Array.from({ length: 4 }, () => store.put(bytes, 'image/webp')));
    expect(filesUnder(root)).toEqual([join(keys[0].slice(0, 2), keys[0])]);
    expect(keys[0]).toBe(`${sha256(bytes)}.webp`);
  });

  it('repairs a file cut short under a final name (written by something else) on the next put', async () => {
    const bytes = Buffer.from('the whole photo');
    const key = await store.put(bytes, 'image/jpeg');
    writeFileSync(join(root, key.slice(0, 2), key), bytes.subarray(0, 3));
    expect(await store.put(bytes, 'image/jpeg')).toBe(key);
    expect((await store.get(key))?.bytes).toEqual(bytes);
  });

  it.each(MALFORMED_CASE_PHOTO_KEYS)('refuses %s as a key, before touching the disk', async (_name, key) => {
    // Something at the place a traversal would reach, to show it stays untouched.
    writeFileSync(join(parent, 'outside.jpg'), 'outside');
    await expect(store.get(key)).rejects.toBeInstanceOf(InvalidCasePhotoKeyError);
    await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidCasePhotoKeyError);
    await expect(store.get('../outside.jpg')).rejects.toBeInstanceOf(InvalidCasePhotoKeyError);
    expect(existsSync(join(parent, 'outside.jpg'))).toBe(true);
    expect(() => parseCasePhotoKey(key)).toThrow(InvalidCasePhotoKeyError);
  });

  it('fails its check when its directory cannot be there (a file stands in the way)', async () => {
    writeFileSync(join(parent, 'file'), 'x');
    await expect(new DirectoryCasePhotoStore(join(parent, 'file', 'photos')).check()).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(store.check()).resolves.toBeUndefined();
  });

  it('makes keys only from a SHA-256 and an accepted type', () => {
    expect(casePhotoKey('AB'.repeat(32), 'image/png')).toBe(`${'ab'.repeat(32)}.png`);
    expect(() => casePhotoKey('../x', 'image/png')).toThrow(InvalidCasePhotoKeyError);
    expect(parseCasePhotoKey(`${'0'.repeat(64)}.webp`)).toEqual({ sha256: '0'.repeat(64), mime: 'image/webp' });
  });
});
