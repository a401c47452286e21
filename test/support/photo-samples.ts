import { closeSync, openSync, readSync } from 'node:fs';
import { crc32, createDeflate } from 'node:zlib';
import sharp from 'sharp';

/** Files made in the tests, so no binary fixture is committed: real images with real EXIF, and things that are not images. */

export interface SamplePhotoOptions {
  width?: number;
  height?: number;
  /** EXIF orientation 1–8 (6: the camera was turned; the picture must be rotated 90° clockwise). */
  orientation?: number;
  /** Decimal degrees, written as EXIF degrees/minutes/seconds with their hemisphere letters. */
  gps?: { lat: number; lon: number };
  /** Raw GPS tags, for nonsense the decimal form cannot express. */
  gpsTags?: Record<string, string>;
  /** `YYYY:MM:DD HH:MM:SS` and `+08:00`. */
  dateTimeOriginal?: string;
  offsetTimeOriginal?: string;
  /** Noise makes a photo-like, badly compressible image (the default is one colour). */
  noise?: boolean;
  alpha?: boolean;
  /** An XMP packet to embed as well. */
  xmp?: string;
}

/** `23.125` as the EXIF rationals `23/1 7/1 3000/100`. */
export function dmsRationals(decimal: number): string {
  const abs = Math.abs(decimal);
  const deg = Math.floor(abs);
  const minutesFloat = (abs - deg) * 60;
  const min = Math.floor(minutesFloat);
  const centiSeconds = Math.round((minutesFloat - min) * 60 * 100);
  return `${deg}/1 ${min}/1 ${centiSeconds}/100`;
}

/** A JPEG, PNG or WebP made by sharp, with the EXIF asked for. */
export async function samplePhoto(format: 'jpeg' | 'png' | 'webp', options: SamplePhotoOptions = {}): Promise<Buffer> {
  const { width = 200, height = 100 } = options;
  const channels = options.alpha ? 4 : 3;
  const background = options.alpha ? { r: 200, g: 30, b: 30, alpha: 0.5 } : { r: 200, g: 30, b: 30 };
  let image = sharp({
    create: { width, height, channels, background, ...(options.noise ? { noise: { type: 'gaussian', mean: 128, sigma: 40 } } : {}) },
  });
  // A one-colour image gets a mark in its top-left corner, so a test can tell which way is up.
  if (!options.noise) {
    const mark = await sharp({ create: { width: Math.ceil(width / 4), height: Math.ceil(height / 4), channels, background: '#0000ff' } })
      .png()
      .toBuffer();
    image = sharp(
      await image
        .composite([{ input: mark, top: 0, left: 0 }])
        .png()
        .toBuffer(),
    );
  }
  const ifd0: Record<string, string> = { Make: 'cityops-test', Model: 'sample' };
  const ifd2: Record<string, string> = {};
  const ifd3: Record<string, string> = { ...options.gpsTags };
  if (options.gps) {
    Object.assign(ifd3, {
      GPSLatitudeRef: options.gps.lat < 0 ? 'S' : 'N',
      GPSLatitude: dmsRationals(options.gps.lat),
      GPSLongitudeRef: options.gps.lon < 0 ? 'W' : 'E',
      GPSLongitude: dmsRationals(options.gps.lon),
    });
  }
  if (options.dateTimeOriginal) ifd2.DateTimeOriginal = options.dateTimeOriginal;
  if (options.offsetTimeOriginal) ifd2.OffsetTimeOriginal = options.offsetTimeOriginal;
  image = image.withExif({ IFD0: ifd0, IFD2: ifd2, IFD3: ifd3 });
  if (options.orientation) image = image.withMetadata({ orientation: options.orientation });
  if (options.xmp) image = image.withXmp(options.xmp);
  return image[format]().toBuffer();
}

/** The first bytes of the Node binary running the test: a real ELF (Linux) or Mach-O/PE executable. */
export function executableHead(bytes = 4096): Buffer {
  const fd = openSync(process.execPath, 'r');
  try {
    const head = Buffer.alloc(bytes);
    const read = readSync(fd, head, 0, bytes, 0);
    return head.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** A Windows executable's start: the `MZ` DOS header pointing at a `PE\0\0` header. */
export function peExecutableHead(): Buffer {
  const pe = Buffer.alloc(512);
  pe.write('MZ', 0, 'latin1');
  pe.writeUInt32LE(0x80, 0x3c);
  pe.write('PE\0\0', 0x80, 'latin1');
  pe.write('This program cannot be run in DOS mode.', 0x4e, 'latin1');
  return pe;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A real decompression bomb: a complete, valid black 1-bit greyscale PNG of width × height
 * pixels whose zero rows deflate to almost nothing (20000 × 20000, 400 MP, is about 50 KB).
 */
export async function pngBomb(width: number, height: number): Promise<Buffer> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  // Each row: a filter byte (0) and width/8 bytes of zeros.
  const row = Buffer.alloc(1 + Math.ceil(width / 8));
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => parts.push(chunk));
  const done = new Promise<void>((resolveDone, reject) => {
    deflate.on('end', resolveDone);
    deflate.on('error', reject);
  });
  const rowsPerWrite = 256;
  const block = Buffer.concat(Array.from({ length: rowsPerWrite }, () => row));
  for (let y = 0; y < height; y += rowsPerWrite) {
    const rows = Math.min(rowsPerWrite, height - y);
    if (!deflate.write(rows === rowsPerWrite ? block : block.subarray(0, rows * row.length))) {
      await new Promise((r) => deflate.once('drain', r));
    }
  }
  deflate.end();
  await done;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', Buffer.concat(parts)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
