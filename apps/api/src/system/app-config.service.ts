import { Inject, Injectable } from '@nestjs/common';
import { BASEMAP_ARCHIVE_STYLE_PATH, type AppConfigView } from '@cityops/contracts';
import { APP_CONFIG, type AppConfig } from '@cityops/core';
import { AreaService } from '@cityops/geo';
import { SceneService } from '@cityops/scenes';

/**
 * `GET /api/app-config`, from the data and the configuration only: the city is whatever
 * city-level area was loaded, the map's frame is `CITY_BOUNDS`, the scenes are the table's.
 */
@Injectable()
export class AppConfigService {
  constructor(
    private readonly areas: AreaService,
    private readonly scenes: SceneService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async view(): Promise<AppConfigView> {
    const [city, demo, scenes] = await Promise.all([this.areas.city(), this.areas.isDemo(), this.scenes.enabled()]);
    const [minLon, minLat, maxLon, maxLat] = this.config.cityBounds;
    return {
      // The local archive (same origin, works on a closed network) wins over an outside style.
      basemapStyleUrl: this.config.basemap.archive ? BASEMAP_ARCHIVE_STYLE_PATH : (this.config.basemapStyleUrl ?? null),
      city: {
        name: city?.name ?? null,
        nameEn: city?.nameEn ?? null,
        center: city?.center ?? [(minLon + maxLon) / 2, (minLat + maxLat) / 2],
        bounds: [
          [minLon, minLat],
          [maxLon, maxLat],
        ],
      },
      demo,
      scenes,
    };
  }
}
