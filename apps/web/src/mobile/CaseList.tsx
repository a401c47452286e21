import type { CasePage, CaseState, CaseSummary } from '@cityops/contracts';
import type { Resource } from '../catalog/useResource';
import { formatDateTime } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';
import { categoryName } from './ReportForm';
import { currentDeadline } from './worker-cases';

export const STATE_WORDS: Record<CaseState, MessageKey> = {
  reported: 'mStateReported',
  dispatched: 'mStateDispatched',
  accepted: 'mStateAccepted',
  in_progress: 'mStateInProgress',
  resolved: 'mStateResolved',
  verified: 'mStateVerified',
  closed: 'mStateClosed',
  returned: 'mStateReturned',
  invalid: 'mStateInvalid',
  duplicate: 'mStateDuplicate',
  cancelled: 'mStateCancelled',
};

export function StateBadge({ state }: { state: CaseState }) {
  const { t } = useI18n();
  return (
    <span className={`m-badge m-badge--${state}`} data-testid="m-state" data-state={state}>
      {t(STATE_WORDS[state])}
    </span>
  );
}

/** "处置期限 12-01 17:30" in the city's time; red once passed. */
export function DeadlineLine({ c }: { c: CaseSummary }) {
  const { t } = useI18n();
  const deadline = currentDeadline(c);
  if (!deadline) return null;
  // MM-DD HH:MM is enough on a phone: deadlines are days away at most.
  const time = formatDateTime(deadline.at).slice(5, 16);
  return (
    <span className={`m-deadline${deadline.overdue ? ' m-deadline--overdue' : ''}`} data-testid="m-deadline">
      {deadline.overdue ? `${t('mOverdue')} · ` : ''}
      {t('mDue', { stage: t(deadline.stage === 'accept' ? 'mDueAccept' : 'mDueResolve'), time })}
    </span>
  );
}

/** The worker's open cases, those waiting for the check on site first and marked. */
export function CaseList({
  cases,
  resource,
  onOpen,
}: {
  cases: CaseSummary[];
  resource: Resource<CasePage>;
  onOpen: (code: string) => void;
}) {
  const { t, lang } = useI18n();
  const waiting = cases.filter((c) => c.state === 'resolved').length;
  return (
    <section className="m-cases" data-testid="m-cases">
      <div className="m-cases-head">
        <span className="m-cases-count">{waiting ? t('mWaitingCheck', { n: waiting }) : null}</span>
        <button
          type="button"
          className="m-small-button"
          onClick={resource.reload}
          disabled={resource.loading}
          data-testid="m-cases-refresh"
        >
          {t('mCasesRefresh')}
        </button>
      </div>
      {resource.error ? <ProblemMessage error={resource.error} /> : null}
      {resource.data && cases.length === 0 ? <p className="m-empty">{t('mCasesEmpty')}</p> : null}
      {!resource.data && !resource.error ? <p className="m-empty">{t('loading')}</p> : null}
      <ul className="m-case-list">
        {cases.map((c) => (
          <li key={c.code}>
            <button
              type="button"
              className={`m-case${c.state === 'resolved' ? ' m-case--check' : ''}`}
              onClick={() => onOpen(c.code)}
              data-testid="m-case"
              data-code={c.code}
              data-state={c.state}
            >
              <span className="m-case-top">
                <StateBadge state={c.state} />
                <span className="m-case-code">{c.code}</span>
              </span>
              <span className="m-case-category">{categoryName({ name: c.categoryName, nameEn: c.categoryNameEn }, lang)}</span>
              <span className="m-case-description">{c.description}</span>
              <span className="m-case-where">{c.address ?? c.gridName}</span>
              <DeadlineLine c={c} />
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
