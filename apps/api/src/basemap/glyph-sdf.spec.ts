import * as fontkit from 'fontkit';
import { PbfReader } from 'pbf';
import { GLYPH_BUFFER, encodeGlyphRange, renderSdfGlyph, type OutlineFont, type SdfGlyph } from './glyph-sdf';
import { DEBIAN_NOTO_CJK } from './glyph.service';

// The project's set-up installs Debian's fonts-noto-cjk (scripts/provision-debian.sh cjk-font) before the tests.
const collection = fontkit.openSync(DEBIAN_NOTO_CJK) as fontkit.FontCollection;
const font: OutlineFont = collection.fonts.find((f) => f.postscriptName === 'NotoSansCJKsc-Regular') ?? collection.fonts[0];

function pixel(glyph: SdfGlyph, col: number, row: number): number {
  return glyph.bitmap[row * (glyph.width + 2 * GLYPH_BUFFER) + col];
}

/** The glyph as text, '#' inside the outline (≥ 192, MapLibre's edge), for a readable failure. */
function ascii(glyph: SdfGlyph): string[] {
  const w = glyph.width + 2 * GLYPH_BUFFER;
  const rows: string[] = [];
  for (let r = 0; r < glyph.height + 2 * GLYPH_BUFFER; r++) {
    let line = '';
    for (let c = 0; c < w; c++) line += pixel(glyph, c, r) >= 192 ? '#' : '.';
    rows.push(line);
  }
  return rows;
}

describe('SDF glyphs', () => {
  it('draws a Latin letter with fontnik’s metrics: 24 px, a 3 px buffer, baseline at 0', () => {
    const glyph = renderSdfGlyph(font, 'I'.codePointAt(0) ?? 0);
    expect(glyph).not.toBeNull();
    const g = glyph as SdfGlyph;
    expect(g.bitmap.length).toBe((g.width + 2 * GLYPH_BUFFER) * (g.height + 2 * GLYPH_BUFFER));
    // A capital sits on the baseline and is about 0.73 em tall at 24 px.
    expect(g.top).toBeGreaterThanOrEqual(16);
    expect(g.top).toBeLessThanOrEqual(19);
    expect(g.top - g.height).toBe(0);
    expect(g.advance).toBeGreaterThan(4);
    // The stem's middle is inside (bright), the corners of the buffer are outside (dark).
    const mid = pixel(g, Math.floor((g.width + 2 * GLYPH_BUFFER) / 2), Math.floor((g.height + 2 * GLYPH_BUFFER) / 2));
    expect(mid).toBeGreaterThan(192);
    expect(pixel(g, 0, 0)).toBeLessThan(120);
  });

  it('draws a Chinese character with its strokes inside and the gaps between them outside', () => {
    const g = renderSdfGlyph(font, '二'.codePointAt(0) ?? 0) as SdfGlyph;
    const art = ascii(g);
    // 二: two horizontal strokes, so some full rows are inside and the rows between them are not.
    const insideRows = art.map((line) => line.includes('#'));
    const firstInside = insideRows.indexOf(true);
    const lastInside = insideRows.lastIndexOf(true);
    expect(firstInside).toBeGreaterThan(0);
    expect(insideRows.slice(firstInside, lastInside + 1)).toContain(false);
    expect(g.advance).toBe(24);
  });

  it('leaves out code points the font has no glyph for, and gives a space an advance but no bitmap', () => {
    expect(renderSdfGlyph(font, 0xe000)).toBeNull();
    const space = renderSdfGlyph(font, 32) as SdfGlyph;
    expect(space.bitmap.length).toBe(0);
    expect(space.advance).toBeGreaterThan(0);
  });

  it('encodes a range as the glyphs protobuf MapLibre reads', () => {
    const glyphs = [65, 66].map((cp) => renderSdfGlyph(font, cp) as SdfGlyph);
    const bytes = encodeGlyphRange('Noto Sans Regular', 0, 255, glyphs);
    const decoded: { name: string; range: string; glyphs: Record<string, number | Uint8Array>[] } = { name: '', range: '', glyphs: [] };
    const pbf = new PbfReader(bytes);
    pbf.readFields((tag, _stack, p) => {
      if (tag !== 1) return;
      p.readMessage((t, stack, q) => {
        if (t === 1) stack.name = q.readString();
        else if (t === 2) stack.range = q.readString();
        else if (t === 3) {
          const glyph: Record<string, number | Uint8Array> = {};
          q.readMessage((f, g, r) => {
            if (f === 1) g.id = r.readVarint();
            else if (f === 2) g.bitmap = r.readBytes();
            else if (f === 5) g.left = r.readSVarint();
            else if (f === 6) g.top = r.readSVarint();
            else if (f === 7) g.advance = r.readVarint();
          }, glyph);
          stack.glyphs.push(glyph);
        }
      }, decoded);
    }, decoded);
    expect(decoded.name).toBe('Noto Sans Regular');
    expect(decoded.range).toBe('0-255');
    expect(decoded.glyphs.map((g) => g.id)).toEqual([65, 66]);
    expect(decoded.glyphs[0].top).toBe(glyphs[0].top);
    expect((decoded.glyphs[1].bitmap as Uint8Array).length).toBe(glyphs[1].bitmap.length);
  });
});
