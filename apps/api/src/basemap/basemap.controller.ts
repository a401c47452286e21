import { gunzipSync } from 'node:zlib';
import { Controller, Get, Header, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import {
  basemapTileParamsSchema,
  glyphParamsSchema,
  mapStyleSchema,
  tileJsonSchema,
  vectorTileSchema,
  type BasemapTileParams,
  type GlyphParams,
  type TileJson,
} from '@cityops/contracts';
import { Endpoint } from '../http/endpoint.decorator';
import { BasemapService } from './basemap.service';
import { GlyphService } from './glyph.service';
import { OriginOf } from './origin.decorator';

const styleQuerySchema = z.object({ lang: z.enum(['zh', 'en']).default('zh') });
type StyleQuery = z.output<typeof styleQuerySchema>;

const CONTENT_TYPES = {
  pbf: 'application/vnd.mapbox-vector-tile',
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
} as const;

/**
 * The base map served by the API itself, for a closed network: label glyphs made from a local
 * font, and, when BASEMAP_ARCHIVE names a local MBTiles/PMTiles archive, its tiles, TileJSON and
 * a style. Glyphs are public like the web bundle's own fonts (a font holds no city data, and
 * the sign-in page's map needs them before anyone signs in); the archive's tiles and style are
 * for signed-in people and displays, like every other map layer (an archive may be licensed).
 */
@ApiTags('basemap')
@Controller('basemap')
export class BasemapController {
  constructor(
    private readonly basemap: BasemapService,
    private readonly glyphs: GlyphService,
  ) {}

  @Get('glyphs/:fontstack/:range.pbf')
  @Header('Content-Type', 'application/x-protobuf')
  @Header('Cache-Control', 'public, max-age=86400')
  @Endpoint({
    summary: 'Map-label glyphs (SDF) for a block of 256 code points',
    description:
      'MapLibre requests `{fontstack}/{start}-{end}.pbf` with `start` a multiple of 256 and `end = start + 255`. ' +
      'Every font stack is answered with the one font configured (BASEMAP_FONT, else Debian’s Noto Sans CJK), ' +
      'which covers Chinese and Latin; code points the font lacks are left out. 404 when no font is installed.',
    access: 'public',
    ok: { schema: vectorTileSchema, contentType: 'application/x-protobuf' },
    errors: [400, 404],
  })
  async getBasemapGlyphs(@Param({ schema: glyphParamsSchema }) { fontstack, range }: GlyphParams, @Res() res: Response): Promise<void> {
    res.send(Buffer.from(await this.glyphs.range(fontstack, range[0], range[1])));
  }

  @Get('tiles.json')
  @Endpoint({
    summary: 'TileJSON of the base-map archive',
    description: '404 when no archive is configured (BASEMAP_ARCHIVE).',
    access: { users: 'any', displays: true, scoped: false },
    ok: tileJsonSchema,
    errors: [404],
  })
  getBasemapTileJson(@OriginOf() origin: string): Promise<TileJson> {
    return this.basemap.tileJson(origin);
  }

  @Get('style.json')
  @Endpoint({
    summary: 'A MapLibre style drawing the base-map archive with local glyphs',
    description:
      'Water, waterways, roads, boundaries, road names (from zoom 11) and places of an OpenMapTiles-schema archive; ' +
      'labels in `lang` (zh default, en), falling back to the local name. 404 when no archive is configured.',
    access: { users: 'any', displays: true, scoped: false },
    ok: mapStyleSchema,
    errors: [400, 404],
  })
  getBasemapStyle(@OriginOf() origin: string, @Query({ schema: styleQuerySchema }) { lang }: StyleQuery): Promise<Record<string, unknown>> {
    return this.basemap.style(origin, lang);
  }

  @Get('tiles/:z/:x/:y.:ext')
  @Endpoint({
    summary: 'A tile of the base-map archive (web-mercator z/x/y)',
    description:
      'In the archive’s own format (`pbf`, also as `mvt`, for vector tiles). Where the archive has no tile: 204 with no body ' +
      '(MapLibre draws nothing there). Gzipped vector tiles are sent as stored with `Content-Encoding: gzip` to clients that accept it. ' +
      '404 when no archive is configured or the extension is not the archive’s format.',
    access: { users: 'any', displays: true, scoped: false },
    ok: { schema: vectorTileSchema, contentType: 'application/vnd.mapbox-vector-tile' },
    errors: [400, 404],
  })
  async getBasemapTile(
    @Param({ schema: basemapTileParamsSchema }) { z: zoom, x, y, ext }: BasemapTileParams,
    @Headers('accept-encoding') acceptEncoding: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const { tile, format } = await this.basemap.tile(zoom, x, y, ext);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.setHeader('Vary', 'Accept-Encoding');
    if (!tile) {
      res.status(204).end();
      return;
    }
    res.setHeader('Content-Type', CONTENT_TYPES[format]);
    if (tile.gzip && /\bgzip\b/.test(acceptEncoding ?? '')) {
      res.setHeader('Content-Encoding', 'gzip');
      res.send(tile.data);
    } else {
      res.send(tile.gzip ? gunzipSync(tile.data) : tile.data);
    }
  }
}
