import { Module } from '@nestjs/common';
import { AreaChanges } from './area-changes.service';
import { AreaDirectory } from './area-directory.service';
import { AreaLocator } from './area-locator.service';
import { AreaRepository } from './area.repository';
import { AreaService } from './area.service';

@Module({
  providers: [AreaRepository, AreaService, AreaChanges, AreaLocator, AreaDirectory],
  exports: [AreaService, AreaLocator, AreaDirectory],
})
export class GeoModule {}
