import { formatClock, formatDate } from '../format';
import { useI18n } from '../i18n';
import { useNow } from '../useNow';

/** Big Guangzhou-time clock with seconds, and the date. */
export function LiveClock() {
  const { lang } = useI18n();
  const now = useNow(1000);
  const date = new Date(now);
  return (
    <div className="clock" data-testid="clock">
      <time className="clock-time" dateTime={date.toISOString()}>
        {formatClock(date)}
      </time>
      <span className="clock-date">{formatDate(date, lang)}</span>
    </div>
  );
}
