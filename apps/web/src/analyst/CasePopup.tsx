import { useEffect, useState } from 'react';
import type { CaseDetail } from '@cityops/contracts';
import { fetchCase } from '../api/cases-api';
import { ApiError, isAbortError } from '../api/client';
import { formatCountdown, runningDeadline } from '../cases/case-deadline';
import { localized, STATE_COLORS, STATE_LABELS, supervisionText } from '../cases/case-labels';
import { serverNow } from '../clock';
import { useI18n } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';

/**
 * A case clicked on the map: its code, category, state, running deadline and supervision (督办),
 * read from the case itself (the point carries only what styles it), and a link to the case.
 */
export function CasePopup({ code }: { code: string }) {
  const { t, lang } = useI18n();
  /** `at`: when it was read (the countdown is as of then; a popup is open for moments). */
  const [loaded, setLoaded] = useState<{ code: string; detail: CaseDetail | null; error: ApiError | null; at: number } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    fetchCase(code, controller.signal).then(
      (detail) => setLoaded({ code, detail, error: null, at: serverNow() }),
      (error: unknown) => {
        if (!isAbortError(error)) setLoaded({ code, detail: null, error: error instanceof ApiError ? error : null, at: serverNow() });
      },
    );
    return () => controller.abort();
  }, [code]);

  const detail = loaded?.code === code ? loaded.detail : null;
  const deadline = detail && loaded ? runningDeadline(detail, loaded.at) : null;
  return (
    <div className="map-popup case-popup" data-testid="map-popup" data-kind="case" data-code={code} data-loaded={detail ? 'true' : 'false'}>
      <h3>{code}</h3>
      {detail ? (
        <dl>
          <div>
            <dt>{t('mapCaseCategory')}</dt>
            <dd data-testid="case-popup-category">{localized(detail.categoryName, detail.categoryNameEn, lang)}</dd>
          </div>
          <div>
            <dt>{t('mapCaseState')}</dt>
            <dd data-testid="case-popup-state">
              <span className="state-dot" style={{ background: STATE_COLORS[detail.state] }} aria-hidden="true" />{' '}
              {t(STATE_LABELS[detail.state])}
            </dd>
          </div>
          <div>
            <dt>{t('mapCaseDeadline')}</dt>
            <dd data-testid="case-popup-deadline" className={deadline?.overdue ? 'case-popup-overdue' : undefined}>
              {deadline ? formatCountdown(deadline, lang) : t('caseNoDeadline')}
            </dd>
          </div>
          <div>
            <dt>{t('mapCaseSupervision')}</dt>
            <dd data-testid="case-popup-supervision">
              {detail.supervision ? supervisionText(detail.supervision, t) : t('mapCaseNotSupervised')}
            </dd>
          </div>
        </dl>
      ) : loaded?.error ? (
        <ProblemMessage error={loaded.error} />
      ) : (
        <p className="dim">{t('loading')}</p>
      )}
      <a className="case-popup-link" href={`/cases/${encodeURIComponent(code)}`} data-testid="case-popup-link">
        {t('mapCaseOpen')}
      </a>
    </div>
  );
}
