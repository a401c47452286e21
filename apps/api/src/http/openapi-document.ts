import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, type OperationObject, SwaggerModule } from '@nestjs/swagger';
import { BEARER_SCHEME, METRICS_SCHEME, problemResponse } from './endpoint.decorator';
import { apiSchemas } from './openapi-schema.registry';

/**
 * The API description, built from the routes themselves: parameters and bodies from their
 * `@Param/@Query/@Body({ schema })`, answers, problems and security from their `@Endpoint`, and
 * every named zod schema of `@cityops/contracts` they use as a component.
 */
export function createApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('cityops API')
    .setDescription(
      'City operations hub: areas, feeds, indicators, alerts, wall scenes. Send the token from `POST /api/auth/login` as ' +
        '`Authorization: Bearer <token>`. Errors are RFC 9457 problem details (`application/problem+json`).',
    )
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An access token (JWT) from sign-in, or a feed key.' }, BEARER_SCHEME)
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description: 'The metrics token (`METRICS_TOKEN`); callers from an address in `METRICS_ALLOW` need none.',
      },
      METRICS_SCHEME,
    )
    .addTag('auth', 'Sign-in, sessions (refresh, sign-out) and who the token belongs to')
    .addTag('users', 'People who sign in: roles, area scopes, departments (admins)')
    .addTag('feed-keys', 'Per-feed keys for outside systems that push: created, rotated and revoked by admins, shown once')
    .addTag('displays', 'Registered wall screens with their own token and scope (admins)')
    .addTag('areas', 'The city hierarchy, event zones and map layers')
    .addTag(
      'basemap',
      'The base map on a closed network: label glyphs from a local font, a local vector-tile archive (BASEMAP_ARCHIVE) with its style',
    )
    .addTag('feeds', 'Department feeds: catalog, ingest, entities, rejected records, health')
    .addTag('cameras', 'Cameras of the camera feeds: in an area or near a zone, nearest to a point, placeholder frames')
    .addTag('search', 'The map’s search box: areas by name or code, located entities by name or id')
    .addTag('indicators', 'Vital signs computed from the feeds')
    .addTag('alerts', 'Alerts raised by indicator thresholds')
    .addTag('cases', 'Cases from report to verified close: categories, routing rules, filing, the workflow’s actions, the timeline')
    .addTag('open311', 'Open311 GeoReport v2 at /open311/v2 (public services and requests, filing with an api_key) and its keys (admins)')
    .addTag('public', 'The citizen’s report page (a grid’s QR code) and follow page: no account, limited per client address')
    .addTag('webhooks', 'Where alert changes are POSTed, HMAC-signed, retried with backoff, with a delivery log (admins)')
    .addTag('scenes', 'What a wall shows (zone set, indicator, feed) and in which words')
    .addTag('audit', 'The append-only audit trail: who did what, when, from where (admins)')
    .addTag('ogc', 'OGC API – Features (core, GeoJSON): areas, zone sets and entity feeds for GIS clients such as QGIS and GDAL')
    .addTag('system', 'Health, metrics and what a client needs to start')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller, method) => method,
    standardSchemaConverter: apiSchemas.converter,
  });
  limitedWrites(document);
  const schemas = { ...document.components?.schemas, ...apiSchemas.components() };
  document.components = {
    ...document.components,
    schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
  };
  return document;
}

const WRITE_METHODS = ['post', 'put', 'patch', 'delete'] as const;

/**
 * Every write that needs a token may answer 429: the RateLimitGuard spends a per-caller budget on
 * each one (see rate-limit.guard.ts), whichever controller it is in.
 */
function limitedWrites(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const method of WRITE_METHODS) {
      const op: OperationObject | undefined = item[method];
      if (!op || !op.security?.length || op.responses['429']) continue;
      op.responses = Object.fromEntries(
        Object.entries({ ...op.responses, 429: problemResponse(429) }).sort(([a], [b]) => a.localeCompare(b)),
      );
    }
  }
}
