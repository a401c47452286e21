import { Module } from '@nestjs/common';
import { AlertsModule } from '@cityops/alerts';
import { FeedsModule } from '@cityops/feeds';
import { GeoModule } from '@cityops/geo';
import { IndicatorsModule } from '@cityops/indicators';
import { CaseChanges } from './case-changes';
import { CaseDetectionService } from './case-detection.service';
import { CaseSetupService } from './case-setup.service';
import { CaseStatisticsService } from './case-statistics.service';
import { CaseSupervisionService } from './case-supervision.service';
import { CaseViews } from './case-views';
import { CaseRepository } from './case.repository';
import { CaseService } from './case.service';
import { Open311KeyRepository } from './open311/open311-key.repository';
import { Open311Service } from './open311/open311.service';
import { CasePhotosModule } from './photos/case-photos.module';
import { PublicCaseService } from './public/public-case.service';

/**
 * Cases (网格化闭环): owns the case, timeline, photo, category, routing-rule and working-calendar
 * tables. Grids and their ancestors come from geo, department names from feeds, alerts a case is
 * filed from from alerts. Open311 GeoReport v2 is this lib's public face: its API keys' table too.
 */
@Module({
  imports: [GeoModule, FeedsModule, AlertsModule, IndicatorsModule, CasePhotosModule],
  providers: [
    CaseChanges,
    CaseRepository,
    CaseService,
    CaseSetupService,
    CaseViews,
    CaseSupervisionService,
    CaseDetectionService,
    CaseStatisticsService,
    Open311KeyRepository,
    Open311Service,
    PublicCaseService,
  ],
  exports: [
    // The photo store, for the health report.
    CasePhotosModule,
    CaseService,
    CaseSetupService,
    CaseSupervisionService,
    CaseDetectionService,
    CaseStatisticsService,
    Open311Service,
    PublicCaseService,
  ],
})
export class CasesModule {}
