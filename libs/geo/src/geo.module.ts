import { Module } from '@nestjs/common';
import { AreaLocator } from './area-locator.service';
import { AreaRepository } from './area.repository';
import { AreaService } from './area.service';

@Module({ providers: [AreaRepository, AreaService, AreaLocator], exports: [AreaService, AreaLocator] })
export class GeoModule {}
