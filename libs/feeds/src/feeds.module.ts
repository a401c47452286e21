import { Module } from '@nestjs/common';
import { GeoModule } from '@cityops/geo';
import { IdentityModule } from '@cityops/identity';
import { CameraRepository } from './camera.repository';
import { CameraService } from './camera.service';
import { ConnectorAddressPolicy } from './connector/connector-address';
import { ConnectorStateRepository } from './connector/connector-state.repository';
import { PullConnectorService } from './connector/pull-connector.service';
import { EntityVersionRepository } from './entity-version.repository';
import { EntityRepository } from './entity.repository';
import { EntityService } from './entity.service';
import { FeedCatalogService } from './feed-catalog.service';
import { FeedHealthService } from './feed-health.service';
import { FeedStatsRepository } from './feed-stats.repository';
import { FeedUpdates } from './feed-updates.service';
import { FeedRepository } from './feed.repository';
import { IngestService } from './ingest.service';
import { LiveLayerPlaceRepository } from './live-layer-place.repository';
import { LiveLayerService } from './live-layer.service';
import { ObservationBackfillService } from './observation-backfill.service';
import { ObservationQueryService } from './observation-query.service';
import { ObservationRepository } from './observation.repository';
import { RejectedRecordRepository } from './rejected-record.repository';
import { StorageRepository } from './storage.repository';
import { StorageService } from './storage.service';

/**
 * Department feeds: the catalog, every way in, storage and health. Domains built on the data
 * (indicators) import this module, read through ObservationQueryService and hear of new data
 * through FeedUpdates; feeds knows none of them.
 */
@Module({
  imports: [IdentityModule, GeoModule],
  providers: [
    FeedRepository,
    ObservationRepository,
    EntityRepository,
    EntityVersionRepository,
    RejectedRecordRepository,
    StorageRepository,
    FeedStatsRepository,
    ConnectorStateRepository,
    FeedUpdates,
    IngestService,
    FeedCatalogService,
    EntityService,
    FeedHealthService,
    StorageService,
    PullConnectorService,
    ConnectorAddressPolicy,
    ObservationQueryService,
    ObservationBackfillService,
    CameraRepository,
    CameraService,
    LiveLayerService,
    LiveLayerPlaceRepository,
  ],
  exports: [
    CameraService,
    LiveLayerService,
    IngestService,
    FeedCatalogService,
    EntityService,
    FeedHealthService,
    StorageService,
    PullConnectorService,
    ObservationQueryService,
    ObservationBackfillService,
    FeedUpdates,
    // Alert webhooks reach outside addresses under the same rule as pull connectors.
    ConnectorAddressPolicy,
  ],
})
export class FeedsModule {}
