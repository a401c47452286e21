/**
 * Tiles held in this process, least recently used dropped first, bounded by their total size.
 * A Map keeps insertion order, so re-inserting on a hit makes the first key the least recent.
 */
export class TileLru {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): Buffer | undefined {
    const tile = this.entries.get(key);
    if (tile === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, tile);
    return tile;
  }

  set(key: string, tile: Buffer): void {
    // An empty tile still takes a slot: count it as a small one so millions of them cannot pile up.
    const size = Math.max(tile.length, 64);
    if (size > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.entries.delete(key);
      this.bytes -= Math.max(old.length, 64);
    }
    this.entries.set(key, tile);
    this.bytes += size;
    for (const [oldest, held] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= Math.max(held.length, 64);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }
}
