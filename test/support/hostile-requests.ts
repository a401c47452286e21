import { connect } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { deepJson } from './hostile-records';

/**
 * Hostile pieces of HTTP requests for the corpus test: path segments, query values and bodies
 * that once made the API answer 500 (or could), and a raw socket for what `fetch` refuses to send.
 */

export interface Hostile<T> {
  name: string;
  value: T;
}

/** Path segments, already percent-encoded as they travel. */
export const HOSTILE_SEGMENTS: Hostile<string>[] = [
  { name: 'int4 + 1', value: '2147483648' },
  { name: 'past a safe integer', value: '99999999999999999999' },
  { name: 'negative', value: '-1' },
  { name: '1e400', value: '1e400' },
  { name: 'NaN', value: 'NaN' },
  { name: 'NUL', value: 'a%00b' },
  { name: 'a lone surrogate as UTF-8 bytes', value: '%ED%A0%80' },
  { name: 'a broken escape', value: '%zz' },
  { name: 'a cut UTF-8 sequence', value: '%E4%B8' },
  { name: 'an encoded path traversal', value: '..%2F..%2Fetc%2Fpasswd' },
  { name: '4,000 characters', value: 'a'.repeat(4000) },
  { name: 'SQL', value: "'%20OR%201=1--" },
  { name: 'CRLF', value: '%0D%0AX-Injected:%201' },
  { name: 'Arabic-Indic digits', value: '%D9%A1%D9%A2' },
];

/** Query values: the segments, and times PostgreSQL cannot store. */
export const HOSTILE_QUERY_VALUES: Hostile<string>[] = [
  ...HOSTILE_SEGMENTS.filter((s) => s.name !== '4,000 characters'),
  { name: 'year 0000', value: '0000-01-01T00:00:00Z' },
  { name: 'offset +16:00', value: '2026-01-01T00:00:00%2B16:00' },
  { name: 'offset −23:00', value: '2026-01-01T00:00:00-23:00' },
  { name: 'past year 9999 in UTC', value: '9999-12-31T23:59:59-15:59' },
];

export interface HostileBody {
  name: string;
  body: string | Buffer;
  /** Headers besides the content type the route reads. */
  headers?: Record<string, string>;
  /** Replaces the route's content type. */
  contentType?: string;
}

const brokenGzip = Buffer.concat([gzipSync('{"username":"x","password":"y"}').subarray(0, 12), Buffer.from('no longer gzip')]);

/** Bodies, each sent to every route that reads one, in each content type it reads. */
export function hostileBodies(): HostileBody[] {
  return [
    { name: 'an empty object', body: '{}' },
    { name: 'an empty array', body: '[]' },
    { name: 'null', body: 'null' },
    { name: 'a bare string', body: '"text"' },
    { name: '1e400', body: '1e400' },
    { name: 'an object nested 20,000 deep', body: deepJson(20000) },
    { name: 'an array nested 20,000 deep', body: deepJson(20000, '[', ']') },
    {
      name: 'NUL in keys and values',
      body: '{"username":"ad\\u0000min","password":"x\\u0000","name":"a\\u0000","key":"k\\u0000","token":"\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000","a\\u0000":1}',
    },
    {
      name: 'lone surrogates',
      body: '{"username":"\\ud800","password":"\\udc00","name":"\\ud800","metric":"\\udfff","token":"\\ud800\\ud800\\ud800\\ud800\\ud800\\ud800\\ud800\\ud800\\ud800\\ud800\\ud800\\ud800\\ud800\\ud800\\ud800\\ud800"}',
    },
    {
      name: 'a record with times PostgreSQL cannot store',
      body: '[{"metric":"headcount","value":1,"ts":"0000-01-01T00:00:00Z","area":"GZM-01"}]',
    },
    { name: 'prototype keys', body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"polluted":true}}}' },
    { name: 'invalid JSON', body: '{"username": ' },
    { name: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x22, 0x7d]) },
    { name: 'UTF-16 with a BOM', body: Buffer.from('\ufeff{"username":"a","password":"b"}', 'utf16le') },
    { name: 'broken gzip', body: brokenGzip, headers: { 'content-encoding': 'gzip' } },
    { name: 'broken deflate', body: Buffer.from('not deflate'), headers: { 'content-encoding': 'deflate' } },
    { name: 'broken brotli', body: Buffer.from('not brotli'), headers: { 'content-encoding': 'br' } },
    { name: 'an unknown encoding', body: Buffer.from('{}'), headers: { 'content-encoding': 'compress' } },
    { name: 'two encodings', body: gzipSync(gzipSync('{}')), headers: { 'content-encoding': 'gzip, gzip' } },
    { name: 'deflate of a 20 MB body', body: deflateSync(Buffer.alloc(20 * 1024 * 1024, ' ')), headers: { 'content-encoding': 'deflate' } },
    { name: 'a 3 MB body', body: `{"pad":"${'x'.repeat(3 * 1024 * 1024)}"}` },
    { name: 'plain text', body: 'username=admin', contentType: 'text/plain' },
    { name: 'a form', body: 'username=admin&password=x', contentType: 'application/x-www-form-urlencoded' },
    { name: 'UTF-16 declared', body: '{}', contentType: 'application/json; charset=utf-16' },
    { name: 'XML', body: '<records/>', contentType: 'application/xml' },
  ];
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes `request` on a socket as it is (a NUL in the path, a header too large, a broken request
 * line) and reads the answer until the server closes the connection. Null when nothing came back.
 */
export function rawHttp(baseUrl: string, request: string | Buffer): Promise<RawAnswer | null> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const done = () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(text);
      if (!match) return resolve(null);
      const headers = Object.fromEntries(
        match[2].split('\r\n').map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(match[1]), headers, body: Buffer.from(match[3], 'latin1').toString('utf8') });
    };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', done);
    socket.on('error', done);
    socket.setTimeout(10000, () => socket.destroy());
    socket.on('close', done);
    socket.write(request);
  });
}
