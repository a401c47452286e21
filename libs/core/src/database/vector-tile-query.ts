import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { unavailableService } from '../errors/service-unavailable';
import { rootLogger } from '../logging/logger';

/** A statement that answers one row with a `tile` column (an ST_AsMVT result). */
export interface VectorTileStatement {
  text: string;
  values: unknown[];
}

/** Tile statements running at once per process; more wait for a connection (as long as any query may). */
const TILE_POOL_SIZE = 4;

/**
 * Session settings of the tile connections (the benchmark's bare SQL runs with the same).
 * - `jit=off`: PostGIS declares ST_Transform and ST_SimplifyPreserveTopology with a very high cost,
 *   so a tile with a few thousand features passes `jit_above_cost` and PostgreSQL spends most of a
 *   second compiling a query that runs in milliseconds.
 * - `plan_cache_mode=force_custom_plan`: the statements are prepared (parsed once per connection),
 *   but planned for each tile's own zoom and box; a generic plan made for one zoom can be a bad
 *   one for another.
 * - `max_parallel_workers_per_gather=0`: a map asks for many tiles at once; parallel workers for
 *   one of them only take cores from the others (a city-wide heat tile took ten times as long
 *   with them on a busy machine).
 */
export const TILE_SESSION_SETTINGS: Readonly<Record<string, string>> = {
  jit: 'off',
  plan_cache_mode: 'force_custom_plan',
  max_parallel_workers_per_gather: '0',
};

const TILE_SESSION_OPTIONS = Object.entries(TILE_SESSION_SETTINGS)
  .map(([name, value]) => `-c ${name}=${value}`)
  .join(' ');

/**
 * Runs vector-tile statements on connections of their own, whose session settings (above) make
 * each tile one round trip: no transaction to scope a `SET LOCAL` to, and the statement parsed
 * once per connection (a named prepared statement per statement text). The pool connects as the
 * application's role, like the rest (DATABASE_URL), and only when the first tile is asked for.
 */
@Injectable()
export class VectorTileQueries implements OnApplicationShutdown {
  private readonly pool: Pool;
  private readonly names = new Map<string, string>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pool = new Pool({
      connectionString: config.databaseUrl,
      max: TILE_POOL_SIZE,
      options: TILE_SESSION_OPTIONS,
      application_name: 'cityops-tiles',
      connectionTimeoutMillis: config.databaseConnectTimeoutMs,
      keepAlive: true,
    });
    // An idle connection that breaks (PostgreSQL restarted) is dropped and replaced on demand.
    this.pool.on('error', (err) => {
      const unavailable = unavailableService(err);
      if (unavailable) rootLogger().warn({ reason: unavailable.reason }, 'tile connection lost: the pool reconnects on demand');
      else rootLogger().error({ err }, 'tile pool error');
    });
  }

  /** The tile the statement makes; an empty buffer when it holds no feature. */
  async tile(statement: VectorTileStatement): Promise<Buffer> {
    const { rows } = await this.pool.query<{ tile: Buffer | null }>({
      name: this.nameOf(statement.text),
      text: statement.text,
      values: statement.values,
    });
    return rows[0]?.tile ?? Buffer.alloc(0);
  }

  /** A prepared statement's name, one per text (a handful: layers × scoped or not). */
  private nameOf(text: string): string {
    let name = this.names.get(text);
    if (name === undefined) {
      name = `tile_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      this.names.set(text, name);
    }
    return name;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
