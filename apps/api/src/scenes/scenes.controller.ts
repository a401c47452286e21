import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  playlistDefinitionSchema,
  playlistViewSchema,
  sceneDefinitionSchema,
  sceneKeySchema,
  sceneViewSchema,
  wallPlaylistAnswerSchema,
  type PlaylistDefinition,
  type PlaylistView,
  type SceneDefinition,
  type SceneView,
  type WallPlaylistAnswer,
} from '@cityops/contracts';
import type { Principal } from '@cityops/identity';
import { SceneService } from '@cityops/scenes';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';
import { SceneLayerCheck } from './scene-layer-check';

const keyParamsSchema = z.object({ key: sceneKeySchema });

/** Wall scenes: what a wall shows (an event's zones, layers, KPI tiles, cameras, a framed area) and its words for them. */
@ApiTags('scenes')
@Controller('scenes')
export class ScenesController {
  constructor(
    private readonly scenes: SceneService,
    private readonly layerCheck: SceneLayerCheck,
  ) {}

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
  getScene(@Param({ schema: keyParamsSchema }) { key }: { key: string }): Promise<SceneView> {
    return this.scenes.get(key);
  }

  /** Creates or replaces the scene; sending the same body again changes nothing. */
  @Put(':key')
  @Endpoint({ summary: 'Create or replace a wall scene', access: { users: ['admin'], scoped: false }, ok: sceneViewSchema, errors: [400] })
  async putScene(
    @Param({ schema: keyParamsSchema }) { key }: { key: string },
    @Body({ schema: sceneDefinitionSchema }) scene: SceneDefinition,
  ): Promise<SceneView> {
    return this.scenes.put(key, scene, await this.layerCheck.issues(scene.layers));
  }

  @Delete(':key')
  @Endpoint({
    summary: 'Delete a wall scene (rotations skip it); answers what it was',
    access: { users: ['admin'], scoped: false },
    ok: sceneViewSchema,
    errors: [400, 404],
  })
  deleteScene(@Param({ schema: keyParamsSchema }) { key }: { key: string }): Promise<SceneView> {
    return this.scenes.delete(key);
  }
}

/** Wall rotations: ordered scenes with dwell times, the default one and a display's own. */
@ApiTags('scenes')
@Controller()
export class PlaylistsController {
  constructor(private readonly scenes: SceneService) {}

  @Get('playlists')
  @Endpoint({ summary: 'Every wall playlist', access: { users: ['admin'], scoped: false }, ok: z.array(playlistViewSchema) })
  listPlaylists(): Promise<PlaylistView[]> {
    return this.scenes.listPlaylists();
  }

  @Get('playlists/:key')
  @Endpoint({ summary: 'A wall playlist', access: { users: ['admin'], scoped: false }, ok: playlistViewSchema, errors: [400, 404] })
  getPlaylist(@Param({ schema: keyParamsSchema }) { key }: { key: string }): Promise<PlaylistView> {
    return this.scenes.getPlaylist(key);
  }

  /** Creates or replaces the playlist; sending the same body again changes nothing (not even `updatedAt`). */
  @Put('playlists/:key')
  @Endpoint({
    summary: 'Create or replace a wall playlist (key `default`: every wall without its own)',
    access: { users: ['admin'], scoped: false },
    ok: playlistViewSchema,
    errors: [400],
  })
  putPlaylist(
    @Param({ schema: keyParamsSchema }) { key }: { key: string },
    @Body({ schema: playlistDefinitionSchema }) playlist: PlaylistDefinition,
  ): Promise<PlaylistView> {
    return this.scenes.putPlaylist(key, playlist);
  }

  @Delete('playlists/:key')
  @Endpoint({
    summary: 'Delete a wall playlist; answers what it was',
    access: { users: ['admin'], scoped: false },
    ok: playlistViewSchema,
    errors: [400, 404],
  })
  deletePlaylist(@Param({ schema: keyParamsSchema }) { key }: { key: string }): Promise<PlaylistView> {
    return this.scenes.deletePlaylist(key);
  }

  /** What the calling wall rotates through: a display's own playlist, else the default one. */
  @Get('wall/playlist')
  @Endpoint({
    summary: 'The calling wall’s rotation',
    access: { users: 'any', displays: true, scoped: false },
    ok: wallPlaylistAnswerSchema,
  })
  async wallPlaylist(@CurrentPrincipal() caller: Principal): Promise<WallPlaylistAnswer> {
    return { playlist: await this.scenes.playlistFor(caller.kind === 'display' ? caller.subject : null) };
  }
}
