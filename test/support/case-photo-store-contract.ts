import { createHash } from 'node:crypto';
import { InvalidCasePhotoKeyError } from '../../libs/cases/src/photos/case-photo.exception';
import type { CasePhotoStore } from '../../libs/cases/src/photos/case-photo.store';

export interface CasePhotoStoreUnderTest {
  store: CasePhotoStore;
  /** Every stored item's name relative to the store's root (its directory, or its bucket and prefix), sorted. */
  stored(): Promise<string[]> | string[];
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Keys no store may take: each names a place outside the store, or bytes we never write. */
export const MALFORMED_CASE_PHOTO_KEYS: readonly (readonly [string, string])[] = [
  ['a parent-directory path', '../../../etc/passwd'],
  ['an absolute path', '/etc/passwd'],
  ['a hash with a path in front', `../${'a'.repeat(64)}.jpg`],
  ['a hash with a separator', `${'a'.repeat(32)}/${'a'.repeat(31)}.jpg`],
  ['a NUL byte', `${'a'.repeat(64)}.jpg\0.png`],
  ['upper-case hex', `${'A'.repeat(64)}.jpg`],
  ['a short hash', `${'a'.repeat(63)}.jpg`],
  ['an extension we never write', `${'a'.repeat(64)}.svg`],
  ['a client file name', 'IMG_2041.JPG'],
  ['nothing', ''],
];

/**
 * What every CasePhotoStore promises, run against each of them (directory, S3) by its own spec:
 * content-addressed keys laid out as `<first two hex digits>/<key>`, idempotent puts, null and
 * false for what is not there, and no key we never make ever reaching the storage.
 */
export function casePhotoStoreContract(name: string, make: () => Promise<CasePhotoStoreUnderTest> | CasePhotoStoreUnderTest): void {
  describe(`${name}: the CasePhotoStore contract`, () => {
    let subject: CasePhotoStoreUnderTest;
    beforeEach(async () => {
      subject = await make();
    });

    it('stores bytes under a key made of their SHA-256, reads them back and deletes them', async () => {
      const { store } = subject;
      const bytes = Buffer.from('not really a jpeg, the store does not care');
      const key = await store.put(bytes, 'image/jpeg');
      expect(key).toBe(`${sha256(bytes)}.jpg`);
      expect(await subject.stored()).toEqual([`${key.slice(0, 2)}/${key}`]);
      expect(await store.get(key)).toEqual({ bytes, mime: 'image/jpeg' });
      expect(await store.delete(key)).toBe(true);
      expect(await store.get(key)).toBeNull();
      expect(await store.delete(key)).toBe(false);
      expect(await subject.stored()).toEqual([]);
    });

    it('puts the same bytes once: the same key and one stored item, even when sent at the same time', async () => {
      const { store } = subject;
      const bytes = Buffer.from('the same photo, uploaded again after a timeout');
      const keys = await Promise.all(Array.from({ length: 8 }, () => store.put(bytes, 'image/webp')));
      expect(new Set(keys)).toEqual(new Set([`${sha256(bytes)}.webp`]));
      expect(await store.put(bytes, 'image/webp')).toBe(keys[0]);
      expect(await subject.stored()).toEqual([`${keys[0].slice(0, 2)}/${keys[0]}`]);
      expect((await store.get(keys[0]))?.bytes).toEqual(bytes);
    });

    it('keeps different bytes apart, and the same bytes as another type under another key', async () => {
      const { store } = subject;
      const a = await store.put(Buffer.from('a'), 'image/png');
      const b = await store.put(Buffer.from('b'), 'image/png');
      const aAsJpeg = await store.put(Buffer.from('a'), 'image/jpeg');
      expect(new Set([a, b, aAsJpeg]).size).toBe(3);
      expect((await store.get(a))?.bytes.toString()).toBe('a');
      expect((await store.get(b))?.bytes.toString()).toBe('b');
      expect(await store.get(aAsJpeg)).toEqual({ bytes: Buffer.from('a'), mime: 'image/jpeg' });
      expect((await subject.stored()).length).toBe(3);
    });

    it('answers null and false for a well-made key that holds nothing', async () => {
      const key = `${'0'.repeat(64)}.png`;
      expect(await subject.store.get(key)).toBeNull();
      expect(await subject.store.delete(key)).toBe(false);
    });

    it('keeps a large photo whole', async () => {
      // Larger than the SDK's and the file system's first buffers: no truncation on the way.
      const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
      for (let i = 0; i < bytes.length; i += 4096) bytes[i] = i % 251;
      const key = await subject.store.put(bytes, 'image/jpeg');
      expect((await subject.store.get(key))?.bytes.equals(bytes)).toBe(true);
    });

    it.each(MALFORMED_CASE_PHOTO_KEYS)('refuses %s as a key', async (_name, key) => {
      await expect(subject.store.get(key)).rejects.toBeInstanceOf(InvalidCasePhotoKeyError);
      await expect(subject.store.delete(key)).rejects.toBeInstanceOf(InvalidCasePhotoKeyError);
    });

    it('answers its check while the storage is there', async () => {
      await expect(subject.store.check()).resolves.toBeUndefined();
    });
  });
}
