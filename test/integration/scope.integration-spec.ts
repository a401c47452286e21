import { randomBytes, randomUUID } from 'node:crypto';
import type {
  AlertChangedEvent,
  AlertView,
  AreaView,
  FeedEntityRecord,
  FeedHealthView,
  FeedSampleRecord,
  IndicatorSummaryPoint,
  IndicatorHistoryPoint,
  IndicatorValuesEvent,
  RejectedRecord,
} from '@cityops/contracts';
import { FeedHealthService } from '@cityops/feeds';
import { hashSecret } from '@cityops/identity';
import { eventually } from '../support/eventually';
import { connectLive, waitFor } from '../support/live-client';
import { postHeadcounts, segments, type Segment } from '../support/marathon';
import { createUser, login, startStack, type TestStack } from '../support/stack';

/** The demo city's districts by administrative code; the marathon runs through the first three only. */
const TIANHE = '440106';
const HAIZHU = '440105';
const YUEXIU = '440104';
const BAIYUN = '440111';
const INDICATOR = 'marathon.segment_load';
const FEED = 'marathon-crowd';
/** An entity feed without a zone set (it serves the whole city), created by the suite. */
const SHELTERS = 'scope-test-shelters';

interface Answer<T> {
  status: number;
  body: T;
}

describe('area scope: every read and every socket limited to the caller’s areas', () => {
  let stack: TestStack;
  let admin: string;
  let course: Segment[];
  const district = new Map<string, AreaView>();
  /** Segment codes of the course that lie in Tianhe (its scope includes the zones that overlap it). */
  let tianheSegments: string[];
  const tokens: Record<string, string> = {};
  let street: { id: number; code: string };
  // Inside the segment load's window (10 minutes) for the whole run, however slow the machine.
  let clock = Date.now() - 60_000;
  /** Record times only move forward: an older value would not change an alert. */
  const nextTime = () => new Date((clock += 1000));

  const call = async <T>(token: string, path: string, init: RequestInit = {}): Promise<Answer<T>> => {
    const res = await fetch(`${stack.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  const get = <T>(token: string, path: string) => call<T>(token, path);
  const segment = (code: string) => course.find((s) => s.code === code)!;
  const surge = (code: string, load = 1.12) => ({ code, headcount: Math.round(segment(code).capacity * load) });
  const openAlert = async (code: string): Promise<AlertView> =>
    eventually(
      async () => (await get<AlertView[]>(admin, '/api/alerts?active=true')).body.find((a) => a.areaCode === code),
      10000,
      `open alert on ${code}`,
    );
  /** The same problem for what is out of scope as for what does not exist: nothing to tell them apart but the id. */
  const notFound = (answer: Answer<unknown>) => {
    expect(answer.status).toBe(404);
    const { type, title, status } = answer.body as { type: string; title: string; status: number };
    return { type, title, status };
  };

  beforeAll(async () => {
    // Sockets read their principal again every second here, so a scope that shrinks shows soon.
    stack = await startStack({ workers: 1, env: { SESSION_CHECK_SECONDS: '1' } });
    admin = await login(stack.url);
    course = await segments(stack.url, admin);
    for (const d of (await get<AreaView[]>(admin, '/api/areas?level=district')).body) district.set(d.code, d);
    tianheSegments = (
      await stack.db.query<{ code: string }>(
        `SELECT z.code FROM area z JOIN area d ON d.code = $1 WHERE z.level = 'zone' AND ST_Intersects(z.geom, d.geom) ORDER BY z.seq`,
        [TIANHE],
      )
    ).rows.map((r) => r.code);
    // A street of Tianhe that the course crosses, so a street's scope also holds a segment.
    street = (
      await stack.db.query<{ id: number; code: string }>(
        `SELECT s.id, s.code FROM area s JOIN area z ON z.code = 'GZM-02' AND ST_Intersects(s.geom, z.geom)
          WHERE s.level = 'street' AND s.path_ids && ARRAY[$1::int] ORDER BY s.code LIMIT 1`,
        [district.get(TIANHE)!.id],
      )
    ).rows[0];

    const people: [string, string[], ({ area: string } | { zoneSet: string })[] | undefined, string | null][] = [
      ['tianhe-commander', ['commander'], [{ area: TIANHE }], null],
      ['tianhe-analyst', ['analyst'], [{ area: TIANHE }], null],
      ['baiyun-commander', ['commander'], [{ area: BAIYUN }], null],
      ['baiyun-police-analyst', ['analyst'], [{ area: BAIYUN }], 'public-security'],
      ['street-viewer', ['viewer'], [{ area: street.code }], null],
      ['marathon-operator', ['operator'], [{ zoneSet: 'gz-marathon' }], null],
      ['city-analyst', ['analyst'], undefined, null],
    ];
    for (const [username, roles, scopes, department] of people) {
      const user = await createUser(stack.url, admin, { username, roles, scopes, department });
      tokens[username] = await login(stack.url, user.username, user.password);
    }

    // A wall registered for Tianhe (until /api/displays lands, straight into its table).
    const displayToken = `codp_${randomBytes(24).toString('base64url')}`;
    await stack.db.query(`INSERT INTO display_device (name, token_hash, prefix, scope_area_ids) VALUES ('Tianhe wall', $1, $2, $3)`, [
      hashSecret(displayToken),
      displayToken.slice(0, 12),
      [district.get(TIANHE)!.id],
    ]);
    const kiosk = await fetch(`${stack.url}/api/auth/kiosk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: displayToken }),
    });
    expect(kiosk.status).toBe(200);
    tokens['tianhe-wall'] = ((await kiosk.json()) as { accessToken: string }).accessToken;

    // The course calm, then a surge in GZM-02 (Tianhe only) and GZM-12 (Haizhu only): one alert each.
    expect(
      (
        await postHeadcounts(
          stack.url,
          course.map((s) => ({ code: s.code, headcount: Math.round(s.capacity * 0.4) })),
          nextTime(),
        )
      ).status,
    ).toBe(200);
    expect((await postHeadcounts(stack.url, [surge('GZM-02'), surge('GZM-12')], nextTime())).status).toBe(200);
    await openAlert('GZM-02');
    await openAlert('GZM-12');
    // A record without a place, and one refused (a negative headcount).
    const unplaced = await call(admin, `/api/feeds/${FEED}/records`, {
      method: 'POST',
      body: JSON.stringify([
        { id: 'scope-no-place', metric: 'headcount', value: 5, ts: nextTime().toISOString() },
        { id: 'scope-refused', metric: 'headcount', value: -5, ts: nextTime().toISOString(), area: 'GZM-02' },
      ]),
    });
    expect(unplaced.body).toMatchObject({ accepted: 1, rejected: 1 });

    // Entities in Tianhe, in Haizhu and nowhere, in a feed of the whole city.
    expect(
      (
        await call(admin, '/api/feeds', {
          method: 'POST',
          body: JSON.stringify({ key: SHELTERS, name: '测试避难所', departmentCode: 'emergency', theme: 'emergency', kind: 'entity' }),
        })
      ).status,
    ).toBe(201);
    const inside = async (code: string) =>
      (
        await stack.db.query<{ lon: number; lat: number }>(
          `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM area WHERE code = $1) x`,
          [code],
        )
      ).rows[0];
    const [t, h] = [await inside(TIANHE), await inside(HAIZHU)];
    const ts = nextTime().toISOString();
    const put = await call(admin, `/api/feeds/${SHELTERS}/entities`, {
      method: 'PUT',
      body: JSON.stringify({
        entities: [
          { id: 'shelter-tianhe', ts, location: [t.lon, t.lat] },
          { id: 'shelter-haizhu', ts, location: [h.lon, h.lat] },
          { id: 'shelter-nowhere', ts },
        ],
      }),
    });
    expect(put.body).toMatchObject({ accepted: 3, rejected: 0 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('areas, features and tiles', () => {
    it('lists only the areas of the scope, and answers one outside it exactly as a missing one', async () => {
      for (const who of ['tianhe-commander', 'tianhe-wall']) {
        const districts = await get<AreaView[]>(tokens[who], '/api/areas?level=district');
        expect(districts.body.map((d) => d.code)).toEqual([TIANHE]);
        expect((await get<AreaView>(tokens[who], `/api/areas/${district.get(TIANHE)!.id}`)).status).toBe(200);
        const outside = notFound(await get(tokens[who], `/api/areas/${district.get(HAIZHU)!.id}?geometry=false`));
        expect(outside).toEqual(notFound(await get(tokens[who], '/api/areas/2000000000?geometry=false')));
        // The city itself holds more than the scope: it is outside too.
        expect((await get(tokens[who], '/api/areas?level=city')).body).toEqual([]);
      }
      expect((await get<AreaView[]>(admin, '/api/areas?level=district')).body).toHaveLength(11);
    });

    it('shows a district the marathon segments that run through it, and a zone-set scope its whole course and nothing else', async () => {
      const tianhe = await get<AreaView[]>(tokens['tianhe-commander'], '/api/areas?zoneSet=gz-marathon');
      expect(tianhe.body.map((a) => a.code)).toEqual(tianheSegments);
      expect(tianheSegments).toEqual(expect.arrayContaining(['GZM-01', 'GZM-02']));
      expect(tianheSegments).not.toContain('GZM-12');
      expect((await get<AreaView[]>(tokens['baiyun-commander'], '/api/areas?zoneSet=gz-marathon')).body).toEqual([]);

      const operator = tokens['marathon-operator'];
      expect((await get<AreaView[]>(operator, '/api/areas?zoneSet=gz-marathon')).body).toHaveLength(course.length);
      expect((await get<AreaView[]>(operator, '/api/areas?level=district')).body).toEqual([]);
    });

    it('limits a street’s scope to the street, what lies in it and the segments that cross it', async () => {
      const viewer = tokens['street-viewer'];
      const streets = await get<AreaView[]>(viewer, `/api/areas?level=street&parent=${district.get(TIANHE)!.id}`);
      expect(streets.body.map((s) => s.code)).toEqual([street.code]);
      notFound(await get(viewer, `/api/areas/${district.get(TIANHE)!.id}`));
      const communities = (await get<AreaView[]>(viewer, '/api/areas?level=community')).body;
      expect(communities.length).toBeGreaterThan(0);
      expect(communities.every((c) => c.parentId === street.id)).toBe(true);
      expect((await get<AreaView[]>(viewer, '/api/areas?zoneSet=gz-marathon')).body.map((a) => a.code)).toContain('GZM-02');
    });

    it('leaves out of features and tiles every area outside the scope', async () => {
      const city = '112.9,22.5,114.1,24.0';
      const features = async (token: string) =>
        (
          await get<{ features: { properties: { code: string } }[] }>(token, `/api/layers/areas/features?bbox=${city}&level=district`)
        ).body.features.map((f) => f.properties.code);
      expect(await features(tokens['tianhe-wall'])).toEqual([TIANHE]);
      expect(await features(admin)).toHaveLength(11);

      // A z=10 tile over central Guangzhou: the names of what it holds are strings in it.
      const tile = async (token: string) => {
        const res = await fetch(`${stack.url}/api/tiles/areas/10/834/444.mvt`, { headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(200);
        expect(res.headers.get('vary')).toMatch(/authorization/i);
        return Buffer.from(await res.arrayBuffer());
      };
      const names = [...district.values()].map((d) => d.name);
      const all = await tile(admin);
      const held = names.filter((name) => all.includes(Buffer.from(name)));
      expect(held).toEqual(expect.arrayContaining([district.get(TIANHE)!.name, district.get(HAIZHU)!.name, district.get(YUEXIU)!.name]));
      const tianhe = await tile(tokens['tianhe-commander']);
      // Street names begin with their district's: none of another district's areas is in the tile.
      expect(held.filter((name) => tianhe.includes(Buffer.from(name)))).toEqual([district.get(TIANHE)!.name]);
      expect(tianhe.includes(Buffer.from('广州市'))).toBe(false);
    });
  });

  describe('indicators', () => {
    it('gives the latest values, history and summaries of the scope’s segments only', async () => {
      const wall = tokens['tianhe-wall'];
      const latest = (await get<IndicatorValuesEvent>(wall, `/api/indicators/${INDICATOR}/latest`)).body;
      expect(latest.values.map((v) => v.areaCode)).toEqual(tianheSegments);
      expect((await get<IndicatorValuesEvent>(admin, `/api/indicators/${INDICATOR}/latest`)).body.values).toHaveLength(course.length);
      expect((await get<IndicatorValuesEvent>(tokens['baiyun-commander'], `/api/indicators/${INDICATOR}/latest`)).body.values).toEqual([]);

      const history = await get<IndicatorHistoryPoint[]>(
        wall,
        `/api/indicators/${INDICATOR}/values?from=${new Date(clock - 3600_000).toISOString()}`,
      );
      const tianheIds = new Set(tianheSegments.map((code) => segment(code).id));
      expect(history.body.length).toBeGreaterThan(0);
      expect(history.body.every((p) => tianheIds.has(p.areaId))).toBe(true);

      const from = new Date(clock - 3600_000).toISOString();
      const summary = (await get<IndicatorSummaryPoint[]>(wall, `/api/indicators/${INDICATOR}/summary?from=${from}`)).body;
      const citySummary = (await get<IndicatorSummaryPoint[]>(admin, `/api/indicators/${INDICATOR}/summary?from=${from}`)).body;
      // The segments' values may land in neighbouring buckets (each batch is computed when it arrives):
      // a scoped bucket never counts more than the scope's segments; the city's counts more than that.
      const most = (points: IndicatorSummaryPoint[]) => Math.max(...points.map((p) => p.areas));
      expect(most(summary)).toBeGreaterThan(0);
      expect(most(summary)).toBeLessThanOrEqual(tianheSegments.length);
      expect(most(citySummary)).toBeGreaterThan(tianheSegments.length);
      expect(most(citySummary)).toBeLessThanOrEqual(course.length);
    });

    it('answers the values of one area outside the scope exactly as those of a missing area', async () => {
      const wall = tokens['tianhe-wall'];
      const inScope = await get<IndicatorHistoryPoint[]>(
        wall,
        `/api/indicators/${INDICATOR}/values?area=${segment('GZM-02').id}&from=${new Date(clock - 3600_000).toISOString()}`,
      );
      expect(inScope.status).toBe(200);
      expect(inScope.body.length).toBeGreaterThan(0);
      const outside = notFound(await get(wall, `/api/indicators/${INDICATOR}/values?area=${segment('GZM-12').id}`));
      expect(outside).toEqual(notFound(await get(wall, `/api/indicators/${INDICATOR}/values?area=2000000000`)));
    });
  });

  describe('alerts', () => {
    it('lists the scope’s alerts only, each scope by its own areas', async () => {
      const codes = async (token: string) => (await get<AlertView[]>(token, '/api/alerts?active=true')).body.map((a) => a.areaCode);
      expect(await codes(tokens['tianhe-wall'])).toContain('GZM-02');
      expect(await codes(tokens['tianhe-wall'])).not.toContain('GZM-12');
      expect(await codes(tokens['baiyun-commander'])).toEqual([]);
      expect(await codes(tokens['marathon-operator'])).toEqual(expect.arrayContaining(['GZM-02', 'GZM-12']));
      expect(await codes(admin)).toEqual(expect.arrayContaining(['GZM-02', 'GZM-12']));

      // The street's: exactly the alerts whose area the scope function puts in its scope.
      const expected = (
        await stack.db.query<{ id: string }>(
          `SELECT id FROM alert WHERE area_id IN (SELECT cityops_scope_area_ids(ARRAY[$1::int])) ORDER BY id`,
          [street.id],
        )
      ).rows.map((r) => r.id);
      const streets = (await get<AlertView[]>(tokens['street-viewer'], '/api/alerts')).body.map((a) => a.id).sort();
      expect(expected.length).toBeGreaterThan(0);
      expect(streets).toEqual(expected.sort());
    });

    it('answers an alert outside the scope, and its acknowledgement, exactly as a missing one, and changes nothing', async () => {
      const inside = await openAlert('GZM-02');
      const outside = await openAlert('GZM-12');
      const commander = tokens['tianhe-commander'];
      expect((await get<AlertView>(tokens['tianhe-wall'], `/api/alerts/${inside.id}`)).status).toBe(200);
      const missing = notFound(await get(commander, `/api/alerts/${randomUUID()}`));
      expect(notFound(await get(commander, `/api/alerts/${outside.id}`))).toEqual(missing);
      expect(notFound(await get(tokens['tianhe-wall'], `/api/alerts/${outside.id}`))).toEqual(missing);

      expect(notFound(await call(commander, `/api/alerts/${outside.id}/ack`, { method: 'POST' }))).toEqual(
        notFound(await call(commander, `/api/alerts/${randomUUID()}/ack`, { method: 'POST' })),
      );
      const stored = await stack.db.query<{ acknowledged_at: Date | null }>(`SELECT acknowledged_at FROM alert WHERE id = $1`, [
        outside.id,
      ]);
      expect(stored.rows[0].acknowledged_at).toBeNull();

      const acked = await call<AlertView>(commander, `/api/alerts/${inside.id}/ack`, { method: 'POST' });
      expect(acked.status).toBe(200);
      expect(acked.body.acknowledgedBy).toBe('tianhe-commander');
    });
  });

  describe('feeds', () => {
    it('samples only records placed in the scope (a record without a place is for city-wide callers)', async () => {
      const sample = async (token: string) => (await get<FeedSampleRecord[]>(token, `/api/feeds/${FEED}/sample?limit=500`)).body;
      const tianhe = await sample(tokens['tianhe-analyst']);
      expect(tianhe.length).toBeGreaterThan(0);
      expect(tianhe.every((r) => r.area !== null && tianheSegments.includes(r.area))).toBe(true);
      expect(tianhe.map((r) => r.id)).not.toContain('scope-no-place');
      expect(await sample(tokens['baiyun-commander'])).toEqual([]);

      const city = await sample(tokens['city-analyst']);
      expect(city.map((r) => r.area)).toEqual(expect.arrayContaining(['GZM-12', null]));
      expect(city.map((r) => r.id)).toContain('scope-no-place');
    });

    it('lists only the entities placed in the scope', async () => {
      const entities = async (token: string) =>
        (await get<FeedEntityRecord[]>(token, `/api/feeds/${SHELTERS}/entities`)).body.map((e) => e.id).sort();
      expect(await entities(tokens['tianhe-commander'])).toEqual(['shelter-tianhe']);
      expect(await entities(tokens['baiyun-commander'])).toEqual([]);
      expect(await entities(tokens['city-analyst'])).toEqual(['shelter-haizhu', 'shelter-nowhere', 'shelter-tianhe']);
    });

    it('shows rejected records (which have no place) to city-wide callers and to the people of the feed’s department', async () => {
      const rejected = async (token: string) =>
        (await get<RejectedRecord[]>(token, `/api/feeds/${FEED}/rejected`)).body.map((r) => (r.raw as { id?: string }).id);
      expect(await rejected(tokens['city-analyst'])).toContain('scope-refused');
      expect(await rejected(tokens['baiyun-police-analyst'])).toContain('scope-refused');
      expect(await rejected(tokens['tianhe-analyst'])).toEqual([]);
    });

    it('shows a scope the health of the city’s feeds, of the events that cross it and of its department’s feeds', async () => {
      const health = async (token: string) => (await get<FeedHealthView[]>(token, '/api/feeds/health')).body.map((f) => f.feedKey);
      expect(await health(tokens['tianhe-wall'])).toEqual(expect.arrayContaining([FEED, SHELTERS]));
      const baiyun = await health(tokens['baiyun-commander']);
      expect(baiyun).toContain(SHELTERS);
      expect(baiyun).not.toContain(FEED);
      expect(await health(tokens['baiyun-police-analyst'])).toEqual(expect.arrayContaining([FEED, SHELTERS]));
      // A zone-set scope sees its event's feed; the city's feeds too, as its zones lie in the city.
      expect(await health(tokens['marathon-operator'])).toEqual(expect.arrayContaining([FEED, SHELTERS]));
    });
  });

  describe('sockets', () => {
    it('delivers the alerts and indicator values of the scope only, and refuses an area channel outside it', async () => {
      const city = await connectLive(stack.url, admin, ['alerts']);
      const wall = await connectLive(stack.url, tokens['tianhe-wall'], [
        'alerts',
        `indicator:${INDICATOR}`,
        `area:${segment('GZM-03').id}`,
      ]);
      try {
        expect(wall.ack).toEqual({ ok: true, channels: ['alerts', `indicator:${INDICATOR}`, `area:${segment('GZM-03').id}`] });
        const refused = await wall.socket
          .timeout(5000)
          .emitWithAck('subscribe', { channels: ['feeds', `area:${district.get(HAIZHU)!.id}`] });
        expect(refused).toEqual({
          ok: false,
          channels: ['feeds'],
          error: `outside the caller's area scope: area:${district.get(HAIZHU)!.id}`,
        });

        const changed = (events: typeof wall.events, code: string) =>
          events.find((e) => e.event === 'alert.changed' && (e.payload as AlertChangedEvent).alert.areaCode === code);
        // First the segment outside the wall's scope; once the city-wide socket heard it, the one inside.
        await postHeadcounts(stack.url, [surge('GZM-13')], nextTime());
        await waitFor(() => changed(city.events, 'GZM-13'), 10000, 'GZM-13 on the city-wide socket');
        await postHeadcounts(stack.url, [surge('GZM-03')], nextTime());
        await waitFor(() => changed(wall.events, 'GZM-03'), 10000, 'GZM-03 on the Tianhe wall');
        // Scoped events reach a process in order: had GZM-13's been for the wall, it would be here by now.
        expect(changed(wall.events, 'GZM-13')).toBeUndefined();
        // Heard on the area's own channel as well as on `alerts`.
        await waitFor(
          () =>
            wall.events.filter((e) => e.event === 'alert.changed' && (e.payload as AlertChangedEvent).alert.areaCode === 'GZM-03')
              .length === 2,
          10000,
          'GZM-03 on alerts and on its area channel',
        );

        const values = wall.events.filter((e) => e.event === 'indicator.values').map((e) => e.payload as IndicatorValuesEvent);
        expect(values.length).toBeGreaterThan(0);
        for (const event of values) expect(event.values.every((v) => tianheSegments.includes(v.areaCode))).toBe(true);
        expect(values.at(-1)!.values.map((v) => v.areaCode)).toEqual(tianheSegments);
      } finally {
        city.socket.close();
        wall.socket.close();
      }
    });

    it('hands each scope the health of the feeds it may see', async () => {
      const tianhe = await connectLive(stack.url, tokens['tianhe-wall'], ['feeds']);
      const baiyun = await connectLive(stack.url, tokens['baiyun-commander'], ['feeds']);
      try {
        await stack.workers[0].get(FeedHealthService).publish();
        const heard = async (live: typeof tianhe) =>
          (
            (await waitFor(() => live.events.find((e) => e.event === 'feed.health'), 10000, 'feed.health')).payload as {
              feeds: FeedHealthView[];
            }
          ).feeds.map((f) => f.feedKey);
        expect(await heard(tianhe)).toEqual(expect.arrayContaining([FEED, SHELTERS]));
        const baiyunFeeds = await heard(baiyun);
        expect(baiyunFeeds).toContain(SHELTERS);
        expect(baiyunFeeds).not.toContain(FEED);
      } finally {
        tianhe.socket.close();
        baiyun.socket.close();
      }
    });

    it('stops delivering what a socket’s scope no longer holds once the scope shrinks', async () => {
      const user = await createUser(stack.url, admin, {
        username: 'two-districts',
        roles: ['commander'],
        scopes: [{ area: TIANHE }, { area: HAIZHU }],
      });
      const token = await login(stack.url, user.username, user.password);
      const haizhuSegment = segment('GZM-14');
      const live = await connectLive(stack.url, token, ['alerts', `area:${haizhuSegment.id}`]);
      const city = await connectLive(stack.url, admin, ['alerts']);
      try {
        expect(live.ack.ok).toBe(true);
        const patched = await call(admin, `/api/users/${user.id}`, {
          method: 'PATCH',
          body: JSON.stringify({ scopes: [{ area: TIANHE }] }),
        });
        expect(patched.status).toBe(200);
        // Once the gateway read the new scope, Haizhu's channels are refused…
        await eventually(
          async () => {
            const ack = await live.socket.timeout(5000).emitWithAck('subscribe', { channels: [`area:${haizhuSegment.id}`] });
            return ack.ok === false;
          },
          10000,
          'the shrunk scope on the socket',
        );
        // …and nothing of Haizhu arrives any more, neither on `alerts` nor on the area's channel.
        const changed = (events: typeof live.events, code: string) =>
          events.filter((e) => e.event === 'alert.changed' && (e.payload as AlertChangedEvent).alert.areaCode === code);
        await postHeadcounts(stack.url, [surge('GZM-14')], nextTime());
        await waitFor(() => changed(city.events, 'GZM-14').length > 0, 10000, 'GZM-14 on the city-wide socket');
        await postHeadcounts(stack.url, [surge('GZM-04')], nextTime());
        await waitFor(() => changed(live.events, 'GZM-04').length > 0, 10000, 'GZM-04 on the shrunk socket');
        expect(changed(live.events, 'GZM-14')).toEqual([]);
        expect(live.socket.connected).toBe(true);
      } finally {
        live.socket.close();
        city.socket.close();
      }
    });
  });
});
