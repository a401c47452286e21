import {
  type AggregationAcross,
  type AggregationPerEntity,
  type IndicatorDefinitionView,
  type IndicatorWriteInput,
  type Normalisation,
  type NoDataPolicy,
  type Severity,
  type ThresholdOperator,
  SEVERITIES,
} from '@cityops/contracts';
import type { ZoneSetSummary } from '../../api/admin-api';
import { ApiError } from '../../api/client';
import type { Lang } from '../../i18n';

/** One row of the thresholds table, numbers as typed. */
export interface ThresholdRow {
  level: Severity;
  op: ThresholdOperator;
  value: string;
  clear: string;
}

/** The editor's values: numbers as the inputs hold them (text), choices as the API names them. */
export interface IndicatorFormValues {
  key: string;
  name: string;
  nameEn: string;
  theme: string;
  unit: string;
  decimals: string;
  percent: boolean;
  description: string;
  descriptionEn: string;
  sourceKind: 'aggregate' | 'composite';
  feed: string;
  metric: string;
  windowSeconds: string;
  perEntity: AggregationPerEntity;
  across: AggregationAcross;
  normalise: Normalisation | '';
  formula: string;
  groupingKind: 'levels' | 'zoneSet';
  levels: string[];
  zoneSet: string;
  thresholds: ThresholdRow[];
  pendingSeconds: string;
  keepFiringSeconds: string;
  noDataAfterSeconds: string;
  noDataPolicy: NoDataPolicy | '';
  evaluateEverySeconds: string;
  enabled: boolean;
}

export const EMPTY_INDICATOR_FORM: IndicatorFormValues = {
  key: '',
  name: '',
  nameEn: '',
  theme: 'general',
  unit: '',
  decimals: '1',
  percent: false,
  description: '',
  descriptionEn: '',
  sourceKind: 'aggregate',
  feed: '',
  metric: '',
  windowSeconds: '300',
  perEntity: 'latest',
  across: 'sum',
  normalise: '',
  formula: '',
  groupingKind: 'levels',
  levels: ['district'],
  zoneSet: '',
  thresholds: [],
  pendingSeconds: '0',
  keepFiringSeconds: '0',
  noDataAfterSeconds: '',
  noDataPolicy: '',
  evaluateEverySeconds: '',
  enabled: true,
};

/** The editor's fields a server error can land on (a path of the API is mapped to one by `fieldOfPath`). */
export const INDICATOR_FIELDS = [
  'key',
  'name',
  'nameEn',
  'theme',
  'unit',
  'format',
  'description',
  'descriptionEn',
  'source',
  'feed',
  'metric',
  'windowSeconds',
  'perEntity',
  'across',
  'normalise',
  'formula',
  'grouping',
  'thresholds',
  'threshold0',
  'threshold1',
  'threshold2',
  'pendingSeconds',
  'keepFiringSeconds',
  'noData',
  'evaluateEverySeconds',
  'enabled',
] as const;
export type IndicatorField = (typeof INDICATOR_FIELDS)[number];

const SOURCE_FIELDS: Record<string, IndicatorField> = {
  feed: 'feed',
  metric: 'metric',
  windowSeconds: 'windowSeconds',
  perEntity: 'perEntity',
  across: 'across',
  normalise: 'normalise',
  formula: 'formula',
};

/** `source.metric` → `metric`, `thresholds.levels.1.value` → `threshold1`: where the editor shows an API error. */
export function fieldOfPath(path: string): IndicatorField | null {
  const [head, second, third] = path.split('.');
  if (head === 'source') return (second && SOURCE_FIELDS[second]) || 'source';
  if (head === 'format') return 'format';
  if (head === 'grouping') return 'grouping';
  if (head === 'thresholds') {
    if (second === 'levels' && third !== undefined && /^[0-2]$/.test(third)) return `threshold${third}` as IndicatorField;
    if (second === 'pendingSeconds' || second === 'keepFiringSeconds') return second;
    if (second === 'noData') return 'noData';
    return 'thresholds';
  }
  return (INDICATOR_FIELDS as readonly string[]).includes(head) ? (head as IndicatorField) : null;
}

/** The API's refusal with its paths renamed to the editor's fields, so `formErrors` places each under its input. */
export function onEditorFields(failure: unknown): unknown {
  if (!(failure instanceof ApiError) || !failure.problem.errors?.length) return failure;
  return new ApiError({
    ...failure.problem,
    errors: failure.problem.errors.map((e) => ({ ...e, path: fieldOfPath(e.path) ?? e.path })),
  });
}

const trimmedOrNull = (text: string): string | null => (text.trim() ? text.trim() : null);

/** A number as typed; text that is not one goes to the server as it is, so its refusal names the field. */
function numberOf(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

/** Sent as typed when it is not a number: the server answers a 400 naming the field. */
function numeric(text: string): number | string {
  const n = numberOf(text);
  return Number.isFinite(n) ? n : text.trim();
}

/**
 * The body of POST, PUT and the preview: the definition as the editor shows it. Numbers the admin
 * typed wrongly are sent as they are, so the server's 400 says which field; empty optional
 * fields are left out and take their defaults.
 */
export function indicatorDefinition(values: IndicatorFormValues): IndicatorWriteInput {
  const source: IndicatorWriteInput['source'] =
    values.sourceKind === 'composite'
      ? { kind: 'composite', formula: values.formula.trim() }
      : {
          kind: 'aggregate',
          feed: values.feed.trim(),
          metric: values.metric.trim(),
          windowSeconds: numeric(values.windowSeconds) as number,
          perEntity: values.perEntity,
          across: values.across,
          ...(values.normalise ? { normalise: values.normalise } : {}),
        };
  const grouping: IndicatorWriteInput['grouping'] =
    values.groupingKind === 'zoneSet' ? { zoneSet: values.zoneSet.trim() } : { levels: [...values.levels] };
  const thresholds: IndicatorWriteInput['thresholds'] = values.thresholds.length
    ? {
        levels: values.thresholds.map((row) => ({
          level: row.level,
          op: row.op,
          value: numeric(row.value) as number,
          ...(row.clear.trim() ? { clear: numeric(row.clear) as number } : {}),
        })),
        pendingSeconds: numeric(values.pendingSeconds || '0') as number,
        keepFiringSeconds: numeric(values.keepFiringSeconds || '0') as number,
        ...(values.noDataPolicy
          ? { noData: { afterSeconds: numeric(values.noDataAfterSeconds) as number, policy: values.noDataPolicy } }
          : {}),
      }
    : null;
  return {
    key: values.key.trim(),
    name: values.name.trim(),
    nameEn: trimmedOrNull(values.nameEn),
    theme: values.theme.trim() || 'general',
    unit: trimmedOrNull(values.unit),
    format: { decimals: numeric(values.decimals || '0') as number, percent: values.percent },
    description: trimmedOrNull(values.description),
    descriptionEn: trimmedOrNull(values.descriptionEn),
    grouping,
    source,
    thresholds,
    evaluateEverySeconds: values.evaluateEverySeconds.trim() ? (numeric(values.evaluateEverySeconds) as number) : null,
    enabled: values.enabled,
  };
}

const text = (n: number | null | undefined): string => (n === null || n === undefined ? '' : String(n));

/** A saved indicator as the editor shows it for editing. */
export function indicatorFormValues(view: IndicatorDefinitionView): IndicatorFormValues {
  const { source, grouping, thresholds } = view;
  const aggregate = source.kind === 'aggregate' ? source : null;
  return {
    key: view.key,
    name: view.name,
    nameEn: view.nameEn ?? '',
    theme: view.theme,
    unit: view.unit ?? '',
    decimals: String(view.format.decimals),
    percent: view.format.percent,
    description: view.description ?? '',
    descriptionEn: view.descriptionEn ?? '',
    sourceKind: source.kind,
    feed: aggregate?.feed ?? '',
    metric: aggregate?.metric ?? '',
    windowSeconds: aggregate ? String(aggregate.windowSeconds) : EMPTY_INDICATOR_FORM.windowSeconds,
    perEntity: aggregate?.perEntity ?? EMPTY_INDICATOR_FORM.perEntity,
    across: aggregate?.across ?? EMPTY_INDICATOR_FORM.across,
    normalise: aggregate?.normalise ?? '',
    formula: source.kind === 'composite' ? source.formula : '',
    groupingKind: 'zoneSet' in grouping ? 'zoneSet' : 'levels',
    levels: 'levels' in grouping ? [...grouping.levels] : [],
    zoneSet: 'zoneSet' in grouping ? grouping.zoneSet : '',
    thresholds: (thresholds?.levels ?? []).map((l) => ({ level: l.level, op: l.op, value: String(l.value), clear: text(l.clear) })),
    pendingSeconds: text(thresholds?.pendingSeconds ?? 0),
    keepFiringSeconds: text(thresholds?.keepFiringSeconds ?? 0),
    noDataAfterSeconds: text(thresholds?.noData?.afterSeconds),
    noDataPolicy: thresholds?.noData?.policy ?? '',
    evaluateEverySeconds: text(view.evaluateEverySeconds),
    enabled: view.enabled,
  };
}

/** The next threshold row: the first level not yet used, pointing the way the others do. */
export function nextThresholdRow(rows: readonly ThresholdRow[]): ThresholdRow | null {
  const level = SEVERITIES.find((s) => !rows.some((r) => r.level === s));
  if (!level) return null;
  return { level, op: rows[0]?.op ?? '>=', value: '', clear: '' };
}

/** Problems found before anything is sent: only what needs no server (required text), by field. */
export function missingFields(values: IndicatorFormValues): IndicatorField[] {
  const missing: IndicatorField[] = [];
  if (!values.key.trim()) missing.push('key');
  if (!values.name.trim()) missing.push('name');
  if (values.sourceKind === 'aggregate') {
    if (!values.feed.trim()) missing.push('feed');
    if (!values.metric.trim()) missing.push('metric');
  } else if (!values.formula.trim()) missing.push('formula');
  if (values.groupingKind === 'zoneSet' ? !values.zoneSet.trim() : values.levels.length === 0) missing.push('grouping');
  values.thresholds.forEach((row, i) => {
    if (!row.value.trim()) missing.push(`threshold${i}` as IndicatorField);
  });
  return missing;
}

/** One choice of the zone set select. */
export interface ZoneSetOption {
  key: string;
  /** In the page's language (the Chinese name when there is no English one); null when not listed. */
  name: string | null;
  /** The current value is not among the listed zone sets (deleted, or never there): still shown, marked. */
  unknown: boolean;
}

/**
 * The zone set select's choices: every listed zone set, and the current value first when the
 * list does not have it, so that editing an indicator never silently drops its grouping. While
 * the list is loading (or could not be loaded) the current value is shown as it is, not marked.
 */
export function zoneSetOptions(current: string, listed: readonly ZoneSetSummary[] | null, lang: Lang): ZoneSetOption[] {
  const key = current.trim();
  const options: ZoneSetOption[] = (listed ?? []).map((z) => ({
    key: z.key,
    name: (lang === 'en' ? z.nameEn : null) ?? z.name,
    unknown: false,
  }));
  if (key && !options.some((o) => o.key === key)) options.unshift({ key, name: null, unknown: listed !== null });
  return options;
}

/** `预警 ≥ 0.8`, `严重 ≥ 1`: the thresholds a line each, for the list. */
export function thresholdLines(view: IndicatorDefinitionView, levelName: (level: Severity) => string): string[] {
  return (view.thresholds?.levels ?? []).map((l) => `${levelName(l.level)} ${OP_SIGNS[l.op]} ${l.value}`);
}

export const OP_SIGNS: Record<ThresholdOperator, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<' };
