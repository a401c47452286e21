import { SaxesParser } from 'saxes';
import type { CaseDetail, Open311KeySecret, Open311KeyView, Open311RequestCreated, Open311ServiceRequest } from '@cityops/contracts';
import { HOSTILE_QUERY_VALUES, HOSTILE_SEGMENTS, hostileBodies } from '../support/hostile-requests';
import { createUser, login, startStack, type TestStack } from '../support/stack';

const TIANHE = '440106';
const TIANHE_BUREAU = '天河区城市管理和综合执法局';
const PER_ADDRESS = 5;
const PER_KEY = 6;

/** An XML element as parsed: its name, its element children, and its own text. */
interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}

/** Parses a whole document with a real (strict, namespace-free) XML parser; any error fails the test. */
function parseXml(xml: string): XmlNode {
  const parser = new SaxesParser();
  const stack: XmlNode[] = [];
  let root: XmlNode | null = null;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const node: XmlNode = { name: tag.name, children: [], text: '' };
    stack.at(-1)?.children.push(node);
    root ??= node;
    stack.push(node);
  });
  parser.on('text', (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  if (!root) throw new Error('no root element');
  return root;
}

const names = (node: XmlNode) => node.children.map((c) => c.name);
const child = (node: XmlNode, name: string) => node.children.find((c) => c.name === name);

/** The elements of GeoReport v2's answers, as the spec lists them (those this server leaves out: address_id, zipcode, media_url). */
const SERVICE_ELEMENTS = ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'];
const REQUEST_ELEMENTS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'lat',
  'long',
];

interface Grid {
  lon: number;
  lat: number;
}

describe('Open311 GeoReport v2 at /open311/v2: public services and requests, citizen filing with an api_key', () => {
  let stack: TestStack;
  let admin: string;
  let handler: string;
  let tianhe: Grid;
  let addressCount = 0;
  /** A client address of its own for each use (the API trusts the loopback proxy's X-Forwarded-For), so per-address counts stay apart. */
  const newAddress = () => {
    addressCount++;
    return `198.51.${100 + Math.floor(addressCount / 250)}.${(addressCount % 250) + 1}`;
  };

  const open311 = (path: string, init: RequestInit & { from?: string } = {}) =>
    fetch(`${stack.url}/open311/v2/${path}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': init.from ?? newAddress() },
    });
  const json = async <T>(path: string): Promise<{ status: number; type: string; body: T }> => {
    const res = await open311(path);
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as T };
  };
  const xml = async (
    path: string,
    init: RequestInit & { from?: string } = {},
  ): Promise<{ status: number; type: string; root: XmlNode }> => {
    const res = await open311(path, init);
    return { status: res.status, type: res.headers.get('content-type') ?? '', root: parseXml(await res.text()) };
  };
  const postForm = (format: 'json' | 'xml', fields: Record<string, string>, from?: string) =>
    open311(`requests.${format}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      from,
    });
  const api = async <T>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  const newKey = async (name: string): Promise<Open311KeySecret> => {
    const created = await api<Open311KeySecret>(admin, 'POST', '/api/open311-keys', { name });
    expect(created.status).toBe(201);
    return created.body;
  };
  /** A citizen's report of street vending in Tianhe, form-encoded as the spec's examples are. */
  const report = (key: string, extra: Record<string, string> = {}) => ({
    api_key: key,
    service_code: 'street-vending',
    lat: String(tianhe.lat),
    long: String(tianhe.lon),
    description: 'Stalls block the pavement',
    ...extra,
  });
  const fileOne = async (key: string, extra: Record<string, string> = {}): Promise<Open311RequestCreated> => {
    const res = await postForm('json', report(key, extra));
    const body = (await res.json()) as Open311RequestCreated[];
    expect([res.status, body.length]).toEqual([201, 1]);
    return body[0];
  };
  const requestOf = async (code: string): Promise<Open311ServiceRequest> => {
    const { status, body } = await json<Open311ServiceRequest[]>(`requests/${code}.json`);
    expect(status).toBe(200);
    return body[0];
  };

  beforeAll(async () => {
    stack = await startStack({
      workers: 0,
      env: {
        TRUSTED_PROXIES: '127.0.0.1',
        RATE_LIMIT_OPEN311_PER_ADDRESS: String(PER_ADDRESS),
        RATE_LIMIT_OPEN311_PER_KEY: String(PER_KEY),
      },
    });
    admin = await login(stack.url);
    const grid = await stack.db.query<Grid>(
      `SELECT ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
         FROM area g JOIN area d ON d.code = $1
        WHERE g.level = 'grid' AND g.path_ids && ARRAY[d.id] ORDER BY g.code LIMIT 1`,
      [TIANHE],
    );
    tianhe = grid.rows[0];
    const user = await createUser(stack.url, admin, { username: 'open311-handler', roles: ['handler'], department: 'th-urban-management' });
    handler = await login(stack.url, user.username, user.password);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('discovery and services', () => {
    it('answers discovery in JSON and XML, naming this endpoint and both formats', async () => {
      const discovery = await json<{ endpoints: { url: string; formats: string[]; specification: string }[]; key_service: string }>(
        'discovery.json',
      );
      expect(discovery.status).toBe(200);
      expect(discovery.type).toContain('application/json');
      expect(discovery.body.endpoints).toEqual([
        expect.objectContaining({
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: `${stack.url}/open311/v2`,
          formats: ['text/xml', 'application/json'],
        }),
      ]);
      const asXml = await xml('discovery.xml');
      expect(asXml.type).toContain('text/xml');
      expect(asXml.root.name).toBe('discovery');
      expect(names(asXml.root)).toEqual(['changeset', 'contact', 'key_service', 'endpoints']);
      const endpoint = child(asXml.root, 'endpoints')?.children[0];
      expect(endpoint && names(endpoint)).toEqual(['specification', 'url', 'changeset', 'type', 'formats']);
      expect(endpoint && child(endpoint, 'formats')?.children.map((f) => [f.name, f.text])).toEqual([
        ['format', 'text/xml'],
        ['format', 'application/json'],
      ]);
    });

    it('lists one realtime service per enabled category, with the group’s name, the same in JSON and XML', async () => {
      const categories = await api<{ key: string; enabled: boolean; groupName: string; name: string }[]>(
        admin,
        'GET',
        '/api/case-categories',
      );
      const enabled = categories.body.filter((c) => c.enabled);
      const services = await json<Record<string, unknown>[]>('services.json');
      expect(services.status).toBe(200);
      expect(services.body.map((s) => s.service_code)).toEqual(enabled.map((c) => c.key));
      expect(services.body.find((s) => s.service_code === 'street-vending')).toEqual({
        service_code: 'street-vending',
        service_name: '占道经营',
        description: expect.stringContaining('占道经营'),
        metadata: false,
        type: 'realtime',
        keywords: expect.stringContaining('street-vending'),
        group: '城管',
      });
      const asXml = await xml('services.xml');
      expect(asXml.root.name).toBe('services');
      expect(new Set(names(asXml.root))).toEqual(new Set(['service']));
      expect(asXml.root.children).toHaveLength(enabled.length);
      for (const service of asXml.root.children) expect(names(service)).toEqual(SERVICE_ELEMENTS);
      const vending = asXml.root.children.find((s) => child(s, 'service_code')?.text === 'street-vending');
      expect(vending && ['metadata', 'type', 'group'].map((n) => child(vending, n)?.text)).toEqual(['false', 'realtime', '城管']);
    });

    it('serves a service definition with no attributes, and 404 in the spec’s format for an unknown service', async () => {
      expect(await json('services/street-vending.json')).toMatchObject({
        status: 200,
        body: { service_code: 'street-vending', attributes: [] },
      });
      const definition = await xml('services/street-vending.xml');
      expect(definition.root.name).toBe('service_definition');
      expect(names(definition.root)).toEqual(['service_code', 'attributes']);
      const missing = await json<{ code: number; description: string }[]>('services/no-such-service.json');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual([{ code: 404, description: expect.stringContaining('no-such-service') }]);
      const missingXml = await xml('services/no-such-service.xml');
      expect(missingXml.status).toBe(404);
      expect(missingXml.root.name).toBe('errors');
      expect(missingXml.root.children.map((e) => names(e))).toEqual([['code', 'description']]);
      expect(child(missingXml.root.children[0], 'code')?.text).toBe('404');
    });
  });

  describe('filing', () => {
    it('files a form-encoded request as a citizen case, routed as any other; the reporter’s contact is for staff only', async () => {
      const { secret, key } = await newKey('filing app');
      const res = await postForm(
        'json',
        report(secret, { first_name: 'Li', last_name: 'Wei', email: 'li.wei@example.org', phone: '13800000000' }),
      );
      expect(res.status).toBe(201);
      const [created] = (await res.json()) as Open311RequestCreated[];
      expect(created).toEqual({
        service_request_id: expect.stringMatching(/^GZ-TH-\d{8}-\d{4}$/),
        token: expect.any(String),
        service_notice: null,
        account_id: null,
      });
      const detail = await api<CaseDetail>(admin, 'GET', `/api/cases/${created.service_request_id}`);
      expect(detail.body).toMatchObject({
        source: 'citizen',
        state: 'dispatched',
        department: 'th-urban-management',
        reporter: 'Li Wei',
        description: 'Stalls block the pavement',
      });
      expect(detail.body.timeline[0]).toMatchObject({ actor: 'citizen', action: 'filed' });
      const row = await stack.db.query<{ reporter_contact: string; submitted_by: string }>(
        `SELECT reporter_contact, submitted_by FROM city_case WHERE code = $1`,
        [created.service_request_id],
      );
      expect(row.rows[0]).toEqual({ reporter_contact: 'li.wei@example.org / 13800000000', submitted_by: `open311:${key.id}` });
      // The public answers carry nothing of the reporter.
      for (const path of [`requests/${created.service_request_id}.json`, `requests/${created.service_request_id}.xml`, 'requests.json']) {
        const text = await (await open311(path)).text();
        expect([path, /li\.wei|13800000000|Li Wei/.test(text)]).toEqual([path, false]);
      }
      const keys = await api<Open311KeyView[]>(admin, 'GET', '/api/open311-keys');
      expect(keys.body.find((k) => k.id === key.id)?.lastUsedAt).not.toBeNull();
      expect(JSON.stringify(keys.body)).not.toContain(secret);
    });

    it('takes JSON as well, answers XML with the spec’s elements, and says media_url was not kept', async () => {
      const { secret } = await newKey('json app');
      const res = await open311('requests.xml', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...report(secret), lat: tianhe.lat, long: tianhe.lon, media_url: 'https://example.org/photo.jpg' }),
      });
      expect(res.status).toBe(201);
      const root = parseXml(await res.text());
      expect(root.name).toBe('service_requests');
      expect(names(root)).toEqual(['request']);
      expect(names(root.children[0])).toEqual(['service_request_id', 'token', 'service_notice', 'account_id']);
      expect(child(root.children[0], 'service_notice')?.text).toContain('media_url');
    });

    it('follows a request by its token', async () => {
      const { secret } = await newKey('token app');
      const created = await fileOne(secret);
      expect(await json(`tokens/${created.token}.json`)).toMatchObject({
        status: 200,
        body: [{ service_request_id: created.service_request_id, token: created.token }],
      });
      const asXml = await xml(`tokens/${created.token}.xml`);
      expect(asXml.root.name).toBe('service_requests');
      expect(names(asXml.root.children[0])).toEqual(['service_request_id', 'token']);
      expect((await json('tokens/not-a-token.json')).status).toBe(404);
    });

    it('refuses a missing (400), unknown (403) or revoked (403) api_key in the spec’s format, in JSON and XML', async () => {
      const missing = await postForm('json', { service_code: 'street-vending', lat: String(tianhe.lat), long: String(tianhe.lon) });
      expect(missing.status).toBe(400);
      expect(await missing.json()).toEqual([{ code: 400, description: expect.stringContaining('api_key') }]);
      const unknown = await postForm('xml', report('co311_not-a-key'));
      expect(unknown.status).toBe(403);
      const root = parseXml(await unknown.text());
      expect([root.name, names(root), names(root.children[0])]).toEqual(['errors', ['error'], ['code', 'description']]);
      expect(child(root.children[0], 'code')?.text).toBe('403');
      const { secret, key } = await newKey('revoked app');
      expect((await api(admin, 'DELETE', `/api/open311-keys/${key.id}`)).status).toBe(200);
      const revoked = await postForm('json', report(secret));
      expect(revoked.status).toBe(403);
      expect(await revoked.json()).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);
    });

    it('answers every problem of odd input with 400 in the spec’s format, never a 5xx', async () => {
      const { secret } = await newKey('odd input app');
      const cases: [string, () => Promise<Response>, RegExp][] = [
        ['no service_code', () => postForm('json', { api_key: secret, lat: '23.1', long: '113.3' }), /service_code/],
        [
          'no lat/long',
          () => postForm('json', { api_key: secret, service_code: 'street-vending', address_string: '天河路' }),
          /lat: is required/,
        ],
        ['a huge lat', () => postForm('json', report(secret, { lat: '1e308' })), /lat/],
        ['a lat past 90', () => postForm('json', report(secret, { lat: '95.5' })), /lat/],
        ['a NUL in the description', () => postForm('json', report(secret, { description: 'a\u0000b' })), /description/],
        ['an unknown service', () => postForm('json', report(secret, { service_code: 'no-such-service' })), /service_code/],
        ['a place outside the city', () => postForm('json', report(secret, { lat: '40.0', long: '116.4' })), /lat\/long: outside/],
        [
          'broken JSON',
          () => open311('requests.json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"api_key":' }),
          /JSON/,
        ],
        [
          'a JSON array',
          () => open311('requests.json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2]' }),
          /./,
        ],
        [
          'a body of no known type',
          () => open311('requests.json', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }),
          /form/,
        ],
        [
          'a repeated field',
          () =>
            open311('requests.json', {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: `api_key=${secret}&service_code=a&service_code=b&lat=1&long=1`,
            }),
          /service_code/,
        ],
        ['an unknown format', () => open311('services.csv'), /json or xml/],
        ['a bad start_date', () => open311('requests.json?start_date=yesterday'), /start_date/],
        [
          'start_date after end_date',
          () => open311('requests.json?start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z'),
          /start_date/,
        ],
        ['an unknown status', () => open311('requests.json?status=pending'), /status/],
      ];
      for (const [what, send, description] of cases) {
        const res = await send();
        const body = (await res.json()) as { code: number; description: string }[];
        expect([what, res.status, res.headers.get('content-type')]).toEqual([what, 400, expect.stringContaining('application/json')]);
        expect([what, body.every((e) => e.code === 400), body.some((e) => description.test(e.description))]).toEqual([what, true, true]);
      }
      const xmlError = await xml('requests.xml?start_date=yesterday');
      expect([xmlError.status, xmlError.root.name, names(xmlError.root.children[0])]).toEqual([400, 'errors', ['code', 'description']]);
      const nothingFiled = await stack.db.query(`SELECT 1 FROM city_case WHERE submitted_by LIKE 'open311:%' AND description = 'ab'`);
      expect(nothingFiled.rows).toEqual([]);
    });
  });

  it('answers a path it does not know with 404 in the spec’s format, and the rest of the API still with problem+json', async () => {
    for (const path of ['services', 'services.json/more', 'nothing.xml']) {
      const res = await open311(path);
      expect([path, res.status]).toEqual([path, 404]);
      const text = await res.text();
      if (path.endsWith('.xml')) expect(parseXml(text).name).toBe('errors');
      else expect(JSON.parse(text)).toEqual([{ code: 404, description: expect.any(String) }]);
    }
    const elsewhere = await fetch(`${stack.url}/api/no-such-route`);
    expect([elsewhere.status, elsewhere.headers.get('content-type')]).toEqual([404, expect.stringContaining('application/problem+json')]);
  });

  it('answers the hostile corpus (path segments, query values, bodies) below 500, in the spec’s error format', async () => {
    const { secret } = await newKey('hostile app');
    const answers: { what: string; status: number; text: string; type: string }[] = [];
    const record = async (what: string, res: Response) =>
      answers.push({ what, status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' });
    for (const { name, value } of HOSTILE_SEGMENTS) {
      for (const path of [`services/${value}.json`, `requests/${value}.json`, `tokens/${value}.xml`, `requests.${value}`]) {
        await record(`${path.replace(value, `<${name}>`)}`, await open311(path));
      }
    }
    for (const { name, value } of HOSTILE_QUERY_VALUES) {
      for (const param of ['service_request_id', 'service_code', 'start_date', 'end_date', 'status']) {
        await record(`requests.json?${param}=<${name}>`, await open311(`requests.json?${param}=${value}`));
      }
    }
    for (const body of hostileBodies()) {
      for (const type of ['application/json', 'application/x-www-form-urlencoded']) {
        const res = await open311('requests.json', {
          method: 'POST',
          headers: { 'content-type': body.contentType ?? type, ...body.headers },
          body: typeof body.body === 'string' ? body.body : new Uint8Array(body.body),
        });
        await record(`POST <${body.name}> as ${body.contentType ?? type}`, res);
      }
    }
    // A form with a real key and hostile values in each field.
    for (const { name, value } of HOSTILE_QUERY_VALUES) {
      for (const field of ['service_code', 'lat', 'long', 'description', 'address_string', 'email']) {
        const res = await open311('requests.json', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `${new URLSearchParams(report(secret)).toString()}&${field}=${value}`,
        });
        await record(`POST ${field}=<${name}>`, res);
      }
    }
    expect(answers.filter((a) => a.status >= 500).map((a) => `${a.what}: ${a.status} ${a.text.slice(0, 200)}`)).toEqual([]);
    const notSpecErrors = answers.filter((a) => {
      if (a.status < 400) return false;
      if (a.type.includes('text/xml')) return parseXml(a.text).name !== 'errors';
      const body = JSON.parse(a.text) as unknown;
      return (
        !Array.isArray(body) ||
        !body.every((e: { code?: unknown; description?: unknown }) => e.code === a.status && typeof e.description === 'string')
      );
    });
    expect(notSpecErrors.map((a) => `${a.what}: ${a.status} ${a.text.slice(0, 200)}`)).toEqual([]);
  });

  describe('reading requests', () => {
    it('lists requests in JSON and XML with the spec’s elements, filtered by ids, service, dates and status', async () => {
      const { secret } = await newKey('list app');
      const first = await fileOne(secret);
      const second = await fileOne(secret, { service_code: 'garbage-pile' });
      const listed = await json<Open311ServiceRequest[]>('requests.json');
      expect(listed.status).toBe(200);
      const codes = listed.body.map((r) => r.service_request_id);
      expect(codes).toEqual(expect.arrayContaining([first.service_request_id, second.service_request_id]));
      // Newest reported first.
      expect(codes.indexOf(second.service_request_id)).toBeLessThan(codes.indexOf(first.service_request_id));
      const mine = listed.body.find((r) => r.service_request_id === first.service_request_id);
      expect(mine).toEqual({
        service_request_id: first.service_request_id,
        status: 'open',
        status_notes: null,
        service_name: '占道经营',
        service_code: 'street-vending',
        description: 'Stalls block the pavement',
        agency_responsible: TIANHE_BUREAU,
        service_notice: null,
        requested_datetime: expect.stringMatching(/Z$/),
        updated_datetime: expect.stringMatching(/Z$/),
        expected_datetime: null,
        address: null,
        lat: expect.closeTo(tianhe.lat, 9),
        long: expect.closeTo(tianhe.lon, 9),
      });

      const asXml = await xml(`requests.xml?service_request_id=${first.service_request_id},${second.service_request_id}`);
      expect(asXml.root.name).toBe('service_requests');
      expect(names(asXml.root)).toEqual(['request', 'request']);
      for (const request of asXml.root.children) expect(names(request)).toEqual(REQUEST_ELEMENTS);

      const byIds = await json<Open311ServiceRequest[]>(`requests.json?service_request_id=${first.service_request_id}&status=closed`);
      expect(byIds.body.map((r) => r.service_request_id)).toEqual([first.service_request_id]);
      const byService = await json<Open311ServiceRequest[]>('requests.json?service_code=garbage-pile');
      expect(byService.body.map((r) => r.service_code).every((c) => c === 'garbage-pile')).toBe(true);
      expect(byService.body.map((r) => r.service_request_id)).toContain(second.service_request_id);
      const past = await json<Open311ServiceRequest[]>(
        'requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00%2B08:00',
      );
      expect(past).toMatchObject({ status: 200, body: [] });
      // A `+` the client left unencoded arrives as a space: still read as an offset.
      expect(await json('requests.json?end_date=2020-02-01T00:00:00+08:00')).toMatchObject({ status: 200, body: [] });
      const since = new Date(Date.now() - 3600_000).toISOString();
      const recent = await json<Open311ServiceRequest[]>(`requests.json?start_date=${since}&status=open`);
      expect(recent.body.map((r) => r.service_request_id)).toEqual(
        expect.arrayContaining([first.service_request_id, second.service_request_id]),
      );
      expect(
        (await json<Open311ServiceRequest[]>(`requests.json?start_date=${since}&status=closed`)).body.map((r) => r.service_request_id),
      ).not.toContain(first.service_request_id);
      expect((await json('requests/GZ-TH-20200101-9999.json')).status).toBe(404);
    });

    it('maps the workflow to open and closed, with public comments as status_notes and never internal notes', async () => {
      const { secret } = await newKey('status app');
      const { service_request_id: code } = await fileOne(secret);
      await api(admin, 'POST', `/api/cases/${code}/notes`, { comment: 'internal: the stall owner is known to us', internal: true });
      expect(await requestOf(code)).toMatchObject({ status: 'open', status_notes: null, expected_datetime: null });
      expect(
        (await api(handler, 'POST', `/api/cases/${code}/actions`, { action: 'accept', comment: 'We will clear it today' })).status,
      ).toBe(200);
      const accepted = await requestOf(code);
      expect(accepted).toMatchObject({
        status: 'open',
        status_notes: 'We will clear it today',
        expected_datetime: expect.stringMatching(/Z$/),
      });
      expect(
        (await api(handler, 'POST', `/api/cases/${code}/actions`, { action: 'return', reason: 'Not ours: a market matter' })).status,
      ).toBe(200);
      expect(await requestOf(code)).toMatchObject({ status: 'open', status_notes: 'Not ours: a market matter', agency_responsible: null });
      expect(
        (await api(admin, 'POST', `/api/cases/${code}/actions`, { action: 'invalidate', reason: 'No stalls found on site' })).status,
      ).toBe(200);
      expect(await requestOf(code)).toMatchObject({ status: 'closed', status_notes: 'No stalls found on site', expected_datetime: null });
      const text = await (await open311(`requests/${code}.xml`)).text();
      expect(text).not.toContain('stall owner');
    });

    it('reports a merged (duplicate) request with the status of the case it was merged into, following it to its end', async () => {
      const { secret } = await newKey('merge app');
      const survivor = (await fileOne(secret)).service_request_id;
      const duplicate = (await fileOne(secret)).service_request_id;
      expect((await api(admin, 'POST', `/api/cases/${duplicate}/actions`, { action: 'merge', mergeInto: survivor })).status).toBe(200);
      expect((await api(handler, 'POST', `/api/cases/${survivor}/actions`, { action: 'accept', comment: 'Crew on the way' })).status).toBe(
        200,
      );
      const merged = await requestOf(duplicate);
      expect(merged).toMatchObject({
        service_request_id: duplicate,
        status: 'open',
        status_notes: `Merged into ${survivor}, which reports the same problem. Crew on the way`,
        agency_responsible: TIANHE_BUREAU,
        expected_datetime: (await requestOf(survivor)).expected_datetime,
      });
      const since = new Date(Date.now() - 3600_000).toISOString();
      const open = await json<Open311ServiceRequest[]>(`requests.json?start_date=${since}&status=open`);
      expect(open.body.map((r) => r.service_request_id)).toContain(duplicate);
      const act = async (token: string, code: string, body: Record<string, unknown>) =>
        expect((await api(token, 'POST', `/api/cases/${code}/actions`, body)).status).toBe(200);
      await act(handler, survivor, { action: 'return', reason: 'Wrong district' });
      // The survivor is merged in turn: the first duplicate follows the chain to the case that stands now.
      const last = (await fileOne(secret)).service_request_id;
      await act(admin, survivor, { action: 'merge', mergeInto: last });
      expect(await requestOf(duplicate)).toMatchObject({
        status: 'open',
        status_notes: `Merged into ${last}, which reports the same problem.`,
      });
      await act(handler, last, { action: 'return', reason: 'Wrong district' });
      await act(admin, last, { action: 'invalidate', reason: 'Gone by the time we came' });
      expect(await requestOf(duplicate)).toMatchObject({
        status: 'closed',
        status_notes: `Merged into ${last}, which reports the same problem. Gone by the time we came`,
      });
      const closed = await json<Open311ServiceRequest[]>(`requests.json?start_date=${since}&status=closed`);
      expect(closed.body.map((r) => r.service_request_id)).toEqual(expect.arrayContaining([duplicate, survivor, last]));
    });
    it('publishes only what citizens filed: staff and enterprise cases answer 404 like unknown ones, by list, id and token', async () => {
      const { secret } = await newKey('public-only app');
      const byOpen311 = (await fileOne(secret)).service_request_id;
      const gridCode = (
        await stack.db.query<{ code: string }>(
          `SELECT g.code FROM area g JOIN area d ON d.code = $1 WHERE g.level = 'grid' AND g.path_ids && ARRAY[d.id] ORDER BY g.code LIMIT 1`,
          [TIANHE],
        )
      ).rows[0].code;
      const publicPage = async (body: Record<string, unknown>): Promise<string> => {
        const res = await fetch(`${stack.url}/api/public/cases`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': newAddress() },
          body: JSON.stringify({ grid: gridCode, ...body }),
        });
        expect(res.status).toBe(201);
        return ((await res.json()) as { code: string }).code;
      };
      const byPage = await publicPage({ category: 'street-vending', description: 'Fruit stalls on the kerb' });
      const byEnterprise = await publicPage({
        category: 'permit-help',
        description: 'Licence renewal for our second plant has stalled',
        enterprise: { name: '广州示例科技有限公司', creditCode: '91440101MA5CXXXXX2' },
      });
      const byStaff = await api<CaseDetail>(admin, 'POST', '/api/cases', {
        category: 'street-vending',
        description: 'Tip-off from the shop owner at No. 12',
        address: 'Behind No. 12',
        location: [tianhe.lon, tianhe.lat],
      });
      expect(byStaff.status).toBe(201);
      const hidden = [byEnterprise, byStaff.body.code];

      const since = new Date(Date.now() - 3600_000).toISOString();
      for (const path of ['requests.json', `requests.json?start_date=${since}&status=open`]) {
        const codes = (await json<Open311ServiceRequest[]>(path)).body.map((r) => r.service_request_id);
        expect(codes).toEqual(expect.arrayContaining([byOpen311, byPage]));
        expect(codes.filter((c) => hidden.includes(c))).toEqual([]);
      }
      const listedText = await (await open311('requests.xml')).text();
      for (const secretText of ['Tip-off', 'Behind No. 12', 'second plant']) expect(listedText).not.toContain(secretText);
      const byIds = await json<Open311ServiceRequest[]>(`requests.json?service_request_id=${[byPage, ...hidden].join(',')}`);
      expect(byIds.body.map((r) => r.service_request_id)).toEqual([byPage]);
      for (const code of hidden) {
        for (const format of ['json', 'xml']) {
          const res = await open311(`requests/${code}.${format}`);
          const unknown = await open311(`requests/GZ-TH-20200101-9999.${format}`);
          expect([res.status, (await res.text()).replace(code, 'ID')]).toEqual([
            404,
            (await unknown.text()).replace('GZ-TH-20200101-9999', 'ID'),
          ]);
        }
      }
      const tokens = await stack.db.query<{ code: string; public_token: string }>(
        `SELECT code, public_token FROM city_case WHERE code = ANY($1::text[])`,
        [[byPage, ...hidden]],
      );
      for (const { code, public_token: token } of tokens.rows) {
        const answer = await json<{ service_request_id: string }[]>(`tokens/${token}.json`);
        expect([code, answer.status]).toEqual([code, code === byPage ? 200 : 404]);
      }
    });

    it('reports a citizen request merged into a staff case with that case’s status, never its description or address', async () => {
      const { secret } = await newKey('merged into staff app');
      const citizen = (await fileOne(secret, { description: 'Stalls at the metro exit' })).service_request_id;
      const staffCase = await api<CaseDetail>(admin, 'POST', '/api/cases', {
        category: 'street-vending',
        description: 'Known hawker group, see internal file 7',
        address: 'Inside the staff-only yard',
        location: [tianhe.lon, tianhe.lat],
      });
      expect(staffCase.status).toBe(201);
      const survivor = staffCase.body.code;
      expect((await api(admin, 'POST', `/api/cases/${citizen}/actions`, { action: 'merge', mergeInto: survivor })).status).toBe(200);
      expect((await api(handler, 'POST', `/api/cases/${survivor}/actions`, { action: 'accept', comment: 'Team sent' })).status).toBe(200);
      expect(await requestOf(citizen)).toMatchObject({
        service_request_id: citizen,
        status: 'open',
        description: 'Stalls at the metro exit',
        status_notes: `Merged into ${survivor}, which reports the same problem. Team sent`,
        agency_responsible: TIANHE_BUREAU,
        expected_datetime: expect.stringMatching(/Z$/),
      });
      for (const format of ['json', 'xml']) {
        const text = await (await open311(`requests/${citizen}.${format}`)).text();
        expect(text).not.toContain('internal file');
        expect(text).not.toContain('staff-only yard');
      }
      expect((await json(`requests/${survivor}.json`)).status).toBe(404);
    });
  });

  describe('split', () => {
    it('keeps a case split off a citizen request to staff: its description is staff’s words, never published', async () => {
      const { secret } = await newKey('split app');
      const citizen = (await fileOne(secret, { description: 'Stalls and a trampled flower bed at the metro exit' })).service_request_id;
      const split = await api<CaseDetail>(admin, 'POST', `/api/cases/${citizen}/split`, {
        category: 'green-damage',
        description: 'Flower bed: see internal file 9',
        reason: 'two problems in one report',
      });
      expect(split.status).toBe(201);
      expect(split.body.source).toBe('staff');
      expect((await json(`requests/${split.body.code}.json`)).status).toBe(404);
      expect(await requestOf(citizen)).toMatchObject({
        service_request_id: citizen,
        description: 'Stalls and a trampled flower bed at the metro exit',
      });
    });
  });

  describe('rate limits', () => {
    it('answers 429 with Retry-After, in the spec’s format, past the filings one address may make in a minute (bad keys count too)', async () => {
      const from = newAddress();
      for (let i = 0; i < PER_ADDRESS; i++) {
        const res = await postForm('json', report('co311_guess'), from);
        expect([i, res.status]).toEqual([i, 403]);
      }
      const limited = await postForm('xml', report('co311_guess'), from);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const root = parseXml(await limited.text());
      expect([root.name, child(root.children[0], 'code')?.text]).toEqual(['errors', '429']);
      // Another address is not held back.
      expect((await postForm('json', report('co311_guess'))).status).toBe(403);
    });

    it('answers 429 past the filings one key may make in a minute, from any address', async () => {
      const { secret } = await newKey('busy app');
      for (let i = 0; i < PER_KEY; i++) {
        const res = await postForm('json', report(secret));
        expect([i, res.status]).toEqual([i, 201]);
      }
      const limited = await postForm('json', report(secret));
      expect(limited.status).toBe(429);
      expect(await limited.json()).toEqual([{ code: 429, description: expect.stringContaining('api_key') }]);
    });
  });

  describe('keys', () => {
    it('lets only admins manage keys, shows the secret once, and one active key per name', async () => {
      const { secret, key } = await newKey('once app');
      expect(secret).toMatch(/^co311_/);
      expect(key.prefix).toBe(secret.slice(0, 12));
      expect((await api(admin, 'POST', '/api/open311-keys', { name: 'once app' })).status).toBe(409);
      expect((await api(handler, 'GET', '/api/open311-keys')).status).toBe(403);
      const revoked = await api<Open311KeyView>(admin, 'DELETE', `/api/open311-keys/${key.id}`);
      expect(revoked.body.revokedAt).not.toBeNull();
      expect((await api(admin, 'POST', '/api/open311-keys', { name: 'once app' })).status).toBe(201);
      const stored = await stack.db.query<{ key_hash: string }>(`SELECT key_hash FROM open311_api_key WHERE id = $1`, [key.id]);
      expect(stored.rows[0].key_hash).not.toContain(secret);
    });
  });
});
