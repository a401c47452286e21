import jsQR from 'jsqr';
import sharp from 'sharp';
import type { CaseDetail, PublicCaseView, PublicFiledCase, PublicReportContext } from '@cityops/contracts';
import { isCreditCode } from '@cityops/contracts';
import { samplePhoto } from '../support/photo-samples';
import { createUser, login, startStack, type TestStack } from '../support/stack';

const TIANHE = '440106';
const HAIZHU = '440105';
const PUBLIC_BASE_URL = 'https://city.example.org';
/** A well-formed 统一社会信用代码 (its check character computed by the rule). */
const CREDIT_CODE = '91440101MA5CXXXXX5';

interface Grid {
  id: number;
  code: string;
  name: string;
  streetCode: string;
  lon: number;
  lat: number;
}
interface Problem {
  type?: string;
  errors?: { path: string; message: string }[];
}
interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** A credit code with the right check character for its first 17 characters. */
function withCheck(first17: string): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = weights.reduce((s, w, i) => s + chars.indexOf(first17[i]) * w, 0);
  return first17 + chars[(31 - (sum % 31)) % 31];
}

describe('public cases: reporting from a grid’s QR code without an account, following by token, rating', () => {
  let stack: TestStack;
  let admin: string;
  const as: Record<string, string> = {};
  let grid: Grid;
  let otherGrid: Grid;
  let haizhuGrid: Grid;
  let addressSeq = 0;
  const enterpriseCode = withCheck(CREDIT_CODE.slice(0, 17));

  /** A client address of its own for each scenario (the suite's proxy is trusted), so the budgets do not meet. */
  const newAddress = () => `198.51.100.${++addressSeq}`;

  const pub = async <T>(method: string, path: string, body?: unknown, address = newAddress()): Promise<Answer<T>> => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  };
  const staff = async <T>(token: string, method: string, path: string, body?: unknown): Promise<Answer<T>> => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
  };
  const report = (extra: Record<string, unknown> = {}, address?: string) =>
    pub<PublicFiledCase & Problem>(
      'POST',
      '/api/public/cases',
      { grid: grid.code, category: 'street-vending', description: 'A stall blocks the pavement by the bus stop', ...extra },
      address,
    );
  const follow = (token: string) => pub<PublicCaseView & Problem>('GET', `/api/public/cases/${token}`);
  const uploadPublic = async (token: string, bytes: Buffer, address = newAddress()) => {
    const res = await fetch(`${stack.url}/api/public/cases/${token}/photos`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg', 'x-forwarded-for': address },
      body: new Uint8Array(bytes),
    });
    return { status: res.status, body: (await res.json()) as { id: string } & Problem, headers: res.headers };
  };
  let photoSize = 100;
  const fixPhoto = async (code: string): Promise<string> => {
    const res = await fetch(`${stack.url}/api/cases/${code}/photos?stage=resolve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${as.handler}`, 'content-type': 'image/jpeg' },
      body: new Uint8Array(await samplePhoto('jpeg', { width: photoSize++, height: 80 })),
    });
    if (res.status !== 201) throw new Error(`fix photo answered ${res.status}`);
    return ((await res.json()) as { id: string }).id;
  };
  /** Through the loop to verified: accepted and resolved by the Tianhe handler, verified by the grid worker. */
  const toVerified = async (code: string) => {
    expect((await staff(as.handler, 'POST', `/api/cases/${code}/actions`, { action: 'accept' })).status).toBe(200);
    const photo = await fixPhoto(code);
    expect((await staff(as.handler, 'POST', `/api/cases/${code}/actions`, { action: 'resolve', photoIds: [photo] })).status).toBe(200);
    expect((await staff(as.gridWorker, 'POST', `/api/cases/${code}/actions`, { action: 'verify' })).status).toBe(200);
    return photo;
  };

  const gridIn = async (district: string, skip = 0): Promise<Grid> =>
    (
      await stack.db.query<Grid>(
        `SELECT g.id, g.code, g.name, s.code AS "streetCode", ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
           FROM area g JOIN area d ON d.code = $1 JOIN area s ON s.id = g.path_ids[3]
          WHERE g.level = 'grid' AND g.path_ids && ARRAY[d.id] ORDER BY g.code OFFSET $2 LIMIT 1`,
        [district, skip],
      )
    ).rows[0];

  beforeAll(async () => {
    stack = await startStack({
      workers: 0,
      env: { TRUSTED_PROXIES: '127.0.0.1', PUBLIC_BASE_URL, RATE_LIMIT_PUBLIC_REPORTS_PER_10_MINUTES: '5' },
    });
    admin = await login(stack.url);
    grid = await gridIn(TIANHE);
    otherGrid = await gridIn(TIANHE, 5);
    haizhuGrid = await gridIn(HAIZHU);
    const users: [string, string, string[], { area: string }[] | undefined, string | null][] = [
      ['operator', 'pub-operator-quinn', ['operator'], undefined, null],
      ['hzOperator', 'pub-hz-operator', ['operator'], [{ area: HAIZHU }], null],
      ['handler', 'pub-handler-hattie', ['handler'], [{ area: TIANHE }], 'th-urban-management'],
      ['enterpriseHandler', 'pub-enterprise-erin', ['handler'], undefined, 'government-data'],
      ['gridWorker', 'pub-gridworker-gus', ['grid_worker'], [{ area: grid.streetCode }], null],
    ];
    for (const [key, username, roles, scopes, department] of users) {
      const user = await createUser(stack.url, admin, { username, roles, scopes, department });
      as[key] = await login(stack.url, user.username, user.password);
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('the credit code in these tests is well formed, and a changed character is not', () => {
    expect(isCreditCode(enterpriseCode)).toBe(true);
    expect(isCreditCode(`${enterpriseCode.slice(0, 17)}${enterpriseCode[17] === '0' ? '1' : '0'}`)).toBe(false);
  });

  it('gives the report page its grid: names, district, a point inside it, and the categories by group with the enterprise promise', async () => {
    const { status, body } = await pub<PublicReportContext>('GET', `/api/public/report-context?grid=${grid.code}`);
    expect(status).toBe(200);
    expect(body.grid).toMatchObject({ code: grid.code, name: grid.name });
    expect(body.district).toMatchObject({ code: TIANHE, name: '天河区' });
    expect(body.center).toHaveLength(2);
    const enterprise = body.groups.find((g) => g.key === 'enterprise');
    expect(enterprise).toMatchObject({ enterprise: true, responsePromiseHours: 24 });
    expect(body.groups.find((g) => g.key === 'sanitation')).toMatchObject({ enterprise: false, responsePromiseHours: null });
    expect(body.groups.flatMap((g) => g.categories).some((c) => c.key === 'street-vending')).toBe(true);

    expect((await pub<Problem>('GET', '/api/public/report-context?grid=999999999999999')).status).toBe(404);
    // A district is no grid.
    expect((await pub<Problem>('GET', `/api/public/report-context?grid=${TIANHE}`)).status).toBe(404);
    expect((await pub<Problem>('GET', '/api/public/report-context?grid=%00')).status).toBe(400);
    expect((await pub<Problem>('GET', '/api/public/report-context')).status).toBe(400);
  });

  it('files a report without an account, routed like any case; staff see the reporter, the public answer names no one', async () => {
    const filed = await report({ name: 'Ms Chen', contact: '+86 138 0013 8000', location: [otherGrid.lon, otherGrid.lat] });
    expect(filed.status).toBe(201);
    expect(filed.body.followUrl).toBe(`/r/${filed.body.token}`);
    expect(filed.body.code).toMatch(/^GZ-TH-\d{8}-\d{4}$/);
    const detail = await staff<CaseDetail>(as.operator, 'GET', `/api/cases/${filed.body.code}`);
    // The case falls in the grid under the phone's position, not the QR code's.
    expect(detail.body).toMatchObject({
      source: 'citizen',
      state: 'dispatched',
      department: 'th-urban-management',
      reporter: 'Ms Chen',
      gridCode: otherGrid.code,
    });
    expect(detail.body.timeline[0]).toMatchObject({ actor: 'citizen', action: 'filed' });
    const stored = await stack.db.query<{ reporter_contact: string; submitted_by: string }>(
      `SELECT reporter_contact, submitted_by FROM city_case WHERE code = $1`,
      [filed.body.code],
    );
    expect(stored.rows[0].reporter_contact).toBe('+86 138 0013 8000');
    expect(stored.rows[0].submitted_by).toMatch(/^public:[0-9a-f]{24}$/);
    expect(stored.rows[0].submitted_by).not.toContain('198.51.100');

    const seen = await follow(filed.body.token);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ code: filed.body.code, status: 'dispatched', source: 'citizen', promise: null, merged: null });
    const text = JSON.stringify(seen.body);
    expect(text).not.toContain('Ms Chen');
    expect(text).not.toContain('138 0013');

    // Without a position: placed inside the QR code's grid. A retry with the same request id files nothing new.
    const address = newAddress();
    const first = await report({ clientRequestId: 'phone-1' }, address);
    const again = await report({ clientRequestId: 'phone-1' }, address);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.code).toBe(first.body.code);
    expect((await staff<CaseDetail>(as.operator, 'GET', `/api/cases/${first.body.code}`)).body.gridCode).toBe(grid.code);
  });

  it('answers a retry from another network with the first case; another report that reuses the request id files its own', async () => {
    const body = { clientRequestId: 'qr-retry-1', description: 'Stalls on the ramp to the footbridge' };
    const onWifi = await report(body, newAddress());
    const onMobile = await report(body, newAddress());
    expect([onWifi.status, onMobile.status]).toEqual([201, 201]);
    expect(onMobile.body).toEqual(onWifi.body);
    const stored = await stack.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM city_case WHERE client_request_id = $1 AND description = $2`,
      [body.clientRequestId, body.description],
    );
    expect(stored.rows[0].n).toBe(1);
    // The same id from a different report (another citizen, or another client's weak ids): never the first case or its token.
    const other = await report({ clientRequestId: body.clientRequestId, description: 'Rubbish by the school gate' }, newAddress());
    expect(other.status).toBe(201);
    expect([other.body.code === onWifi.body.code, other.body.token === onWifi.body.token]).toEqual([false, false]);
  });

  it('shows the public timeline: no internal note, no staff name, departments by name', async () => {
    const filed = await report();
    const code = filed.body.code;
    await staff(as.operator, 'POST', `/api/cases/${code}/notes`, { comment: 'INTERNAL: the caller is a known crank', internal: true });
    await staff(as.operator, 'POST', `/api/cases/${code}/notes`, { comment: 'We are on it', internal: false });
    expect((await staff(as.handler, 'POST', `/api/cases/${code}/actions`, { action: 'accept' })).status).toBe(200);
    const seen = await follow(filed.body.token);
    expect(seen.status).toBe(200);
    expect(seen.body.status).toBe('accepted');
    expect(seen.body.timeline.map((e) => [e.action, e.by, e.status])).toEqual([
      ['filed', 'reporter', 'received'],
      ['dispatch', 'system', 'dispatched'],
      ['note', 'staff', null],
      ['accept', 'department', 'accepted'],
    ]);
    expect(seen.body.timeline[1].departmentName).toBe(seen.body.departmentName);
    expect(seen.body.timeline[3].departmentName).toBe(seen.body.departmentName);
    expect(seen.body.departmentName).toBeTruthy();
    const text = JSON.stringify(seen.body);
    expect(text).toContain('We are on it');
    expect(text).not.toContain('INTERNAL');
    for (const name of ['pub-operator-quinn', 'pub-handler-hattie', 'admin']) expect(text).not.toContain(name);
  });

  it('takes the reporter’s photos while the case waits, serves them and the fix’s by token, and nothing else', async () => {
    const filed = await report();
    const { token, code } = filed.body;
    const photo = await uploadPublic(token, await samplePhoto('jpeg', { width: 90, height: 60 }));
    expect(photo.status).toBe(201);
    const view = await follow(token);
    expect(view.body.mayAddPhotos).toBe(true);
    expect(view.body.photos.map((p) => [p.id, p.stage])).toEqual([[photo.body.id, 'report']]);
    const bytes = await fetch(`${stack.url}/api/public/cases/${token}/photos/${photo.body.id}?size=thumbnail`);
    expect(bytes.status).toBe(200);
    expect(bytes.headers.get('content-type')).toBe('image/webp');
    expect((await sharp(Buffer.from(await bytes.arrayBuffer())).metadata()).format).toBe('webp');

    const fix = await toVerified(code);
    const later = await follow(token);
    expect(later.body.mayAddPhotos).toBe(false);
    expect(later.body.photos.map((p) => p.id).sort()).toEqual([photo.body.id, fix].sort());
    expect((await fetch(`${stack.url}/api/public/cases/${token}/photos/${fix}`)).status).toBe(200);
    // Once taken on, no more photos from the public.
    const late = await uploadPublic(token, await samplePhoto('jpeg', { width: 91, height: 60 }));
    expect(late.status).toBe(409);
    // Not a photo of this case, a token nobody has, a file that is no image.
    expect((await fetch(`${stack.url}/api/public/cases/${token}/photos/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await uploadPublic('A'.repeat(24), await samplePhoto('jpeg', { width: 92, height: 60 }))).status).toBe(404);
    const other = await report();
    const notImage = await uploadPublic(other.body.token, Buffer.from('MZ this is not an image at all, just bytes'));
    expect([415, 422]).toContain(notImage.status);
  });

  it('lets the reporter close a verified case with a rating, and only then', async () => {
    const filed = await report();
    const { token, code } = filed.body;
    const early = await pub<Problem>('POST', `/api/public/cases/${token}/rating`, { rating: 5 });
    expect(early.status).toBe(409);
    await toVerified(code);
    const view = await follow(token);
    expect(view.body).toMatchObject({ status: 'verified', mayRate: true });
    expect((await pub<Problem>('POST', `/api/public/cases/${token}/rating`, { rating: 6 })).body.errors?.[0].path).toBe('rating');
    const rated = await pub<PublicCaseView>('POST', `/api/public/cases/${token}/rating`, { rating: 4, comment: 'Quick, thanks' });
    expect(rated.status).toBe(200);
    expect(rated.body).toMatchObject({ status: 'closed', rating: 4, mayRate: false });
    expect(rated.body.timeline.at(-1)).toMatchObject({ action: 'close', by: 'reporter', status: 'closed', comment: 'Quick, thanks' });
    const detail = await staff<CaseDetail>(as.operator, 'GET', `/api/cases/${code}`);
    expect(detail.body).toMatchObject({ state: 'closed', rating: 4 });
    expect(detail.body.timeline.at(-1)).toMatchObject({ actor: 'reporter', action: 'close' });
    expect((await pub<Problem>('POST', `/api/public/cases/${token}/rating`, { rating: 5 })).status).toBe(409);
  });

  it('answers a case merged as a duplicate with the case it was merged into', async () => {
    const survivor = await report();
    const duplicate = await report({ description: 'Rubbish again at the same stop' });
    const merged = await staff(as.operator, 'POST', `/api/cases/${duplicate.body.code}/actions`, {
      action: 'merge',
      mergeInto: survivor.body.code,
    });
    expect(merged.status).toBe(200);
    const seen = await follow(duplicate.body.token);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({
      code: survivor.body.code,
      merged: { yourCode: duplicate.body.code },
      mayRate: false,
      mayAddPhotos: false,
    });
    expect(seen.body.timeline.some((e) => e.action === 'merged_in' && e.by === 'command_centre')).toBe(true);
  });

  describe('enterprise requests (企业呼)', () => {
    const enterpriseReport = (extra: Record<string, unknown> = {}) =>
      report({
        category: 'permit-help',
        description: 'Our business licence renewal has stalled',
        enterprise: { name: '广州示例科技有限公司', creditCode: enterpriseCode },
        ...extra,
      });

    it('needs the enterprise and a well-formed credit code, and refuses them on other categories', async () => {
      const missing = await report({ category: 'permit-help' });
      expect([missing.status, missing.body.errors?.map((e) => e.path)]).toEqual([400, ['enterprise']]);
      const bad = await enterpriseReport({ enterprise: { name: 'X', creditCode: '91440101MA5CXXXXX' } });
      expect([bad.status, bad.body.errors?.map((e) => e.path)]).toEqual([400, ['enterprise.creditCode']]);
      const wrongCheck = await enterpriseReport({ enterprise: { name: 'X', creditCode: `${enterpriseCode.slice(0, 17)}Z` } });
      expect(wrongCheck.status).toBe(400);
      const notEnterprise = await report({ enterprise: { name: 'X', creditCode: enterpriseCode } });
      expect([notEnterprise.status, notEnterprise.body.errors?.map((e) => e.path)]).toEqual([400, ['enterprise']]);
    });

    it('files as an enterprise with the 24-hour promise running, kept when accepted in time, missed when late or unanswered', async () => {
      const running = await enterpriseReport();
      expect(running.status).toBe(201);
      const stored = await stack.db.query<{ source: string; enterprise_name: string; enterprise_credit_code: string }>(
        `SELECT source, enterprise_name, enterprise_credit_code FROM city_case WHERE code = $1`,
        [running.body.code],
      );
      expect(stored.rows[0]).toEqual({
        source: 'enterprise',
        enterprise_name: '广州示例科技有限公司',
        enterprise_credit_code: enterpriseCode,
      });
      const view = await follow(running.body.token);
      expect(view.body).toMatchObject({ source: 'enterprise', promise: { hours: 24, status: 'running', respondedAt: null } });
      expect(Date.parse(view.body.promise?.dueAt ?? '') - Date.parse(view.body.createdAt)).toBe(24 * 3_600_000);
      expect(view.body.timeline[0]).toMatchObject({ action: 'filed', by: 'reporter' });

      // Accepted 23 hours after filing: kept; 25 hours after: missed (the accept's time set in the database).
      const answeredAt = async (code: string, hours: number) => {
        expect((await staff(as.enterpriseHandler, 'POST', `/api/cases/${code}/actions`, { action: 'accept' })).status).toBe(200);
        await stack.db.query(
          `UPDATE case_event e SET at = c.created_at + make_interval(hours => $2)
             FROM city_case c WHERE c.id = e.case_id AND c.code = $1 AND e.action = 'accept'`,
          [code, hours],
        );
      };
      const kept = await enterpriseReport();
      await answeredAt(kept.body.code, 23);
      expect((await follow(kept.body.token)).body.promise).toMatchObject({ status: 'kept' });
      const late = await enterpriseReport();
      await answeredAt(late.body.code, 25);
      expect((await follow(late.body.token)).body.promise).toMatchObject({ status: 'missed' });
      // Filed 25 hours ago and not answered yet: missed already.
      const unanswered = await enterpriseReport();
      await stack.db.query(`UPDATE city_case SET created_at = now() - interval '25 hours' WHERE code = $1`, [unanswered.body.code]);
      expect((await follow(unanswered.body.token)).body.promise).toMatchObject({ status: 'missed', respondedAt: null });
    });

    it('writes the case and its enterprise as one: a failure while storing the enterprise leaves neither', async () => {
      const failing = '拒存测试有限公司';
      // Refuses the enterprise wherever it is written, by the filing's insert or a later update.
      await stack.db.query(`CREATE FUNCTION refuse_test_enterprise() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.enterprise_name = '${failing}' THEN RAISE EXCEPTION 'enterprise refused by the test'; END IF;
          RETURN NEW;
        END $$`);
      await stack.db.query(`CREATE TRIGGER refuse_test_enterprise BEFORE INSERT OR UPDATE ON city_case
        FOR EACH ROW EXECUTE FUNCTION refuse_test_enterprise()`);
      try {
        const description = 'Power cut at our workshop since the morning';
        const refused = await enterpriseReport({ description, enterprise: { name: failing, creditCode: enterpriseCode } });
        expect(refused.status).toBe(500);
        expect(JSON.stringify(refused.body)).not.toContain('refused by the test');
        const left = await stack.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM city_case WHERE description = $1`, [description]);
        expect(left.rows[0].n).toBe(0);
        const filed = await enterpriseReport({ description, clientRequestId: 'ent-retry-1' });
        const retried = await enterpriseReport({ description, clientRequestId: 'ent-retry-1' });
        expect([filed.status, retried.status, retried.body.code]).toEqual([201, 201, filed.body.code]);
        const stored = await stack.db.query<{ enterprise_name: string; enterprise_credit_code: string }>(
          `SELECT enterprise_name, enterprise_credit_code FROM city_case WHERE description = $1`,
          [description],
        );
        expect(stored.rows).toEqual([{ enterprise_name: '广州示例科技有限公司', enterprise_credit_code: enterpriseCode }]);
      } finally {
        await stack.db.query(`DROP TRIGGER refuse_test_enterprise ON city_case`);
        await stack.db.query(`DROP FUNCTION refuse_test_enterprise()`);
      }
    });
  });

  it('limits reports per client address (refused forms do not count), 429 with Retry-After, another address unaffected', async () => {
    const address = newAddress();
    expect((await report({ category: 'no-such' }, address)).status).toBe(400);
    for (let i = 0; i < 5; i++) expect([i, (await report({ description: `report ${i}` }, address)).status]).toEqual([i, 201]);
    const limited = await report({ description: 'one too many' }, address);
    expect(limited.status).toBe(429);
    expect(limited.body.type).toBe('urn:cityops:problem:rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await report({ description: 'from elsewhere' })).status).toBe(201);
  });

  it('answers bad input with 400, 404 or 413, never 5xx', async () => {
    const path = (r: Answer<Problem>) => [r.status, r.body.errors?.map((e) => e.path)];
    expect(path(await report({ description: 'a\u0000b' }))).toEqual([400, ['description']]);
    expect(path(await report({ description: 'x'.repeat(2001) }))).toEqual([400, ['description']]);
    expect(path(await report({ description: '   ' }))).toEqual([400, ['description']]);
    expect(path(await report({ grid: '440106999999999' }))).toEqual([400, ['grid']]);
    expect(path(await report({ grid: "'; DROP TABLE area;--" }))).toEqual([400, ['grid']]);
    expect(path(await report({ location: [10, 10] }))).toEqual([400, ['location']]);
    expect(path(await report({ location: [200, 10] }))[0]).toBe(400);
    expect(path(await report({ contact: 'not a phone' }))).toEqual([400, ['contact']]);
    expect(path(await report({ name: 'x'.repeat(101) }))).toEqual([400, ['name']]);
    expect((await report({ description: 'x'.repeat(200_000) })).status).toBe(413);
    expect((await pub<Problem>('POST', '/api/public/cases', '{"grid":')).status).toBe(400);
    expect((await pub<Problem>('POST', '/api/public/cases', '[]')).status).toBe(400);
    expect((await pub<Problem>('GET', `/api/public/cases/${'A'.repeat(24)}`)).status).toBe(404);
    expect((await pub<Problem>('GET', '/api/public/cases/short')).status).toBe(400);
    expect((await pub<Problem>('GET', `/api/public/cases/${'A'.repeat(24)}%00`)).status).toBe(400);
    expect((await pub<Problem>('POST', `/api/public/cases/${'A'.repeat(24)}/rating`, { rating: 5 })).status).toBe(404);
  });

  describe('QR codes of grids', () => {
    const qr = (token: string, code: string) =>
      fetch(`${stack.url}/api/areas/${code}/report-qr.svg`, { headers: { authorization: `Bearer ${token}` } });

    it('draws an SVG that a QR decoder reads as the grid’s report page at the public origin, with the grid’s name', async () => {
      const res = await qr(as.operator, grid.code);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
      const svg = await res.text();
      expect(svg).toContain(grid.name);
      expect(svg).toContain('天河区');
      const { data, info } = await sharp(Buffer.from(svg))
        .flatten({ background: '#ffffff' })
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const decoded = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height);
      expect(decoded?.data).toBe(`${PUBLIC_BASE_URL}/report?grid=${grid.code}`);
    });

    it('answers 404 for an area that is no grid and for a grid outside the caller’s areas', async () => {
      expect((await qr(as.operator, TIANHE)).status).toBe(404);
      expect((await qr(as.operator, '440106999999999')).status).toBe(404);
      expect((await qr(as.hzOperator, grid.code)).status).toBe(404);
      expect((await qr(as.hzOperator, haizhuGrid.code)).status).toBe(200);
      expect((await qr(as.handler, grid.code)).status).toBe(403);
    });
  });
});
