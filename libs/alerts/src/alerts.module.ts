import { Module } from '@nestjs/common';
import { GeoModule } from '@cityops/geo';
import { IndicatorsModule } from '@cityops/indicators';
import { NotificationsModule } from '@cityops/notifications';
import { AlertRepository } from './alert.repository';
import { AlertService } from './alert.service';
import { SilenceRepository } from './silence.repository';
import { SilenceService } from './silence.service';

/** Alerts on indicator values, and silences over them: areas are named by geo, indicators by indicators; changes leave through notifications. */
@Module({
  imports: [GeoModule, IndicatorsModule, NotificationsModule],
  providers: [AlertRepository, AlertService, SilenceRepository, SilenceService],
  exports: [AlertService, SilenceService],
})
export class AlertsModule {}
