import { Inject, Injectable } from '@nestjs/common';
import { CaseSetupService, CaseStatisticsService, STANDARD_CASE_CATEGORIES } from '@cityops/cases';
import { APP_CONFIG, type AppConfig } from '@cityops/core';
import { DemoSeederService, type DemoSeedResult } from '@cityops/demo';
import { FeedCatalogService, STANDARD_DEPARTMENTS } from '@cityops/feeds';
import { AuthService } from '@cityops/identity';

/** The display registered from `KIOSK_TOKEN` (city-wide); admins register others at /admin. */
export const KIOSK_DISPLAY_NAME = 'wall-kiosk';

export interface PrepareResult {
  adminCreated: boolean;
  /** Null when the demo was left out. */
  demo: DemoSeedResult | null;
}

/** What `npm start` needs in the database before the apps run (after the migrations); safe to repeat. */
@Injectable()
export class PrepareService {
  constructor(
    private readonly feeds: FeedCatalogService,
    private readonly auth: AuthService,
    private readonly demo: DemoSeederService,
    private readonly caseSetup: CaseSetupService,
    private readonly caseStatistics: CaseStatisticsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The product's part, then (unless left out) the demo's, which registers its feed under a department. */
  async run(options: { demo: boolean } = { demo: true }): Promise<PrepareResult> {
    await this.ensureReferenceData();
    // Areas first: the demo wall's display is given the city's scope, which needs the city.
    const demo = options.demo ? await this.demo.seed() : null;
    const { adminCreated } = await this.ensureAccounts();
    return { adminCreated, demo };
  }

  async ensureReferenceData(): Promise<void> {
    for (const d of STANDARD_DEPARTMENTS) await this.feeds.ensureDepartment(d.code, d.name, d.nameEn);
    // The standard case categories into an empty catalog only: a deployment's edits stand.
    await this.caseSetup.loadCategoriesIfEmpty(STANDARD_CASE_CATEGORIES);
    await this.caseStatistics.ensureFeedAndIndicators();
    // Connectors stored before their secrets were sealed: sealed now, with this installation's key.
    await this.feeds.sealStoredSecrets();
  }

  async ensureAccounts(): Promise<{ adminCreated: boolean }> {
    const adminCreated = await this.auth.ensureAdmin(this.config.adminPassword);
    if (this.config.kioskToken) await this.auth.ensureDisplay(KIOSK_DISPLAY_NAME, this.config.kioskToken);
    return { adminCreated };
  }
}
