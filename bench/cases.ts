/**
 * npm run bench:cases — the case list, the map layer of open cases and filing a case, with
 * BENCH_CASES (default 200,000) cases in the database, from one API process.
 *
 * Over the demo city (its grids, categories and routing rules) plus BENCH_CASES cases written
 * straight into the tables (about 85 % of them done: closed, ruled invalid or cancelled; the
 * rest open across the working states, over the last 90 days, spread over every grid), each
 * with its first timeline entry:
 * 1. The case list with filters (open, a category group, a district; newest first, 100 a page),
 *    as a city-wide admin and as an operator scoped to one district, beside the bare statement
 *    the API runs (`caseListStatement`, same parameters) through its own connection.
 * 2. The map layer of open cases: the vector tiles a 1920×1080 map framing a district asks for
 *    (`GET /api/tiles/cases/…` at the zoom that fits the district), each made anew after a change
 *    of a case (one filed, before each view and each round), beside `caseTileStatement` of the same tile through its own connection with the
 *    tile connections' settings; the same tiles cached, and a district's whole view as a browser
 *    asks for it (six at a time). For comparison, the GeoJSON of the same box (`GET /api/cases/map`,
 *    up to 5,000 points), which the map no longer draws from, beside `caseMapStatement`.
 * 3. Filing a case (`POST /api/cases`: the grid under the point, the most specific routing rule,
 *    the day's number, the case and its timeline, and the answer with the duplicate check), beside
 *    the bare SQL of it in one transaction: the grid by PostGIS point-in-polygon, the duplicate
 *    check, the day's number, the insert and its two timeline entries.
 * Each: BENCH_REQUESTS requests one at a time after a warm-up, p50/p95, and the ratio of the p95s.
 * Target (issue 10): p95 ≤ 50 ms for each.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { Pool } from 'undici';
import {
  caseEventInsertStatement,
  caseInsertStatement,
  caseListStatement,
  caseMapStatement,
  caseTileStatement,
  nearbyOpenStatement,
  nextSequenceStatement,
} from '@cityops/cases';
import { DUPLICATE_RADIUS_METERS } from '@cityops/contracts';
import { TILE_SESSION_SETTINGS } from '@cityops/core';
import { benchEnvironment, spawnApi, step } from './support/bench-stack';
import { fitZoom, type Tile, tilesCovering } from './support/tile-math';

const CASES = Number(process.env.BENCH_CASES ?? 200_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const WARMUP = 30;
const TARGET_P95_MS = 50;
const DAY_MS = 86_400_000;

const quantile = (samples: number[], q: number) => {
  const s = [...samples].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : '—');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function timed<T>(samples: number[], work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await work();
  samples.push(performance.now() - t0);
  return result;
}

interface Grid {
  id: number;
  path: number[];
  lon: number;
  lat: number;
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`bench:cases parameters: BENCH_CASES=${CASES} BENCH_REQUESTS=${REQUESTS}`);
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  console.log(`machine: load average ${load()} at the start`);
  const { config, env, drop } = await benchEnvironment();
  const db = new Client({ connectionString: config.databaseUrl });
  await db.connect();
  let child: Awaited<ReturnType<typeof spawnApi>>['child'] | undefined;
  try {
    step(`write ${CASES.toLocaleString('en')} cases and their first timeline entries`);
    const seeded = performance.now();
    await db.query(`
      WITH g AS (SELECT id, path_ids, ST_PointOnSurface(geom) AS p, row_number() OVER (ORDER BY id) AS n FROM area WHERE level = 'grid'),
           k AS (SELECT array_agg(key ORDER BY key) AS keys FROM case_category),
           s AS (SELECT i, (i * 7919) % (SELECT count(*) FROM g) + 1 AS n, now() - ((i * 104729) % (90 * 86400)) * interval '1 second' AS at,
                        CASE WHEN i % 100 < 80 THEN 'closed' WHEN i % 100 < 83 THEN 'invalid' WHEN i % 100 < 85 THEN 'cancelled'
                             ELSE (ARRAY['reported','dispatched','accepted','in_progress','resolved','verified','returned'])[i % 7 + 1] END AS state
                   FROM generate_series(1::bigint, ${CASES}) AS i)
      INSERT INTO city_case (code, category, description, location, grid_id, area_path, priority, source, state, reporter_name,
                             public_token, submitted_by, department, accept_due_at, resolve_due_at, reported_at, dispatched_at,
                             accepted_at, resolved_at, closed_at, rating, created_at, updated_at)
      SELECT 'GZ-BN-' || to_char(s.at, 'YYYYMMDD') || '-' || lpad(s.i::text, 6, '0'),
             k.keys[s.i % array_length(k.keys, 1) + 1], 'bench case ' || s.i,
             ST_Translate(g.p, ((s.i % 11) - 5) * 1e-5, ((s.i % 13) - 6) * 1e-5), g.id, g.path_ids, 'normal',
             (ARRAY['grid_worker','staff','citizen','machine'])[s.i % 4 + 1], s.state, 'bench', md5(s.i::text || random()::text), 'bench',
             CASE WHEN s.state IN ('reported', 'returned', 'invalid', 'cancelled') THEN NULL ELSE 'urban-management' END,
             s.at + interval '4 hours', s.at + interval '3 days', s.at, s.at, s.at + interval '1 hour',
             CASE WHEN s.state IN ('resolved', 'verified', 'closed') THEN s.at + interval '1 day' END,
             CASE WHEN s.state IN ('closed', 'invalid', 'cancelled') THEN s.at + interval '2 days' END,
             CASE WHEN s.state = 'closed' THEN s.i % 5 + 1 END, s.at, s.at
        FROM s JOIN g ON g.n = s.n CROSS JOIN k`);
    await db.query(
      `INSERT INTO case_event (case_id, at, actor, action, to_state) SELECT id, created_at, 'bench', 'filed', 'reported' FROM city_case`,
    );
    await db.query(`ANALYZE city_case`);
    await db.query(`ANALYZE case_event`);
    const counts = (
      await db.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM city_case GROUP BY 1 ORDER BY 2 DESC`)
    ).rows;
    console.log(
      `data: ${counts.reduce((n, r) => n + r.n, 0).toLocaleString('en')} cases (${counts.map((r) => `${r.state} ${r.n.toLocaleString('en')}`).join(', ')}), ` +
        `written in ${((performance.now() - seeded) / 1000).toFixed(0)} s`,
    );

    if (process.env.BENCH_EXPLAIN) {
      // The plans of one list and one map statement, to see which indexes they take.
      const d = (
        await db.query<{ id: number; w: number; s: number; e: number; n: number }>(
          `SELECT id, ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n FROM area WHERE level = 'district' ORDER BY code OFFSET 3 LIMIT 1`,
        )
      ).rows[0];
      const keys = (
        await db.query<{ keys: string[] }>(`SELECT array_agg(key) AS keys FROM case_category WHERE group_key = 'urban-management'`)
      ).rows[0].keys;
      const scopeRoots = [d.id];
      for (const [what, statement] of [
        [
          'list, city-wide',
          caseListStatement({ open: true, categories: keys, areaId: d.id, limit: 101 }, { scope: null, department: null, userId: null }),
        ],
        [
          'list, scoped',
          caseListStatement(
            { open: true, categories: keys, limit: 101 },
            { scope: scopeRoots, department: null, userId: '00000000-0000-4000-8000-000000000000' },
          ),
        ],
        [
          'map',
          caseMapStatement({
            bbox: [d.w, d.s, d.e, d.n],
            states: null,
            categories: null,
            overdue: null,
            supervised: null,
            reader: { scope: null, department: null, userId: null },
            limit: 5000,
          }),
        ],
      ] as const) {
        const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, statement.values);
        console.log(`plan of the ${what}:\n${plan.rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
      }
    }

    const api = await spawnApi(env);
    child = api.child;
    const signIn = async (username: string, password: string) => {
      const res = await fetch(`${api.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (res.status !== 200) throw new Error(`login answered ${res.status}`);
      return ((await res.json()) as { accessToken: string }).accessToken;
    };
    const admin = await signIn('admin', env.ADMIN_PASSWORD ?? '');
    /** The answer's text: timed up to the last byte received, not the bench's own parsing of it. */
    const fetchText = async (token: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${api.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
      return text;
    };
    const call = async (token: string, method: string, path: string, body?: unknown) =>
      JSON.parse(await fetchText(token, method, path, body)) as unknown;
    const districts = (
      await db.query<{ id: number; code: string; w: number; s: number; e: number; n: number }>(
        `SELECT id, code, ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n FROM area WHERE level = 'district' ORDER BY code`,
      )
    ).rows;
    const groups = (
      await db.query<{ key: string; keys: string[] }>(
        `SELECT group_key AS key, array_agg(key) AS keys FROM case_category GROUP BY 1 ORDER BY 1`,
      )
    ).rows;
    const scopedName = `bench-op-${randomBytes(3).toString('hex')}`;
    const firstPassword = `first-${randomBytes(8).toString('hex')}`;
    await call(admin, 'POST', '/api/users', {
      username: scopedName,
      displayName: scopedName,
      password: firstPassword,
      roles: ['operator'],
      scopes: [{ area: districts[3].code }],
    });
    const firstToken = await signIn(scopedName, firstPassword);
    const password = `pw-${randomBytes(12).toString('hex')}`;
    await call(firstToken, 'POST', '/api/auth/password', { currentPassword: firstPassword, newPassword: password });
    const scoped = await signIn(scopedName, password);

    // ---- 1. the list ----
    step('the case list with filters, through the API and bare');
    const list = { admin: [] as number[], scoped: [] as number[], sql: [] as number[] };
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const d = districts[i % districts.length];
      const g = groups[i % groups.length];
      const record = i >= WARMUP;
      const query = `/api/cases?open=true&category=${g.key}&area=${d.code}&limit=100`;
      await timed(record ? list.admin : [], () => call(admin, 'GET', query));
      await timed(record ? list.scoped : [], () => call(scoped, 'GET', `/api/cases?open=true&category=${g.key}&limit=100`));
      const bare = caseListStatement(
        { open: true, categories: g.keys, areaId: d.id, limit: 101 },
        { scope: null, department: null, userId: null },
      );
      await timed(record ? list.sql : [], () => db.query(bare.text, bare.values));
    }

    // ---- 2. the map layer ----
    // The map draws open cases from vector tiles: a district framed on a 1920×1080 wall asks for
    // the tiles covering its box at the zoom that fits it. Each round is preceded by a change of a
    // case (a note), so every tile is made anew from PostGIS (checked by `X-Tile-Cache: miss`).
    step('the map layer of open cases: the tiles of a district framed at 1920×1080, through the API and bare');
    const tileDb = new Client({ connectionString: config.databaseUrl });
    // Ended below; if a step throws first, the database is dropped under it: that is no news.
    tileDb.on('error', () => undefined);
    await tileDb.connect();
    for (const [name, value] of Object.entries(TILE_SESSION_SETTINGS)) await tileDb.query(`SET ${name} = ${value}`);
    const tilePool = new Pool(api.url, { connections: 6, pipelining: 1 });
    // A change of a case makes every tile anew (notes change nothing drawn): a case filed in a grid of the city.
    const changeAt = (
      await db.query<{ lon: number; lat: number }>(
        `SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM area WHERE level = 'grid' ORDER BY id LIMIT 1`,
      )
    ).rows[0];
    const changeACase = (why: string) =>
      call(admin, 'POST', '/api/cases', {
        category: groups[0].keys[0],
        description: `bench: ${why}`,
        location: [changeAt.lon, changeAt.lat],
      });
    const views = districts.map((d) => {
      const box = [d.w, d.s, d.e, d.n];
      const z = Math.floor(fitZoom(box, 1920, 1080));
      return { code: d.code, z, tiles: tilesCovering(box, z) };
    });
    const getTile = async (t: Tile) => {
      const res = await tilePool.request({
        path: `/api/tiles/cases/${t.z}/${t.x}/${t.y}.mvt`,
        method: 'GET',
        headers: { authorization: `Bearer ${admin}` },
      });
      const body = Buffer.from(await res.body.arrayBuffer());
      return { status: res.statusCode, cache: String(res.headers['x-tile-cache'] ?? ''), bytes: body.length };
    };
    const map = { api: [] as number[], sql: [] as number[], hit: [] as number[], bytes: [] as number[], view: [] as number[] };
    /** Tiles asked for uncached one at a time so far: the first WARMUP of them are not recorded. */
    let asked = 0;
    // Neighbouring districts' views share tiles: one at a time, each tile is asked for once a round.
    const distinct = [...new Map(views.flatMap((v) => v.tiles).map((t) => [`${t.z}/${t.x}/${t.y}`, t])).values()];
    for (let round = 0; asked < WARMUP + REQUESTS; round++) {
      for (const view of views) {
        await changeACase(`round ${round}, ${view.code}`);
        // The whole view as a browser asks for it (six at a time), then each tile of it again one at a
        // time: the first answers made them, so the second are the cached ones.
        const t0 = performance.now();
        const made = await Promise.all(view.tiles.map((t) => getTile(t)));
        const viewMs = performance.now() - t0;
        for (const [i, m] of made.entries())
          if (m.status !== 200 || m.cache !== 'miss')
            throw new Error(`cases ${view.tiles[i].z}/${view.tiles[i].x}/${view.tiles[i].y}: ${m.status} ${m.cache}`);
        const record = asked >= WARMUP;
        if (record) map.view.push(viewMs);
        for (const [i, t] of view.tiles.entries()) {
          const bare = caseTileStatement(t.z, t.x, t.y, { scope: null, department: null, userId: null });
          await timed(record ? map.sql : [], () => tileDb.query(bare.text, bare.values));
          const hit = await timed(record ? map.hit : [], () => getTile(t));
          if (hit.cache !== 'memory') throw new Error(`cases ${t.z}/${t.x}/${t.y} was not cached: ${hit.cache}`);
          if (record) map.bytes.push(made[i].bytes);
        }
      }
      // Uncached, one at a time, after the next change: the per-tile figure beside the bare SQL.
      await changeACase(`round ${round}, one at a time`);
      for (const t of distinct) {
        const made = await timed(asked++ >= WARMUP ? map.api : [], () => getTile(t));
        if (made.status !== 200 || made.cache !== 'miss') throw new Error(`cases ${t.z}/${t.x}/${t.y}: ${made.status} ${made.cache}`);
      }
    }
    // The GeoJSON of the same boxes (`GET /api/cases/map`), which the map no longer draws from: for comparison.
    const geojson = { api: [] as number[], sql: [] as number[], points: [] as number[], bytes: [] as number[] };
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const d = districts[i % districts.length];
      const record = i >= WARMUP;
      const text = await timed(record ? geojson.api : [], () =>
        fetchText(admin, 'GET', `/api/cases/map?bbox=${d.w},${d.s},${d.e},${d.n}&limit=5000`),
      );
      const layer = JSON.parse(text) as { features: unknown[] };
      if (record) geojson.bytes.push(Buffer.byteLength(text));
      if (record) geojson.points.push(layer.features.length);
      const bare = caseMapStatement({
        bbox: [d.w, d.s, d.e, d.n],
        states: null,
        categories: null,
        overdue: null,
        supervised: null,
        reader: { scope: null, department: null, userId: null },
        limit: 5000,
      });
      await timed(record ? geojson.sql : [], () => db.query(bare.text, bare.values));
    }
    await tilePool.close();
    await tileDb.end();

    // ---- 3. filing ----
    step('filing cases, through the API and bare');
    const grids = (
      await db.query<Grid>(
        `SELECT id, path_ids AS path, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM area WHERE level = 'grid' ORDER BY id`,
      )
    ).rows;
    const categories = groups.flatMap((g) => g.keys);
    const file = { api: [] as number[], sql: [] as number[] };
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const g = grids[(i * 4099) % grids.length];
      const category = categories[i % categories.length];
      const record = i >= WARMUP;
      await timed(record ? file.api : [], () =>
        call(admin, 'POST', '/api/cases', { category, description: `bench filing ${i}`, location: [g.lon, g.lat] }),
      );
      await timed(record ? file.sql : [], async () => {
        await db.query('BEGIN');
        try {
          const point = (
            await db.query<Grid>(
              `SELECT id, path_ids AS path FROM area WHERE level = 'grid' AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) LIMIT 1`,
              [g.lon, g.lat],
            )
          ).rows[0];
          const near = nearbyOpenStatement({
            category,
            location: [g.lon, g.lat],
            meters: DUPLICATE_RADIUS_METERS,
            since: new Date(Date.now() - 2 * DAY_MS),
            excludeId: null,
            reader: { scope: null, department: null, userId: null },
            limit: 20,
          });
          await db.query(near.text, near.values);
          const seq = nextSequenceStatement('GZ-BARE', '20261130');
          const n = (await db.query<{ last: number }>(seq.text, seq.values)).rows[0].last;
          const insert = caseInsertStatement({
            code: `GZ-BARE-20261130-${String(n).padStart(6, '0')}`,
            category,
            description: `bench bare filing ${i}`,
            address: null,
            location: [g.lon, g.lat],
            gridId: point.id,
            areaPath: point.path,
            priority: 'normal',
            source: 'staff',
            state: 'dispatched',
            reporterUserId: null,
            reporterName: 'bench',
            reporterContact: null,
            publicToken: randomBytes(18).toString('base64url'),
            submittedBy: 'bench',
            clientRequestId: null,
            alertId: null,
            department: 'urban-management',
            routingRuleId: null,
            acceptDueAt: new Date(Date.now() + 4 * 3600_000),
            reportedAt: new Date(),
            dispatchedAt: new Date(),
          });
          const id = (await db.query<{ id: string }>(insert.text, insert.values)).rows[0].id;
          for (const action of ['filed', 'dispatch']) {
            const event = caseEventInsertStatement(id, {
              actor: 'bench',
              action,
              fromState: null,
              toState: null,
              comment: null,
              internal: false,
              detail: {},
            });
            await db.query(event.text, event.values);
          }
          await db.query('COMMIT');
        } catch (error) {
          await db.query('ROLLBACK');
          throw error;
        }
      });
    }

    const report = (what: string, api: number[], sql: number[]) => {
      const p95 = quantile(api, 0.95);
      const bare = quantile(sql, 0.95);
      console.log(
        `  ${what.padEnd(44)} API p50 ${ms(quantile(api, 0.5))}, p95 ${ms(p95)} (≤ ${TARGET_P95_MS} ms: ${verdict(p95 <= TARGET_P95_MS)}); ` +
          `bare SQL p50 ${ms(quantile(sql, 0.5))}, p95 ${ms(bare)}; ratio of p95s ${(p95 / bare).toFixed(2)}×`,
      );
    };
    console.log(`results (${REQUESTS} requests each, one at a time):`);
    report('list, open + group + district, city-wide', list.admin, list.sql);
    report('list, open + group, district-scoped caller', list.scoped, list.sql);
    const zooms = [...new Set(views.map((v) => v.z))].sort((a, b) => a - b).join(', ');
    report(
      `map layer: a tile of open cases, uncached (zooms ${zooms}; ${distinct.length} tiles over ${views.length} districts, median ${Math.round(quantile(map.bytes, 0.5) / 1000)} kB)`,
      map.api,
      map.sql,
    );
    console.log(
      `  ${'map layer: the same tiles, cached'.padEnd(44)} API p50 ${ms(quantile(map.hit, 0.5))}, p95 ${ms(quantile(map.hit, 0.95))}`,
    );
    console.log(
      `  ${'map layer: a district’s whole view, uncached'.padEnd(44)} p50 ${ms(quantile(map.view, 0.5))}, p95 ${ms(quantile(map.view, 0.95))} ` +
        `(its tiles six at a time, as a browser asks)`,
    );
    report(
      `for comparison, the GeoJSON of a district's box (mean ${Math.round(mean(geojson.points))} points, ${(mean(geojson.bytes) / 1e6).toFixed(2)} MB)`,
      geojson.api,
      geojson.sql,
    );
    report('filing a case (grid, rule, number, duplicates)', file.api, file.sql);
    console.log(`machine: load average ${load()} at the end`);
  } finally {
    child?.kill('SIGTERM');
    await db.end();
    // BENCH_KEEP=1 leaves the database for trying plans by hand (its name is printed at the start).
    if (process.env.BENCH_KEEP === '1') console.log('database kept (BENCH_KEEP=1)');
    else await drop();
  }
  console.log(`bench:cases took ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
