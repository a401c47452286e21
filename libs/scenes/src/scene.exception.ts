import { DomainException } from '@cityops/core';

export class SceneNotFoundError extends DomainException<'scene_not_found'> {
  constructor(key: string) {
    super('scene_not_found', 404, 'Unknown scene', `There is no scene "${key}". GET /api/scenes lists the scenes.`);
  }
}

export class PlaylistNotFoundError extends DomainException<'playlist_not_found'> {
  constructor(key: string) {
    super('playlist_not_found', 404, 'Unknown playlist', `There is no wall playlist "${key}". GET /api/playlists lists them.`);
  }
}
