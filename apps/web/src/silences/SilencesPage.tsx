import { useMemo, useState } from 'react';
import type { IndicatorDefinitionView, SessionUser } from '@cityops/contracts';
import { ConfirmButton } from '../admin/common/ConfirmButton';
import type { Notice } from '../admin/common/notice';
import { localName, type AreaNode } from '../admin/scope/area-tree';
import { AreaDirectoryProvider } from '../admin/scope/AreaDirectory';
import { LevelTag } from '../admin/scope/ScopeList';
import { fetchIndicators } from '../api/indicators-api';
import { endSilence, fetchSilences, type SilenceView } from '../api/silences-api';
import { LoadState } from '../catalog/DetailSection';
import { themeLabel } from '../catalog/labels';
import { useResource } from '../catalog/useResource';
import { formatDateTime, formatRelative } from '../format';
import { FormProblem } from '../forms/FormMessages';
import { useFormErrors } from '../forms/useFormErrors';
import { useI18n, type MessageKey } from '../i18n';
import { PageHeader } from '../PageHeader';
import { useNow } from '../useNow';
import { groupSilences, mayEnd, phaseOf, type SilencePhase } from './silence-form';
import { SilenceForm } from './SilenceForm';
import { useAreaNames } from './useAreaNames';

const PHASE_TITLES: Record<SilencePhase, MessageKey> = {
  active: 'silencesActive',
  upcoming: 'silencesUpcoming',
  ended: 'silencesEnded',
};

/** `/silences`: the silences in effect, to come and over, with a form to add one and a button to end one early. */
export function SilencesPage({ user }: { user: SessionUser | null }) {
  const { lang } = useI18n();
  return (
    <AreaDirectoryProvider>
      <div className="catalog silences" data-lang={lang}>
        <SilencesHeader user={user} />
        <SilencesBoard cityWide={user?.cityWide ?? false} />
      </div>
    </AreaDirectoryProvider>
  );
}

function SilencesHeader({ user }: { user: SessionUser | null }) {
  const { t } = useI18n();
  return (
    <PageHeader
      className="silences-header"
      title={t('silencesTitle')}
      subtitle={t('silencesSubtitle')}
      link={{ href: '/wall', label: t('homeWall') }}
      user={user}
    />
  );
}

function SilencesBoard({ cityWide }: { cityWide: boolean }) {
  const { t } = useI18n();
  const silences = useResource('silences', fetchSilences);
  const indicators = useResource('indicators', fetchIndicators);
  const [formOpen, setFormOpen] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const { errors: actionErrors, fail: failAction, clear: clearAction } = useFormErrors<never>([]);
  const [busyId, setBusyId] = useState<string | null>(null);
  // Coarse: a silence moves from "in effect" to "ended" within half a minute of its end.
  const now = useNow(30_000);
  const { reload } = silences;

  const groups = useMemo(() => groupSilences(silences.data ?? [], now), [silences.data, now]);
  const byKey = useMemo(() => new Map((indicators.data ?? []).map((i) => [i.key, i])), [indicators.data]);
  const areaIds = useMemo(() => (silences.data ?? []).flatMap((s) => (s.areaId === null ? [] : [s.areaId])), [silences.data]);
  const areaOf = useAreaNames(areaIds);

  const open = (next: boolean) => {
    setFormOpen(next);
    setNotice(null);
    clearAction();
  };

  const end = async (silence: SilenceView) => {
    setBusyId(silence.id);
    clearAction();
    setNotice(null);
    try {
      await endSilence(silence.id);
      setNotice({ key: 'silenceEndedNotice', params: { reason: silence.reason } });
      reload();
    } catch (failure) {
      failAction(failure);
    } finally {
      setBusyId(null);
    }
  };

  const phases: SilencePhase[] = ['active', 'upcoming', 'ended'];
  return (
    <div className={`silences-body admin-split${formOpen ? ' admin-split--open' : ''}`}>
      <section className="admin-panel" aria-labelledby="silences-title" data-testid="silences">
        <div className="section-head">
          <h2 id="silences-title" className="section-title">
            {t('silencesTitle')}
          </h2>
          {silences.data ? <span className="section-subtitle">{t('silencesCount', { n: groups.active.length })}</span> : null}
          <div className="section-actions">
            <button type="button" className="quiet-button" onClick={reload} disabled={silences.loading} data-testid="silences-refresh">
              {t('refresh')}
            </button>
            <button type="button" className="quiet-button quiet-button--accent" onClick={() => open(true)} data-testid="silence-create">
              {t('silenceCreateButton')}
            </button>
          </div>
        </div>
        <p className="section-intro">{t('silencesIntro')}</p>
        {notice ? (
          <p className="notice" role="status" data-testid="silences-notice">
            {t(notice.key, notice.params)}
          </p>
        ) : null}
        <FormProblem errors={actionErrors} />
        <LoadState loading={silences.loading} error={silences.error} empty={silences.data?.length === 0} onRetry={reload} />
        {silences.data?.length
          ? phases.map((phase) =>
              groups[phase].length ? (
                <section key={phase} className="silence-group" data-testid="silence-group" data-phase={phase}>
                  <h3 className="silence-group-title">
                    {t(PHASE_TITLES[phase])} <span className="silence-group-count">{groups[phase].length}</span>
                  </h3>
                  <ul className="silence-list">
                    {groups[phase].map((silence) => {
                      const area = silence.areaId === null ? undefined : areaOf(silence.areaId);
                      return (
                        <SilenceCard
                          key={silence.id}
                          silence={silence}
                          now={now}
                          indicator={silence.indicatorKey === null ? undefined : byKey.get(silence.indicatorKey)}
                          area={area}
                          endable={mayEnd(silence, now, cityWide, area !== undefined)}
                          busy={busyId === silence.id}
                          onEnd={() => void end(silence)}
                        />
                      );
                    })}
                  </ul>
                </section>
              ) : null,
            )
          : null}
      </section>
      {formOpen ? (
        <aside className="admin-panel admin-side" data-testid="silence-side-panel">
          <SilenceForm
            indicators={indicators.data ?? []}
            cityWide={cityWide}
            onCreated={(silence) => {
              reload();
              open(false);
              setNotice({ key: 'silenceCreatedNotice', params: { reason: silence.reason } });
            }}
            onCancel={() => open(false)}
          />
        </aside>
      ) : null}
    </div>
  );
}

interface SilenceCardProps {
  silence: SilenceView;
  now: number;
  indicator: IndicatorDefinitionView | undefined;
  area: AreaNode | undefined;
  endable: boolean;
  busy: boolean;
  onEnd: () => void;
}

/** One silence: what it matches, why, who, from when to when, and the button to end it. */
function SilenceCard({ silence, now, indicator, area, endable, busy, onEnd }: SilenceCardProps) {
  const { t, lang } = useI18n();
  const phase = phaseOf(silence, now);
  const endsAt = Date.parse(silence.endsAt);
  const when =
    phase === 'active'
      ? t('silenceEndsIn', { rel: formatRelative(endsAt, now, lang) })
      : phase === 'upcoming'
        ? t('silenceStartsIn', { rel: formatRelative(Date.parse(silence.startsAt), now, lang) })
        : silence.expiredAt
          ? t('silenceEndedEarly', { time: formatDateTime(silence.expiredAt) })
          : t('silenceRanOut');
  return (
    <li className={`silence-card silence-card--${phase}`} data-testid="silence-row" data-id={silence.id} data-phase={phase}>
      <div className="silence-targets">
        {silence.indicatorKey !== null ? (
          <span className="silence-target" data-testid="silence-indicator">
            <span className="silence-target-label">{t('silenceIndicator')}</span>
            {indicator ? localName(indicator, lang) : silence.indicatorKey}
          </span>
        ) : null}
        {silence.areaId !== null ? (
          <span className="silence-target" data-testid="silence-area">
            <span className="silence-target-label">{t('silenceArea')}</span>
            {area ? localName(area, lang) : (silence.areaCode ?? `#${silence.areaId}`)}
            {area ? <LevelTag level={area.level} /> : null}
          </span>
        ) : null}
        {silence.theme !== null ? (
          <span className="silence-target" data-testid="silence-theme">
            <span className="silence-target-label">{t('silenceTheme')}</span>
            {themeLabel(t, silence.theme)}
          </span>
        ) : null}
      </div>
      <p className="silence-reason" data-testid="silence-reason">
        {silence.reason}
      </p>
      <div className="silence-meta">
        <span className="num-text silence-period">
          {formatDateTime(silence.startsAt)} → {formatDateTime(silence.endsAt)}
        </span>
        <span className={`silence-when silence-when--${phase}`}>{when}</span>
        <span className="dim">{t('silenceBy', { name: silence.createdBy })}</span>
      </div>
      {phase !== 'ended' ? (
        <div className="silence-actions">
          {endable ? (
            <ConfirmButton
              label={t('silenceEnd')}
              question={t('silenceEndQuestion')}
              confirmLabel={t('silenceEndConfirm')}
              onConfirm={onEnd}
              busy={busy}
              testId="silence-end"
            />
          ) : (
            <span className="dim small">{t('silenceNotYours')}</span>
          )}
        </div>
      ) : null}
    </li>
  );
}
