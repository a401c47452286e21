import { GetObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import type { CaseDetail, CasePhotoView } from '@cityops/contracts';
import { samplePhoto } from '../support/photo-samples';
import { startS3Server, type TestS3Server } from '../support/s3-server';
import { login, startStack, type TestStack } from '../support/stack';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_SECRETS } from '../support/test-env';

const PREFIX = 'cityops-test/photos/';

interface Problem {
  type?: string;
  status?: number;
  detail?: string;
}

describe('case photos in S3-compatible storage (CASE_PHOTO_S3_*)', () => {
  let s3: TestS3Server;
  /** Between the API and the storage, to take the storage away and bring it back. */
  let proxy: TcpProxy;
  let stack: TestStack;
  let token: string;
  let caseCode: string;

  const upload = async (bytes: Buffer) => {
    const res = await fetch(`${stack.url}/api/cases/${caseCode}/photos?stage=report`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' },
      body: new Uint8Array(bytes),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as CasePhotoView & Problem };
  };
  const served = async (id: string, size: 'full' | 'thumbnail') => {
    const res = await fetch(`${stack.url}/api/cases/${caseCode}/photos/${id}?size=${size}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const inBucket = async (key: string) => {
    const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `${PREFIX}${key.slice(0, 2)}/${key}` }));
    return { type: object.ContentType, bytes: Buffer.from((await object.Body?.transformToByteArray()) ?? []) };
  };
  const photoRows = async () => (await stack.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM case_photo`)).rows[0].n;
  const health = async () => {
    const res = await fetch(`${stack.url}/api/health`, { headers: { authorization: `Bearer ${TEST_SECRETS.METRICS_TOKEN}` } });
    return { status: res.status, body: (await res.json()) as { status: string; photos: { ok: boolean; storage: string } } };
  };

  beforeAll(async () => {
    s3 = await startS3Server();
    proxy = await TcpProxy.start(s3.endpoint, 80);
    const config = s3.config();
    stack = await startStack({
      workers: 0,
      env: {
        CASE_PHOTO_S3_ENDPOINT: new URL(proxy.url(s3.endpoint)).origin,
        CASE_PHOTO_S3_BUCKET: config.bucket,
        CASE_PHOTO_S3_ACCESS_KEY_ID: config.accessKeyId,
        CASE_PHOTO_S3_SECRET_ACCESS_KEY: config.secretAccessKey,
        CASE_PHOTO_S3_PREFIX: PREFIX,
      },
    });
    token = await login(stack.url);
    const grid = (
      await stack.db.query<{ lon: number; lat: number }>(
        `SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM area WHERE level = 'grid' ORDER BY code LIMIT 1`,
      )
    ).rows[0];
    const filed = await fetch(`${stack.url}/api/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'road-damage', description: 'a photo for the bucket', location: [grid.lon, grid.lat] }),
    });
    expect(filed.status).toBe(201);
    caseCode = ((await filed.json()) as CaseDetail).code;
  });

  afterAll(async () => {
    await stack?.stop();
    await proxy?.close();
    await s3?.stop();
  });

  it('stores an uploaded photo and its thumbnail in the bucket and serves both back from it', async () => {
    const answer = await upload(await samplePhoto('jpeg', { width: 640, height: 480 }));
    expect(answer.status).toBe(201);
    const { rows } = await stack.db.query<{ storage_key: string; thumbnail_key: string }>(
      `SELECT storage_key, thumbnail_key FROM case_photo WHERE id = $1`,
      [answer.body.id],
    );
    const [{ storage_key: fullKey, thumbnail_key: thumbnailKey }] = rows;
    expect(fullKey).toMatch(/^[0-9a-f]{64}\.jpg$/);
    expect(thumbnailKey).toMatch(/^[0-9a-f]{64}\.webp$/);
    // In the bucket, under the prefix, by the S3 API itself; and nothing else there.
    expect(await s3.objects(PREFIX)).toEqual([`${fullKey.slice(0, 2)}/${fullKey}`, `${thumbnailKey.slice(0, 2)}/${thumbnailKey}`].sort());
    expect(await s3.objects()).toEqual((await s3.objects(PREFIX)).map((name) => `${PREFIX}${name}`));

    const full = await served(answer.body.id, 'full');
    expect(full).toMatchObject({ status: 200, type: 'image/jpeg' });
    expect(full.bytes.equals((await inBucket(fullKey)).bytes)).toBe(true);
    expect((await inBucket(fullKey)).type).toBe('image/jpeg');
    expect(await sharp(full.bytes).metadata()).toMatchObject({ format: 'jpeg', width: 640, height: 480 });

    const thumbnail = await served(answer.body.id, 'thumbnail');
    expect(thumbnail).toMatchObject({ status: 200, type: 'image/webp' });
    expect(thumbnail.bytes.equals((await inBucket(thumbnailKey)).bytes)).toBe(true);
    expect((await sharp(thumbnail.bytes).metadata()).format).toBe('webp');

    // The same image again (a retry): the same photo, nothing more in the bucket.
    const before = await s3.objects();
    expect((await upload(await samplePhoto('jpeg', { width: 640, height: 480 }))).body.id).toBe(answer.body.id);
    expect(await s3.objects()).toEqual(before);

    expect(await health()).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok', photos: { ok: true, storage: 's3' } }) });
  });

  it('answers 503 while the storage is away, records nothing, and takes the photo once it is back', async () => {
    const kept = await upload(await samplePhoto('jpeg', { width: 320, height: 240 }));
    expect(kept.status).toBe(201);
    const rowsBefore = await photoRows();
    const objectsBefore = await s3.objects();
    const photo = await samplePhoto('jpeg', { width: 500, height: 300 });

    await proxy.cut();
    try {
      const refused = await upload(photo);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(refused.body).toMatchObject({ status: 503, type: expect.stringContaining('case_photo_storage_unavailable') });
      // Nothing of the cause (address, SDK error, keys) in the answer.
      expect(JSON.stringify(refused.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|S3RVER|AWS/);
      expect(await photoRows()).toBe(rowsBefore);
      // A photo already recorded cannot be read either: 503, not 404 or 500.
      expect((await served(kept.body.id, 'thumbnail')).status).toBe(503);
      // The health report says so, without taking the API out of service.
      expect(await health()).toEqual({
        status: 200,
        body: expect.objectContaining({ status: 'ok', photos: { ok: false, storage: 's3' } }),
      });
    } finally {
      await proxy.restore();
    }

    expect(await s3.objects()).toEqual(objectsBefore);
    const retried = await upload(photo);
    expect(retried.status).toBe(201);
    expect(await photoRows()).toBe(rowsBefore + 1);
    expect((await served(retried.body.id, 'full')).status).toBe(200);
    expect((await s3.objects()).length).toBe(objectsBefore.length + 2);
  });
});
