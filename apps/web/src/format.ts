import { localeOf, translate, type Lang } from './i18n';

/** The command centre runs on Guangzhou time whatever the machine's zone. */
export const CITY_TIME_ZONE = 'Asia/Shanghai';

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: CITY_TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

const dateFormats: Record<Lang, Intl.DateTimeFormat> = {
  zh: new Intl.DateTimeFormat(localeOf('zh'), {
    timeZone: CITY_TIME_ZONE,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'long',
  }),
  en: new Intl.DateTimeFormat(localeOf('en'), {
    timeZone: CITY_TIME_ZONE,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
  }),
};

const integerFormats: Record<Lang, Intl.NumberFormat> = {
  zh: new Intl.NumberFormat(localeOf('zh'), { maximumFractionDigits: 0 }),
  en: new Intl.NumberFormat(localeOf('en'), { maximumFractionDigits: 0 }),
};

/** `hh:mm:ss` in Guangzhou time. */
export function formatClock(date: Date | string | number): string {
  return timeFormat.format(new Date(date));
}

export function formatDate(date: Date, lang: Lang): string {
  return dateFormats[lang].format(date);
}

export function formatInteger(value: number, lang: Lang): string {
  return integerFormats[lang].format(value);
}

/** A ratio (1 = 100 %) as a whole percentage. */
export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

/** Elapsed time, coarse enough for a wall read from across the room. */
export function formatDuration(ms: number, lang: Lang): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return translate(lang, 'durH', { h, m: pad(m) });
  if (m > 0) return translate(lang, 'durM', { m, s: pad(s) });
  return translate(lang, 'durS', { s });
}

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: CITY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `YYYY-MM-DD hh:mm:ss` in Guangzhou time (the same in both languages, sortable by eye). */
export function formatDateTime(value: Date | string | number): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const p of dateTimeFormat.formatToParts(date)) part[p.type] = p.value;
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
}

/** "3 秒前" / "in 2 min": `atMs` relative to `nowMs`, in the largest whole unit. */
export function formatRelative(atMs: number, nowMs: number, lang: Lang): string {
  const diff = nowMs - atMs;
  const seconds = Math.floor(Math.abs(diff) / 1000);
  if (seconds < 1) return translate(lang, 'justNow');
  const past = diff > 0;
  if (seconds < 60) return translate(lang, past ? 'agoS' : 'inS', { n: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return translate(lang, past ? 'agoM' : 'inM', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return translate(lang, past ? 'agoH' : 'inH', { n: hours });
  return translate(lang, past ? 'agoD' : 'inD', { n: Math.floor(hours / 24) });
}

/** A span of seconds in the largest unit that divides it ("5 秒", "15 分钟", "2 h"). */
export function formatSpan(totalSeconds: number, lang: Lang): string {
  const s = Math.round(totalSeconds);
  if (s >= 86400 && s % 86400 === 0) return translate(lang, 'unitDays', { n: s / 86400 });
  if (s >= 3600 && s % 3600 === 0) return translate(lang, 'unitHours', { n: s / 3600 });
  if (s >= 60 && s % 60 === 0) return translate(lang, 'unitMinutes', { n: s / 60 });
  return translate(lang, 'unitSeconds', { n: s });
}

const numberFormats: Record<Lang, Intl.NumberFormat> = {
  zh: new Intl.NumberFormat(localeOf('zh'), { maximumFractionDigits: 3 }),
  en: new Intl.NumberFormat(localeOf('en'), { maximumFractionDigits: 3 }),
};

/** A measured value with up to three decimals and grouping. */
export function formatNumber(value: number, lang: Lang): string {
  return numberFormats[lang].format(value);
}
