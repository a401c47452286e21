import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { BadBodyError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../feed.exception';
import { decodedBody, readText } from './request-body';

/** A request stand-in: a stream that has received `chunks` and ended, and says whether it was read to its end. */
function request(...chunks: Buffer[]) {
  const stream = new PassThrough();
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  return stream;
}

describe('decodedBody (the bytes of a pushed body, decompressed and counted)', () => {
  it('undoes gzip and passes the text on', async () => {
    await expect(readText(decodedBody(request(gzipSync('[1,2]')), 'gzip', 1000))).resolves.toBe('[1,2]');
  });

  it('answers broken gzip as a bad body (400), not as an internal error', async () => {
    const broken = Buffer.concat([gzipSync('{"records":[]}').subarray(0, 12), Buffer.from('not gzip any more')]);
    await expect(readText(decodedBody(request(broken), 'gzip', 1000))).rejects.toBeInstanceOf(BadBodyError);
  });

  it('refuses an unknown or stacked encoding with 415 before reading', () => {
    expect(() => decodedBody(request(Buffer.from('x')), 'br', 1000)).toThrow(UnsupportedMediaTypeError);
    expect(() => decodedBody(request(Buffer.from('x')), 'gzip, gzip', 1000)).toThrow(UnsupportedMediaTypeError);
  });

  it('stops a gzip bomb at the limit and reads off the rest of the upload instead of destroying it', async () => {
    const bomb = gzipSync(Buffer.alloc(5_000_000, 'a'));
    const req = request(bomb);
    const ended = once(req, 'end');
    await expect(readText(decodedBody(req, 'gzip', 100_000))).rejects.toBeInstanceOf(PayloadTooLargeError);
    await ended;
    expect(req.readableEnded).toBe(true);
  });

  it('reads off the rest of the upload when its reader stops early', async () => {
    const req = new PassThrough();
    const ended = once(req, 'end');
    const body = decodedBody(req, undefined, 10_000_000);
    req.write(Buffer.alloc(1000, 'a'));
    for await (const _chunk of body) break;
    req.end(Buffer.alloc(100_000, 'b'));
    await ended;
    expect(req.readableEnded).toBe(true);
  });
});
