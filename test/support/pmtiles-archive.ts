import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { zxyToTileId } from 'pmtiles';

/** The PMTiles v3 header's fixed size; the root directory must end within the first 16 KiB. */
const HEADER_BYTES = 127;
const ROOT_LIMIT = 16_384;
const GZIP = 2;
const NO_COMPRESSION = 1;
const MVT = 1;

function varints(values: number[]): Buffer {
  const bytes: number[] = [];
  for (let v of values) {
    // Tile ids pass 2^32 at high zooms: shift by division, not by bit operators.
    while (v >= 0x80) {
      bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
  }
  return Buffer.from(bytes);
}

/**
 * Rewrites an MBTiles archive as PMTiles v3, the spec's layout by hand (the `pmtiles` package
 * only reads): header, one gzipped root directory, gzipped JSON metadata, then the tiles as
 * stored, clustered in tile-id order. What `pmtiles convert` makes of a small archive; a test
 * archive of a few hundred tiles needs no leaf directories.
 */
export function mbtilesToPmtiles(mbtiles: string, out: string): void {
  const db = new Database(mbtiles, { readonly: true });
  try {
    const meta = new Map(
      db
        .prepare<[], { name: string; value: string }>('SELECT name, value FROM metadata')
        .all()
        .map((r) => [r.name, r.value]),
    );
    const rows = db
      .prepare<[], { z: number; x: number; row: number; data: Buffer }>(
        'SELECT zoom_level AS z, tile_column AS x, tile_row AS row, tile_data AS data FROM tiles',
      )
      .all()
      .map((t) => ({ id: zxyToTileId(t.z, t.x, 2 ** t.z - 1 - t.row), data: t.data }))
      .sort((a, b) => a.id - b.id);
    if (rows.length === 0) throw new Error(`${mbtiles} holds no tiles`);

    let offset = 0;
    const lengths = rows.map((r) => r.data.length);
    const ids: number[] = [];
    rows.forEach((r, i) => ids.push(i === 0 ? r.id : r.id - rows[i - 1].id));
    // Offsets: 0 means "right after the previous tile", which every tile here is (except the first, written as offset + 1).
    const offsets = rows.map((r, i) => {
      const at = offset;
      offset += r.data.length;
      return i === 0 ? at + 1 : 0;
    });
    const root = gzipSync(
      Buffer.concat([varints([rows.length]), varints(ids), varints(rows.map(() => 1)), varints(lengths), varints(offsets)]),
    );
    if (HEADER_BYTES + root.length > ROOT_LIMIT)
      throw new Error('too many tiles for a root directory alone: this writer makes no leaf directories');

    const { json, ...rest } = Object.fromEntries(meta);
    const metadata = gzipSync(Buffer.from(JSON.stringify({ ...rest, ...(json ? (JSON.parse(json) as object) : {}) })));
    const tiles = Buffer.concat(rows.map((r) => r.data));
    const [minLon, minLat, maxLon, maxLat] = (meta.get('bounds') ?? '-180,-85,180,85').split(',').map(Number);
    const [centerLon, centerLat, centerZoom] = (meta.get('center') ?? `${(minLon + maxLon) / 2},${(minLat + maxLat) / 2},0`)
      .split(',')
      .map(Number);
    const gzipped = rows[0].data[0] === 0x1f && rows[0].data[1] === 0x8b;

    const header = Buffer.alloc(HEADER_BYTES);
    header.write('PMTiles', 0, 'ascii');
    header.writeUInt8(3, 7);
    const u64 = (at: number, v: number) => header.writeBigUInt64LE(BigInt(v), at);
    const rootAt = HEADER_BYTES;
    const metaAt = rootAt + root.length;
    const tilesAt = metaAt + metadata.length;
    u64(8, rootAt);
    u64(16, root.length);
    u64(24, metaAt);
    u64(32, metadata.length);
    u64(40, tilesAt); // no leaf directories: an empty section where they would be
    u64(48, 0);
    u64(56, tilesAt);
    u64(64, tiles.length);
    u64(72, rows.length);
    u64(80, rows.length);
    u64(88, rows.length);
    header.writeUInt8(1, 96); // clustered
    header.writeUInt8(GZIP, 97);
    header.writeUInt8(gzipped ? GZIP : NO_COMPRESSION, 98);
    header.writeUInt8(MVT, 99);
    header.writeUInt8(Number(meta.get('minzoom') ?? 0), 100);
    header.writeUInt8(Number(meta.get('maxzoom') ?? 14), 101);
    const e7 = (at: number, v: number) => header.writeInt32LE(Math.round(v * 1e7), at);
    e7(102, minLon);
    e7(106, minLat);
    e7(110, maxLon);
    e7(114, maxLat);
    header.writeUInt8(centerZoom, 118);
    e7(119, centerLon);
    e7(123, centerLat);
    writeFileSync(out, Buffer.concat([header, root, metadata, tiles]));
  } finally {
    db.close();
  }
}
