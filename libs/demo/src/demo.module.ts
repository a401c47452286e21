import { Module } from '@nestjs/common';
import { AlertsModule } from '@cityops/alerts';
import { CasesModule } from '@cityops/cases';
import { FeedsModule } from '@cityops/feeds';
import { GeoModule } from '@cityops/geo';
import { IdentityModule } from '@cityops/identity';
import { IndicatorsModule } from '@cityops/indicators';
import { ScenesModule } from '@cityops/scenes';
import { DemoSeederService } from './demo-seeder.service';

/** The demo's seeder; the product runs without this module. */
@Module({
  imports: [GeoModule, FeedsModule, IndicatorsModule, AlertsModule, IdentityModule, ScenesModule, CasesModule],
  providers: [DemoSeederService],
  exports: [DemoSeederService],
})
export class DemoModule {}
