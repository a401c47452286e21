import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cityops/core';
import { FeedCatalogService } from '@cityops/feeds';
import { AreaService, generateDemoCity, generateMarathonCourse } from '@cityops/geo';
import { AuthService } from '@cityops/identity';
import { IndicatorService } from '@cityops/indicators';
import { DEPARTMENTS, MARATHON_FEED, MARATHON_ZONE_SET, SEGMENT_LOAD_INDICATOR } from './demo-catalog';

/** What `npm start` needs in the database before the apps run; safe to repeat. */
@Injectable()
export class PrepareService {
  private readonly logger = new Logger(PrepareService.name);

  constructor(
    private readonly areas: AreaService,
    private readonly feeds: FeedCatalogService,
    private readonly indicators: IndicatorService,
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Loads the demo city only into an empty database, so real boundaries are never overwritten. */
  async loadDemoCityIfEmpty(): Promise<number> {
    if ((await this.areas.count()) > 0) return 0;
    const areas = [...generateDemoCity(), ...generateMarathonCourse()];
    const n = await this.areas.seed(areas, [MARATHON_ZONE_SET]);
    this.logger.log({ areas: n }, 'demo city loaded');
    return n;
  }

  async ensureDemoCatalog(): Promise<void> {
    for (const d of DEPARTMENTS) await this.feeds.ensureDepartment(d.code, d.name, d.nameEn);
    await this.feeds.ensure(MARATHON_FEED);
    await this.indicators.upsert(SEGMENT_LOAD_INDICATOR);
  }

  async ensureAccounts(): Promise<{ adminCreated: boolean }> {
    const adminCreated = await this.auth.ensureAdmin(this.config.adminPassword);
    if (this.config.kioskToken) await this.auth.ensureKioskToken('wall-kiosk', this.config.kioskToken);
    if (this.config.simulator.token) await this.auth.ensureFeedToken('demo-simulator', this.config.simulator.token, [MARATHON_FEED.key]);
    return { adminCreated };
  }
}
