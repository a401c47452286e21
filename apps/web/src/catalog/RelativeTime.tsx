import { formatDateTime, formatRelative } from '../format';
import { useI18n } from '../i18n';

/**
 * "3 秒前" with the exact Guangzhou time as tooltip, or the "never" text for null. `now` comes
 * from the caller (one clock per page, not one timer per cell).
 */
export function RelativeTime({ value, now, empty }: { value: string | null; now: number; empty?: string }) {
  const { t, lang } = useI18n();
  if (!value) return <span className="dim">{empty ?? t('never')}</span>;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return <span>{value}</span>;
  return (
    <time dateTime={value} title={formatDateTime(ms)}>
      {formatRelative(ms, now, lang)}
    </time>
  );
}
