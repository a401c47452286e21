import { InitialSchema1763776800000 } from './1763776800000-initial-schema';
import { FeedCatalogAndStorage1763863200000 } from './1763863200000-feed-catalog-and-storage';
import { WallScenes1795968000000 } from './1795968000000-wall-scenes';
import { GeojsonVerdict1795971600000 } from './1795971600000-geojson-verdict';
import { ConnectorSecrets1796000000000 } from './1796000000000-connector-secrets';
import { PeopleRolesScopes1796100000000 } from './1796100000000-people-roles-scopes';
import { AuditTrail1796200000000 } from './1796200000000-audit-trail';
import { IndicatorsAsData1796300000000 } from './1796300000000-indicators-as-data';
import { AlertLifecycle1796310000000 } from './1796310000000-alert-lifecycle';
import { AlertWebhooks1796320000000 } from './1796320000000-alert-webhooks';
import { IndicatorRollups1796330000000 } from './1796330000000-indicator-rollups';
import { IndicatorLatest1796340000000 } from './1796340000000-indicator-latest';
import { WebhookDeliveryUpkeep1796350000000 } from './1796350000000-webhook-delivery-upkeep';
import { ObservationHeatIndex1796369000000 } from './1796369000000-observation-heat-index';
import { CameraFeeds1796370000000 } from './1796370000000-camera-feeds';
import { WallSceneKindsAndPlaylists1796390000000 } from './1796390000000-wall-scene-kinds-and-playlists';
import { ObservationLocatedGeomIndex1796410000000 } from './1796410000000-observation-located-geom-index';
import { Cases1796520000000 } from './1796520000000-cases';
import { Open311ApiKeys1796530000000 } from './1796530000000-open311-api-keys';
import { CaseSupervision1796540000000 } from './1796540000000-case-supervision';
import { CaseSplit1796541000000 } from './1796541000000-case-split';
import { CaseDetections1796542000000 } from './1796542000000-case-detections';
import { CaseOpenIndexes1796543000000 } from './1796543000000-case-open-indexes';
import { CaseEnterprise1796550000000 } from './1796550000000-case-enterprise';
import { CaseAlertIndex1796580000000 } from './1796580000000-case-alert-index';
import { CaseReporterIndex1796620000000 } from './1796620000000-case-reporter-index';
import { AlertFiringWindowIndex1796780000000 } from './1796780000000-alert-firing-window-index';
import { EntityHistoryFeedTsIndex1796800000000 } from './1796800000000-entity-history-feed-ts-index';

/** Every migration in order. Listed here so the API, the CLI and the tests load the same set. */
export const MIGRATIONS = [
  InitialSchema1763776800000,
  FeedCatalogAndStorage1763863200000,
  WallScenes1795968000000,
  GeojsonVerdict1795971600000,
  ConnectorSecrets1796000000000,
  PeopleRolesScopes1796100000000,
  AuditTrail1796200000000,
  IndicatorsAsData1796300000000,
  AlertLifecycle1796310000000,
  AlertWebhooks1796320000000,
  IndicatorRollups1796330000000,
  IndicatorLatest1796340000000,
  WebhookDeliveryUpkeep1796350000000,
  ObservationHeatIndex1796369000000,
  CameraFeeds1796370000000,
  WallSceneKindsAndPlaylists1796390000000,
  ObservationLocatedGeomIndex1796410000000,
  Cases1796520000000,
  Open311ApiKeys1796530000000,
  CaseSupervision1796540000000,
  CaseSplit1796541000000,
  CaseDetections1796542000000,
  CaseOpenIndexes1796543000000,
  CaseEnterprise1796550000000,
  CaseAlertIndex1796580000000,
  CaseReporterIndex1796620000000,
  AlertFiringWindowIndex1796780000000,
  EntityHistoryFeedTsIndex1796800000000,
];
