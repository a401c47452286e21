import { randomUUID } from 'node:crypto';
import type { OpenAPIObject, ParameterObject, RequestBodyObject } from '@nestjs/swagger';
import type { IngestResult } from '@cityops/contracts';
import { HOSTILE_QUERY_VALUES, HOSTILE_SEGMENTS, hostileBodies, rawHttp } from '../support/hostile-requests';
import { feedToken, login, startStack, type TestStack } from '../support/stack';

/** One request of the corpus and what it was meant to provoke. */
interface HostileRequest {
  what: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** What a stack trace or a server path looks like in an answer. */
const LEAK = /\n\s+at |\bat [\w.<>]+ \(|\.(?:ts|js):\d+:\d+|node_modules|\/work\//;

/** A value for a path parameter the request does not make hostile: one the route can find, so the others get far. */
function plainParam(path: string, name: string, schema: { type?: string; format?: string } | undefined): string {
  if (schema?.format === 'uuid') return randomUUID();
  if (schema?.type === 'integer' || schema?.type === 'number' || ['z', 'x', 'y', 'id'].includes(name)) return '1';
  if (name === 'layer') return 'areas';
  if (path.startsWith('/api/indicators')) return 'marathon.segment_load';
  if (path.startsWith('/api/scenes')) return 'gz-marathon';
  return 'marathon-crowd';
}

describe('a corpus of hostile requests across every route of the API description: never a 5xx, every error problem+json, no stack traces', () => {
  let stack: TestStack;
  let admin: string;
  const answers: { request: HostileRequest; answer: Answer }[] = [];

  beforeAll(async () => {
    // Rate limits off: 2,000 requests from one address and token would otherwise meet 429s and
    // reach fewer handlers (the limits have their own test).
    stack = await startStack({
      workers: 0,
      env: { RATE_LIMIT_WRITES_PER_MINUTE: '0', RATE_LIMIT_INGEST_PER_MINUTE: '0', RATE_LIMIT_OPEN311_PER_ADDRESS: '0' },
    });
    admin = await login(stack.url);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** The answer; a connection the server dropped instead of answering is status 0. */
  async function send(request: HostileRequest): Promise<Answer> {
    let answer: Answer;
    try {
      const res = await fetch(`${stack.url}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
      answer = { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
    } catch (error) {
      answer = { status: 0, contentType: '', text: `no answer: ${String((error as Error).cause ?? error)}` };
    }
    answers.push({ request, answer });
    return answer;
  }

  /** What is wrong with an Open311 error: it must be the spec's `[{code, description}]`, or `<errors>` in XML. */
  function open311Fault(answer: Answer): string | null {
    if (answer.contentType.startsWith('text/xml')) {
      return /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<errors><error><code>\d{3}<\/code>/.test(answer.text)
        ? null
        : `not Open311 XML errors: ${answer.text.slice(0, 200)}`;
    }
    if (!answer.contentType.startsWith('application/json'))
      return `answered ${answer.status} as ${answer.contentType || 'no content type'}`;
    try {
      const errors = JSON.parse(answer.text) as { code?: unknown; description?: unknown }[];
      const fits =
        Array.isArray(errors) && errors.length > 0 && errors.every((e) => e.code === answer.status && typeof e.description === 'string');
      return fits ? null : `not Open311 errors: ${answer.text.slice(0, 200)}`;
    } catch {
      return `Open311 errors that are not JSON: ${answer.text.slice(0, 200)}`;
    }
  }

  /** What is wrong with an answer, whatever was asked (nothing: null). Open311 (`/open311/…`) has its own error format. */
  function fault(answer: Answer, path = ''): string | null {
    if (answer.status === 0 || answer.status >= 500) return `answered ${answer.status}: ${answer.text.slice(0, 200)}`;
    const leak = LEAK.exec(answer.text);
    if (leak) return `leaks ${leak[0]}`;
    if (answer.status < 400) return null;
    if (path.startsWith('/open311/')) return open311Fault(answer);
    if (!answer.contentType.startsWith('application/problem+json'))
      return `answered ${answer.status} as ${answer.contentType || 'no content type'}`;
    try {
      const problem = JSON.parse(answer.text) as { type?: unknown; title?: unknown; status?: unknown };
      if (typeof problem.type !== 'string' || typeof problem.title !== 'string' || problem.status !== answer.status) {
        return `a problem without type, title or its status: ${answer.text.slice(0, 200)}`;
      }
    } catch {
      return `a problem that is not JSON: ${answer.text.slice(0, 200)}`;
    }
    return null;
  }

  it('answers at least 200 hostile requests to every route, with and without a token, without a 5xx or a leak', async () => {
    const doc = (await (await fetch(`${stack.url}/api/docs-json`)).json()) as OpenAPIObject;
    const requests: HostileRequest[] = [];
    const tokens: Record<string, Record<string, string>> = { 'no token': {}, 'an admin token': { authorization: `Bearer ${admin}` } };
    // Made once: compressing the large bodies anew for every route took longer than the server
    // keeps an idle connection open, so the first request met a closed socket (ECONNRESET).
    const bodies = hostileBodies();
    for (const [template, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const params = (op.parameters ?? []) as ParameterObject[];
        const pathParams = params.filter((p) => p.in === 'path');
        const queryParams = params.filter((p) => p.in === 'query');
        const path = (hostile?: { name: string; value: string }) =>
          template.replace(/\{(\w+)\}/g, (_m, name: string) =>
            hostile?.name === name
              ? hostile.value
              : plainParam(template, name, pathParams.find((p) => p.name === name)?.schema as { type?: string; format?: string }),
          );
        for (const [auth, headers] of Object.entries(tokens)) {
          const route = `${method.toUpperCase()} ${template} with ${auth}`;
          for (const param of pathParams) {
            for (const segment of HOSTILE_SEGMENTS) {
              requests.push({
                what: `${route}: path ${param.name} = ${segment.name}`,
                method,
                path: path({ name: param.name, value: segment.value }),
                headers,
              });
            }
          }
          for (const param of queryParams) {
            for (const value of HOSTILE_QUERY_VALUES) {
              requests.push({
                what: `${route}: ?${param.name} = ${value.name}`,
                method,
                path: `${path()}?${param.name}=${value.value}`,
                headers,
              });
            }
            requests.push({ what: `${route}: ?${param.name} twice`, method, path: `${path()}?${param.name}=1&${param.name}=2`, headers });
          }
          const content = Object.keys((op.requestBody as RequestBodyObject | undefined)?.content ?? {});
          for (const contentType of content) {
            for (const body of bodies) {
              requests.push({
                what: `${route}: ${contentType} body ${body.name}`,
                method,
                path: path(),
                headers: { ...headers, 'content-type': body.contentType ?? contentType, ...body.headers },
                body: body.body,
              });
            }
          }
        }
      }
    }
    // Odd tokens, on a route that reads a body and one that does not.
    for (const authorization of ['Bearer a.b.c', `Bearer ${'x'.repeat(8000)}`, 'Bearer', 'Basic YWRtaW46eA==', `Bearer ${feedToken}x`]) {
      requests.push({
        what: `GET /api/feeds with ${authorization.slice(0, 20)}`,
        method: 'get',
        path: '/api/feeds',
        headers: { authorization },
      });
      requests.push({
        what: `POST records with ${authorization.slice(0, 20)}`,
        method: 'post',
        path: '/api/feeds/marathon-crowd/records',
        headers: { authorization, 'content-type': 'application/json' },
        body: '[]',
      });
    }
    // Paths no route has.
    for (const odd of [
      '/api/%zz',
      '/api/..%2f',
      '/api/..%2F..%2Fetc%2Fpasswd',
      '/api/a%00b',
      `/api/${'x'.repeat(8000)}`,
      '/api//areas',
      '/API/areas',
      '/api/areas;x=1',
      '/api/areas%2F1',
      '/api/docs/%00',
      '/metrics/%zz',
    ]) {
      requests.push({ what: `GET ${odd.slice(0, 40)}`, method: 'get', path: odd, headers: { authorization: `Bearer ${admin}` } });
    }

    expect(requests.length).toBeGreaterThanOrEqual(200);
    const faults: string[] = [];
    for (const request of requests) {
      const found = fault(await send(request), request.path);
      if (found) faults.push(`${request.what}: ${found}`);
    }
    expect(faults).toEqual([]);
    // Sign-in without a token was among them, with every hostile body.
    expect(answers.filter((a) => a.request.path === '/api/auth/login' && !a.request.headers.authorization).length).toBeGreaterThanOrEqual(
      20,
    );
  }, 300_000);

  it('answers what Node parses itself (a NUL in the path, headers too large, broken HTTP) as problem+json too', async () => {
    const requests: [string, string][] = [
      ['a NUL byte in the path', 'GET /api/a\u0000b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
      ['32 KB of headers', `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(32 * 1024)}\r\nConnection: close\r\n\r\n`],
      ['a broken request line', 'FOO BAR\r\n\r\n'],
      ['a header without a colon', 'GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'],
      [
        'Transfer-Encoding beside Content-Length',
        'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      ],
      [
        'a broken chunk size',
        'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      ],
      ['a path traversal', 'GET /api/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
      ['an absolute URL', 'GET http://evil.example/api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
      ['an unknown method', 'PROPFIND /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
      ['HTTP/1.0 without a host', 'GET /api/areas HTTP/1.0\r\n\r\n'],
    ];
    const faults: string[] = [];
    for (const [what, request] of requests) {
      const answer = await rawHttp(stack.url, request);
      const found = answer
        ? fault({ status: answer.status, contentType: answer.headers['content-type'] ?? '', text: answer.body })
        : 'no answer';
      if (found) faults.push(`${what}: ${found}`);
    }
    expect(faults).toEqual([]);
  });

  it('still answers normally afterwards: health, sign-in, ingest, reads', async () => {
    expect((await fetch(`${stack.url}/api/health`)).status).toBe(200);
    const token = await login(stack.url);
    const ingest = await fetch(`${stack.url}/api/feeds/marathon-crowd/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${feedToken}` },
      body: JSON.stringify([{ id: 'after-corpus', metric: 'headcount', value: 3, ts: new Date().toISOString(), area: 'GZM-03' }]),
    });
    expect((await ingest.json()) as IngestResult).toMatchObject({ accepted: 1, rejected: 0 });
    const districts = await fetch(`${stack.url}/api/areas?level=district`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await districts.json()) as unknown[]).length).toBe(11);
    const feed = await fetch(`${stack.url}/api/feeds/marathon-crowd`, { headers: { authorization: `Bearer ${token}` } });
    expect(await feed.json()).toMatchObject({ key: 'marathon-crowd', name: expect.any(String) });
  });
});
