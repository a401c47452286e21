import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Client } from 'pg';

const run = promisify(execFile);

/**
 * A small base-map archive in the OpenMapTiles layer names, made the way an operator would make
 * one (GDAL's MBTiles driver) from the suite's own areas: the first district by code as `water`,
 * every district's outline as a `transportation` line (class primary) and the streets' outlines as
 * `transportation_name` lines carrying the street's name, and a `place` point (ST_PointOnSurface)
 * per district with its Chinese and English names. Zooms 8–12 keep it to a few hundred tiles.
 */
export async function buildTestArchive(db: Client, dir: string): Promise<string> {
  const collection = async (sql: string) => {
    const { rows } = await db.query<{ fc: unknown }>(
      `SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(f), '[]'::json)) AS fc FROM (${sql}) f`,
    );
    return JSON.stringify(rows[0].fc);
  };
  const layers: Record<string, string> = {
    water: `SELECT 'Feature' AS type, ST_AsGeoJSON(geom)::json AS geometry, json_build_object('class', 'lake') AS properties
            FROM (SELECT geom FROM area WHERE level = 'district' ORDER BY code LIMIT 1) d`,
    transportation: `SELECT 'Feature' AS type, ST_AsGeoJSON(ST_Boundary(geom))::json AS geometry,
                            json_build_object('class', 'primary') AS properties
                     FROM area WHERE level = 'district'`,
    transportation_name: `SELECT 'Feature' AS type, ST_AsGeoJSON(ST_Boundary(geom))::json AS geometry,
                                 json_build_object('class', 'primary', 'name', name, 'name:en', name_en) AS properties
                          FROM area WHERE level = 'street'`,
    place: `SELECT 'Feature' AS type, ST_AsGeoJSON(ST_PointOnSurface(geom))::json AS geometry,
                   json_build_object('class', 'suburb', 'name', name, 'name:zh', name, 'name:en', name_en) AS properties
            FROM area WHERE level = 'district'`,
  };
  const vrtLayers: string[] = [];
  for (const [name, sql] of Object.entries(layers)) {
    const file = join(dir, `${name}.geojson`);
    writeFileSync(file, await collection(sql));
    vrtLayers.push(`<OGRVRTLayer name="${name}"><SrcDataSource>${file}</SrcDataSource><LayerSRS>EPSG:4326</LayerSRS></OGRVRTLayer>`);
  }
  const vrt = join(dir, 'layers.vrt');
  writeFileSync(vrt, `<OGRVRTDataSource>${vrtLayers.join('')}</OGRVRTDataSource>`);
  const archive = join(dir, 'city.mbtiles');
  await run('ogr2ogr', ['-f', 'MBTILES', archive, vrt, '-dsco', 'MINZOOM=8', '-dsco', 'MAXZOOM=12', '-dsco', 'NAME=cityops test archive'], {
    timeout: 120_000,
  });
  return archive;
}
