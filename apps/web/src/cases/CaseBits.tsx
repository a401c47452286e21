import type { CaseSource, CaseState, CaseSummary } from '@cityops/contracts';
import { useI18n } from '../i18n';
import { formatCountdown, runningDeadline } from './case-deadline';
import { SOURCE_ICONS, SOURCE_LABELS, STATE_COLORS, STATE_LABELS, supervisionText } from './case-labels';

/** A state as a coloured badge (the colour of its board column and of its point on the map). */
export function StateBadge({ state }: { state: CaseState }) {
  const { t } = useI18n();
  return (
    <span className="state-badge" style={{ borderColor: STATE_COLORS[state], color: STATE_COLORS[state] }} data-state={state}>
      {t(STATE_LABELS[state])}
    </span>
  );
}

/** Where a case came from: a glyph and its label (on a board card the label is the glyph's tooltip). */
export function SourceLabel({ source, iconOnly = false }: { source: CaseSource; iconOnly?: boolean }) {
  const { t } = useI18n();
  const label = t(SOURCE_LABELS[source]);
  return (
    <span className="case-source" data-source={source} title={iconOnly ? label : undefined}>
      <span className="case-source-icon" aria-hidden="true">
        {SOURCE_ICONS[source]}
      </span>
      {iconOnly ? <span className="visually-hidden">{label}</span> : label}
    </span>
  );
}

/** The running deadline counting down (red once overdue), or a dash when the case runs against none. */
export function Countdown({ item, now }: { item: Pick<CaseSummary, 'state' | 'acceptDueAt' | 'resolveDueAt' | 'overdue'>; now: number }) {
  const { t, lang } = useI18n();
  const deadline = runningDeadline(item, now);
  if (!deadline) return <span className="dim">{t('caseNoDeadline')}</span>;
  return (
    <span
      className={`case-countdown${deadline.overdue ? ' case-countdown--overdue' : ''}`}
      data-testid="case-countdown"
      data-stage={deadline.stage}
      data-overdue={deadline.overdue ? 'true' : 'false'}
    >
      {formatCountdown(deadline, lang)}
    </span>
  );
}

/** 督办: the overdue stage has been passed up the hierarchy; who supervises it now. */
export function SupervisionBadge({ supervision }: { supervision: NonNullable<CaseSummary['supervision']> }) {
  const { t } = useI18n();
  return (
    <span className="case-supervision" data-testid="case-supervision" data-level={supervision.level}>
      {supervisionText(supervision, t)}
    </span>
  );
}
