import { createHash } from 'node:crypto';
import { parse as parseExif } from 'exifr';
import sharp from 'sharp';
import { executableHead, pngBomb, samplePhoto } from '../../../../test/support/photo-samples';
import { normalizeCasePhoto, type CasePhotoImage } from './case-photo-normalize';
import { CasePhotoRejectedError } from './case-photo.exception';

const XMP =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="23,7.5N"/></rdf:RDF></x:xmpmeta>';

/** Everything a stored rendition must not carry. */
async function expectNoMetadata(image: CasePhotoImage): Promise<void> {
  const metadata = await sharp(image.bytes).metadata();
  expect({ exif: metadata.exif, xmp: metadata.xmp, iptc: metadata.iptc, icc: metadata.icc, orientation: metadata.orientation }).toEqual({
    exif: undefined,
    xmp: undefined,
    iptc: undefined,
    icc: undefined,
    orientation: undefined,
  });
  if (image.mime === 'image/webp') {
    // exifr reads no WebP: the container's chunks are listed instead; only the picture may be there.
    expect(riffChunks(image.bytes).filter((c) => c !== 'VP8 ' && c !== 'VP8L' && c !== 'ALPH' && c !== 'VP8X')).toEqual([]);
  } else {
    // exifr looks for EXIF, GPS and XMP its own way, in the file as stored.
    expect(await parseExif(image.bytes, { gps: true, xmp: true, tiff: true, exif: true })).toBeUndefined();
  }
  expect(image.bytes.includes('cityops-test')).toBe(false);
}

/** The chunk names of a WebP (RIFF) file. */
function riffChunks(bytes: Buffer): string[] {
  const names: string[] = [];
  for (let at = 12; at + 8 <= bytes.length;) {
    names.push(bytes.toString('latin1', at, at + 4));
    const size = bytes.readUInt32LE(at + 4);
    at += 8 + size + (size % 2);
  }
  return names;
}

describe('normalizeCasePhoto', () => {
  it('strips EXIF with its GPS position, and XMP, from a JPEG; the full image is a JPEG, the thumbnail a WebP', async () => {
    const original = await samplePhoto('jpeg', { gps: { lat: 23.125, lon: 113.32 }, dateTimeOriginal: '2026:11:29 10:15:00', xmp: XMP });
    // The sample does carry what must go.
    const readBack = (await parseExif(original, { gps: true })) as { latitude?: number } | undefined;
    expect(readBack?.latitude).toBeCloseTo(23.125, 3);
    expect((await sharp(original).metadata()).xmp).toBeDefined();

    const { full, thumbnail } = await normalizeCasePhoto(original);
    expect(full).toMatchObject({ mime: 'image/jpeg', width: 200, height: 100 });
    expect(thumbnail).toMatchObject({ mime: 'image/webp', width: 200, height: 100 });
    expect((await sharp(full.bytes).metadata()).format).toBe('jpeg');
    expect((await sharp(thumbnail.bytes).metadata()).format).toBe('webp');
    await expectNoMetadata(full);
    await expectNoMetadata(thumbnail);
  });

  it.each(['png', 'webp'] as const)('strips EXIF with its GPS position from a %s', async (format) => {
    const original = await samplePhoto(format, { gps: { lat: 23.125, lon: 113.32 } });
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const { full, thumbnail } = await normalizeCasePhoto(original);
    await expectNoMetadata(full);
    await expectNoMetadata(thumbnail);
  });

  it('turns a photo upright by its EXIF orientation before the orientation is stripped (200×100, orientation 6 → 100×200)', async () => {
    const original = await samplePhoto('jpeg', { width: 200, height: 100, orientation: 6 });
    const { full, thumbnail } = await normalizeCasePhoto(original);
    expect([full.width, full.height]).toEqual([100, 200]);
    expect([thumbnail.width, thumbnail.height]).toEqual([100, 200]);
    const stored = await sharp(full.bytes).metadata();
    expect([stored.width, stored.height, stored.orientation]).toEqual([100, 200, undefined]);
    // Orientation 6 turns the picture 90° clockwise: the mark of the top-left corner is now top-right.
    const { data, info } = await sharp(full.bytes).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3);
    expect(pixel(info.width - 2, 1)[2]).toBeGreaterThan(200);
    expect(pixel(1, 1)[2]).toBeLessThan(100);
  });

  it('scales a large photo to 2560 px and its thumbnail to 320 px on the longest side, keeping the proportions', async () => {
    const { full, thumbnail } = await normalizeCasePhoto(await samplePhoto('jpeg', { width: 4000, height: 3000 }));
    expect([full.width, full.height]).toEqual([2560, 1920]);
    expect([thumbnail.width, thumbnail.height]).toEqual([320, 240]);
    expect((await sharp(full.bytes).metadata()).width).toBe(2560);
    expect((await sharp(thumbnail.bytes).metadata()).height).toBe(240);
  });

  it('scales a portrait photo by its height, and never enlarges a small one', async () => {
    const portrait = await normalizeCasePhoto(await samplePhoto('png', { width: 1000, height: 3000 }));
    expect([portrait.thumbnail.width, portrait.thumbnail.height]).toEqual([107, 320]);
    expect([portrait.full.width, portrait.full.height]).toEqual([853, 2560]);
    const small = await normalizeCasePhoto(await samplePhoto('webp', { width: 64, height: 48 }));
    expect([small.full.width, small.full.height, small.thumbnail.width, small.thumbnail.height]).toEqual([64, 48, 64, 48]);
  });

  it('puts a transparent PNG on white, not black, in the JPEG', async () => {
    const { full } = await normalizeCasePhoto(await samplePhoto('png', { alpha: true, width: 100, height: 100 }));
    const { data } = await sharp(full.bytes)
      .extract({ left: 90, top: 90, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    // Half-transparent red (200, 30, 30) over white is pink: over black it would be dark red.
    expect(data[1]).toBeGreaterThan(120);
  });

  it('gives the SHA-256 of the bytes it returns, the same for the same photo', async () => {
    const original = await samplePhoto('jpeg', { gps: { lat: 23.1, lon: 113.3 } });
    const first = await normalizeCasePhoto(original);
    const again = await normalizeCasePhoto(original);
    for (const image of [first.full, first.thumbnail]) {
      expect(image.sha256).toBe(createHash('sha256').update(image.bytes).digest('hex'));
    }
    expect(again.full.sha256).toBe(first.full.sha256);
    expect(again.thumbnail.sha256).toBe(first.thumbnail.sha256);
    expect(first.full.sha256).not.toBe(first.thumbnail.sha256);
  });

  it('drops what was hidden after the image (a script appended to a JPEG)', async () => {
    const payload = Buffer.from('<?php system($_GET["c"]); ?>');
    const { full } = await normalizeCasePhoto(Buffer.concat([await samplePhoto('jpeg'), payload]));
    expect(full.bytes.includes(payload)).toBe(false);
  });

  it.each([
    ['an executable', () => Promise.resolve(executableHead()), 'type', 415],
    ['a decompression bomb', () => pngBomb(20_000, 20_000), 'dimensions', 422],
    [
      'a JPEG cut in half',
      async () => {
        const whole = await samplePhoto('jpeg', { width: 800, height: 600, noise: true });
        return whole.subarray(0, whole.length >> 1);
      },
      'broken',
      422,
    ],
    ['an empty buffer', () => Promise.resolve(Buffer.alloc(0)), 'empty', 422],
  ] as const)('refuses %s by itself, with its reason, when nobody inspected it first', async (_name, make, reason, status) => {
    const error = await normalizeCasePhoto(await make()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CasePhotoRejectedError);
    expect(error).toMatchObject({ reason, status, code: `case_photo_${reason}` });
  });
});
