import { type DynamicModule, Module } from '@nestjs/common';
import { CasesModule } from '@cityops/cases';
import { CoreModule, type AppConfig } from '@cityops/core';
import { DemoModule } from '@cityops/demo';
import { FeedsModule } from '@cityops/feeds';
import { GeoModule } from '@cityops/geo';
import { IdentityModule } from '@cityops/identity';
import { PrepareService } from './prepare.service';

@Module({})
export class PrepareModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: PrepareModule,
      imports: [CoreModule.forRoot(config), GeoModule, FeedsModule, IdentityModule, CasesModule, DemoModule],
      providers: [PrepareService],
    };
  }
}
