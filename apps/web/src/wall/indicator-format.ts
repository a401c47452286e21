import { localeOf, type Lang } from '../i18n';

/**
 * How an indicator's value is written: its unit and display format. Both are optional: the
 * indicator definitions gain `unit`/`format` with the indicator engine; before that a ratio
 * (unit `ratio`, e.g. load against capacity) is written as a percentage.
 */
export interface ValueStyle {
  unit?: string | null;
  format?: { decimals?: number; percent?: boolean } | null;
}

function isPercent(style: ValueStyle): boolean {
  return style.format?.percent ?? style.unit === 'ratio';
}

/** The unit written after the number; none for a percentage or a bare ratio. */
export function unitLabel(style: ValueStyle): string {
  if (isPercent(style)) return '%';
  return style.unit && style.unit !== 'ratio' ? style.unit : '';
}

/** The number alone, in the indicator's format ("118", "3.2", "1,204"). */
export function formatValueNumber(value: number, style: ValueStyle, lang: Lang): string {
  const percent = isPercent(style);
  const decimals = Math.min(4, Math.max(0, style.format?.decimals ?? (percent ? 0 : Math.abs(value) < 10 ? 1 : 0)));
  const shown = percent ? value * 100 : value;
  return new Intl.NumberFormat(localeOf(lang), { minimumFractionDigits: 0, maximumFractionDigits: decimals }).format(shown);
}

/** The value with its unit ("118%", "156 AQI", "3.2 km/h"). */
export function formatValue(value: number, style: ValueStyle, lang: Lang): string {
  const unit = unitLabel(style);
  const number = formatValueNumber(value, style, lang);
  if (!unit) return number;
  return unit === '%' ? `${number}%` : `${number} ${unit}`;
}
