import { Module } from '@nestjs/common';
import { FeedsModule } from '@cityops/feeds';
import { GeoModule } from '@cityops/geo';
import { IndicatorTriggerService } from './indicator-trigger.service';
import { IndicatorRepository } from './indicator.repository';
import { IndicatorService } from './indicator.service';

/** Vital signs: computed from what feeds stored (read through feeds) over areas (from geo). */
@Module({
  imports: [FeedsModule, GeoModule],
  providers: [IndicatorRepository, IndicatorService, IndicatorTriggerService],
  exports: [IndicatorService, IndicatorTriggerService],
})
export class IndicatorsModule {}
