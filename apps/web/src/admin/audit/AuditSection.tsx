import { useState, type FormEvent } from 'react';
import { AUDIT_OUTCOMES, downloadAuditCsv, fetchAuditPage, type AuditEventView, type AuditOutcome } from '../../api/admin-api';
import { LoadState } from '../../catalog/DetailSection';
import { JsonDetails } from '../../catalog/JsonPreview';
import { useResource } from '../../catalog/useResource';
import { formatDateTime } from '../../format';
import { formErrors, NO_FORM_ERRORS, type FormErrors } from '../../forms/form-errors';
import { FieldMessages, FormProblem } from '../../forms/FormMessages';
import { useFormErrors } from '../../forms/useFormErrors';
import { useI18n, type MessageKey } from '../../i18n';
import { roleLabel } from '../common/labels';
import { NotAvailable } from '../common/NotAvailable';
import {
  AUDIT_FIELDS,
  auditCsvFileName,
  auditFilterProblems,
  auditQueryOf,
  currentCursor,
  FIRST_PAGE,
  NO_AUDIT_FILTER,
  newerPage,
  olderPage,
  type AuditField,
  type AuditFilterState,
  type AuditPaging,
} from './audit-query';

const PAGE_SIZE = 50;

const OUTCOME_LABELS: Record<AuditOutcome, MessageKey> = {
  success: 'outcomeSuccess',
  denied: 'outcomeDenied',
  failed: 'outcomeFailed',
};

/** Beginnings of the actions recorded, offered while typing the action filter. */
const ACTION_SUGGESTIONS = ['auth.', 'auth.sign_in', 'user.', 'display.', 'feed_key.', 'feed.', 'indicator.', 'alert.', 'scene.', 'area.'];

/** 审计日志: who did what to what, newest first, filtered, a page at a time; the filtered rows as CSV. */
export function AuditSection() {
  const { t } = useI18n();
  const [draft, setDraft] = useState<AuditFilterState>(NO_AUDIT_FILTER);
  const [applied, setApplied] = useState<AuditFilterState>(NO_AUDIT_FILTER);
  const [paging, setPaging] = useState<AuditPaging>(FIRST_PAGE);
  const { errors: filterProblems, formRef: filterFormRef, refuse: refuseFilter, clear: clearFilterErrors } = useFormErrors(AUDIT_FIELDS);
  const { errors: csvProblems, fail: failCsv, clear: clearCsvErrors } = useFormErrors(AUDIT_FIELDS);
  const [downloading, setDownloading] = useState(false);

  const query = auditQueryOf(applied);
  const cursor = currentCursor(paging);
  const page = useResource(`audit:${JSON.stringify(query)}:${cursor ?? 'newest'}`, (signal) =>
    fetchAuditPage(query, cursor, PAGE_SIZE, signal),
  );
  const unavailable = page.error?.status === 404;
  // A filter the server refused (400) is shown on its fields, like a form's.
  const serverFilterErrors = page.error?.status === 400 ? formErrors(page.error, AUDIT_FIELDS, t) : null;

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (Object.keys(auditFilterProblems(draft, t)).length) {
      refuseFilter((tr) => auditFilterProblems(draft, tr));
      return;
    }
    clearFilterErrors();
    setApplied(draft);
    setPaging(FIRST_PAGE);
  };

  const clear = () => {
    setDraft(NO_AUDIT_FILTER);
    setApplied(NO_AUDIT_FILTER);
    setPaging(FIRST_PAGE);
    clearFilterErrors();
  };

  const download = async () => {
    setDownloading(true);
    clearCsvErrors();
    try {
      const file = await downloadAuditCsv(query);
      const url = URL.createObjectURL(file.blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = file.fileName ?? auditCsvFileName(new Date());
      document.body.append(link);
      link.click();
      link.remove();
      // The browser has taken the file once the click was handled.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (failure) {
      failCsv(failure);
    } finally {
      setDownloading(false);
    }
  };

  const shownErrors: FormErrors<AuditField> = filterProblems.summary ? filterProblems : (serverFilterErrors ?? NO_FORM_ERRORS);
  const set = (patch: Partial<AuditFilterState>) => setDraft((d) => ({ ...d, ...patch }));
  const events = page.data?.events ?? null;
  const firstPage = paging.cursors.length === 1;

  return (
    <section className="admin-panel admin-list" aria-labelledby="admin-audit-title" data-testid="admin-audit">
      <div className="section-head">
        <h2 id="admin-audit-title" className="section-title">
          {t('adminAudit')}
        </h2>
        <span className="section-subtitle">{t('auditSubtitle')}</span>
        {unavailable ? null : (
          <div className="section-actions">
            <button
              type="button"
              className="quiet-button quiet-button--accent"
              onClick={() => void download()}
              disabled={downloading}
              data-testid="audit-csv"
            >
              {downloading ? t('auditCsvPreparing') : t('auditCsv')}
            </button>
          </div>
        )}
      </div>
      {unavailable ? (
        <NotAvailable what={t('adminAudit')} endpoint="/api/audit" />
      ) : (
        <>
          <form ref={filterFormRef} className="admin-filters audit-filters" onSubmit={apply} noValidate data-testid="audit-filters">
            <label className="filter-field">
              <span className="filter-label-text">{t('auditActor')}</span>
              <input
                className="text-input"
                name="actor"
                value={draft.actor}
                placeholder={t('auditActorPlaceholder')}
                onChange={(e) => set({ actor: e.target.value })}
              />
              <FieldMessages messages={shownErrors.byField.actor} />
            </label>
            <label className="filter-field">
              <span className="filter-label-text">{t('auditAction')}</span>
              <input
                className="text-input"
                name="action"
                list="audit-action-suggestions"
                value={draft.action}
                placeholder={t('auditActionPlaceholder')}
                onChange={(e) => set({ action: e.target.value })}
              />
              <datalist id="audit-action-suggestions">
                {ACTION_SUGGESTIONS.map((a) => (
                  <option key={a} value={a} />
                ))}
              </datalist>
              <FieldMessages messages={shownErrors.byField.action} />
            </label>
            <label className="filter-field">
              <span className="filter-label-text">{t('auditTargetType')}</span>
              <input
                className="text-input filter-input--short"
                name="targetType"
                value={draft.targetType}
                placeholder="user"
                onChange={(e) => set({ targetType: e.target.value })}
              />
              <FieldMessages messages={shownErrors.byField.targetType} />
            </label>
            <label className="filter-field">
              <span className="filter-label-text">{t('auditTargetId')}</span>
              <input className="text-input" name="targetId" value={draft.targetId} onChange={(e) => set({ targetId: e.target.value })} />
              <FieldMessages messages={shownErrors.byField.targetId} />
            </label>
            <label className="filter-field">
              <span className="filter-label-text">{t('auditOutcome')}</span>
              <select
                className="select-input"
                name="outcome"
                value={draft.outcome}
                onChange={(e) => set({ outcome: e.target.value as AuditOutcome | '' })}
              >
                <option value="">{t('filterAll')}</option>
                {AUDIT_OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {t(OUTCOME_LABELS[o])}
                  </option>
                ))}
              </select>
            </label>
            <label className="filter-field">
              <span className="filter-label-text">{t('auditFrom')}</span>
              <input
                className="text-input filter-input--time"
                name="from"
                value={draft.from}
                placeholder={t('auditTimePlaceholder')}
                inputMode="numeric"
                onChange={(e) => set({ from: e.target.value })}
              />
              <FieldMessages messages={shownErrors.byField.from} />
            </label>
            <label className="filter-field">
              <span className="filter-label-text">{t('auditTo')}</span>
              <input
                className="text-input filter-input--time"
                name="to"
                value={draft.to}
                placeholder={t('auditTimePlaceholder')}
                inputMode="numeric"
                onChange={(e) => set({ to: e.target.value })}
              />
              <FieldMessages messages={shownErrors.byField.to} />
            </label>
            <div className="filter-buttons">
              <button type="submit" className="primary-button primary-button--small" data-testid="audit-apply">
                {t('auditApply')}
              </button>
              <button type="button" className="quiet-button" onClick={clear}>
                {t('filterClear')}
              </button>
            </div>
          </form>
          <p className="dim small">{t('auditTimesNote')}</p>
          <FormProblem errors={shownErrors} />
          <FormProblem errors={csvProblems} />
          <LoadState loading={page.loading} error={serverFilterErrors ? null : page.error} empty={!events?.length} onRetry={page.reload} />
          {events?.length ? <AuditTable events={events} /> : null}
          <div className="pager" data-testid="audit-pager">
            <button type="button" className="quiet-button" disabled={firstPage} onClick={() => setPaging(FIRST_PAGE)}>
              {t('pageNewest')}
            </button>
            <button
              type="button"
              className="quiet-button"
              disabled={firstPage}
              onClick={() => setPaging(newerPage(paging))}
              data-testid="audit-newer"
            >
              {t('pageNewer')}
            </button>
            <span className="dim small">{t('pageNumber', { n: paging.cursors.length })}</span>
            <button
              type="button"
              className="quiet-button"
              disabled={!page.data?.nextBefore}
              onClick={() => page.data?.nextBefore && setPaging(olderPage(paging, page.data.nextBefore))}
              data-testid="audit-older"
            >
              {t('pageOlder')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

/** What an event holds beyond its columns, the parts it has (the route's detail, a change's before and after). */
function eventDetail(event: AuditEventView): Record<string, unknown> {
  const parts: Record<string, unknown> = { detail: event.detail, before: event.before, after: event.after, requestId: event.requestId };
  return Object.fromEntries(Object.entries(parts).filter(([, value]) => value !== null && value !== undefined));
}

function AuditTable({ events }: { events: readonly AuditEventView[] }) {
  const { t } = useI18n();
  return (
    <div className="table-scroll">
      <table className="data-table admin-table audit-table" data-testid="audit-table">
        <thead>
          <tr>
            <th>{t('colTime')}</th>
            <th>{t('auditActor')}</th>
            <th>{t('auditAction')}</th>
            <th>{t('auditTarget')}</th>
            <th>{t('auditOutcome')}</th>
            <th>{t('auditClient')}</th>
            <th>{t('auditDetail')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr
              key={event.id}
              data-testid="audit-row"
              data-action={event.action}
              data-outcome={event.outcome}
              data-target={event.targetId ?? ''}
            >
              <td className="nowrap num-text">{formatDateTime(event.at)}</td>
              <td>
                <strong className="cell-main">{event.actorName ?? event.actorId ?? t('auditAnonymous')}</strong>
                <span className="cell-sub">
                  {event.actorKind}
                  {event.actorRoles.length ? ` · ${event.actorRoles.map((r) => roleLabel(t, r)).join(t('listSeparator'))}` : ''}
                </span>
              </td>
              <td>
                <code>{event.action}</code>
              </td>
              <td>
                {event.targetType ? <code>{event.targetType}</code> : <span className="dim">—</span>}
                {event.targetId ? <code className="cell-sub break">{event.targetId}</code> : null}
              </td>
              <td>
                <span className={`chip outcome-chip outcome-chip--${event.outcome}`}>{t(OUTCOME_LABELS[event.outcome])}</span>
              </td>
              <td className="nowrap">{event.clientAddress ?? <span className="dim">—</span>}</td>
              <td className="audit-detail-cell">
                {event.before !== null || event.after !== null || event.detail !== null || event.requestId !== null ? (
                  <JsonDetails value={eventDetail(event)} label={t('auditShowDetail')} />
                ) : (
                  <span className="dim">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
