import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { TileJson } from '@cityops/contracts';
import { APP_CONFIG, NotFoundError, type AppConfig } from '@cityops/core';
import { buildArchiveStyle, type StyleLanguage } from './archive-style';
import { openTileArchive, type ArchiveInfo, type ArchiveTile, type TileArchive } from './tile-archive';

/** The local base-map archive (BASEMAP_ARCHIVE): its TileJSON, its style and its tiles. */
@Injectable()
export class BasemapService implements OnModuleDestroy {
  private archive: TileArchive | null = null;
  private info: Promise<ArchiveInfo> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleDestroy(): Promise<void> {
    await this.archive?.close();
    this.archive = null;
  }

  async tileJson(origin: string): Promise<TileJson> {
    const info = await this.archiveInfo();
    return {
      tilejson: '3.0.0',
      ...(info.name ? { name: info.name } : {}),
      ...(info.attribution ? { attribution: info.attribution } : {}),
      tiles: [`${origin}/api/basemap/tiles/{z}/{x}/{y}.${info.format}`],
      minzoom: info.minzoom,
      maxzoom: info.maxzoom,
      ...(info.bounds ? { bounds: info.bounds } : {}),
      ...(info.center ? { center: info.center } : {}),
      vector_layers: info.vectorLayers,
    };
  }

  async style(origin: string, lang: StyleLanguage): Promise<Record<string, unknown>> {
    return buildArchiveStyle(origin, await this.archiveInfo(), lang);
  }

  /** The tile as stored, or null where the archive has none (in the archive's format only). */
  async tile(z: number, x: number, y: number, ext: string): Promise<{ tile: ArchiveTile | null; format: ArchiveInfo['format'] }> {
    const info = await this.archiveInfo();
    const wanted = ext === 'mvt' ? 'pbf' : ext;
    if (wanted !== info.format) throw new NotFoundError(`Tiles in .${ext} (the archive holds .${info.format})`);
    return { tile: await this.open().tile(z, x, y), format: info.format };
  }

  private archiveInfo(): Promise<ArchiveInfo> {
    this.info ??= this.open()
      .info()
      .catch((error: unknown) => {
        this.info = null;
        throw error;
      });
    return this.info;
  }

  private open(): TileArchive {
    const configured = this.config.basemap.archive;
    if (!configured) throw new NotFoundError('The base-map archive (BASEMAP_ARCHIVE is not set)');
    this.archive ??= openTileArchive(configured);
    return this.archive;
  }
}
