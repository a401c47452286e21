import sharp from 'sharp';
import { CASE_PHOTO_MAX_BYTES } from '@cityops/contracts';
import { executableHead, peExecutableHead, pngBomb, samplePhoto } from '../../../../test/support/photo-samples';
import { inspectCasePhoto, sniffCasePhotoFormat } from './case-photo-inspect';

const NOW = new Date('2026-11-30T04:00:00Z');

describe('inspectCasePhoto: accepted photos', () => {
  it('accepts a JPEG and reads its EXIF GPS position and time', async () => {
    const bytes = await samplePhoto('jpeg', {
      gps: { lat: 23.125, lon: 113.3200944 },
      dateTimeOriginal: '2026:11:29 10:15:00',
      offsetTimeOriginal: '+08:00',
    });
    const inspection = await inspectCasePhoto(bytes, NOW);
    expect(inspection).toEqual({
      ok: true,
      format: 'jpeg',
      mime: 'image/jpeg',
      width: 200,
      height: 100,
      location: [expect.closeTo(113.3200944, 6), expect.closeTo(23.125, 6)],
      takenAt: { local: '2026-11-29T10:15:00', at: new Date('2026-11-29T02:15:00Z') },
    });
  });

  it.each(['png', 'webp'] as const)('accepts a %s and reads its EXIF GPS position', async (format) => {
    const bytes = await samplePhoto(format, { gps: { lat: -33.8568, lon: -151.2153 } });
    const inspection = await inspectCasePhoto(bytes, NOW);
    expect(inspection).toMatchObject({ ok: true, format, mime: `image/${format}`, width: 200, height: 100, takenAt: null });
    expect(inspection.ok && inspection.location).toEqual([expect.closeTo(-151.2153, 5), expect.closeTo(-33.8568, 5)]);
  });

  it('accepts a photo without EXIF, with no location or time', async () => {
    const bytes = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
      .jpeg()
      .toBuffer();
    expect(await inspectCasePhoto(bytes, NOW)).toMatchObject({
      ok: true,
      format: 'jpeg',
      width: 64,
      height: 48,
      location: null,
      takenAt: null,
    });
  });

  it('gives the upright size of a photo the camera turned (EXIF orientation 6)', async () => {
    const bytes = await samplePhoto('jpeg', { width: 200, height: 100, orientation: 6 });
    expect(await inspectCasePhoto(bytes, NOW)).toMatchObject({ ok: true, width: 100, height: 200 });
  });

  it('accepts exactly 10 MB', async () => {
    const photo = await samplePhoto('jpeg');
    const tenMegabytes = Buffer.concat([photo, Buffer.alloc(CASE_PHOTO_MAX_BYTES - photo.length)]);
    expect(tenMegabytes.length).toBe(CASE_PHOTO_MAX_BYTES);
    expect(await inspectCasePhoto(tenMegabytes, NOW)).toMatchObject({ ok: true, format: 'jpeg' });
  });

  it('ignores a nonsense GPS position but keeps the photo', async () => {
    const bytes = await samplePhoto('jpeg', {
      gpsTags: { GPSLatitudeRef: 'N', GPSLatitude: '95/1 0/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '113/1 0/1 0/1' },
    });
    expect(await inspectCasePhoto(bytes, NOW)).toMatchObject({ ok: true, location: null });
  });
});

describe('inspectCasePhoto: refused files', () => {
  const jpegCutInHalf = async () => {
    const whole = await samplePhoto('jpeg', { width: 800, height: 600, noise: true });
    return whole.subarray(0, whole.length >> 1);
  };
  const gif = () =>
    sharp({ create: { width: 32, height: 32, channels: 3, background: '#ff0000' } })
      .gif()
      .toBuffer();
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(1)</script></svg>');

  const cases: [string, () => Promise<Buffer> | Buffer, string][] = [
    ['an empty file', () => Buffer.alloc(0), 'empty'],
    [
      'one byte over 10 MB, even a real JPEG start',
      async () => Buffer.concat([await samplePhoto('jpeg'), Buffer.alloc(CASE_PHOTO_MAX_BYTES)]).subarray(0, CASE_PHOTO_MAX_BYTES + 1),
      'size',
    ],
    ['a Linux executable renamed .jpg', () => executableHead(), 'type'],
    ['a Windows executable renamed .jpg', () => peExecutableHead(), 'type'],
    ['a shell script', () => Buffer.from('#!/bin/sh\nrm -rf /\n'), 'type'],
    ['an SVG (it could carry script)', () => svg, 'type'],
    [
      'an SVG behind a byte-order mark and an XML declaration',
      () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<?xml version="1.0"?>'), svg]),
      'type',
    ],
    ['a GIF', gif, 'type'],
    ['HTML', () => Buffer.from('<!doctype html><img src=x onerror=alert(1)>'), 'type'],
    ['a JPEG cut in half', jpegCutInHalf, 'broken'],
    ['a JPEG signature and nothing after', () => Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'broken'],
    [
      'a PNG whose pixel data is cut short',
      async () => {
        const whole = await samplePhoto('png', { width: 400, height: 300, noise: true });
        return whole.subarray(0, Math.floor(whole.length * 0.6));
      },
      'broken',
    ],
    [
      'a WebP cut in half',
      async () => {
        const whole = await samplePhoto('webp', { width: 400, height: 300, noise: true });
        return whole.subarray(0, whole.length >> 1);
      },
      'broken',
    ],
    ['a PNG of 20000 × 20000 pixels that deflates to kilobytes (a decompression bomb)', () => pngBomb(20_000, 20_000), 'dimensions'],
    ['a PNG 10 pixels high', () => samplePhoto('png', { width: 400, height: 10 }), 'dimensions'],
  ];

  it.each(cases)('refuses %s', async (_name, make, reason) => {
    const started = Date.now();
    const inspection = await inspectCasePhoto(await make(), NOW);
    expect(inspection).toMatchObject({ ok: false, reason });
    expect(!inspection.ok && inspection.message.trim()).toBeTruthy();
    // Refusals come from the header or a small decode: nothing takes long or grows large.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses an animated WebP: a case photo is a still', async () => {
    const frame = (background: string) =>
      sharp({ create: { width: 32, height: 32, channels: 3, background } })
        .png()
        .toBuffer();
    const animated = await sharp([await frame('#00ff00'), await frame('#ff0000')], { join: { animated: true } })
      .webp({ loop: 0 })
      .toBuffer();
    expect((await sharp(animated).metadata()).pages).toBe(2);
    expect(await inspectCasePhoto(animated, NOW)).toMatchObject({ ok: false, reason: 'type' });
  });
});

describe('sniffCasePhotoFormat', () => {
  it('knows the three formats by their first bytes, and nothing else', async () => {
    expect(sniffCasePhotoFormat(await samplePhoto('jpeg'))).toBe('jpeg');
    expect(sniffCasePhotoFormat(await samplePhoto('png'))).toBe('png');
    expect(sniffCasePhotoFormat(await samplePhoto('webp'))).toBe('webp');
    expect(sniffCasePhotoFormat(Buffer.from('RIFF\0\0\0\0WAVE', 'latin1'))).toBeNull();
    expect(sniffCasePhotoFormat(Buffer.from([0xff, 0xd8]))).toBeNull();
  });
});
