import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { DomainException } from '@cityops/core';

export class PayloadTooLargeException extends DomainException<'payload_too_large'> {
  constructor(limit: number) {
    super(
      'payload_too_large',
      413,
      'Payload too large',
      `The body is larger than ${limit} bytes (after decompression). Split it, or stream NDJSON/CSV.`,
    );
  }
}

export class UnsupportedMediaTypeException extends DomainException<'unsupported_media_type'> {
  constructor(detail: string) {
    super('unsupported_media_type', 415, 'Unsupported media type', detail);
  }
}

/** The body as bytes after undoing `Content-Encoding` (gzip, deflate), counted against `limit`. */
export function decodedBody(stream: Readable, contentEncoding: string | undefined, limit: number, contentLength?: string): Readable {
  // A declared length over the limit is refused before a byte is read.
  if (contentLength !== undefined && Number(contentLength) > limit && (contentEncoding ?? 'identity') === 'identity') {
    stream.resume();
    throw new PayloadTooLargeException(limit);
  }
  const encoding = (contentEncoding ?? 'identity').toLowerCase().trim();
  let decoded: Readable;
  if (encoding === 'gzip' || encoding === 'x-gzip') decoded = stream.pipe(createGunzip());
  else if (encoding === 'deflate') decoded = stream.pipe(createInflate());
  else if (encoding === 'identity' || encoding === '') decoded = stream;
  else throw new UnsupportedMediaTypeException(`Content-Encoding ${encoding} is not supported (gzip, deflate or none).`);
  if (decoded !== stream) {
    stream.on('error', (e) => decoded.destroy(e));
  }
  let seen = 0;
  decoded.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) {
      // A gzip bomb is stopped at the limit, not after it has filled memory. The rest of the
      // upload is read and dropped so the client still gets the 413 instead of a reset.
      decoded.destroy(new PayloadTooLargeException(limit));
      stream.unpipe();
      stream.resume();
    }
  });
  return decoded;
}

export class BadBodyException extends DomainException<'bad_body'> {
  constructor(detail: string) {
    super('bad_body', 400, 'Bad request', detail);
  }
}

/** Reads a whole (bounded) body into a string; for JSON and GeoJSON, which arrive as one document. */
export async function readText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
  } catch (error) {
    if (error instanceof DomainException) throw error;
    throw new BadBodyException('The body could not be read (broken connection or bad compression).');
  }
  return Buffer.concat(chunks).toString('utf8');
}
