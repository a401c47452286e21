import { describe, expect, it } from '@jest/globals';
import { playlistDefinitionSchema, type PlaylistView } from '@cityops/contracts';
import {
  EMPTY_PLAYLIST_FORM,
  playlistDefinition,
  playlistFieldOfPath,
  playlistFormValues,
  playlistProblems,
  playlistsNaming,
} from './playlist-form';

const DEFAULT: PlaylistView = {
  key: 'default',
  name: '演示轮播',
  entries: [
    { scene: 'gz-overview', dwellSeconds: 60 },
    { scene: 'gz-marathon', dwellSeconds: 120 },
  ],
  displayId: null,
  interruptOnCritical: true,
  holdSeconds: null,
  updatedAt: '2026-11-30T08:00:00Z',
};

const LOBBY: PlaylistView = {
  ...DEFAULT,
  key: 'lobby',
  name: '大厅',
  entries: [{ scene: 'gz-flood', dwellSeconds: 30 }],
  displayId: '6f1c7d2e-8a3b-4c5d-9e0f-1a2b3c4d5e6f',
  interruptOnCritical: false,
  holdSeconds: 600,
};

describe('playlist form ↔ body of PUT /api/playlists/:key', () => {
  it.each([DEFAULT, LOBBY])('round-trips playlist $key', (playlist) => {
    const { key: _key, updatedAt: _updatedAt, ...definition } = playlist;
    const body = playlistDefinition(playlistFormValues(playlist));
    expect(body).toEqual(definition);
    expect(playlistDefinitionSchema.parse(body)).toEqual(definition);
  });

  it('sends no display as null and an empty hold as null; numbers typed wrongly as typed', () => {
    const body = playlistDefinition({
      ...EMPTY_PLAYLIST_FORM,
      name: ' 新轮播 ',
      entries: [
        { scene: 'a', dwellSeconds: '15' },
        { scene: 'b', dwellSeconds: 'x' },
      ],
    });
    expect(body).toEqual({
      name: '新轮播',
      entries: [
        { scene: 'a', dwellSeconds: 15 },
        { scene: 'b', dwellSeconds: 'x' },
      ],
      displayId: null,
      interruptOnCritical: true,
      holdSeconds: null,
    });
  });
});

describe('playlistProblems', () => {
  it('asks for key, name, a scene per stop; checks dwell and hold ranges; the default names no display', () => {
    const problems = playlistProblems(
      {
        key: 'default',
        name: '',
        entries: [
          { scene: '', dwellSeconds: '60' },
          { scene: 'a', dwellSeconds: '4' },
        ],
        displayId: 'd1',
        interruptOnCritical: true,
        holdSeconds: '5',
      },
      true,
    );
    expect(problems).toEqual([
      { field: 'name', problem: 'required' },
      { field: 'entry0', problem: 'required' },
      { field: 'entry1', problem: 'range', params: { min: 5, max: 3600 } },
      { field: 'holdSeconds', problem: 'range', params: { min: 10, max: 86_400 } },
      { field: 'displayId', problem: 'defaultHasNoDisplay' },
    ]);
    expect(playlistProblems({ ...EMPTY_PLAYLIST_FORM, entries: [] }, true).map((p) => p.field)).toEqual(['key', 'name', 'entries']);
  });

  it('maps entry paths of the server onto their rows', () => {
    expect(playlistFieldOfPath('entries.3.scene')).toBe('entry3');
    expect(playlistFieldOfPath('entries')).toBe('entries');
    expect(playlistFieldOfPath('displayId')).toBe('displayId');
    expect(playlistFieldOfPath('other')).toBeNull();
  });

  it('finds the playlists that name a scene', () => {
    expect(playlistsNaming('gz-flood', [DEFAULT, LOBBY]).map((p) => p.key)).toEqual(['lobby']);
    expect(playlistsNaming('gz-flood', null)).toEqual([]);
  });
});
