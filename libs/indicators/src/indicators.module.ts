import { Module } from '@nestjs/common';
import { FeedsModule } from '@cityops/feeds';
import { GeoModule } from '@cityops/geo';
import { IndicatorHistoryRepository } from './indicator-history.repository';
import { IndicatorHistoryService } from './indicator-history.service';
import { IndicatorRollupService } from './indicator-rollup.service';
import { IndicatorTriggerService } from './indicator-trigger.service';
import { IndicatorRepository } from './indicator.repository';
import { IndicatorService } from './indicator.service';

/** Vital signs: computed from what feeds stored (read through feeds) over areas (from geo). */
@Module({
  imports: [FeedsModule, GeoModule],
  providers: [
    IndicatorRepository,
    IndicatorService,
    IndicatorTriggerService,
    // History at three resolutions (issue 8, part G).
    IndicatorHistoryRepository,
    IndicatorHistoryService,
    IndicatorRollupService,
  ],
  exports: [IndicatorService, IndicatorTriggerService, IndicatorHistoryService, IndicatorRollupService],
})
export class IndicatorsModule {}
