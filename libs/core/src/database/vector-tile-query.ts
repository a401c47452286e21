import type { DataSource } from 'typeorm';

/** A statement that answers one row with a `tile` column (an ST_AsMVT result). */
export interface VectorTileStatement {
  text: string;
  values: unknown[];
}

/**
 * Runs a vector-tile statement with JIT compilation off. PostGIS declares ST_Transform and
 * ST_SimplifyPreserveTopology with a very high cost, so a tile with a few thousand features passes
 * `jit_above_cost` and PostgreSQL spends most of a second compiling a query that runs in
 * milliseconds. `SET LOCAL` keeps the setting to this one transaction.
 */
export async function queryVectorTile(db: DataSource, statement: VectorTileStatement): Promise<Buffer> {
  return db.transaction(async (m) => {
    await m.query('SET LOCAL jit = off');
    const rows: { tile: Buffer | null }[] = await m.query(statement.text, statement.values);
    return rows[0]?.tile ?? Buffer.alloc(0);
  });
}
