import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import sharp from 'sharp';
import { ConfigModule, loadConfig } from '@cityops/core';
import { executableHead, samplePhoto } from '../../../../test/support/photo-samples';
import { CasePhotoRejectedError } from './case-photo.exception';
import { CasePhotoService } from './case-photo.service';
import { CasePhotosModule } from './case-photos.module';
import { DirectoryCasePhotoStore } from './directory-case-photo.store';

describe('CasePhotoService', () => {
  let root: string;
  let service: CasePhotoService;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'case-photo-service-'));
    service = new CasePhotoService(new DirectoryCasePhotoStore(root));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const storedFiles = () => readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;

  it('keeps the location read from EXIF and stores only the stripped full image and thumbnail', async () => {
    const original = await samplePhoto('jpeg', { width: 3000, height: 1500, orientation: 6, gps: { lat: 23.125, lon: 113.32 } });
    const photo = await service.accept(original);
    expect(photo.location).toEqual([expect.closeTo(113.32, 5), expect.closeTo(23.125, 5)] as unknown);
    expect(photo.original).toEqual({ format: 'jpeg', width: 1500, height: 3000, size: original.length });
    expect(photo.full).toMatchObject({ mime: 'image/jpeg', width: 1280, height: 2560, key: `${photo.full.sha256}.jpg` });
    expect(photo.thumbnail).toMatchObject({ mime: 'image/webp', width: 160, height: 320, key: `${photo.thumbnail.sha256}.webp` });
    expect(storedFiles()).toBe(2);

    const full = await service.read(photo.full.key);
    expect(full?.mime).toBe('image/jpeg');
    expect(full?.bytes.length).toBe(photo.full.size);
    const metadata = await sharp(full?.bytes).metadata();
    expect([metadata.width, metadata.height, metadata.exif, metadata.orientation]).toEqual([1280, 2560, undefined, undefined]);
  });

  it('gives the same keys for the same photo sent twice, and stores it once', async () => {
    const original = await samplePhoto('png', { gps: { lat: 23.1, lon: 113.3 } });
    const first = await service.accept(original);
    const again = await service.accept(original);
    expect([again.full.key, again.thumbnail.key]).toEqual([first.full.key, first.thumbnail.key]);
    expect(storedFiles()).toBe(2);
    expect(await service.remove(first.full.key)).toBe(true);
    expect(await service.read(first.full.key)).toBeNull();
  });

  it('refuses what is not a photo with its reason and stores nothing', async () => {
    const error = await service.accept(executableHead()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CasePhotoRejectedError);
    expect(error).toMatchObject({ reason: 'type', status: 415, code: 'case_photo_type' });
    expect(storedFiles()).toBe(0);
  });
});

describe('CasePhotosModule', () => {
  it('stores in CASE_PHOTO_DIR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'case-photo-module-'));
    const config = loadConfig({ JWT_SECRET: 'x'.repeat(32), SECRETS_KEY: 'y'.repeat(32), CASE_PHOTO_DIR: join(dir, 'photos') });
    const app = await NestFactory.createApplicationContext(
      { module: class TestRoot {}, imports: [ConfigModule.forRoot(config), CasePhotosModule] },
      { logger: false },
    );
    try {
      const photo = await app.get(CasePhotoService).accept(await samplePhoto('webp'));
      expect(readdirSync(join(dir, 'photos', photo.full.key.slice(0, 2)))).toContain(photo.full.key);
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
