import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { METHODS as HTTP_METHODS } from 'node:http';
import { join } from 'node:path';
import { METHOD_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject, OperationObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import type { Express } from 'express';
import { z } from 'zod';
import * as contracts from '@cityops/contracts';
import type { AlertChangedEvent, AreaView, FeedDefinition } from '@cityops/contracts';
import { eventually } from '../support/eventually';
import { connectLive, waitFor } from '../support/live-client';
import { postHeadcounts, segments } from '../support/marathon';
import { kioskLogin, login, startStack, type TestStack } from '../support/stack';
import { TEST_SECRETS } from '../support/test-env';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
type Method = (typeof METHODS)[number];

/** The routes that are public on purpose (README); every other one needs a token. */
const PUBLIC = [
  'get /api/health',
  'post /api/auth/login',
  'post /api/auth/kiosk',
  'post /api/auth/refresh',
  // Map-label glyphs: a font, like the web bundle's own assets (basemap.controller.ts says why).
  'get /api/basemap/glyphs/{fontstack}/{range}.pbf',
  // Open311 GeoReport v2: reading is public by the spec; filing checks its api_key itself (open311.service.ts).
  'get /open311/v2/discovery.{format}',
  'get /open311/v2/services.{format}',
  'get /open311/v2/services/{service_code}.{format}',
  'post /open311/v2/requests.{format}',
  'get /open311/v2/requests.{format}',
  'get /open311/v2/requests/{service_request_id}.{format}',
  'get /open311/v2/tokens/{token}.{format}',
  // The citizen's report and follow pages: no account, a case's token is the key (rate-limited per address).
  'get /api/public/report-context',
  'post /api/public/cases',
  'get /api/public/cases/{token}',
  'post /api/public/cases/{token}/photos',
  'get /api/public/cases/{token}/photos/{id}',
  'post /api/public/cases/{token}/rating',
];
/** Open311 answers JSON or XML by the path's extension, and its errors in the spec's own format, not problem+json. */
const isOpen311 = (key: string) => key.includes(' /open311/');
/** Routes for the metrics token (or an allowed address) rather than a user's or machine's token. */
const METRICS_ONLY = ['get /metrics'];

/** Every named zod schema of `@cityops/contracts`, by its component id. */
const schemasById = new Map<string, z.ZodType>();
for (const value of Object.values(contracts)) {
  if (!(value instanceof z.ZodType)) continue;
  const id = z.globalRegistry.get(value)?.id;
  if (id) schemasById.set(id, value);
}

interface Operation {
  key: string;
  method: Method;
  path: string;
  op: OperationObject;
}

const isRef = (s: unknown): s is ReferenceObject => typeof s === 'object' && s !== null && '$ref' in s;
const componentId = (ref: ReferenceObject) => ref.$ref.replace('#/components/schemas/', '');

/**
 * The document checked by @seriousme/openapi-schema-validator, an ES module, so in a Node process
 * of its own; asynchronously, for the API under test shares this process's event loop.
 */
async function validateDocument(doc: OpenAPIObject): Promise<{ valid: boolean; errors?: unknown }> {
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    const result = await new Validator().validate(JSON.parse(input));
    process.stdout.write(JSON.stringify({ valid: result.valid, errors: result.errors }));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: join(__dirname, '../..') });
  child.stdin.end(JSON.stringify(doc));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`validator failed: ${stderr}`);
  return JSON.parse(stdout) as { valid: boolean; errors?: unknown };
}

/**
 * `method path` of every route Express serves, in OpenAPI's path syntax (`:key` → `{key}`). Routes
 * for every method at once are not operations: Nest mounts one on each path excluded from the
 * global prefix (`/metrics`) to answer other methods there with a 404 problem.
 */
function routerRoutes(app: Express): string[] {
  const stack = (app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack;
  return stack.flatMap(({ route }) => {
    if (!route || HTTP_METHODS.every((m) => route.methods[m.toLowerCase()])) return [];
    return Object.keys(route.methods).map((m) => `${m} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
  });
}

/** Handlers (by method name, which is also the operationId) that read a request body: `@Body()` or the raw request. */
function bodyReaders(stack: TestStack): Set<string> {
  const readers = new Set<string>();
  for (const module of stack.api!.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      const prototype = (metatype as { prototype: object }).prototype;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        const args = Object.keys((Reflect.getMetadata(ROUTE_ARGS_METADATA, metatype as object, name) as object | undefined) ?? {});
        if (args.some((k) => k.startsWith(`${RouteParamtypes.BODY}:`) || k.startsWith(`${RouteParamtypes.REQUEST}:`))) readers.add(name);
      }
    }
  }
  return readers;
}

describe('the API description at /api/docs-json, generated from the routes and their zod schemas', () => {
  let stack: TestStack;
  let doc: OpenAPIObject;
  let operations: Operation[];
  let admin: string;

  const get = async (path: string, token = admin) => {
    const res = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.json() };
  };

  const operation = (method: Method, path: string): Operation => {
    const found = operations.find((o) => o.method === method && o.path === path);
    if (!found) throw new Error(`${method} ${path} is not in the document`);
    return found;
  };

  /** The zod schema the document names for an answer: its component, or an array of it. */
  const documentedSchema = (method: Method, path: string, status: number): z.ZodType => {
    const response = operation(method, path).op.responses[status] as ResponseObject;
    const content = response.content!;
    const schema = (content['application/json'] ?? content['application/problem+json']).schema as SchemaObject | ReferenceObject;
    const named = (s: SchemaObject | ReferenceObject | undefined) => {
      if (!isRef(s)) throw new Error(`${method} ${path} ${status}: not a named schema`);
      const found = schemasById.get(componentId(s));
      if (!found) throw new Error(`${method} ${path} ${status}: ${s.$ref} is not a schema of @cityops/contracts`);
      return found;
    };
    return isRef(schema) ? named(schema) : z.array(named(schema.items));
  };

  /** The answer is what the document says: it parses with the documented schema, and nothing is left out of it. */
  const expectDocumented = (method: Method, path: string, answer: { status: number; body: unknown }) => {
    const parsed = documentedSchema(method, path, answer.status).safeParse(answer.body);
    if (!parsed.success) throw new Error(`${method} ${path} answered off its schema: ${z.prettifyError(parsed.error)}`);
    expect(parsed.data).toEqual(answer.body);
  };

  beforeAll(async () => {
    stack = await startStack({ workers: 1 });
    admin = await login(stack.url);
    const res = await fetch(`${stack.url}/api/docs-json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as OpenAPIObject;
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.flatMap((method) => (item[method] ? [{ key: `${method} ${path}`, method, path, op: item[method] }] : [])),
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('is a valid OpenAPI 3.0 document', async () => {
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
    expect(await validateDocument(doc)).toEqual({ valid: true });
  });

  it('lists every route the router serves (but its own /api/docs routes), and none it does not', () => {
    const served = routerRoutes(stack.api!.getHttpAdapter().getInstance()).filter((r) => !/^get \/api\/docs/.test(r));
    expect(served.length).toBeGreaterThanOrEqual(30);
    expect(operations.map((o) => o.key).sort()).toEqual([...new Set(served)].sort());
  });

  it('names each operation uniquely and tags it with a tag the document describes', () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(operations.length);
    const described = new Set((doc.tags ?? []).map((t) => t.name));
    for (const { key, op } of operations) {
      expect([key, op.operationId]).toEqual([key, expect.stringMatching(/^[a-z][A-Za-z]+$/)]);
      expect([key, op.tags?.length]).toEqual([key, 1]);
      expect([key, described.has(op.tags![0])]).toEqual([key, true]);
    }
  });

  it('gives every operation a 2xx answer with a real schema: a named component for JSON and GeoJSON, a string otherwise', () => {
    for (const { key, op } of operations) {
      const ok = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      expect([key, ok.length]).toEqual([key, 1]);
      const content = Object.entries((ok[0][1] as ResponseObject).content ?? {});
      expect([key, content.length]).toEqual([key, isOpen311(key) ? 2 : 1]);
      if (isOpen311(key)) expect([key, content[1][0], (content[1][1].schema as SchemaObject).type]).toEqual([key, 'text/xml', 'string']);
      const [type, { schema }] = content[0];
      // GeoJSON is JSON (the OGC API's features): named like any other.
      if (type === 'application/json' || type === 'application/geo+json') {
        const named = isRef(schema) ? schema : (schema as SchemaObject).items;
        expect([key, isRef(named) && doc.components?.schemas?.[componentId(named)] !== undefined]).toEqual([key, true]);
      } else {
        expect([key, (schema as SchemaObject).type]).toEqual([key, 'string']);
      }
    }
  });

  it('describes its errors as application/problem+json with the ProblemDetails component: 400 where it takes input, 401 where it needs a token', () => {
    expect(doc.components?.schemas?.ProblemDetails).toBeDefined();
    for (const { key, op } of operations) {
      if (isOpen311(key)) {
        const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
        expect([key, errors.map(([status]) => status)]).toEqual([key, expect.arrayContaining(['400', '500'])]);
        for (const [, response] of errors) {
          expect([key, (response as ResponseObject).content]).toEqual([
            key,
            {
              'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Open311Error' } } },
              'text/xml': { schema: expect.objectContaining({ type: 'string' }) },
            },
          ]);
        }
        continue;
      }
      const problems = Object.entries(op.responses).filter(([, r]) => (r as ResponseObject).content?.['application/problem+json']);
      expect([key, problems.map(([status]) => status)]).toEqual([key, expect.arrayContaining(['500'])]);
      for (const [, response] of problems) {
        expect([key, (response as ResponseObject).content!['application/problem+json'].schema]).toEqual([
          key,
          { $ref: '#/components/schemas/ProblemDetails' },
        ]);
      }
      const statuses = Object.keys(op.responses);
      if (op.parameters?.length || op.requestBody) expect([key, statuses]).toEqual([key, expect.arrayContaining(['400'])]);
      if (METRICS_ONLY.includes(key)) expect([key, statuses]).toEqual([key, expect.arrayContaining(['401'])]);
      else if (!PUBLIC.includes(key)) expect([key, statuses]).toEqual([key, expect.arrayContaining(['401', '503'])]);
    }
    const ingest = operation('post', '/api/feeds/{key}/records');
    expect(Object.keys(ingest.op.responses)).toEqual(expect.arrayContaining(['413', '415']));
    expect(Object.keys(operation('post', '/api/auth/login').op.responses)).toEqual(expect.arrayContaining(['429', '503']));
    expect(Object.keys(operation('post', '/api/auth/kiosk').op.responses)).toEqual(expect.arrayContaining(['429']));
  });

  it('says that every write may answer 429 with Retry-After (the per-caller rate limits), and no read does', () => {
    for (const { key, method, op } of operations) {
      const limited = op.responses['429'] as ResponseObject | undefined;
      expect([key, limited !== undefined]).toEqual([key, method !== 'get']);
      if (limited) expect([key, Object.keys(limited.headers ?? {})]).toEqual([key, ['Retry-After']]);
    }
  });

  it('describes a request body wherever a handler reads one, with a schema per content type', () => {
    const readers = bodyReaders(stack);
    expect(readers.size).toBeGreaterThanOrEqual(6);
    for (const { key, op } of operations) {
      const body = op.requestBody as { content: Record<string, { schema?: unknown }> } | undefined;
      expect([key, body !== undefined]).toEqual([key, readers.has(op.operationId!)]);
      for (const [type, media] of Object.entries(body?.content ?? {}))
        expect([key, type, media.schema]).toEqual([key, type, expect.anything()]);
    }
    const ingest = operation('post', '/api/feeds/{key}/records').op.requestBody as { content: Record<string, { schema: SchemaObject }> };
    expect(Object.keys(ingest.content).sort()).toEqual(['application/geo+json', 'application/json', 'application/x-ndjson', 'text/csv']);
    expect(ingest.content['text/csv'].schema.type).toBe('string');
    expect(operation('post', '/api/feeds').op.requestBody).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/FeedDefinitionInput' } } },
    });
  });

  it('says for each operation what the guard enforces: public routes open, every other one closed without a token', async () => {
    // Open: no security requirement, or an empty one among them (the token is optional).
    const open = (op: OperationObject) => (op.security ?? []).length === 0 || (op.security ?? []).some((r) => Object.keys(r).length === 0);
    expect(
      operations
        .filter((o) => open(o.op))
        .map((o) => o.key)
        .sort(),
    ).toEqual([...PUBLIC].sort());
    expect(operation('get', '/api/health').op.security).toEqual([{}, { metricsToken: [] }]);
    expect(doc.components?.securitySchemes).toMatchObject({ bearer: { scheme: 'bearer' }, metricsToken: { scheme: 'bearer' } });
    for (const { key, method, path, op } of operations) {
      if (METRICS_ONLY.includes(key)) expect([key, op.security]).toEqual([key, [{ metricsToken: [] }]]);
      else if (!PUBLIC.includes(key)) expect([key, op.security]).toEqual([key, [{ bearer: [] }]]);
      const url = `${stack.url}${path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'id' ? '1' : name === 'layer' ? 'areas' : name === 'key' ? 'x' : '0'))}`;
      const res = await fetch(url, { method: method.toUpperCase() }).catch((error: unknown) => {
        throw new Error(`${key} without a token: ${String(error)}`, { cause: error });
      });
      await res.arrayBuffer();
      expect([key, res.status === 401]).toEqual([key, !PUBLIC.includes(key)]);
    }
  });

  it('answers what it documents: real answers parse with the documented schemas, with nothing left over', async () => {
    const signIn = await fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_SECRETS.ADMIN_PASSWORD }),
    });
    expectDocumented('post', '/api/auth/login', { status: signIn.status, body: await signIn.json() });
    expectDocumented('get', '/api/auth/me', await get('/api/auth/me'));
    expectDocumented('get', '/api/app-config', await get('/api/app-config'));
    const health = await fetch(`${stack.url}/api/health`);
    const upOrDown = { status: health.status, body: await health.json() };
    expect(upOrDown).toEqual({ status: 200, body: { status: 'ok' } });
    expectDocumented('get', '/api/health', upOrDown);
    const report = await fetch(`${stack.url}/api/health`, { headers: { authorization: `Bearer ${TEST_SECRETS.METRICS_TOKEN}` } });
    const detailed = { status: report.status, body: await report.json() };
    expect(detailed.body).toMatchObject({ status: 'ok', db: { ok: true }, redis: { ok: true }, queues: { ok: true } });
    expectDocumented('get', '/api/health', detailed);

    const districts = await get('/api/areas?level=district');
    expectDocumented('get', '/api/areas', districts);
    const area = await get(`/api/areas/${(districts.body as AreaView[])[0].id}`);
    expect((area.body as AreaView).geometry?.type).toBe('MultiPolygon');
    expectDocumented('get', '/api/areas/{id}', area);
    expectDocumented('get', '/api/layers', await get('/api/layers'));
    expectDocumented(
      'get',
      '/api/layers/{layer}/features',
      await get('/api/layers/areas/features?bbox=113.2,23.0,113.4,23.2&level=district'),
    );

    expectDocumented('get', '/api/departments', await get('/api/departments'));
    const feeds = await get('/api/feeds');
    expect((feeds.body as FeedDefinition[]).length).toBeGreaterThan(0);
    expectDocumented('get', '/api/feeds', feeds);
    expectDocumented('get', '/api/feeds/{key}', await get('/api/feeds/marathon-crowd'));
    expectDocumented('get', '/api/feeds/health', await get('/api/feeds/health'));

    // A bad record among good ones gives a sample, a rejected record, an indicator value and an alert to check.
    const kiosk = await kioskLogin(stack.url);
    const live = await connectLive(stack.url, kiosk, ['alerts']);
    const target = (await segments(stack.url, admin))[2];
    const pushed = await postHeadcounts(stack.url, [
      { code: target.code, headcount: Math.round(target.capacity * 1.2) },
      { code: 'NO-SUCH-AREA', headcount: 1 },
    ]);
    const ingest = { status: pushed.status, body: await pushed.json() };
    expect(ingest.body).toMatchObject({ accepted: 1, rejected: 1 });
    expectDocumented('post', '/api/feeds/{key}/records', ingest);
    const opened = await waitFor(
      () => live.events.find((e) => e.event === 'alert.changed' && (e.payload as AlertChangedEvent).alert.areaCode === target.code),
      20000,
      'the alert for the crowded segment',
    );
    live.socket.close();
    expectDocumented('get', '/api/feeds/{key}/sample', await get('/api/feeds/marathon-crowd/sample'));
    expectDocumented('get', '/api/feeds/{key}/rejected', await get('/api/feeds/marathon-crowd/rejected'));
    expectDocumented('get', '/api/feeds/{key}/entities', await get('/api/feeds/marathon-crowd/entities'));

    expectDocumented('get', '/api/indicators', await get('/api/indicators'));
    expectDocumented('get', '/api/indicators/{key}', await get('/api/indicators/marathon.segment_load'));
    expectDocumented('get', '/api/indicators/{key}/latest', await get('/api/indicators/marathon.segment_load/latest'));
    expectDocumented('get', '/api/indicators/{key}/values', await get('/api/indicators/marathon.segment_load/values'));
    expectDocumented('get', '/api/indicators/{key}/summary', await get('/api/indicators/marathon.segment_load/summary'));

    const alerts = await get('/api/alerts');
    expect((alerts.body as unknown[]).length).toBeGreaterThan(0);
    expectDocumented('get', '/api/alerts', alerts);
    const alertId = (opened.payload as AlertChangedEvent).alert.id;
    expectDocumented('get', '/api/alerts/{id}', await get(`/api/alerts/${alertId}`));
    const ack = await fetch(`${stack.url}/api/alerts/${alertId}/ack`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expectDocumented('post', '/api/alerts/{id}/ack', { status: ack.status, body: await ack.json() });
    const write = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${stack.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${admin}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    expectDocumented('post', '/api/alerts/{id}/resolve', await write('POST', `/api/alerts/${alertId}/resolve`, { reason: 'checked' }));
    const window = `from=${new Date(Date.now() - 3600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const timeline = await get(`/api/alerts/timeline?indicator=marathon.segment_load&${window}`);
    expect((timeline.body as { stretches: { alertId: string }[] }).stretches.some((s) => s.alertId === alertId)).toBe(true);
    expectDocumented('get', '/api/alerts/timeline', timeline);
    const silence = await write('POST', '/api/silences', {
      indicatorKey: 'marathon.segment_load',
      endsAt: new Date(Date.now() + 600_000).toISOString(),
      reason: 'checked',
    });
    expect(silence.status).toBe(201);
    expectDocumented('post', '/api/silences', silence);
    expectDocumented('get', '/api/silences', await get('/api/silences'));
    expectDocumented('delete', '/api/silences/{id}', await write('DELETE', `/api/silences/${(silence.body as { id: string }).id}`));

    // The writes above are on record (each once answered); the page of them is what the document says.
    const audit = await eventually(
      async () => {
        const page = await get('/api/audit?limit=3&action=alert.');
        return (page.body as contracts.AuditPage).events.length > 0 ? page : null;
      },
      10000,
      'the audit event of the acknowledgement',
    );
    expectDocumented('get', '/api/audit', audit);

    // Open311's JSON answers, and its errors in the spec's format.
    expectDocumented('get', '/open311/v2/discovery.{format}', await get('/open311/v2/discovery.json'));
    expectDocumented('get', '/open311/v2/services.{format}', await get('/open311/v2/services.json'));
    expectDocumented('get', '/open311/v2/requests.{format}', await get('/open311/v2/requests.json'));
    const noService = await get('/open311/v2/services/no-such-service.json');
    expect(noService.status).toBe(404);
    expectDocumented('get', '/open311/v2/services/{service_code}.{format}', noService);
  });

  it('answers problems as documented: problem+json with every validation issue as {path, message}', async () => {
    const invalid = await get('/api/areas?level=planet&limit=0');
    expect(invalid.status).toBe(400);
    expect(invalid.type).toContain('application/problem+json');
    expectDocumented('get', '/api/areas', invalid);
    expect((invalid.body as contracts.ProblemDetails).errors?.map((e) => e.path).sort()).toEqual(['level', 'limit']);

    const badKey = await get('/api/feeds/Not%20A%20Key');
    expect(badKey.status).toBe(400);
    expect((badKey.body as contracts.ProblemDetails).errors).toEqual([{ path: 'key', message: 'not a valid key (a-z, 0-9, _ . -)' }]);
    expectDocumented('get', '/api/feeds/{key}', badKey);

    const missing = await get('/api/areas/99999999');
    expect(missing.status).toBe(404);
    expectDocumented('get', '/api/areas/{id}', missing);
  });
});
