import { Module } from '@nestjs/common';
import { GeoModule } from '@cityops/geo';
import { IndicatorsModule } from '@cityops/indicators';
import { AlertRepository } from './alert.repository';
import { AlertService } from './alert.service';

/** Alerts on indicator values: areas are named by geo, indicators by indicators. */
@Module({ imports: [GeoModule, IndicatorsModule], providers: [AlertRepository, AlertService], exports: [AlertService] })
export class AlertsModule {}
