import { PbfWriter } from 'pbf';

/**
 * Signed-distance-field glyphs in the PBF format MapLibre reads from a style's `glyphs` URL
 * (the `glyphs.proto` of mapbox/node-fontnik: stacks → glyphs with id, bitmap, width, height,
 * left, top, advance). The conventions are fontnik's, which MapLibre's shaping expects: glyphs
 * drawn at 24 px, a 3 px buffer round the bitmap, distances scaled by 256/8 (8 px radius) and
 * shifted by a 0.25 cutoff, so the outline sits at 192 and the inside is brighter.
 */
export const GLYPH_SIZE = 24;
export const GLYPH_BUFFER = 3;
const RADIUS = 8;
const CUTOFF = 0.25;
/** Bézier curves are flattened into straight pieces about this long (px), at most MAX_CURVE_STEPS of them. */
const CURVE_PIECE_PX = 1.5;
const MAX_CURVE_STEPS = 8;

/** Pieces for a curve whose control polygon is `length` px long (an upper bound of the curve's length). */
const stepsFor = (length: number) => Math.min(MAX_CURVE_STEPS, Math.max(1, Math.ceil(length / CURVE_PIECE_PX)));

/** The part of a font (fontkit's) this needs: a glyph's outline and advance, in font units. */
export interface OutlineFont {
  unitsPerEm: number;
  hasGlyphForCodePoint(codePoint: number): boolean;
  glyphForCodePoint(codePoint: number): {
    advanceWidth: number;
    path: { commands: readonly { command: string; args: readonly number[] }[] };
  };
}

export interface SdfGlyph {
  id: number;
  /** (width + 2·buffer) × (height + 2·buffer) bytes, rows top to bottom; empty for blank glyphs. */
  bitmap: Uint8Array;
  width: number;
  height: number;
  left: number;
  top: number;
  advance: number;
}

type Ring = number[]; // x0, y0, x1, y1, … in pixels, y up

/** The glyph's outline as closed rings of straight segments, in pixels at GLYPH_SIZE. */
function outlineRings(commands: readonly { command: string; args: readonly number[] }[], scale: number): Ring[] {
  const rings: Ring[] = [];
  let ring: Ring = [];
  let x = 0;
  let y = 0;
  const close = () => {
    if (ring.length >= 6) {
      if (ring[0] !== ring[ring.length - 2] || ring[1] !== ring[ring.length - 1]) ring.push(ring[0], ring[1]);
      rings.push(ring);
    }
    ring = [];
  };
  const lineTo = (nx: number, ny: number) => {
    ring.push(nx, ny);
    x = nx;
    y = ny;
  };
  for (const { command, args } of commands) {
    const a = args.map((v) => v * scale);
    switch (command) {
      case 'moveTo':
        close();
        lineTo(a[0], a[1]);
        break;
      case 'lineTo':
        lineTo(a[0], a[1]);
        break;
      case 'quadraticCurveTo': {
        const [x0, y0] = [x, y];
        const steps = stepsFor(Math.hypot(a[0] - x0, a[1] - y0) + Math.hypot(a[2] - a[0], a[3] - a[1]));
        for (let i = 1; i <= steps; i++) {
          const t = i / steps;
          const u = 1 - t;
          lineTo(u * u * x0 + 2 * u * t * a[0] + t * t * a[2], u * u * y0 + 2 * u * t * a[1] + t * t * a[3]);
        }
        break;
      }
      case 'bezierCurveTo': {
        const [x0, y0] = [x, y];
        const steps = stepsFor(
          Math.hypot(a[0] - x0, a[1] - y0) + Math.hypot(a[2] - a[0], a[3] - a[1]) + Math.hypot(a[4] - a[2], a[5] - a[3]),
        );
        for (let i = 1; i <= steps; i++) {
          const t = i / steps;
          const u = 1 - t;
          const [b0, b1, b2, b3] = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
          lineTo(b0 * x0 + b1 * a[0] + b2 * a[2] + b3 * a[4], b0 * y0 + b1 * a[1] + b2 * a[3] + b3 * a[5]);
        }
        break;
      }
      case 'closePath':
        close();
        break;
      default:
        break;
    }
  }
  close();
  return rings;
}

/**
 * The SDF of closed rings given in bitmap coordinates (x right, y down, pixel centres at +0.5).
 * Distances: each segment updates only the pixels within RADIUS of it. Inside: per row, the
 * crossings of the row's centre line with the rings, counted with their direction (non-zero
 * winding, as fonts fill overlapping contours).
 */
function signedDistanceField(rings: readonly Ring[], w: number, h: number): Uint8Array {
  const d2 = new Float32Array(w * h).fill(RADIUS * RADIUS);
  for (const r of rings) {
    for (let i = 0; i + 3 < r.length; i += 2) {
      const ax = r[i];
      const ay = r[i + 1];
      const bx = r[i + 2];
      const by = r[i + 3];
      const dx = bx - ax;
      const dy = by - ay;
      const l2 = dx * dx + dy * dy;
      const c0 = Math.max(0, Math.floor(Math.min(ax, bx) - RADIUS));
      const c1 = Math.min(w - 1, Math.ceil(Math.max(ax, bx) + RADIUS));
      const r0 = Math.max(0, Math.floor(Math.min(ay, by) - RADIUS));
      const r1 = Math.min(h - 1, Math.ceil(Math.max(ay, by) + RADIUS));
      for (let row = r0; row <= r1; row++) {
        const py = row + 0.5;
        for (let col = c0; col <= c1; col++) {
          const px = col + 0.5;
          let t = l2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / l2;
          t = t < 0 ? 0 : t > 1 ? 1 : t;
          const ex = ax + t * dx - px;
          const ey = ay + t * dy - py;
          const e2 = ex * ex + ey * ey;
          const k = row * w + col;
          if (e2 < d2[k]) d2[k] = e2;
        }
      }
    }
  }

  const bitmap = new Uint8Array(w * h);
  const crossings: { x: number; dir: number }[] = [];
  for (let row = 0; row < h; row++) {
    const py = row + 0.5;
    crossings.length = 0;
    for (const r of rings) {
      for (let i = 0; i + 3 < r.length; i += 2) {
        const ay = r[i + 1];
        const by = r[i + 3];
        if (ay > py === by > py) continue;
        const ax = r[i];
        crossings.push({ x: ax + ((py - ay) * (r[i + 2] - ax)) / (by - ay), dir: by > ay ? 1 : -1 });
      }
    }
    crossings.sort((a, b) => a.x - b.x);
    let next = 0;
    let winding = 0;
    for (let col = 0; col < w; col++) {
      const px = col + 0.5;
      while (next < crossings.length && crossings[next].x < px) winding += crossings[next++].dir;
      const k = row * w + col;
      const distance = Math.sqrt(d2[k]) * (winding !== 0 ? -1 : 1);
      const value = 255 - (distance * (256 / RADIUS) + CUTOFF * 256);
      bitmap[k] = value < 0 ? 0 : value > 255 ? 255 : Math.floor(value);
    }
  }
  return bitmap;
}

/** One glyph as an SDF, or null when the font has no glyph for the code point. */
export function renderSdfGlyph(font: OutlineFont, codePoint: number): SdfGlyph | null {
  if (!font.hasGlyphForCodePoint(codePoint)) return null;
  const glyph = font.glyphForCodePoint(codePoint);
  const scale = GLYPH_SIZE / font.unitsPerEm;
  const advance = Math.round(glyph.advanceWidth * scale);
  const rings = outlineRings(glyph.path.commands, scale);
  const blank: SdfGlyph = { id: codePoint, bitmap: new Uint8Array(0), width: 0, height: 0, left: 0, top: 0, advance };
  if (rings.length === 0) return blank;

  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const r of rings) {
    for (let i = 0; i < r.length; i += 2) {
      minX = Math.min(minX, r[i]);
      maxX = Math.max(maxX, r[i]);
      minY = Math.min(minY, r[i + 1]);
      maxY = Math.max(maxY, r[i + 1]);
    }
  }
  [minX, minY, maxX, maxY] = [Math.round(minX), Math.round(minY), Math.round(maxX), Math.round(maxY)];
  const width = maxX - minX;
  const height = maxY - minY;
  if (width <= 0 || height <= 0) return blank;

  // To bitmap coordinates: x from the left of the buffer, y down from its top (the font's y goes up).
  const ox = minX - GLYPH_BUFFER;
  const oy = maxY + GLYPH_BUFFER;
  const local = rings.map((r) => r.map((v, i) => (i % 2 === 0 ? v - ox : oy - v)));
  const bitmap = signedDistanceField(local, width + 2 * GLYPH_BUFFER, height + 2 * GLYPH_BUFFER);
  return { id: codePoint, bitmap, width, height, left: minX, top: maxY, advance };
}

/** A range's glyphs as the PBF MapLibre requests (`{fontstack}/{start}-{end}.pbf`). */
export function encodeGlyphRange(fontstack: string, start: number, end: number, glyphs: readonly SdfGlyph[]): Uint8Array {
  const pbf = new PbfWriter();
  pbf.writeMessage(
    1,
    (_: unknown, out: PbfWriter) => {
      out.writeStringField(1, fontstack);
      out.writeStringField(2, `${start}-${end}`);
      for (const g of glyphs) {
        out.writeMessage(
          3,
          (__: unknown, gp: PbfWriter) => {
            gp.writeVarintField(1, g.id);
            if (g.bitmap.length > 0) gp.writeBytesField(2, g.bitmap);
            gp.writeVarintField(3, g.width);
            gp.writeVarintField(4, g.height);
            gp.writeSVarintField(5, g.left);
            gp.writeSVarintField(6, g.top);
            gp.writeVarintField(7, g.advance);
          },
          undefined,
        );
      }
    },
    undefined,
  );
  return pbf.finish();
}
