import type { SceneDefinitionInput, SceneKind, SceneView } from '@cityops/contracts';
import { ApiError } from '../../api/client';

/** The most KPI tiles and layers a scene takes (the API's limits, checked before sending). */
export const MAX_SCENE_KPIS = 6;
export const MAX_SCENE_LAYERS = 12;

/** One KPI tile row as the editor holds it. */
export interface KpiRow {
  indicatorKey: string;
  areaId: number | null;
  label: string;
  labelEn: string;
}

/** The editor's values: numbers as the inputs hold them (text), choices as the API names them. */
export interface SceneFormValues {
  key: string;
  kind: SceneKind;
  name: string;
  nameEn: string;
  zoneSet: string;
  indicatorKey: string;
  feedKey: string;
  totalLabel: string;
  totalLabelEn: string;
  totalUnit: string;
  totalUnitEn: string;
  zoneLabel: string;
  zoneLabelEn: string;
  zoneUnit: string;
  zoneUnitEn: string;
  focusAreaId: number | null;
  /** Bottom first, as the map draws them. */
  layers: string[];
  kpis: KpiRow[];
  camerasOn: boolean;
  camerasFeedKey: string;
  camerasAreaId: number | null;
  camerasCount: string;
  /** The cases panel (open, overdue, supervised, 企业呼, 督办 notices), of an area or the scene's. */
  casesOn: boolean;
  casesAreaId: number | null;
  /** West, south, east, north; all empty: no bounds. */
  bounds: [string, string, string, string];
  position: string;
  enabled: boolean;
}

export const EMPTY_SCENE_FORM: SceneFormValues = {
  key: '',
  kind: 'theme',
  name: '',
  nameEn: '',
  zoneSet: '',
  indicatorKey: '',
  feedKey: '',
  totalLabel: '',
  totalLabelEn: '',
  totalUnit: '',
  totalUnitEn: '',
  zoneLabel: '',
  zoneLabelEn: '',
  zoneUnit: '',
  zoneUnitEn: '',
  focusAreaId: null,
  layers: [],
  kpis: [],
  camerasOn: false,
  camerasFeedKey: '',
  camerasAreaId: null,
  camerasCount: '4',
  casesOn: false,
  casesAreaId: null,
  bounds: ['', '', '', ''],
  position: '0',
  enabled: true,
};

export const EMPTY_KPI_ROW: KpiRow = { indicatorKey: '', areaId: null, label: '', labelEn: '' };

/** The fields only an event scene has (sent as null for the other kinds). */
export const EVENT_FIELDS = [
  'zoneSet',
  'indicatorKey',
  'feedKey',
  'totalLabel',
  'totalLabelEn',
  'totalUnit',
  'totalUnitEn',
  'zoneLabel',
  'zoneLabelEn',
  'zoneUnit',
  'zoneUnitEn',
] as const;
export type EventField = (typeof EVENT_FIELDS)[number];

const ROW_FIELDS = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** The editor's fields a server error can land on (`fieldOfPath` maps an API path to one). */
export const SCENE_FIELDS = [
  'key',
  'kind',
  'name',
  'nameEn',
  ...EVENT_FIELDS,
  'focusAreaId',
  'layers',
  ...ROW_FIELDS('layer', MAX_SCENE_LAYERS),
  'kpis',
  ...ROW_FIELDS('kpi', MAX_SCENE_KPIS),
  'cameras',
  'camerasFeedKey',
  'camerasAreaId',
  'camerasCount',
  'cases',
  'casesAreaId',
  'bounds',
  'position',
  'enabled',
] as const as readonly SceneField[];
export type SceneField =
  | 'key'
  | 'kind'
  | 'name'
  | 'nameEn'
  | EventField
  | 'focusAreaId'
  | 'layers'
  | `layer${number}`
  | 'kpis'
  | `kpi${number}`
  | 'cameras'
  | 'camerasFeedKey'
  | 'camerasAreaId'
  | 'camerasCount'
  | 'cases'
  | 'casesAreaId'
  | 'bounds'
  | 'position'
  | 'enabled';

const CAMERA_FIELDS: Record<string, SceneField> = { feedKey: 'camerasFeedKey', areaId: 'camerasAreaId', count: 'camerasCount' };

/** `3` of `kpis.3.label`; null when the path does not go on to a row. */
export function rowIndex(segment: string | undefined): number | null {
  return segment !== undefined && /^\d+$/.test(segment) ? Number(segment) : null;
}

/** `kpis.1.label` → `kpi1`, `layers.0` → `layer0`, `cameras.count` → `camerasCount`: where the editor shows an API error. */
export function fieldOfPath(path: string): SceneField | null {
  const [head, second] = path.split('.');
  const row = rowIndex(second);
  if (head === 'layers') return row !== null && row < MAX_SCENE_LAYERS ? `layer${row}` : 'layers';
  if (head === 'kpis') return row !== null && row < MAX_SCENE_KPIS ? `kpi${row}` : 'kpis';
  if (head === 'cameras') return (second && CAMERA_FIELDS[second]) || 'cameras';
  if (head === 'cases') return second === 'areaId' ? 'casesAreaId' : 'cases';
  return (SCENE_FIELDS as readonly string[]).includes(head) ? (head as SceneField) : null;
}

/** The API's refusal with its paths renamed to the editor's fields, so `formErrors` places each under its input. */
export function onSceneFields(failure: unknown): unknown {
  if (!(failure instanceof ApiError) || !failure.problem.errors?.length) return failure;
  return new ApiError({
    ...failure.problem,
    errors: failure.problem.errors.map((e) => ({ ...e, path: fieldOfPath(e.path) ?? e.path })),
  });
}

const trimmedOrNull = (text: string): string | null => (text.trim() ? text.trim() : null);

/** A number as typed; text that is not one goes to the server as it is, so that its 400 names the field. */
function numeric(text: string): number {
  const trimmed = text.trim();
  const n = trimmed === '' ? Number.NaN : Number(trimmed);
  return (Number.isFinite(n) ? n : trimmed) as number;
}

/**
 * The body of `PUT /api/scenes/:key`: the scene as the editor shows it. The event's fields are
 * sent only for an event (the API refuses a zone set or an indicator on the other kinds); the
 * focus area only for a district; numbers typed wrongly go as typed, for the server to name.
 */
export function sceneDefinition(values: SceneFormValues): SceneDefinitionInput {
  const event = values.kind === 'event';
  const eventText = (field: EventField): string | null => (event ? trimmedOrNull(values[field]) : null);
  const bounds = values.bounds.every((b) => !b.trim())
    ? null
    : ([
        [numeric(values.bounds[0]), numeric(values.bounds[1])],
        [numeric(values.bounds[2]), numeric(values.bounds[3])],
      ] as [[number, number], [number, number]]);
  return {
    kind: values.kind,
    name: values.name.trim(),
    nameEn: trimmedOrNull(values.nameEn),
    ...(Object.fromEntries(EVENT_FIELDS.map((f) => [f, eventText(f)])) as Record<EventField, string | null>),
    focusAreaId: values.kind === 'district' ? values.focusAreaId : null,
    layers: values.layers.map((l) => l.trim()),
    kpis: values.kpis.map((k) => ({
      indicatorKey: k.indicatorKey,
      areaId: k.areaId,
      label: k.label.trim(),
      labelEn: trimmedOrNull(k.labelEn),
    })),
    cameras: values.camerasOn
      ? { feedKey: values.camerasFeedKey, areaId: values.camerasAreaId, count: numeric(values.camerasCount) }
      : null,
    cases: values.casesOn ? { areaId: values.casesAreaId } : null,
    bounds,
    position: numeric(values.position || '0'),
    enabled: values.enabled,
  };
}

const text = (n: number | null | undefined): string => (n === null || n === undefined ? '' : String(n));

/** A saved scene as the editor shows it for editing. */
export function sceneFormValues(view: SceneView): SceneFormValues {
  return {
    key: view.key,
    kind: view.kind,
    name: view.name,
    nameEn: view.nameEn ?? '',
    ...(Object.fromEntries(EVENT_FIELDS.map((f) => [f, view[f] ?? ''])) as Record<EventField, string>),
    focusAreaId: view.focusAreaId,
    layers: [...view.layers],
    kpis: view.kpis.map((k) => ({ indicatorKey: k.indicatorKey, areaId: k.areaId, label: k.label, labelEn: k.labelEn ?? '' })),
    camerasOn: view.cameras !== null,
    camerasFeedKey: view.cameras?.feedKey ?? '',
    camerasAreaId: view.cameras?.areaId ?? null,
    camerasCount: view.cameras ? String(view.cameras.count) : EMPTY_SCENE_FORM.camerasCount,
    casesOn: view.cases !== null,
    casesAreaId: view.cases?.areaId ?? null,
    bounds: view.bounds
      ? [text(view.bounds[0][0]), text(view.bounds[0][1]), text(view.bounds[1][0]), text(view.bounds[1][1])]
      : ['', '', '', ''],
    position: String(view.position),
    enabled: view.enabled,
  };
}

/** A problem found before sending, as a message key of the editor with its parameters. */
export interface ClientProblem {
  field: SceneField;
  problem: 'required' | 'taken' | 'range' | 'bounds';
  params?: Record<string, number>;
}

function integerIn(text: string, min: number, max: number): boolean {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max;
}

/**
 * What the API's schema would refuse that needs no server: required text per kind, the camera
 * count's and the position's range, the bounds' order. References (does the indicator, area,
 * feed, layer exist?) and key patterns are left to the server, whose 400 lands on the same fields.
 */
export function sceneProblems(values: SceneFormValues, creating: boolean): ClientProblem[] {
  const problems: ClientProblem[] = [];
  const required = (field: SceneField, value: string | number | null) => {
    if (value === null || (typeof value === 'string' && !value.trim())) problems.push({ field, problem: 'required' });
  };
  if (creating) required('key', values.key);
  required('name', values.name);
  if (values.kind === 'event') {
    for (const field of ['zoneSet', 'indicatorKey', 'totalLabel', 'zoneLabel'] as const) required(field, values[field]);
  }
  if (values.kind === 'district') required('focusAreaId', values.focusAreaId);
  values.kpis.forEach((k, i) => {
    if (!k.indicatorKey || !k.label.trim()) problems.push({ field: `kpi${i}`, problem: 'required' });
  });
  if (values.camerasOn) {
    required('camerasFeedKey', values.camerasFeedKey);
    if (!integerIn(values.camerasCount, 1, 12)) problems.push({ field: 'camerasCount', problem: 'range', params: { min: 1, max: 12 } });
  }
  if (!integerIn(values.position || '0', 0, 1_000_000))
    problems.push({ field: 'position', problem: 'range', params: { min: 0, max: 1_000_000 } });
  if (values.bounds.some((b) => b.trim())) {
    const [w, s, e, n] = values.bounds.map((b) => Number(b.trim()));
    const numbers = values.bounds.every((b) => b.trim() !== '' && Number.isFinite(Number(b.trim())));
    if (!numbers || w >= e || s >= n) problems.push({ field: 'bounds', problem: 'bounds' });
  }
  return problems;
}

/** The list moved: `index` one place up (-1) or down (+1); unchanged at an end. */
export function moved<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (to < 0 || to >= list.length) return [...list];
  const next = [...list];
  [next[index], next[to]] = [next[to], next[index]];
  return next;
}

/** `/wall?scene=<key>`: the wall holding that one scene. */
export function wallPreviewHref(key: string): string {
  return `/wall?scene=${encodeURIComponent(key)}`;
}
