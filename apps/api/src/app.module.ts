import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { AlertsModule } from '@cityops/alerts';
import { CasesModule } from '@cityops/cases';
import { CoreModule, type AppConfig } from '@cityops/core';
import { FeedsModule } from '@cityops/feeds';
import { GeoModule } from '@cityops/geo';
import { IdentityModule } from '@cityops/identity';
import { IndicatorsModule } from '@cityops/indicators';
import { LiveModule } from '@cityops/live';
import { NotificationsModule } from '@cityops/notifications';
import { ScenesModule } from '@cityops/scenes';
import { AlertsController } from './alerts/alerts.controller';
import { SilencesController } from './alerts/silences.controller';
import { AreasController } from './areas/areas.controller';
import { LayersController } from './areas/layers.controller';
import { AuditController } from './audit/audit.controller';
import { AuditInterceptor } from './audit/audit.interceptor';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { BasemapController } from './basemap/basemap.controller';
import { BasemapService } from './basemap/basemap.service';
import { GlyphService } from './basemap/glyph.service';
import { CamerasController } from './cameras/cameras.controller';
import { CasesController } from './cases/cases.controller';
import { DetectionsController } from './cases/detections.controller';
import { PublicCasesController, ReportQrController } from './cases/public-cases.controller';
import { DisplaysController } from './credentials/displays.controller';
import { FeedKeysController } from './credentials/feed-keys.controller';
import { FeedsController } from './feeds/feeds.controller';
import { MetricsAccess } from './http/metrics-access.service';
import { RateLimitGuard } from './http/rate-limit.guard';
import { schemaValidationPipe } from './http/schema-validation.pipe';
import { IndicatorsController } from './indicators/indicators.controller';
import { EntityTrendService } from './layers/entity-trend.service';
import { LayerCatalog } from './layers/layer-catalog.service';
import { LayerFeeds } from './layers/layer-feeds.service';
import { LiveLayersController } from './layers/live-layers.controller';
import { TileRoute } from './layers/tile-route';
import { TileService } from './layers/tile.service';
import { OgcController } from './ogc/ogc.controller';
import { OgcService } from './ogc/ogc.service';
import { Open311ErrorFilter } from './open311/open311-error.filter';
import { Open311KeysController } from './open311/open311-keys.controller';
import { Open311Controller } from './open311/open311.controller';
import { SceneLayerCheck } from './scenes/scene-layer-check';
import { PlaylistsController, ScenesController } from './scenes/scenes.controller';
import { SearchController } from './search/search.controller';
import { AppConfigService } from './system/app-config.service';
import { MetricsController, SystemController } from './system/health.controller';
import { HealthService } from './system/health.service';
import { UsersController } from './users/users.controller';
import { WebhooksController } from './webhooks/webhooks.controller';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot(config),
        IdentityModule,
        GeoModule,
        IndicatorsModule,
        FeedsModule,
        AlertsModule,
        LiveModule,
        ScenesModule,
        NotificationsModule,
        CasesModule,
      ],
      controllers: [
        SystemController,
        UsersController,
        FeedKeysController,
        DisplaysController,
        MetricsController,
        AuthController,
        AreasController,
        LayersController,
        LiveLayersController,
        CamerasController,
        FeedsController,
        IndicatorsController,
        AlertsController,
        SilencesController,
        ScenesController,
        PlaylistsController,
        AuditController,
        WebhooksController,
        OgcController,
        SearchController,
        BasemapController,
        CasesController,
        DetectionsController,
        Open311Controller,
        Open311KeysController,
        PublicCasesController,
        ReportQrController,
      ],
      providers: [
        AppConfigService,
        HealthService,
        OgcService,
        BasemapService,
        GlyphService,
        MetricsAccess,
        LayerFeeds,
        LayerCatalog,
        EntityTrendService,
        TileService,
        TileRoute,
        SceneLayerCheck,
        { provide: APP_GUARD, useClass: AuthGuard },
        // After the AuthGuard: it counts per caller, whom the AuthGuard has found.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        // What a write's answer or error adds to its audit event (the event itself: auditWrites in bootstrap.ts).
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
        // ProblemDetailsFilter's problem+json, but Open311's own error format under /open311.
        { provide: APP_FILTER, useClass: Open311ErrorFilter },
        { provide: APP_PIPE, useFactory: schemaValidationPipe },
      ],
    };
  }
}
