import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { DomainException } from '@cityops/core';
import { BadBodyError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../feed.exception';

/** The body as bytes after undoing `Content-Encoding` (gzip, deflate), counted against `limit`. */
export function decodedBody(stream: Readable, contentEncoding: string | undefined, limit: number, contentLength?: string): Readable {
  // A declared length over the limit is refused before a byte is read.
  if (contentLength !== undefined && Number(contentLength) > limit && (contentEncoding ?? 'identity') === 'identity') {
    stream.resume();
    throw new PayloadTooLargeError(limit);
  }
  const encoding = (contentEncoding ?? 'identity').toLowerCase().trim();
  let decoded: Readable;
  if (encoding === 'gzip' || encoding === 'x-gzip') decoded = stream.pipe(createGunzip());
  else if (encoding === 'deflate') decoded = stream.pipe(createInflate());
  else if (encoding === 'identity' || encoding === '') decoded = stream;
  else throw new UnsupportedMediaTypeError(`Content-Encoding ${encoding} is not supported (gzip, deflate or none).`);
  if (decoded !== stream) {
    stream.on('error', (e) => decoded.destroy(e));
  }
  let seen = 0;
  decoded.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) {
      // A gzip bomb is stopped at the limit, not after it has filled memory. The rest of the
      // upload is read and dropped so the client still gets the 413 instead of a reset.
      decoded.destroy(new PayloadTooLargeError(limit));
      stream.unpipe();
      stream.resume();
    }
  });
  return decoded;
}

/** Reads a whole (bounded) body into a string; for JSON and GeoJSON, which arrive as one document. */
export async function readText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
  } catch (error) {
    if (error instanceof DomainException) throw error;
    throw new BadBodyError('The body could not be read (broken connection or bad compression).');
  }
  return Buffer.concat(chunks).toString('utf8');
}
