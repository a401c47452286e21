import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { casePhotoStoreContract } from '../../../../test/support/case-photo-store-contract';
import { freePort } from '../../../../test/support/free-port';
import { startS3Server, type TestS3Server } from '../../../../test/support/s3-server';
import { CasePhotoStorageUnavailableError } from './case-photo.exception';
import { S3CasePhotoStore } from './s3-case-photo.store';

let server: TestS3Server;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server?.stop();
});

casePhotoStoreContract('S3CasePhotoStore', async () => {
  await server.empty();
  return { store: new S3CasePhotoStore(server.config()), stored: () => server.objects() };
});

casePhotoStoreContract('S3CasePhotoStore under a key prefix', async () => {
  await server.empty();
  return { store: new S3CasePhotoStore(server.config({ prefix: 'cityops/photos/' })), stored: () => server.objects('cityops/photos/') };
});

describe('S3CasePhotoStore', () => {
  beforeEach(() => server.empty());

  it('keeps everything under its prefix, with the photo’s type, and nothing beside it', async () => {
    const store = new S3CasePhotoStore(server.config({ prefix: 'city-a/' }));
    const key = await store.put(Buffer.from('a png, as far as the store knows'), 'image/png');
    expect(await server.objects()).toEqual([`city-a/${key.slice(0, 2)}/${key}`]);
    const head = await server.client.send(new HeadObjectCommand({ Bucket: server.bucket, Key: `city-a/${key.slice(0, 2)}/${key}` }));
    expect(head.ContentType).toBe('image/png');
    // Another installation's prefix sees none of it.
    expect(await new S3CasePhotoStore(server.config({ prefix: 'city-b/' })).get(key)).toBeNull();
  });

  it('finds photos copied from a CASE_PHOTO_DIR as they lay there (the same names)', async () => {
    const store = new S3CasePhotoStore(server.config());
    const key = await store.put(Buffer.from('moved from the directory'), 'image/jpeg');
    const copied = await server.client.send(new GetObjectCommand({ Bucket: server.bucket, Key: `${key.slice(0, 2)}/${key}` }));
    expect(Buffer.from((await copied.Body?.transformToByteArray()) ?? []).toString()).toBe('moved from the directory');
  });

  it('answers 503 (CasePhotoStorageUnavailableError) when the keys are wrong, and fails its check', async () => {
    const good = new S3CasePhotoStore(server.config());
    const key = await good.put(Buffer.from('stored with the right keys'), 'image/webp');
    // s3rver checks the key id, not SigV4 signatures (a wrong secret would pass here): a key id it does not know.
    const wrong = new S3CasePhotoStore(server.config({ accessKeyId: 'NOT-A-KEY-ID' }));
    await expect(wrong.put(Buffer.from('x'), 'image/jpeg')).rejects.toBeInstanceOf(CasePhotoStorageUnavailableError);
    await expect(wrong.get(key)).rejects.toMatchObject({ status: 503, code: 'case_photo_storage_unavailable' });
    await expect(wrong.delete(key)).rejects.toBeInstanceOf(CasePhotoStorageUnavailableError);
    await expect(wrong.check()).rejects.toBeInstanceOf(CasePhotoStorageUnavailableError);
    // Nothing written with the wrong keys, nothing removed.
    expect(await server.objects()).toEqual([`${key.slice(0, 2)}/${key}`]);
  });

  it('answers 503 when the bucket does not exist', async () => {
    const store = new S3CasePhotoStore(server.config({ bucket: 'no-such-bucket' }));
    await expect(store.put(Buffer.from('x'), 'image/jpeg')).rejects.toBeInstanceOf(CasePhotoStorageUnavailableError);
    await expect(store.check()).rejects.toBeInstanceOf(CasePhotoStorageUnavailableError);
  });

  it('answers 503, with the secret nowhere in the error, when nothing listens at the endpoint', async () => {
    const store = new S3CasePhotoStore(
      server.config({ endpoint: `http://127.0.0.1:${await freePort()}`, secretAccessKey: 'secret-never-shown' }),
    );
    const failure = await store.put(Buffer.from('x'), 'image/jpeg').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CasePhotoStorageUnavailableError);
    expect(JSON.stringify(failure)).not.toContain('secret-never-shown');
    expect(String((failure as Error).message)).not.toContain('secret-never-shown');
    await expect(store.get(`${'a'.repeat(64)}.jpg`)).rejects.toBeInstanceOf(CasePhotoStorageUnavailableError);
    await expect(store.check()).rejects.toBeInstanceOf(CasePhotoStorageUnavailableError);
  });
});
