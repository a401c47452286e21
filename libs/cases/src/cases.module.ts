import { Module } from '@nestjs/common';
import { AlertsModule } from '@cityops/alerts';
import { FeedsModule } from '@cityops/feeds';
import { GeoModule } from '@cityops/geo';
import { CaseDetectionService } from './case-detection.service';
import { CaseSetupService } from './case-setup.service';
import { CaseSupervisionService } from './case-supervision.service';
import { CaseViews } from './case-views';
import { CaseRepository } from './case.repository';
import { CaseService } from './case.service';
import { CasePhotosModule } from './photos/case-photos.module';
import { PublicCaseService } from './public/public-case.service';

/**
 * Cases (网格化闭环): owns the case, timeline, photo, category, routing-rule and working-calendar
 * tables. Grids and their ancestors come from geo, department names from feeds, alerts a case is
 * filed from from alerts.
 */
@Module({
  imports: [GeoModule, FeedsModule, AlertsModule, CasePhotosModule],
  providers: [CaseRepository, CaseService, CaseSetupService, CaseViews, CaseSupervisionService, CaseDetectionService, PublicCaseService],
  exports: [CaseService, CaseSetupService, CaseSupervisionService, CaseDetectionService, PublicCaseService],
})
export class CasesModule {}
