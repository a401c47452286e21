import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { sceneDefinitionSchema, sceneKeySchema, type SceneView } from '@cityops/contracts';
import { parseOrThrow } from '@cityops/core';
import { SceneService } from '@cityops/scenes';
import { Roles } from '../auth/public.decorator';

/**
 * Wall scenes. The `schema` options describe each input for the validation pipe to come; until
 * it lands, each handler still parses with the same schema (a second parse of parsed input is a no-op).
 */
@Controller('scenes')
export class ScenesController {
  constructor(private readonly scenes: SceneService) {}

  /** Every scene, enabled or not, in the wall's order. */
  @Get()
  list(): Promise<SceneView[]> {
    return this.scenes.list();
  }

  @Get(':key')
  get(@Param('key', { schema: sceneKeySchema }) key: unknown): Promise<SceneView> {
    return this.scenes.get(parseOrThrow(sceneKeySchema, key, 'key'));
  }

  /** Creates or replaces the scene; sending the same body again changes nothing. */
  @Roles('admin')
  @Put(':key')
  put(@Param('key', { schema: sceneKeySchema }) key: unknown, @Body({ schema: sceneDefinitionSchema }) body: unknown): Promise<SceneView> {
    return this.scenes.put(parseOrThrow(sceneKeySchema, key, 'key'), parseOrThrow(sceneDefinitionSchema, body));
  }
}
