import { type INestApplication, RequestMethod } from '@nestjs/common';
import { MODULE_PATH, PATH_METADATA } from '@nestjs/common/constants';
import { ApplicationConfig, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { PathsExplorer } from '@nestjs/core/router/paths-explorer';
import { RoutePathFactory } from '@nestjs/core/router/route-path-factory';
import { ACCESS, type Access } from './endpoint.decorator';

/** One route the application serves, as Express sees its path (`/api/feeds/:key`), with its declared policy. */
export interface RouteEntry {
  /** Lower case, as in Express (`get`, `post`…). */
  method: string;
  path: string;
  /** `Controller.method`, to name a route in a failure. */
  handler: string;
  /** What `@Endpoint({ access })` declared; undefined when nothing did (the guard then lets only admins in). */
  access: Access | undefined;
}

/**
 * Every route of the application's controllers with the policy the AuthGuard reads for it. The
 * paths are built by Nest's own path factory (global prefix and its exclusions, module paths), so
 * they are the ones the router serves; the authorization test walks them.
 */
export function routeTable(app: INestApplication): RouteEntry[] {
  const modules = app.get(ModulesContainer);
  const config = app.get(ApplicationConfig);
  const paths = new RoutePathFactory(config);
  const explorer = new PathsExplorer(new MetadataScanner());
  const reflector = new Reflector();
  const routes: RouteEntry[] = [];
  for (const moduleRef of modules.values()) {
    const modulePath =
      (Reflect.getMetadata(MODULE_PATH + modules.applicationId, moduleRef.metatype) as string | undefined) ??
      (Reflect.getMetadata(MODULE_PATH, moduleRef.metatype) as string | undefined);
    for (const { metatype, instance } of moduleRef.controllers.values()) {
      if (!metatype || !instance) continue;
      const controller = metatype as new (...args: never[]) => object;
      const ctrlPaths = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[]].flat();
      for (const definition of explorer.scanForPaths(instance)) {
        // Read as the AuthGuard reads it: the handler's own, else its controller's.
        const access = reflector.getAllAndOverride<Access | undefined>(ACCESS, [definition.targetCallback, controller]);
        const method = RequestMethod[definition.requestMethod].toLowerCase();
        for (const ctrlPath of ctrlPaths) {
          for (const methodPath of definition.path) {
            for (const path of paths.create(
              { ctrlPath, methodPath, modulePath, globalPrefix: config.getGlobalPrefix(), versioningOptions: config.getVersioning() },
              definition.requestMethod,
            )) {
              routes.push({ method, path, handler: `${controller.name}.${definition.methodName}`, access });
            }
          }
        }
      }
    }
  }
  return routes;
}
