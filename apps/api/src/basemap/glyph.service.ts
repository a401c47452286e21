import { existsSync } from 'node:fs';
import { Inject, Injectable, Logger } from '@nestjs/common';
import * as fontkit from 'fontkit';
import { APP_CONFIG, DomainException, type AppConfig } from '@cityops/core';
import { encodeGlyphRange, renderSdfGlyph, type OutlineFont, type SdfGlyph } from './glyph-sdf';

/** Debian's `fonts-noto-cjk` (installed by `scripts/provision-debian.sh cjk-font`): Chinese, Latin and more in one file. */
export const DEBIAN_NOTO_CJK = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

/** Ranges kept made in this process (a range is at most 256 glyphs of about 1 KB). */
const MAX_CACHED_RANGES = 96;
/** Glyphs drawn between two turns of the event loop, so that a range being made never holds up other requests. */
const GLYPHS_PER_TURN = 8;

export class NoFontError extends DomainException<'no_font'> {
  constructor() {
    super('no_font', 404, 'Not found', 'No font for map labels: install fonts-noto-cjk or set BASEMAP_FONT.');
  }
}

/**
 * Map-label glyphs made by this process from one font file (BASEMAP_FONT, else Debian's Noto Sans
 * CJK), so that labels in Chinese and Latin need no outside host. A range is drawn the first time
 * it is asked for, a few glyphs per event-loop turn, then kept (least recently used dropped). Every
 * font stack is answered with this one font: a closed network has one font, and styles made
 * elsewhere name theirs differently.
 */
@Injectable()
export class GlyphService {
  private readonly logger = new Logger(GlyphService.name);
  private font: OutlineFont | null | undefined;
  private readonly ranges = new Map<number, SdfGlyph[]>();
  private readonly making = new Map<number, Promise<SdfGlyph[]>>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The font file in use, or null when there is none. */
  fontPath(): string | null {
    const configured = this.config.basemap.fontPath;
    if (configured) return configured;
    return existsSync(DEBIAN_NOTO_CJK) ? DEBIAN_NOTO_CJK : null;
  }

  async range(fontstack: string, start: number, end: number): Promise<Uint8Array> {
    const glyphs = await this.glyphs(start, end);
    return encodeGlyphRange(fontstack, start, end, glyphs);
  }

  private async glyphs(start: number, end: number): Promise<SdfGlyph[]> {
    const cached = this.ranges.get(start);
    if (cached) {
      this.ranges.delete(start);
      this.ranges.set(start, cached);
      return cached;
    }
    const font = this.loadFont();
    let pending = this.making.get(start);
    if (!pending) {
      pending = this.draw(font, start, end).finally(() => this.making.delete(start));
      this.making.set(start, pending);
    }
    const glyphs = await pending;
    this.ranges.set(start, glyphs);
    for (const oldest of this.ranges.keys()) {
      if (this.ranges.size <= MAX_CACHED_RANGES) break;
      this.ranges.delete(oldest);
    }
    return glyphs;
  }

  private async draw(font: OutlineFont, start: number, end: number): Promise<SdfGlyph[]> {
    const started = Date.now();
    const glyphs: SdfGlyph[] = [];
    for (let codePoint = start; codePoint <= end; codePoint++) {
      if ((codePoint - start) % GLYPHS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
      const glyph = renderSdfGlyph(font, codePoint);
      if (glyph) glyphs.push(glyph);
    }
    this.logger.debug({ start, end, glyphs: glyphs.length, ms: Date.now() - started }, 'glyph range drawn');
    return glyphs;
  }

  private loadFont(): OutlineFont {
    if (this.font === undefined) {
      const path = this.fontPath();
      this.font = path ? pickFace(fontkit.openSync(path)) : null;
      if (path) this.logger.log({ path }, 'map-label font loaded');
      else this.logger.warn('no font for map labels: install fonts-noto-cjk or set BASEMAP_FONT');
    }
    if (!this.font) throw new NoFontError();
    return this.font;
  }
}

/** In a collection (.ttc), the Simplified Chinese face when there is one (Noto Sans CJK SC), else the first. */
function pickFace(opened: fontkit.Font | fontkit.FontCollection): OutlineFont {
  if (opened.type !== 'TTC' && opened.type !== 'DFont') return opened as fontkit.Font;
  const fonts = opened.fonts;
  return fonts.find((f) => /sc-/i.test(f.postscriptName)) ?? fonts[0];
}
