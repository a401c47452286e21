import 'reflect-metadata';
import { Controller, Get, type INestApplication, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { signedOutSchema } from '@cityops/contracts';
import { Endpoint } from './endpoint.decorator';
import { routeTable } from './route-table';

const READERS = { users: 'any', scoped: true } as const;

@Controller('things')
class ThingsController {
  @Get(':key')
  @Endpoint({ summary: 'A thing', access: READERS, ok: signedOutSchema })
  getThing(): void {}

  // Left without @Endpoint on purpose: the table must show it has no policy.
  @Post()
  createThing(): void {}
}

@Controller()
class ProbeController {
  @Get('metrics')
  @Endpoint({ summary: 'Metrics', access: 'metrics', ok: signedOutSchema })
  getMetrics(): void {}

  @Get(['ping', 'pong'])
  @Endpoint({ summary: 'Up', access: 'public', ok: signedOutSchema })
  ping(): void {}
}

@Module({ controllers: [ThingsController, ProbeController] })
class RouteTableSpecModule {}

describe('routeTable: the routes an application serves, each with the policy its @Endpoint declared', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await NestFactory.create(RouteTableSpecModule, { logger: false });
    app.setGlobalPrefix('api', { exclude: ['metrics'] });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists every route with its Express path (global prefix and its exclusions applied) and its declared access', () => {
    const table = routeTable(app).sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
    expect(table).toEqual([
      { method: 'get', path: '/api/ping', handler: 'ProbeController.ping', access: 'public' },
      { method: 'get', path: '/api/pong', handler: 'ProbeController.ping', access: 'public' },
      { method: 'post', path: '/api/things', handler: 'ThingsController.createThing', access: undefined },
      { method: 'get', path: '/api/things/:key', handler: 'ThingsController.getThing', access: READERS },
      { method: 'get', path: '/metrics', handler: 'ProbeController.getMetrics', access: 'metrics' },
    ]);
  });
});
