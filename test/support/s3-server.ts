import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { CasePhotoS3Config } from '@cityops/core';

/** s3rver's fixed credentials. It refuses an unknown key id, but does not verify SigV4 signatures (so not the secret). */
const ACCESS_KEY_ID = 'S3RVER';
const SECRET_ACCESS_KEY = 'S3RVER';

export interface TestS3Server {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  bucket: string;
  /** A store configuration for this server (path style, its credentials), `prefix` empty unless given. */
  config(overrides?: Partial<CasePhotoS3Config>): CasePhotoS3Config;
  /** The object names in the bucket under `prefix`, without it, sorted: read through the S3 API. */
  objects(prefix?: string): Promise<string[]>;
  /** Removes every object (between tests). */
  empty(): Promise<void>;
  /** A client of the bucket, for reading what a test stored. */
  client: S3Client;
  stop(): Promise<void>;
}

/**
 * A real S3-compatible server (s3rver, pure Node, on disk in a temporary directory) on a free
 * local port, with one bucket: the S3 API as MinIO or Ceph speak it (path style), without
 * Docker or anything outside this machine.
 */
export async function startS3Server(bucket = 'case-photos'): Promise<TestS3Server> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
  });
  const list = async (prefix = '') => {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key) names.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return names;
  };
  return {
    endpoint,
    bucket,
    client,
    config: (overrides = {}) => ({
      endpoint,
      region: 'us-east-1',
      bucket,
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRET_ACCESS_KEY,
      prefix: '',
      forcePathStyle: true,
      ...overrides,
    }),
    objects: async (prefix = '') => (await list(prefix)).map((name) => name.slice(prefix.length)).sort(),
    empty: async () => {
      for (const name of await list()) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: name }));
    },
    stop: async () => {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
