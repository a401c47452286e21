import { Module } from '@nestjs/common';
import { FeedsModule } from '@cityops/feeds';
import { GeoModule } from '@cityops/geo';
import { IdentityModule } from '@cityops/identity';
import { IndicatorsModule } from '@cityops/indicators';
import { SceneRepository } from './scene.repository';
import { SceneService } from './scene.service';

/** Wall scenes: what the command wall shows and in which words. Owns the `scene` and `wall_playlist` tables. */
@Module({
  imports: [GeoModule, IndicatorsModule, FeedsModule, IdentityModule],
  providers: [SceneRepository, SceneService],
  exports: [SceneService],
})
export class ScenesModule {}
