import { DUPLICATE_RADIUS_METERS, DUPLICATE_WINDOW_HOURS } from '@cityops/contracts';
import { fetchCaseDuplicates } from '../api/grid-worker-api';
import { useResource } from '../catalog/useResource';
import { useI18n } from '../i18n';
import { StateBadge } from './CaseList';

/**
 * While the worker reports: the open cases of the chosen category already filed near the phone's
 * position (the server's duplicate rule), so a second report of one problem can open the first
 * case instead. Nothing is shown until there is a category and a position, nor when none is near;
 * a failed look-up stays quiet, as filing does not depend on it.
 */
export function DuplicateHints({
  category,
  position,
  onOpen,
}: {
  category: string;
  position: { lat: number; lon: number } | null;
  onOpen: (code: string) => void;
}) {
  const { t } = useI18n();
  // Rounded to about a metre: a GPS fix that moves by centimetres is not a new question.
  const key = category && position ? `case-duplicates:${category}:${position.lat.toFixed(5)}:${position.lon.toFixed(5)}` : null;
  const duplicates = useResource(key, (signal) =>
    position ? fetchCaseDuplicates({ category, lat: position.lat, lon: position.lon }, signal) : Promise.resolve([]),
  );
  const found = duplicates.data ?? [];
  if (!key || !found.length) return null;
  return (
    <section className="m-duplicates" data-testid="m-duplicates" aria-live="polite">
      <p className="m-duplicates-title">{t('mDuplicatesTitle', { n: found.length })}</p>
      <p className="m-hint">{t('mDuplicatesHint', { m: DUPLICATE_RADIUS_METERS, h: DUPLICATE_WINDOW_HOURS })}</p>
      <ul className="m-duplicate-list">
        {found.map(({ case: c, distanceMeters }) => (
          <li key={c.code}>
            <button
              type="button"
              className="m-duplicate"
              onClick={() => onOpen(c.code)}
              data-testid="m-duplicate"
              data-code={c.code}
              data-state={c.state}
            >
              <span className="m-case-top">
                <StateBadge state={c.state} />
                <span className="m-case-code">{c.code}</span>
                <span className="m-duplicate-distance" data-testid="m-duplicate-distance">
                  {t('mDuplicateDistance', { m: distanceMeters })}
                </span>
              </span>
              <span className="m-case-description">{c.description}</span>
              <span className="m-duplicate-open">{t('mDuplicateOpen')} ›</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
