import type { DepartmentView, FeedDefinition, FeedHealthStatus, FeedKind } from '@cityops/contracts';
import type { Lang, MessageKey, Translate } from '../i18n';

/** Health as shown in the catalog; `unknown` until the first health list arrived. */
export type HealthShown = FeedHealthStatus | 'unknown';

const STATUS_LABELS: Record<HealthShown, MessageKey> = {
  ok: 'statusOk',
  stale: 'statusStale',
  failing: 'statusFailing',
  silent: 'statusSilent',
  unknown: 'statusUnknown',
};

const KIND_LABELS: Record<FeedKind, MessageKey> = {
  observation: 'kindObservation',
  entity: 'kindEntity',
  event: 'kindEvent',
};

/** Labels for the theme keys in use; any other theme is shown by its key. */
const THEME_LABELS: Partial<Record<string, MessageKey>> = {
  crowd: 'themeCrowd',
  general: 'themeGeneral',
  traffic: 'themeTraffic',
  environment: 'themeEnvironment',
  water: 'themeWater',
  weather: 'themeWeather',
  safety: 'themeSafety',
  energy: 'themeEnergy',
  health: 'themeHealth',
  overview: 'themeOverview',
  construction: 'themeConstruction',
  major_events: 'themeMajorEvents',
  public_services: 'themePublicServices',
  emergency: 'themeEmergency',
  urban_management: 'themeUrbanManagement',
  business: 'themeBusiness',
};

const SOURCE_LABELS: Partial<Record<string, MessageKey>> = {
  http: 'sourceHttp',
  mqtt: 'sourceMqtt',
  pull: 'sourcePull',
  replay: 'sourceReplay',
};

export function statusLabel(t: Translate, status: HealthShown): string {
  return t(STATUS_LABELS[status]);
}

export function kindLabel(t: Translate, kind: FeedKind): string {
  return t(KIND_LABELS[kind]);
}

/** The theme keys that have a label, in the order a picker offers them. */
export const LABELLED_THEMES: readonly string[] = Object.keys(THEME_LABELS);

export function themeLabel(t: Translate, theme: string): string {
  const key = THEME_LABELS[theme];
  return key ? t(key) : theme;
}

export function sourceLabel(t: Translate, source: string): string {
  const key = SOURCE_LABELS[source];
  return key ? t(key) : source;
}

/** English name when there is one and the page is in English, else the Chinese name. */
export function feedName(feed: Pick<FeedDefinition, 'name' | 'nameEn'>, lang: Lang): string {
  return lang === 'en' && feed.nameEn ? feed.nameEn : feed.name;
}

export function departmentName(department: Pick<DepartmentView, 'name' | 'nameEn'>, lang: Lang): string {
  return lang === 'en' && department.nameEn ? department.nameEn : department.name;
}
