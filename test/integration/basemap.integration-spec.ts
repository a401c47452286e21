import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PbfReader } from 'pbf';
import { BASEMAP_ARCHIVE_STYLE_PATH, GLYPHS_PATH, type AppConfigView, type AreaLabelCollection, type TileJson } from '@cityops/contracts';
import { tileOf } from '../support/authorization';
import { buildTestArchive } from '../support/basemap-archive';
import { decodeTile } from '../support/mvt';
import { mbtilesToPmtiles } from '../support/pmtiles-archive';
import { login, startStack, suiteConfig, type TestStack } from '../support/stack';

interface Problem {
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

/** The code points of a glyphs PBF (stacks → glyphs → id). */
function glyphIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  new PbfReader(bytes).readFields((tag, _, stack) => {
    if (tag !== 1) return;
    stack.readMessage((t, __, glyphs) => {
      if (t !== 3) return;
      glyphs.readMessage((f, ___, glyph) => {
        if (f === 1) ids.push(glyph.readVarint());
      }, null);
    }, null);
  }, null);
  return ids;
}

const get = (stack: TestStack, path: string, token?: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.url}${path}`, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });

describe('base map served by the API (glyphs, local archive)', () => {
  describe('without an archive', () => {
    let stack: TestStack;
    let admin: string;

    beforeAll(async () => {
      stack = await startStack({ workers: 0 });
      admin = await login(stack.url);
    });
    afterAll(() => stack.stop());

    it('tells the web app to draw its own layers only', async () => {
      const config = (await (await get(stack, '/api/app-config', admin)).json()) as AppConfigView;
      expect(config.basemapStyleUrl).toBeNull();
    });

    it('serves Latin and Chinese glyphs to anyone, made from the local font', async () => {
      const latin = await get(stack, '/api/basemap/glyphs/Noto%20Sans%20Regular/0-255.pbf');
      expect(latin.status).toBe(200);
      expect(latin.headers.get('content-type')).toContain('application/x-protobuf');
      const latinIds = glyphIds(new Uint8Array(await latin.arrayBuffer()));
      expect(latinIds).toEqual(expect.arrayContaining([32, 48, 65, 97]));

      // 天 is U+5929 = 23081, in the block 22784-23039.
      const cjk = await get(stack, '/api/basemap/glyphs/Noto%20Sans%20Regular/22784-23039.pbf');
      expect(cjk.status).toBe(200);
      expect(glyphIds(new Uint8Array(await cjk.arrayBuffer()))).toContain(0x5929);
    });

    it.each([
      ['a range that is not a block of 256', '0-100'],
      ['a block that does not start at a multiple of 256', '1-256'],
      ['a block past U+FFFF', '65536-65791'],
      ['something that is not a range', 'abc'],
    ])('refuses %s with 400 naming the range', async (_case, range) => {
      const res = await get(stack, `/api/basemap/glyphs/Noto%20Sans%20Regular/${range}.pbf`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await res.json()) as Problem;
      expect(problem.errors?.map((e) => e.path)).toContain('range');
    });

    it('refuses a font stack with characters a font name does not have', async () => {
      const res = await get(stack, `/api/basemap/glyphs/${encodeURIComponent('<script>')}/0-255.pbf`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as Problem).errors?.map((e) => e.path)).toContain('fontstack');
    });

    it('gives each district’s label point inside the district, and a zone set’s in course order with their numbers', async () => {
      const res = await get(stack, '/api/areas/labels?level=district', admin);
      expect(res.status).toBe(200);
      const labels = (await res.json()) as AreaLabelCollection;
      const { rows } = await stack.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM area WHERE level = 'district'`);
      expect(labels.features).toHaveLength(rows[0].n);
      for (const f of labels.features) {
        const [lon, lat] = f.geometry.coordinates;
        const inside = await stack.db.query<{ inside: boolean }>(
          `SELECT ST_Intersects(geom, ST_Buffer(ST_SetSRID(ST_MakePoint($2, $3), 4326), 1e-6)) AS inside FROM area WHERE id = $1`,
          [f.properties.id, lon, lat],
        );
        expect({ code: f.properties.code, inside: inside.rows[0].inside }).toEqual({ code: f.properties.code, inside: true });
        expect(f.properties.level).toBe('district');
      }
      const { rows: sets } = await stack.db.query<{ zone_set: string }>(`SELECT zone_set FROM area WHERE zone_set IS NOT NULL LIMIT 1`);
      const zones = (await (await get(stack, `/api/areas/labels?zoneSet=${sets[0].zone_set}`, admin)).json()) as AreaLabelCollection;
      const seqs = zones.features.map((f) => f.properties.seq ?? -1);
      expect(seqs.length).toBeGreaterThan(1);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect((await get(stack, '/api/areas/labels?level=district')).status).toBe(401);
      expect((await get(stack, '/api/areas/labels?level=planet', admin)).status).toBe(400);
    });

    it('answers 404 for the archive’s style, TileJSON and tiles, saying none is configured', async () => {
      for (const path of [BASEMAP_ARCHIVE_STYLE_PATH, '/api/basemap/tiles.json', '/api/basemap/tiles/10/834/445.pbf']) {
        const res = await get(stack, path, admin);
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
        expect(((await res.json()) as Problem).detail).toContain('BASEMAP_ARCHIVE');
      }
    });
  });

  // PMTiles as an operator makes it from the same archive (`pmtiles convert`; here test/support's writer).
  describe.each([
    ['MBTiles', 'mbtiles'],
    ['PMTiles', 'pmtiles'],
  ] as const)('with a local %s archive (BASEMAP_ARCHIVE)', (_format, kind) => {
    let stack: TestStack;
    let admin: string;
    let dir: string;
    /** A district's label point, and the tile over it at zoom 10. */
    let district: { name: string; nameEn: string; lon: number; lat: number };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cityops-basemap-'));
      const base = await suiteConfig();
      const archive = await startStack({ config: base, api: false, workers: 0 }).then(async (s) => {
        try {
          const { rows } = await s.db.query<{ name: string; name_en: string; lon: number; lat: number }>(
            `SELECT name, name_en, ST_X(p) AS lon, ST_Y(p) AS lat
             FROM (SELECT name, name_en, ST_PointOnSurface(geom) AS p FROM area WHERE level = 'district' ORDER BY code DESC LIMIT 1) d`,
          );
          district = { name: rows[0].name, nameEn: rows[0].name_en, lon: rows[0].lon, lat: rows[0].lat };
          const mbtiles = await buildTestArchive(s.db, dir);
          if (kind === 'mbtiles') return mbtiles;
          const pmtiles = join(dir, 'city.pmtiles');
          mbtilesToPmtiles(mbtiles, pmtiles);
          return pmtiles;
        } finally {
          await s.stop();
        }
      });
      stack = await startStack({
        workers: 0,
        config: { ...base, basemap: { ...base.basemap, archive: { path: archive, kind } } },
      });
      admin = await login(stack.url);
    }, 180_000);
    afterAll(async () => {
      await stack?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('tells the web app to use the archive’s style on this origin', async () => {
      const config = (await (await get(stack, '/api/app-config', admin)).json()) as AppConfigView;
      expect(config.basemapStyleUrl).toBe(BASEMAP_ARCHIVE_STYLE_PATH);
    });

    it('describes the archive as TileJSON with absolute tile URLs on the origin asked', async () => {
      const res = await get(stack, '/api/basemap/tiles.json', admin);
      expect(res.status).toBe(200);
      const tileJson = (await res.json()) as TileJson;
      expect(tileJson).toMatchObject({
        tilejson: '3.0.0',
        tiles: [`${stack.url}/api/basemap/tiles/{z}/{x}/{y}.pbf`],
        minzoom: 8,
        maxzoom: 12,
      });
      expect(tileJson.vector_layers?.map((l) => l.id).sort()).toEqual(['place', 'transportation', 'transportation_name', 'water']);
    });

    it('serves a style drawing the archive with the local glyphs, labels in the language asked', async () => {
      const zh = (await (await get(stack, BASEMAP_ARCHIVE_STYLE_PATH, admin)).json()) as {
        glyphs: string;
        sources: Record<string, { url: string }>;
        layers: { id: string; 'source-layer'?: string; layout?: { 'text-field'?: unknown } }[];
      };
      expect(zh.glyphs).toBe(`${stack.url}${GLYPHS_PATH}`);
      expect(zh.sources.basemap.url).toBe(`${stack.url}/api/basemap/tiles.json`);
      expect(zh.layers.map((l) => l['source-layer']).filter(Boolean)).toEqual(
        expect.arrayContaining(['water', 'transportation', 'transportation_name', 'place']),
      );
      // A layer of the schema the archive lacks (waterway) is left out: MapLibre would report it.
      expect(zh.layers.map((l) => l['source-layer'])).not.toContain('waterway');
      const place = (style: typeof zh) => JSON.stringify(style.layers.find((l) => l.id === 'basemap-place')?.layout?.['text-field']);
      expect(place(zh)).toContain('name:zh');
      const en = (await (await get(stack, `${BASEMAP_ARCHIVE_STYLE_PATH}?lang=en`, admin)).json()) as typeof zh;
      expect(place(en)).toContain('name:en');
      expect((await get(stack, `${BASEMAP_ARCHIVE_STYLE_PATH}?lang=fr`, admin)).status).toBe(400);
    });

    it('serves the archive’s tiles to signed-in callers, gzipped as stored, decodable with the district’s names', async () => {
      const t = tileOf(district.lon, district.lat, 10);
      const path = `/api/basemap/tiles/${t.z}/${t.x}/${t.y}.pbf`;
      expect((await get(stack, path)).status).toBe(401);

      // undici's fetch would unzip silently: ask without gzip to see the server unzip, and with it to see the stored bytes.
      const plain = await get(stack, path, admin, { 'accept-encoding': 'identity' });
      expect(plain.status).toBe(200);
      expect(plain.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
      expect(plain.headers.get('content-encoding')).toBeNull();
      const layers = decodeTile(new Uint8Array(await plain.arrayBuffer()), t);
      const places = layers.place.map((f) => f.properties);
      expect(places).toContainEqual(expect.objectContaining({ name: district.name, 'name:en': district.nameEn }));
      expect(layers.transportation.length).toBeGreaterThan(0);

      const zipped = await get(stack, path, admin, { 'accept-encoding': 'gzip' });
      expect(zipped.headers.get('content-encoding')).toBe('gzip');
      expect(zipped.status).toBe(200);
      // The same tile with .mvt.
      expect((await get(stack, `/api/basemap/tiles/${t.z}/${t.x}/${t.y}.mvt`, admin)).status).toBe(200);
    });

    it('answers 204 with no body where the archive has no tile (outside the city, or past its zooms)', async () => {
      for (const path of ['/api/basemap/tiles/10/0/0.pbf', '/api/basemap/tiles/3/1/1.pbf']) {
        const res = await get(stack, path, admin);
        expect({ path, status: res.status, body: await res.text() }).toEqual({ path, status: 204, body: '' });
      }
    });

    it.each([
      ['x past the zoom’s width', '/api/basemap/tiles/3/8/1.pbf', 'z/x/y'],
      ['a coordinate that is not a whole number', '/api/basemap/tiles/10/abc/1.pbf', 'x'],
      ['a negative coordinate', '/api/basemap/tiles/10/-1/1.pbf', 'x'],
      ['an unknown extension', '/api/basemap/tiles/10/1/1.gif', 'ext'],
    ])('refuses %s with 400', async (_case, path, field) => {
      const res = await get(stack, path, admin);
      expect(res.status).toBe(400);
      expect(((await res.json()) as Problem).errors?.map((e) => e.path)).toContain(field);
    });

    it('answers 404 for a format the archive does not hold', async () => {
      const res = await get(stack, '/api/basemap/tiles/10/1/1.png', admin);
      expect(res.status).toBe(404);
    });
  });
});
