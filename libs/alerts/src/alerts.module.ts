import { Module } from '@nestjs/common';
import { AlertRepository } from './alert.repository';
import { AlertService } from './alert.service';

@Module({ providers: [AlertRepository, AlertService], exports: [AlertService] })
export class AlertsModule {}
