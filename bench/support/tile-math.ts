/** A tile of the web-Mercator pyramid. */
export interface Tile {
  z: number;
  x: number;
  y: number;
}

/** The tile at a zoom that holds a point. */
export function tileOf(lon: number, lat: number, z: number): Tile {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return {
    z,
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n),
  };
}

/** Web-Mercator y of a latitude, 0 (north) … 1 (south). */
const mercatorY = (lat: number) => {
  const rad = (lat * Math.PI) / 180;
  return (1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2;
};

/** The zoom at which a map of `width`×`height` CSS pixels shows the box whole (512-pixel tiles, as MapLibre draws vector tiles). */
export function fitZoom([west, south, east, north]: readonly number[], width: number, height: number): number {
  const dx = (east - west) / 360;
  const dy = mercatorY(south) - mercatorY(north);
  return Math.min(Math.log2(width / (dx * 512)), Math.log2(height / (dy * 512)));
}

/** The tiles at zoom `z` a map showing the box asks for (MapLibre asks for the floor of its zoom with 512-pixel tiles). */
export function tilesCovering([west, south, east, north]: readonly number[], z: number): Tile[] {
  const from = tileOf(west, north, z);
  const to = tileOf(east, south, z);
  const tiles: Tile[] = [];
  for (let x = from.x; x <= to.x; x++) for (let y = from.y; y <= to.y; y++) tiles.push({ z, x, y });
  return tiles;
}
