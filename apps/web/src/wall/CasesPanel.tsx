import { useEffect, useState } from 'react';
import type { AreaView, SceneCases } from '@cityops/contracts';
import { fetchArea } from '../api/analyst-map-api';
import { isAbortError } from '../api/client';
import { localized } from '../cases/case-labels';
import { formatClock, formatInteger, formatPercent } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import type { LiveClient } from '../live/socket';
import { SUPERVISION_COLORS } from '../map/layers/cases-layer.style';
import { ProblemMessage } from '../ProblemMessage';
import { isFading } from './supervision-ticker';
import { useCasesPanel } from './useCasesPanel';

const LEVEL_LABELS: Record<number, MessageKey> = {
  1: 'caseSupervisionLevel1',
  2: 'caseSupervisionLevel2',
  3: 'caseSupervisionLevel3',
  4: 'caseSupervisionLevel4',
};

/** The area the panel counts: a district the wall knows, else read once; null for the city. */
function usePanelArea(areaId: number | null, districts: readonly AreaView[]): AreaView | null {
  const known = areaId === null ? null : (districts.find((d) => d.id === areaId) ?? null);
  const [fetched, setFetched] = useState<AreaView | null>(null);
  useEffect(() => {
    if (areaId === null || known) return undefined;
    const controller = new AbortController();
    fetchArea(areaId, controller.signal).then(setFetched, (error: unknown) => {
      // Out of the display's sight or gone: the panel counts nothing rather than the wrong area.
      if (!isAbortError(error)) setFetched(null);
    });
    return () => controller.abort();
  }, [areaId, known]);
  return known ?? (fetched?.id === areaId ? fetched : null);
}

export interface CasesPanelProps {
  spec: SceneCases;
  /** The scene's focus area: counted when the panel names none. */
  focusAreaId: number | null;
  districts: readonly AreaView[];
  cityName: string | null;
  live: LiveClient | null;
}

/**
 * The scene's cases panel (issue 10): open, overdue and supervised (督办) cases of its area, the
 * 企业呼 24-hour promise kept by district, and the newest 督办 notices as they come (each fading
 * after a while). Numbers big enough to read across the room.
 */
export function CasesPanel({ spec, focusAreaId, districts, cityName, live }: CasesPanelProps) {
  const { t, lang } = useI18n();
  const areaId = spec.areaId ?? focusAreaId;
  const area = usePanelArea(areaId, districts);
  const data = useCasesPanel(live, areaId === null ? null : area, districts);
  const dash = '—';
  const figure = (n: number | null) => (n === null ? dash : formatInteger(n, lang));
  const areaName = area ? localized(area.name, area.nameEn, lang) : (cityName ?? t('sceneCamerasCity'));

  return (
    <section className="panel cases-panel" aria-labelledby="cases-panel-title" data-testid="cases-panel" data-area={area?.code ?? 'city'}>
      <header className="panel-header">
        <h2 id="cases-panel-title" className="panel-title">
          {t('wallCasesTitle')}
        </h2>
        <span className="panel-subtitle">{areaName}</span>
      </header>
      <div className="cases-figures">
        <div className="cases-figure" data-testid="cases-open" data-value={data.open ?? ''}>
          <span className="cases-figure-value">{figure(data.open)}</span>
          <span className="cases-figure-label">{t('wallCasesOpen')}</span>
        </div>
        <div
          className={data.overdue ? 'cases-figure cases-figure--warn' : 'cases-figure'}
          data-testid="cases-overdue"
          data-value={data.overdue ?? ''}
        >
          <span className="cases-figure-value">{figure(data.overdue)}</span>
          <span className="cases-figure-label">{t('wallCasesOverdue')}</span>
        </div>
        <div
          className={data.supervised ? 'cases-figure cases-figure--critical' : 'cases-figure'}
          data-testid="cases-supervised"
          data-value={data.supervised ?? ''}
        >
          <span className="cases-figure-value">{figure(data.supervised)}</span>
          <span className="cases-figure-label">{t('wallCasesSupervised')}</span>
        </div>
      </div>

      <h3 className="cases-section-title">{t('wallCasesPromise')}</h3>
      <ul className="cases-promise" data-testid="cases-promise">
        {data.enterprise === null ? <li className="cases-note">{t('loading')}</li> : null}
        {data.enterprise?.length === 0 ? <li className="cases-note">{t('wallCasesPromiseNone')}</li> : null}
        {data.enterprise?.map((row) => (
          <li key={row.key} data-testid="cases-promise-row" data-district={row.key}>
            <span className="cases-promise-name">{localized(row.name, row.nameEn, lang)}</span>
            <span className="cases-promise-rate">{row.promiseKeptRate === null ? dash : formatPercent(row.promiseKeptRate)}</span>
            <span className="cases-promise-count">{t('wallCasesPromiseCount', { n: row.enterpriseRequests })}</span>
          </li>
        ))}
      </ul>

      <h3 className="cases-section-title">{t('wallCasesTicker')}</h3>
      <ol className="cases-ticker" data-testid="cases-ticker" aria-live="polite">
        {data.notices.length === 0 ? <li className="cases-note">{t('wallCasesTickerNone')}</li> : null}
        {data.notices.map((n) => {
          const level = LEVEL_LABELS[n.level];
          return (
            <li
              key={n.key}
              className={isFading(n, data.now) ? 'cases-notice cases-notice--fading' : 'cases-notice'}
              data-testid="cases-notice"
              data-code={n.code}
              data-level={n.level}
              style={{ borderLeftColor: SUPERVISION_COLORS[n.level as 1 | 2 | 3 | 4] ?? SUPERVISION_COLORS[4] }}
            >
              <span className="cases-notice-head">
                <span className="cases-notice-level">{t('wallCasesNoticeLevel', { level: level ? t(level) : String(n.level) })}</span>
                <span className="cases-notice-time">{formatClock(n.at)}</span>
              </span>
              <span className="cases-notice-body">
                {t(n.stage === 'accept' ? 'wallCasesNoticeAccept' : 'wallCasesNoticeResolve', {
                  area: n.areaName ?? n.districtName ?? '',
                  category: localized(n.categoryName, n.categoryNameEn, lang),
                })}
              </span>
              <span className="cases-notice-code">{n.code}</span>
            </li>
          );
        })}
      </ol>
      <ProblemMessage error={data.error} className="panel-problem" />
    </section>
  );
}
