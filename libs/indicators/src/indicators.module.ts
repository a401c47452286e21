import { Module } from '@nestjs/common';
import { IndicatorTriggerService } from './indicator-trigger.service';
import { IndicatorRepository } from './indicator.repository';
import { IndicatorService } from './indicator.service';

@Module({
  providers: [IndicatorRepository, IndicatorService, IndicatorTriggerService],
  exports: [IndicatorService, IndicatorTriggerService],
})
export class IndicatorsModule {}
