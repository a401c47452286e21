import { DEFAULT_PLAYLIST_KEY, type PlaylistDefinitionInput, type PlaylistView } from '@cityops/contracts';
import { ApiError } from '../../api/client';
import { rowIndex } from './scene-form';

/** The API's limits on a rotation, checked before sending. */
export const MAX_PLAYLIST_ENTRIES = 50;
export const DWELL_RANGE = { min: 5, max: 3600 } as const;
export const HOLD_RANGE = { min: 10, max: 86_400 } as const;

export interface EntryRow {
  scene: string;
  dwellSeconds: string;
}

export interface PlaylistFormValues {
  key: string;
  name: string;
  entries: EntryRow[];
  /** A display's id; '' = none (the default rotation, or a spare one). */
  displayId: string;
  interruptOnCritical: boolean;
  /** '' = until the alert is handled. */
  holdSeconds: string;
}

export const NEW_ENTRY: EntryRow = { scene: '', dwellSeconds: '60' };

export const EMPTY_PLAYLIST_FORM: PlaylistFormValues = {
  key: '',
  name: '',
  entries: [NEW_ENTRY],
  displayId: '',
  interruptOnCritical: true,
  holdSeconds: '',
};

export type PlaylistField = 'key' | 'name' | 'entries' | `entry${number}` | 'displayId' | 'interruptOnCritical' | 'holdSeconds';

export const PLAYLIST_FIELDS: readonly PlaylistField[] = [
  'key',
  'name',
  'entries',
  ...Array.from({ length: MAX_PLAYLIST_ENTRIES }, (_, i) => `entry${i}` as const),
  'displayId',
  'interruptOnCritical',
  'holdSeconds',
];

/** `entries.2.scene` → `entry2`: where the editor shows an API error. */
export function playlistFieldOfPath(path: string): PlaylistField | null {
  const [head, second] = path.split('.');
  const row = rowIndex(second);
  if (head === 'entries') return row !== null && row < MAX_PLAYLIST_ENTRIES ? `entry${row}` : 'entries';
  return (PLAYLIST_FIELDS as readonly string[]).includes(head) ? (head as PlaylistField) : null;
}

export function onPlaylistFields(failure: unknown): unknown {
  if (!(failure instanceof ApiError) || !failure.problem.errors?.length) return failure;
  return new ApiError({
    ...failure.problem,
    errors: failure.problem.errors.map((e) => ({ ...e, path: playlistFieldOfPath(e.path) ?? e.path })),
  });
}

function numeric(text: string): number {
  const trimmed = text.trim();
  const n = trimmed === '' ? Number.NaN : Number(trimmed);
  return (Number.isFinite(n) ? n : trimmed) as number;
}

/** The body of `PUT /api/playlists/:key`; numbers typed wrongly go as typed, for the server to name. */
export function playlistDefinition(values: PlaylistFormValues): PlaylistDefinitionInput {
  return {
    name: values.name.trim(),
    entries: values.entries.map((e) => ({ scene: e.scene, dwellSeconds: numeric(e.dwellSeconds) })),
    displayId: values.displayId || null,
    interruptOnCritical: values.interruptOnCritical,
    holdSeconds: values.holdSeconds.trim() ? numeric(values.holdSeconds) : null,
  };
}

export function playlistFormValues(view: PlaylistView): PlaylistFormValues {
  return {
    key: view.key,
    name: view.name,
    entries: view.entries.map((e) => ({ scene: e.scene, dwellSeconds: String(e.dwellSeconds) })),
    displayId: view.displayId ?? '',
    interruptOnCritical: view.interruptOnCritical,
    holdSeconds: view.holdSeconds === null ? '' : String(view.holdSeconds),
  };
}

export interface PlaylistProblem {
  field: PlaylistField;
  problem: 'required' | 'taken' | 'range' | 'defaultHasNoDisplay';
  params?: Record<string, number>;
}

function integerIn(text: string, { min, max }: { min: number; max: number }): boolean {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max;
}

/** What the API's schema would refuse that needs no server; whether the scenes and the display exist is the server's to say. */
export function playlistProblems(values: PlaylistFormValues, creating: boolean): PlaylistProblem[] {
  const problems: PlaylistProblem[] = [];
  if (creating && !values.key.trim()) problems.push({ field: 'key', problem: 'required' });
  if (!values.name.trim()) problems.push({ field: 'name', problem: 'required' });
  if (values.entries.length === 0) problems.push({ field: 'entries', problem: 'required' });
  values.entries.forEach((e, i) => {
    if (!e.scene) problems.push({ field: `entry${i}`, problem: 'required' });
    else if (!integerIn(e.dwellSeconds, DWELL_RANGE)) problems.push({ field: `entry${i}`, problem: 'range', params: { ...DWELL_RANGE } });
  });
  if (values.holdSeconds.trim() && !integerIn(values.holdSeconds, HOLD_RANGE)) {
    problems.push({ field: 'holdSeconds', problem: 'range', params: { ...HOLD_RANGE } });
  }
  if (values.key.trim() === DEFAULT_PLAYLIST_KEY && values.displayId) problems.push({ field: 'displayId', problem: 'defaultHasNoDisplay' });
  return problems;
}

/** The playlists that name a scene (a deleted scene stays in them and the wall skips it). */
export function playlistsNaming(scene: string, playlists: readonly PlaylistView[] | null): PlaylistView[] {
  return (playlists ?? []).filter((p) => p.entries.some((e) => e.scene === scene));
}
