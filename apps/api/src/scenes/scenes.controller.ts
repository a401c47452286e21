import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { sceneDefinitionSchema, sceneKeySchema, sceneViewSchema, type SceneDefinition, type SceneView } from '@cityops/contracts';
import { SceneService } from '@cityops/scenes';
import { Endpoint } from '../http/endpoint.decorator';

const sceneKeyParamsSchema = z.object({ key: sceneKeySchema });

/** Wall scenes: which zone set, indicator and feed a wall shows, and its words for them. */
@ApiTags('scenes')
@Controller('scenes')
export class ScenesController {
  constructor(private readonly scenes: SceneService) {}

  @Get()
  @Endpoint({
    summary: 'Every wall scene, enabled or not, in the wall’s order',
    access: { users: 'any', displays: true, scoped: false },
    ok: z.array(sceneViewSchema),
  })
  listScenes(): Promise<SceneView[]> {
    return this.scenes.list();
  }

  @Get(':key')
  @Endpoint({ summary: 'A wall scene', access: { users: 'any', displays: true, scoped: false }, ok: sceneViewSchema, errors: [400, 404] })
  getScene(@Param({ schema: sceneKeyParamsSchema }) { key }: { key: string }): Promise<SceneView> {
    return this.scenes.get(key);
  }

  /** Creates or replaces the scene; sending the same body again changes nothing. */
  @Put(':key')
  @Endpoint({ summary: 'Create or replace a wall scene', access: { users: ['admin'], scoped: false }, ok: sceneViewSchema, errors: [400] })
  putScene(
    @Param({ schema: sceneKeyParamsSchema }) { key }: { key: string },
    @Body({ schema: sceneDefinitionSchema }) scene: SceneDefinition,
  ): Promise<SceneView> {
    return this.scenes.put(key, scene);
  }
}
