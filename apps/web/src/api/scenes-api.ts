import type { PlaylistDefinitionInput, PlaylistView, SceneDefinitionInput, SceneView } from '@cityops/contracts';
import { apiRequest } from './client';

export type { PlaylistDefinitionInput, PlaylistView, SceneDefinitionInput, SceneView } from '@cityops/contracts';

const scenePath = (key: string) => `/api/scenes/${encodeURIComponent(key)}`;
const playlistPath = (key: string) => `/api/playlists/${encodeURIComponent(key)}`;

/** Every scene, enabled or not, in the wall's order (position, then key). */
export function fetchScenes(signal?: AbortSignal): Promise<SceneView[]> {
  return apiRequest<SceneView[]>('/api/scenes', { signal });
}

/** PUT creates or replaces: the key is in the path, not the body. */
export function putScene(key: string, scene: SceneDefinitionInput): Promise<SceneView> {
  return apiRequest<SceneView>(scenePath(key), { method: 'PUT', body: scene });
}

export function deleteScene(key: string): Promise<SceneView> {
  return apiRequest<SceneView>(scenePath(key), { method: 'DELETE' });
}

export function fetchPlaylists(signal?: AbortSignal): Promise<PlaylistView[]> {
  return apiRequest<PlaylistView[]>('/api/playlists', { signal });
}

export function putPlaylist(key: string, playlist: PlaylistDefinitionInput): Promise<PlaylistView> {
  return apiRequest<PlaylistView>(playlistPath(key), { method: 'PUT', body: playlist });
}

export function deletePlaylist(key: string): Promise<PlaylistView> {
  return apiRequest<PlaylistView>(playlistPath(key), { method: 'DELETE' });
}
