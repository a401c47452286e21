import { type Readable, Transform } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { DomainException } from '@cityops/core';
import { BadBodyError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../feed.exception';

const unreadable = () => new BadBodyError('The body could not be read (broken connection or bad compression).');

/** Reads off what is left of a request, so the client gets its answer instead of a reset. */
function drain(request: Readable): void {
  request.unpipe();
  request.resume();
}

/**
 * The body as bytes after undoing `Content-Encoding` (gzip, deflate), counted against `limit`.
 * Whatever goes wrong while it is read reaches the reader as a DomainException: a 413 past the
 * limit (a gzip bomb is stopped there, not after it has filled memory), a 400 for bad compression
 * or a broken connection. The request itself is never destroyed: when the returned stream ends
 * early (the limit, an error, a reader that stops), the rest of the upload is read and dropped.
 */
export function decodedBody(request: Readable, contentEncoding: string | undefined, limit: number, contentLength?: string): Readable {
  const encoding = (contentEncoding ?? 'identity').toLowerCase().trim();
  // A declared length over the limit is refused before a byte is read.
  if (contentLength !== undefined && Number(contentLength) > limit && (encoding === 'identity' || encoding === '')) {
    drain(request);
    throw new PayloadTooLargeError(limit);
  }
  let decoder: Transform | null;
  if (encoding === 'gzip' || encoding === 'x-gzip') decoder = createGunzip();
  else if (encoding === 'deflate') decoder = createInflate();
  else if (encoding === 'identity' || encoding === '') decoder = null;
  else {
    drain(request);
    throw new UnsupportedMediaTypeError(`Content-Encoding ${encoding.slice(0, 50)} is not supported (gzip, deflate or none).`);
  }
  let seen = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > limit) done(new PayloadTooLargeError(limit));
      else done(null, chunk);
    },
  });
  request.on('error', () => counted.destroy(unreadable()));
  if (decoder) {
    decoder.on('error', () => counted.destroy(unreadable()));
    request.pipe(decoder).pipe(counted);
  } else {
    request.pipe(counted);
  }
  counted.once('close', () => {
    decoder?.destroy();
    if (!request.readableEnded) drain(request);
  });
  return counted;
}

/** Reads a whole (bounded) body into a string; for JSON and GeoJSON, which arrive as one document. */
export async function readText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
  } catch (error) {
    if (error instanceof DomainException) throw error;
    throw unreadable();
  }
  return Buffer.concat(chunks).toString('utf8');
}
