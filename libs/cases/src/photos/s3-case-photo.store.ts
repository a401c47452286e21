import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Logger } from '@nestjs/common';
import type { CasePhotoMimeType } from '@cityops/contracts';
import type { CasePhotoS3Config } from '@cityops/core';
import { CasePhotoStorageUnavailableError } from './case-photo.exception';
import { CasePhotoStore, casePhotoKey, parseCasePhotoKey, type StoredCasePhotoBytes } from './case-photo.store';

/** Time to open a connection to the storage, and for a whole request: an upload must not hang on a storage that is gone. */
const CONNECT_TIMEOUT_MS = 5000;
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Photos as objects in an S3-compatible bucket: `<prefix><first two hex digits>/<key>`, the same
 * names as DirectoryCasePhotoStore's files under its root, so a directory copied into the bucket
 * (`mc mirror`, `aws s3 sync`) is found as it was. An object appears whole or not at all, and the
 * same bytes always make the same object; a put first asks whether it is there already, so a
 * retried upload sends nothing twice and a versioned bucket gains no copies.
 *
 * Failures of the storage itself (unreachable, refusing our keys, answering 5xx) become
 * CasePhotoStorageUnavailableError (503); the SDK's own error goes to the log, never to the client.
 */
export class S3CasePhotoStore extends CasePhotoStore {
  private readonly logger = new Logger(S3CasePhotoStore.name);
  private readonly client: S3Client;

  constructor(
    private readonly config: CasePhotoS3Config,
    client?: S3Client,
  ) {
    super();
    this.client =
      client ??
      new S3Client({
        endpoint: config.endpoint,
        region: config.region,
        forcePathStyle: config.forcePathStyle,
        credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
        // Checksums only where S3 requires them: many S3-compatible servers (older MinIO, OSS,
        // OBS, Ceph releases) refuse or mangle the CRC32 trailers the SDK sends by default.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 2,
        requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
      });
  }

  async put(bytes: Buffer, mime: CasePhotoMimeType): Promise<string> {
    const key = casePhotoKey(createHash('sha256').update(bytes).digest('hex'), mime);
    const name = this.objectName(key);
    // The name is the content's hash, and objects appear whole: one of the right size is these bytes.
    if ((await this.sizeOf(name)) === bytes.length) return key;
    await this.send('put', () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.config.bucket,
          Key: name,
          Body: bytes,
          ContentType: mime,
          ContentLength: bytes.length,
          // The storage checks the bytes it got against this and refuses a body damaged on the way.
          ContentMD5: createHash('md5').update(bytes).digest('base64'),
        }),
      ),
    );
    return key;
  }

  async get(key: string): Promise<StoredCasePhotoBytes | null> {
    const { mime } = parseCasePhotoKey(key);
    const name = this.objectName(key);
    const answer = await this.send('get', () => this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: name })), true);
    if (!answer?.Body) return null;
    const body = answer.Body;
    return { bytes: Buffer.from(await this.send('get', () => body.transformToByteArray())), mime };
  }

  async delete(key: string): Promise<boolean> {
    const name = this.objectName(key);
    // S3 answers a delete the same whether the object was there or not: asked first, to say which.
    if ((await this.sizeOf(name)) === null) return false;
    await this.send('delete', () => this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: name })));
    return true;
  }

  /** The bucket answers to our keys (HEAD bucket: reads nothing, writes nothing). */
  async check(): Promise<void> {
    await this.send('check', () => this.client.send(new HeadBucketCommand({ Bucket: this.config.bucket })));
  }

  /** Only for a validated key: it is made of hex digits, a dot and a known extension. */
  private objectName(key: string): string {
    const { sha256 } = parseCasePhotoKey(key);
    return `${this.config.prefix}${sha256.slice(0, 2)}/${key}`;
  }

  private async sizeOf(name: string): Promise<number | null> {
    const head = await this.send('head', () => this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: name })), true);
    return head ? (head.ContentLength ?? null) : null;
  }

  /**
   * The SDK's call, with "not there" as null where `missingIsNull`, and every other failure as
   * CasePhotoStorageUnavailableError, logged with what S3 said (its code and status, never the keys).
   */
  private async send<T>(operation: string, call: () => Promise<T>, missingIsNull: true): Promise<T | null>;
  private async send<T>(operation: string, call: () => Promise<T>): Promise<T>;
  private async send<T>(operation: string, call: () => Promise<T>, missingIsNull = false): Promise<T | null> {
    try {
      return await call();
    } catch (error) {
      if (missingIsNull && isMissing(error)) return null;
      this.logger.warn({ operation, bucket: this.config.bucket, failure: describe(error) }, 'case photo storage failed');
      throw new CasePhotoStorageUnavailableError();
    }
  }
}

/** S3's "no such object": NoSuchKey from GET, a bare 404 (NotFound) from HEAD, which has no body to name it. */
function isMissing(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  return error.name === 'NoSuchKey' || (error.name === 'NotFound' && error.$metadata.httpStatusCode === 404);
}

/** What went wrong, for the log: S3's error code and HTTP status, or the network error's code. */
function describe(error: unknown): string {
  if (error instanceof S3ServiceException) return `${error.name} (HTTP ${error.$metadata.httpStatusCode ?? '?'})`;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${error.name} ${code}` : `${error.name}: ${error.message}`;
  }
  return String(error);
}
