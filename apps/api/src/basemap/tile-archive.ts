import { open, type FileHandle } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { Compression, findTile, PMTiles, zxyToTileId, type Source } from 'pmtiles';

/** What a style and a TileJSON need to know of an archive. */
export interface ArchiveInfo {
  /** The tiles' format, also the extension of their URLs: `pbf` for vector tiles. */
  format: 'pbf' | 'png' | 'jpg' | 'webp';
  minzoom: number;
  maxzoom: number;
  bounds?: [number, number, number, number];
  center?: [number, number, number];
  name?: string;
  attribution?: string;
  /** The vector layers and their fields, as TileJSON has them. */
  vectorLayers: { id: string; fields?: Record<string, string> }[];
}

/** A tile as stored (vector tiles usually gzipped: `gzip` says so). */
export interface ArchiveTile {
  data: Buffer;
  gzip: boolean;
}

/** A read-only tile archive on local disk. */
export interface TileArchive {
  info(): Promise<ArchiveInfo>;
  /** The tile at web-mercator (XYZ) z/x/y, or null when the archive has none there. */
  tile(z: number, x: number, y: number): Promise<ArchiveTile | null>;
  close(): Promise<void>;
}

const isGzip = (data: Uint8Array) => data.length > 2 && data[0] === 0x1f && data[1] === 0x8b;

function formatOf(value: string | undefined): ArchiveInfo['format'] {
  switch ((value ?? 'pbf').toLowerCase()) {
    case 'png':
      return 'png';
    case 'jpg':
    case 'jpeg':
      return 'jpg';
    case 'webp':
      return 'webp';
    default:
      return 'pbf';
  }
}

function numbers(value: string | undefined, count: number): number[] | undefined {
  if (!value) return undefined;
  const parts = value.split(',').map((v) => Number(v.trim()));
  return parts.length === count && parts.every(Number.isFinite) ? parts : undefined;
}

function vectorLayersOf(json: unknown): ArchiveInfo['vectorLayers'] {
  const layers = (json as { vector_layers?: unknown } | null)?.vector_layers;
  if (!Array.isArray(layers)) return [];
  return layers
    .filter((l): l is { id: string; fields?: Record<string, string> } => typeof (l as { id?: unknown })?.id === 'string')
    .map((l) => ({ id: l.id, ...(l.fields && typeof l.fields === 'object' ? { fields: l.fields } : {}) }));
}

/**
 * MBTiles 1.3: SQLite with a `metadata` (name, value) table and `tiles` in TMS row order. Read
 * through better-sqlite3 opened read-only; its calls are synchronous but a tile is one indexed
 * row, far below a millisecond.
 */
export class MbtilesArchive implements TileArchive {
  private readonly db: Database.Database;
  private readonly tileQuery: Database.Statement<[number, number, number], { tile_data: Buffer }>;

  constructor(path: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    this.tileQuery = this.db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?');
  }

  info(): Promise<ArchiveInfo> {
    const rows = this.db.prepare('SELECT name, value FROM metadata').all() as { name: string; value: string }[];
    const meta = new Map(rows.map((r) => [r.name, r.value]));
    let json: unknown;
    try {
      json = JSON.parse(meta.get('json') ?? 'null');
    } catch {
      json = null;
    }
    const zooms = this.db.prepare('SELECT MIN(zoom_level) AS min, MAX(zoom_level) AS max FROM tiles').get() as {
      min: number | null;
      max: number | null;
    };
    const bounds = numbers(meta.get('bounds'), 4) as ArchiveInfo['bounds'];
    const center = numbers(meta.get('center'), 3) as ArchiveInfo['center'];
    return Promise.resolve({
      format: formatOf(meta.get('format')),
      minzoom: Number(meta.get('minzoom') ?? zooms.min ?? 0),
      maxzoom: Number(meta.get('maxzoom') ?? zooms.max ?? 14),
      ...(bounds ? { bounds } : {}),
      ...(center ? { center } : {}),
      ...(meta.get('name') ? { name: meta.get('name') } : {}),
      ...(meta.get('attribution') ? { attribution: meta.get('attribution') } : {}),
      vectorLayers: vectorLayersOf(json),
    });
  }

  tile(z: number, x: number, y: number): Promise<ArchiveTile | null> {
    const row = this.tileQuery.get(z, x, 2 ** z - 1 - y);
    if (!row) return Promise.resolve(null);
    return Promise.resolve({ data: row.tile_data, gzip: isGzip(row.tile_data) });
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}

/** The pmtiles reader's byte source over a local file (it reads the header, directories and tiles by range). */
class FileRangeSource implements Source {
  private handle: Promise<FileHandle> | null = null;

  constructor(private readonly path: string) {}

  getKey(): string {
    return this.path;
  }

  async getBytes(offset: number, length: number): Promise<{ data: ArrayBuffer }> {
    this.handle ??= open(this.path, 'r');
    const handle = await this.handle;
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    const data = new ArrayBuffer(bytesRead);
    new Uint8Array(data).set(buffer.subarray(0, bytesRead));
    return { data };
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (handle) await (await handle).close();
  }
}

const PMTILES_FORMATS: Record<number, ArchiveInfo['format']> = { 1: 'pbf', 2: 'png', 3: 'jpg', 4: 'webp' };

/** PMTiles v3, read with the `pmtiles` package over the local file. */
export class PmtilesArchive implements TileArchive {
  private readonly source: FileRangeSource;
  private readonly archive: PMTiles;

  constructor(path: string) {
    this.source = new FileRangeSource(path);
    this.archive = new PMTiles(this.source);
  }

  async info(): Promise<ArchiveInfo> {
    const [header, metadata] = await Promise.all([this.archive.getHeader(), this.archive.getMetadata()]);
    const meta = (metadata ?? {}) as { name?: unknown; attribution?: unknown };
    return {
      format: PMTILES_FORMATS[header.tileType] ?? 'pbf',
      minzoom: header.minZoom,
      maxzoom: header.maxZoom,
      bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
      center: [header.centerLon, header.centerLat, header.centerZoom],
      ...(typeof meta.name === 'string' ? { name: meta.name } : {}),
      ...(typeof meta.attribution === 'string' ? { attribution: meta.attribution } : {}),
      vectorLayers: vectorLayersOf(metadata),
    };
  }

  /**
   * A gzipped tile is served as stored, gzip passed through to the client: the package's getZxy
   * would unzip every tile. So the directories are walked here, with the package's own lookup
   * (findTile) and directory cache; other tile compressions go through getZxy.
   */
  async tile(z: number, x: number, y: number): Promise<ArchiveTile | null> {
    const header = await this.archive.getHeader();
    if (header.tileCompression !== Compression.Gzip) {
      const found = await this.archive.getZxy(z, x, y);
      return found ? { data: Buffer.from(found.data), gzip: false } : null;
    }
    if (z < header.minZoom || z > header.maxZoom) return null;
    const id = zxyToTileId(z, x, y);
    let offset = header.rootDirectoryOffset;
    let length = header.rootDirectoryLength;
    // The spec nests leaf directories at most three deep below the root.
    for (let depth = 0; depth <= 3; depth++) {
      const entry = findTile(await this.archive.cache.getDirectory(this.source, offset, length, header), id);
      if (!entry) return null;
      if (entry.runLength > 0) {
        const { data } = await this.source.getBytes(header.tileDataOffset + entry.offset, entry.length);
        const bytes = Buffer.from(data);
        return { data: bytes, gzip: isGzip(bytes) };
      }
      offset = header.leafDirectoryOffset + entry.offset;
      length = entry.length;
    }
    throw new Error(`PMTiles archive nests its directories deeper than the spec allows (tile ${z}/${x}/${y})`);
  }

  close(): Promise<void> {
    return this.source.close();
  }
}

export function openTileArchive(archive: { path: string; kind: 'mbtiles' | 'pmtiles' }): TileArchive {
  return archive.kind === 'pmtiles' ? new PmtilesArchive(archive.path) : new MbtilesArchive(archive.path);
}
