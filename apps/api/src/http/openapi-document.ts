import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { BEARER_SCHEME } from './endpoint.decorator';
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
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An access token (JWT) from sign-in, or a feed token.' }, BEARER_SCHEME)
    .addTag('auth', 'Sign-in and who the token belongs to')
    .addTag('areas', 'The city hierarchy, event zones and map layers')
    .addTag('feeds', 'Department feeds: catalog, ingest, entities, rejected records, health')
    .addTag('indicators', 'Vital signs computed from the feeds')
    .addTag('alerts', 'Alerts raised by indicator thresholds')
    .addTag('scenes', 'What a wall shows (zone set, indicator, feed) and in which words')
    .addTag('system', 'Health, metrics and what a client needs to start')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller, method) => method,
    standardSchemaConverter: apiSchemas.converter,
  });
  const schemas = { ...document.components?.schemas, ...apiSchemas.components() };
  document.components = {
    ...document.components,
    schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
  };
  return document;
}
