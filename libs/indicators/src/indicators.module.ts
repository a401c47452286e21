import { Module } from '@nestjs/common';
import { IndicatorRepository } from './indicator.repository';
import { IndicatorService } from './indicator.service';
import { IndicatorTriggerService } from './indicator-trigger.service';

@Module({
  providers: [IndicatorRepository, IndicatorService, IndicatorTriggerService],
  exports: [IndicatorService, IndicatorTriggerService],
})
export class IndicatorsModule {}
