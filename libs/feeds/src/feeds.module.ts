import { Module } from '@nestjs/common';
import { GeoModule } from '@cityops/geo';
import { IdentityModule } from '@cityops/identity';
import { IndicatorsModule } from '@cityops/indicators';
import { ConnectorStateRepository } from './connector/connector-state.repository';
import { PullConnectorService } from './connector/pull-connector.service';
import { EntityService } from './entity.service';
import { FeedCatalogService } from './feed-catalog.service';
import { FeedHealthService } from './feed-health.service';
import { FeedStatsRepository } from './feed-stats.repository';
import { FeedRepository } from './feed.repository';
import { IngestService } from './ingest.service';
import { StorageService } from './storage.service';

@Module({
  imports: [IndicatorsModule, IdentityModule, GeoModule],
  providers: [
    FeedRepository,
    FeedStatsRepository,
    IngestService,
    FeedCatalogService,
    EntityService,
    FeedHealthService,
    StorageService,
    ConnectorStateRepository,
    PullConnectorService,
  ],
  exports: [IngestService, FeedCatalogService, EntityService, FeedHealthService, StorageService, PullConnectorService],
})
export class FeedsModule {}
