import type { AreaView } from '@cityops/contracts';
import type { Lang } from '../i18n';

/** Area names by id in the current language (English falls back to the Chinese name). */
export type AreaNameOf = (areaId: number, fallback: string) => string;

export function areaNameLookup(areas: readonly AreaView[], lang: Lang): AreaNameOf {
  const names = new Map<number, string>();
  for (const area of areas) names.set(area.id, lang === 'en' && area.nameEn ? area.nameEn : area.name);
  return (areaId, fallback) => names.get(areaId) ?? fallback;
}
