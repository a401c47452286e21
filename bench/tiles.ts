/**
 * npm run bench:tiles — vector tiles of the map's big layers, from one API process.
 *
 * Over the demo city (the counts it holds are printed; city-scale data is another part of issue
 * 9) plus, because the demo has no entity feed, a benchmark entity feed with one camera per grid
 * and a benchmark reading feed with located readings of the last ten minutes (counts printed):
 * 1. Uncached: for each layer (areas-district, areas-grid, entities, observation heat) and zoom
 *    8–16, up to BENCH_TILES_PER_ZOOM tiles around the grids, each asked once (so each is made
 *    from PostGIS; checked by `X-Tile-Cache: miss`), beside the bare SQL of the same tile through
 *    its own connection in the same run (the statement the API runs, with the same parameters).
 *    p50/p95 per tile, and the ratio of the p95s. Where a miss's time goes is read from the API's
 *    `Server-Timing` (its shared-cache lookup, the query, its whole answer), so the fixed cost of
 *    the HTTP hop and the cache lookup shows apart from the query. BENCH_LAYERS=areas-district,heat
 *    measures only the layers whose keys start so.
 * 2. Cached: the same tiles again, one at a time (p50/p95), then as many as one API process
 *    answers with BENCH_CONCURRENCY requests in flight for BENCH_SECONDS (tiles/s), with the CPU
 *    the API and the load generator used for it: the API's CPU per tile says how many tiles one
 *    API core answers, whatever the load generator and the machine's other work left it.
 * Targets (issue 9): uncached p95 ≤ 50 ms and ≤ 1.3× the bare SQL; cached ≥ 5,000 tiles/s.
 * The load generator runs on the same machine as the API and PostgreSQL and takes its share of
 * the cores; the figure is what this machine reached, not the API's ceiling.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { Pool } from 'undici';
import { TILE_SESSION_SETTINGS } from '@cityops/core';
import { entityTileQuery, heatTileQuery } from '@cityops/feeds';
import { areaLevelTileQuery } from '@cityops/geo';
import { HEAT_BUCKET_SECONDS, HEAT_WINDOW_MINUTES } from '../apps/api/src/layers/tile.service';
import { benchEnvironment, processCpuSeconds, spawnApi, step } from './support/bench-stack';
import { type Tile, tileOf } from './support/tile-math';

const TILES_PER_ZOOM = Number(process.env.BENCH_TILES_PER_ZOOM ?? 25);
/** Layers whose keys start with one of these (comma-separated); every layer when empty. */
const ONLY_LAYERS = (process.env.BENCH_LAYERS ?? '').split(',').filter(Boolean);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const READINGS = Number(process.env.BENCH_READINGS ?? 20_000);
const ZOOMS = [8, 9, 10, 11, 12, 13, 14, 15, 16];
const CAMERAS = 'bench-cameras';
const AIR = 'bench-air';
const TARGET_P95_MS = 50;
const TARGET_RATIO = 1.3;
const TARGET_TILES_PER_SECOND = 5000;

interface Layer {
  key: string;
  minzoom: number;
  sql: (t: Tile) => { text: string; values: unknown[] };
}

const quantile = (samples: number[], q: number) => {
  const s = [...samples].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : '—');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

/** `Server-Timing: redis;dur=0.12, db;dur=1.40, total;dur=1.71` as name → ms. */
function serverTiming(header: string | string[] | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of String(header ?? '').split(',')) {
    const [name, ...params] = part.trim().split(';');
    const dur = params.find((p) => p.startsWith('dur='));
    if (name && dur) out.set(name, Number(dur.slice(4)));
  }
  return out;
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `bench:tiles parameters: BENCH_TILES_PER_ZOOM=${TILES_PER_ZOOM} BENCH_CONCURRENCY=${CONCURRENCY} BENCH_SECONDS=${SECONDS} BENCH_READINGS=${READINGS} BENCH_LAYERS=${ONLY_LAYERS.join(',') || '(all)'}`,
  );
  // Other work on the machine moves the absolute figures; the ratios of the same run hold better.
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  console.log(`machine: load average ${load()} at the start`);
  const { config, env, drop } = await benchEnvironment();
  const db = new Client({ connectionString: config.databaseUrl });
  await db.connect();
  // With the session settings the API's tile connections have (VectorTileQueries).
  for (const [name, value] of Object.entries(TILE_SESSION_SETTINGS)) await db.query(`SET ${name} = ${value}`);
  let child: Awaited<ReturnType<typeof spawnApi>>['child'] | undefined;
  try {
    const api = await spawnApi(env);
    child = api.child;
    const login = await fetch(`${api.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: env.ADMIN_PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`login answered ${login.status}`);
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const send = async (method: string, path: string, body: unknown) => {
      const res = await fetch(`${api.url}${path}`, { method, headers, body: JSON.stringify(body) });
      if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    };

    const grids = (
      await db.query<{ lon: number; lat: number }>(
        `SELECT ST_X(center) AS lon, ST_Y(center) AS lat FROM area WHERE level = 'grid' ORDER BY id`,
      )
    ).rows;
    step('seed the benchmark feeds: one camera per grid, located readings of the last ten minutes');
    await send('POST', '/api/feeds', { key: CAMERAS, name: '基准摄像头', theme: 'traffic', kind: 'entity' });
    await send('POST', '/api/feeds', { key: AIR, name: '基准空气', theme: 'environment', kind: 'observation', metrics: [{ key: 'pm25' }] });
    const now = Date.now();
    for (let i = 0; i < grids.length; i += 1000) {
      await send(
        'PUT',
        `/api/feeds/${CAMERAS}/entities`,
        grids.slice(i, i + 1000).map((g, j) => ({
          id: `cam-${i + j}`,
          ts: new Date(now).toISOString(),
          location: [g.lon, g.lat],
          props: { name: `摄像头 ${i + j}`, kind: 'fixed', status: 'online' },
        })),
      );
    }
    for (let i = 0; i < READINGS; i += 1000) {
      await send(
        'POST',
        `/api/feeds/${AIR}/records`,
        Array.from({ length: Math.min(1000, READINGS - i) }, (_, j) => {
          const g = grids[(i + j) % grids.length];
          return {
            id: `r-${i + j}`,
            metric: 'pm25',
            value: 20 + ((i + j) % 60),
            ts: new Date(now - ((i + j) % 600) * 1000).toISOString(),
            location: [g.lon + (((i + j) % 7) - 3) * 1e-4, g.lat],
          };
        }),
      );
    }
    const counts = (
      await db.query<{ level: string; n: number }>(`SELECT level, count(*)::int AS n FROM area GROUP BY level ORDER BY min(id)`)
    ).rows;
    const entities = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM entity WHERE geom IS NOT NULL`)).rows[0].n;
    const readings = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observation WHERE geom IS NOT NULL`)).rows[0].n;
    console.log(
      `data: areas ${counts.map((c) => `${c.level} ${c.n}`).join(', ')}; located entities ${entities}; located readings ${readings}`,
    );

    // The heat layer's window as the API computes it for this minute.
    const bucket = () => Math.floor(Date.now() / (HEAT_BUCKET_SECONDS * 1000));
    const windowOf = (b: number) => {
      const to = new Date((b + 1) * HEAT_BUCKET_SECONDS * 1000);
      return { from: new Date(to.getTime() - HEAT_WINDOW_MINUTES * 60_000), to };
    };
    const layers: Layer[] = [
      { key: 'areas-district', minzoom: 0, sql: (t) => areaLevelTileQuery('district', t.z, t.x, t.y, null) },
      { key: 'areas-grid', minzoom: 12, sql: (t) => areaLevelTileQuery('grid', t.z, t.x, t.y, null) },
      { key: `entities-${CAMERAS}`, minzoom: 8, sql: (t) => entityTileQuery(CAMERAS, t.z, t.x, t.y, null) },
      {
        key: `heat-${AIR}~pm25`,
        minzoom: 8,
        sql: (t) => {
          const w = windowOf(bucket());
          return heatTileQuery(AIR, 'pm25', w.from, w.to, t.z, t.x, t.y, null);
        },
      },
    ];
    // Tiles around grids spread over the city: the first grids' tiles at each zoom, deduplicated.
    const stride = Math.max(1, Math.floor(grids.length / 400));
    const tilesAt = (z: number): Tile[] => {
      const seen = new Map<string, Tile>();
      for (let i = 0; i < grids.length && seen.size < TILES_PER_ZOOM; i += stride) {
        const t = tileOf(grids[i].lon, grids[i].lat, z);
        seen.set(`${t.x}/${t.y}`, t);
      }
      return [...seen.values()];
    };

    const pool = new Pool(api.url, { connections: CONCURRENCY, pipelining: 1 });
    const get = async (layer: string, t: Tile): Promise<{ status: number; cache: string; bytes: number; timing: Map<string, number> }> => {
      const res = await pool.request({ path: `/api/tiles/${encodeURIComponent(layer)}/${t.z}/${t.x}/${t.y}.mvt`, method: 'GET', headers });
      const body = Buffer.from(await res.body.arrayBuffer());
      return {
        status: res.statusCode,
        cache: String(res.headers['x-tile-cache'] ?? ''),
        bytes: body.length,
        timing: serverTiming(res.headers['server-timing']),
      };
    };

    console.log('\nuncached (each tile made once from PostGIS) vs the bare SQL of the same tile, then cached, per tile:');
    console.log(
      `  ${'layer'.padEnd(26)} ${'z'.padStart(2)} ${'tiles'.padStart(5)} ${'bytes p50'.padStart(9)}  ${'api p50'.padStart(9)} ${'api p95'.padStart(9)}  ${'sql p50'.padStart(9)} ${'sql p95'.padStart(9)}  ${'ratio'.padStart(5)}  ${'hit p50'.padStart(9)} ${'hit p95'.padStart(9)}`,
    );
    const cachedSet: { layer: string; tile: Tile }[] = [];
    const summary: { layer: string; api: number[]; sql: number[]; server: number[]; db: number[]; redis: number[] }[] = [];
    for (const layer of layers.filter((l) => ONLY_LAYERS.length === 0 || ONLY_LAYERS.some((only) => l.key.startsWith(only)))) {
      const all = {
        layer: layer.key,
        api: [] as number[],
        sql: [] as number[],
        server: [] as number[],
        db: [] as number[],
        redis: [] as number[],
      };
      for (const z of ZOOMS.filter((zoom) => zoom >= layer.minzoom)) {
        const api: number[] = [];
        const sql: number[] = [];
        const hits: number[] = [];
        const sizes: number[] = [];
        for (const t of tilesAt(z)) {
          const q = layer.sql(t);
          let t0 = performance.now();
          await db.query(q.text, q.values);
          sql.push(performance.now() - t0);
          t0 = performance.now();
          const made = await get(layer.key, t);
          api.push(performance.now() - t0);
          if (made.status !== 200 || made.cache !== 'miss')
            throw new Error(`${layer.key} ${z}/${t.x}/${t.y}: ${made.status} ${made.cache}`);
          sizes.push(made.bytes);
          all.server.push(made.timing.get('total') ?? NaN);
          all.db.push(made.timing.get('db') ?? NaN);
          all.redis.push(made.timing.get('redis') ?? NaN);
          // A heat tile is remade when its minute ends: one that rolled over in between is asked again.
          let hit = { cache: '', ms: 0 };
          for (let attempt = 0; attempt < 2 && hit.cache !== 'memory'; attempt++) {
            t0 = performance.now();
            hit = { cache: (await get(layer.key, t)).cache, ms: 0 };
            hit.ms = performance.now() - t0;
          }
          if (hit.cache !== 'memory') throw new Error(`${layer.key} ${z}/${t.x}/${t.y} was not cached: ${hit.cache}`);
          hits.push(hit.ms);
          cachedSet.push({ layer: layer.key, tile: t });
        }
        all.api.push(...api);
        all.sql.push(...sql);
        console.log(
          `  ${layer.key.padEnd(26)} ${String(z).padStart(2)} ${String(api.length).padStart(5)} ${String(quantile(sizes, 0.5)).padStart(9)}  ${ms(quantile(api, 0.5)).padStart(9)} ${ms(quantile(api, 0.95)).padStart(9)}  ${ms(quantile(sql, 0.5)).padStart(9)} ${ms(quantile(sql, 0.95)).padStart(9)}  ${(quantile(api, 0.95) / quantile(sql, 0.95)).toFixed(2).padStart(5)}  ${ms(quantile(hits, 0.5)).padStart(9)} ${ms(quantile(hits, 0.95)).padStart(9)}`,
        );
      }
      summary.push(all);
    }

    step(`cached throughput: ${CONCURRENCY} requests in flight for ${SECONDS} s over ${cachedSet.length} cached tiles`);
    const cpu0 = processCpuSeconds(child.pid);
    const ownCpu0 = process.cpuUsage();
    let served = 0;
    let failed = 0;
    let next = 0;
    const until = performance.now() + SECONDS * 1000;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < until) {
          const { layer, tile } = cachedSet[next++ % cachedSet.length];
          const res = await get(layer, tile);
          if (res.status === 200) served++;
          else failed++;
        }
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    const apiCpu = processCpuSeconds(child.pid) - cpu0;
    const ownCpu = process.cpuUsage(ownCpu0);
    const generatorCores = (ownCpu.user + ownCpu.system) / 1e6 / elapsed;
    await pool.close();
    const rate = served / elapsed;

    console.log(
      "\nwhere an uncached tile's time goes, p50 / p95 (the API's Server-Timing: its shared-cache lookup, the tile's query, its whole answer):",
    );
    for (const s of summary) {
      const pair = (xs: number[]) => `${ms(quantile(xs, 0.5))} / ${ms(quantile(xs, 0.95))}`;
      console.log(
        `  ${s.layer.padEnd(26)} redis ${pair(s.redis)}; query ${pair(s.db)}; API answer ${pair(s.server)}; ` +
          `as the client saw it ${pair(s.api)}; the bare SQL ${pair(s.sql)}`,
      );
    }

    console.log('\nresults (targets of issue 9):');
    for (const s of summary) {
      const p95 = quantile(s.api, 0.95);
      const ratio = p95 / quantile(s.sql, 0.95);
      console.log(
        `  ${s.layer.padEnd(26)} uncached p95 ${ms(p95)} (≤ ${TARGET_P95_MS} ms: ${verdict(p95 <= TARGET_P95_MS)}), ` +
          `${ratio.toFixed(2)}× the bare SQL's p95 ${ms(quantile(s.sql, 0.95))} (≤ ${TARGET_RATIO}×: ${verdict(ratio <= TARGET_RATIO)})`,
      );
    }
    console.log(
      `  cached: ${Math.round(rate).toLocaleString('en')} tiles/s from one API process (${failed} failed; API used ${(apiCpu / elapsed).toFixed(2)} cores) ` +
        `(≥ ${TARGET_TILES_PER_SECOND.toLocaleString('en')}: ${verdict(rate >= TARGET_TILES_PER_SECOND)})`,
    );
    const perTile = apiCpu / served;
    console.log(
      `  cached, the API's own cost: ${(perTile * 1e6).toFixed(0)} µs of CPU per tile, i.e. ${Math.round(1 / perTile).toLocaleString('en')} tiles/s per API core ` +
        `(the load generator used ${generatorCores.toFixed(2)} cores; load average ${load()} at the end)`,
    );
  } finally {
    child?.kill('SIGTERM');
    await db.end();
    await drop();
  }
  console.log(`bench:tiles took ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
