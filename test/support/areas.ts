import type { Client } from 'pg';

/**
 * The code of the grid PostGIS finds under a point: the independent answer that the API's own
 * locator (an in-memory index) must agree with. Asking, rather than naming a code, keeps a test
 * right when the demo city's grids change.
 */
export async function gridCodeAt(db: Pick<Client, 'query'>, lon: number, lat: number): Promise<string> {
  const rows = await db.query<{ code: string }>(
    `SELECT code FROM area WHERE level = 'grid' AND ST_Covers(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))`,
    [lon, lat],
  );
  if (rows.rows.length !== 1) throw new Error(`expected one grid under ${lon},${lat}, found ${rows.rows.length}`);
  return rows.rows[0].code;
}
