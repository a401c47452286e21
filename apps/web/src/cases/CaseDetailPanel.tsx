import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { AlertLevel, CaseAction, CaseCategoryView, CaseDetail, CaseEventView, DepartmentView } from '@cityops/contracts';
import { addCaseNote, fetchCase } from '../api/cases-api';
import { ApiError, isAbortError } from '../api/client';
import { formatDateTime } from '../format';
import { failureTitle } from '../forms/form-errors';
import { FieldMessages, FormProblem } from '../forms/FormMessages';
import { useFormErrors } from '../forms/useFormErrors';
import { useI18n, type Lang, type MessageKey } from '../i18n';
import { problemDetail } from '../problem-messages';
import { ProblemMessage } from '../ProblemMessage';
import { runningDeadline } from './case-deadline';
import { ACTION_LABELS, eventLabel, localized, PRIORITY_LABELS } from './case-labels';
import { caseRefusalText } from './case-server-messages';
import { CaseActions } from './CaseActions';
import { Countdown, SourceLabel, StateBadge, SupervisionBadge } from './CaseBits';
import { CasePhotos } from './CasePhotos';

interface CaseDetailPanelProps {
  code: string;
  now: number;
  departments: readonly DepartmentView[];
  categories: readonly CaseCategoryView[];
  /** Whether the person works cases (and so may add notes), not only reads them. */
  mayNote: boolean;
  onClose: () => void;
  /** Opens another case (merged, split, a possible duplicate) in the panel. */
  onOpen: (code: string) => void;
  /** The case changed here: the list is read again. */
  onChanged: () => void;
  /** Changes when the case changed elsewhere (heard live): the panel reads it again, keeping what it shows meanwhile. */
  version?: number;
}

const ALERT_LEVEL_LABELS: Record<AlertLevel, MessageKey> = { notice: 'levelNotice', warning: 'levelWarning', critical: 'levelCritical' };

type Notice = { kind: 'acted'; action: CaseAction; mergedInto: string | null } | { kind: 'split'; codes: string[] } | { kind: 'note' };

/** One case whole: its fields, where it is, how it was routed, its photos, what may be done now, and its timeline. */
export function CaseDetailPanel({
  code,
  now,
  departments,
  categories,
  mayNote,
  onClose,
  onOpen,
  onChanged,
  version = 0,
}: CaseDetailPanelProps) {
  const { t, lang } = useI18n();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetchCase(code, controller.signal).then(
      (found) => {
        if (controller.signal.aborted) return;
        setDetail(found);
        setError(null);
      },
      (failure: unknown) => {
        if (controller.signal.aborted || isAbortError(failure)) return;
        setError(failure instanceof ApiError ? failure : null);
      },
    );
    return () => controller.abort();
  }, [code, generation, version]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  const departmentName = (key: unknown): string | null => {
    if (typeof key !== 'string') return null;
    const d = departments.find((x) => x.code === key);
    return d ? localized(d.name, d.nameEn, lang) : key;
  };

  const acted = (after: CaseDetail, action: CaseAction) => {
    setDetail(after);
    setRefusal(null);
    setNotice({ kind: 'acted', action, mergedInto: action === 'merge' ? after.mergedInto : null });
    onChanged();
  };
  const split = (codes: string[]) => {
    setRefusal(null);
    setNotice({ kind: 'split', codes });
    // The case now lists what was split off it.
    reload();
    onChanged();
  };
  const refused = (failure: ApiError) => {
    setRefusal(failure);
    setNotice(null);
    // What the page showed is out of date: read the case again so that its state and actions are right.
    reload();
    onChanged();
  };

  const category = detail ? categories.find((c) => c.key === detail.category) : undefined;
  return (
    <aside className="case-detail admin-panel" data-testid="case-detail" data-code={code} data-state={detail?.state ?? ''}>
      <header className="case-detail-head">
        <h2 className="case-detail-code">{code}</h2>
        {detail ? <StateBadge state={detail.state} /> : null}
        <button type="button" className="close-button" onClick={onClose} aria-label={t('caseDetailClose')} data-testid="case-detail-close">
          ×
        </button>
      </header>
      {!detail && !error ? <p className="dim">{t('caseDetailLoading')}</p> : null}
      {error && !detail ? (
        <div className="problem" role="alert" data-testid="case-detail-error">
          <strong className="problem-title">
            {caseRefusalText(error.problem.type, error.problem.detail, t) ?? failureTitle(error, t)}
          </strong>
        </div>
      ) : null}
      {refusal ? (
        <div className="problem case-refusal" role="alert" data-testid="case-refusal" data-status={refusal.status}>
          <strong className="problem-title">{failureTitle(refusal, t)}</strong>
          <span className="problem-detail">
            {caseRefusalText(refusal.problem.type, refusal.problem.detail, t) ?? problemDetail(refusal.problem.detail ?? '', t)}
          </span>
        </div>
      ) : null}
      {notice ? (
        <p className="notice" role="status" data-testid="case-notice" data-kind={notice.kind}>
          {notice.kind === 'acted' ? t('caseActedNotice', { action: t(ACTION_LABELS[notice.action]), code }) : null}
          {notice.kind === 'acted' && notice.mergedInto ? (
            <span className="case-notice-links">
              {' · '}
              {t('caseMergedNotice')} <CaseLinks codes={[notice.mergedInto]} onOpen={onOpen} />
            </span>
          ) : null}
          {notice.kind === 'split' ? (
            <>
              {t('caseSplitNotice')} <CaseLinks codes={notice.codes} onOpen={onOpen} />
            </>
          ) : null}
          {notice.kind === 'note' ? t('caseNoteAdded') : null}
        </p>
      ) : null}
      {detail ? (
        <>
          <p className="case-detail-description" data-testid="case-description">
            {detail.description}
          </p>
          {runningDeadline(detail, now) || detail.supervision ? (
            <div className="case-detail-deadline">
              <Countdown item={detail} now={now} />
              {detail.supervision ? <SupervisionBadge supervision={detail.supervision} /> : null}
            </div>
          ) : null}
          <dl className="case-fields" data-testid="case-fields">
            <Field label={t('caseFieldCategory')}>
              {localized(detail.categoryName, detail.categoryNameEn, lang)}
              {category ? <span className="dim"> · {localized(category.groupName, category.groupNameEn, lang)}</span> : null}
            </Field>
            <Field label={t('caseFieldPriority')}>{t(PRIORITY_LABELS[detail.priority])}</Field>
            <Field label={t('caseFieldSource')}>
              <SourceLabel source={detail.source} />
            </Field>
            <Field label={t('caseFieldDepartment')} testId="case-department">
              {departmentName(detail.department) ?? detail.departmentName ?? <span className="dim">{t('caseUnassigned')}</span>}
            </Field>
            {detail.assignee ? <Field label={t('caseFieldAssignee')}>{detail.assignee}</Field> : null}
            {detail.reporter ? <Field label={t('caseFieldReporter')}>{detail.reporter}</Field> : null}
            {detail.address ? <Field label={t('caseFieldAddress')}>{detail.address}</Field> : null}
            <Field label={t('caseFieldArea')} testId="case-area-path">
              {detail.areaPath.map((a) => a.name).join(' › ') || `${detail.districtName ?? ''} ${detail.gridName}`}
            </Field>
            <Field label={t('caseFieldLocation')}>
              <span className="num-text">
                {detail.location[0].toFixed(5)}, {detail.location[1].toFixed(5)}
              </span>
            </Field>
            <Field label={t('caseFieldRoutedBy')} testId="case-routed-by">
              {detail.routedBy ? (
                t('caseRoutedByRule', {
                  category: ruleCategoryName(detail.routedBy.category, categories, lang) ?? t('caseRoutedAnyCategory'),
                  area: detail.routedBy.areaName ?? detail.routedBy.areaCode ?? t('caseRoutedCityWide'),
                  department: departmentName(detail.routedBy.department) ?? detail.routedBy.departmentName,
                })
              ) : (
                <span className="dim">{t('caseRoutedByHand')}</span>
              )}
            </Field>
            <Field label={t('caseFieldReportedAt')}>{formatDateTime(detail.reportedAt)}</Field>
            <Field label={t('caseFieldCreatedAt')}>{formatDateTime(detail.createdAt)}</Field>
            {detail.acceptDueAt ? <Field label={t('caseFieldAcceptDue')}>{formatDateTime(detail.acceptDueAt)}</Field> : null}
            {detail.resolveDueAt ? <Field label={t('caseFieldResolveDue')}>{formatDateTime(detail.resolveDueAt)}</Field> : null}
            {detail.rating !== null ? <Field label={t('caseFieldRating')}>{'★'.repeat(detail.rating)}</Field> : null}
            {detail.mergedInto ? (
              <Field label={t('caseFieldMergedInto')}>
                <CaseLinks codes={[detail.mergedInto]} onOpen={onOpen} />
              </Field>
            ) : null}
            {detail.mergedFrom.length ? (
              <Field label={t('caseFieldMergedFrom')}>
                <CaseLinks codes={detail.mergedFrom} onOpen={onOpen} />
              </Field>
            ) : null}
            {detail.splitFrom ? (
              <Field label={t('caseFieldSplitFrom')}>
                <CaseLinks codes={[detail.splitFrom]} onOpen={onOpen} />
              </Field>
            ) : null}
            {detail.splitInto.length ? (
              <Field label={t('caseFieldSplitInto')}>
                <CaseLinks codes={detail.splitInto} onOpen={onOpen} />
              </Field>
            ) : null}
            {detail.detections.length ? (
              <Field label={t('caseFieldDetections')} testId="case-detections">
                {detail.detections.map((d, i) => (
                  <span key={`${d.feed}:${d.detectionId ?? i}`} className="case-detection">
                    {t('caseDetectionLine', {
                      kind: d.kind ?? d.feed,
                      confidence: d.confidence === null ? '—' : `${Math.round(d.confidence * 100)}%`,
                    })}
                    {d.detectedAt ? <span className="dim"> · {formatDateTime(d.detectedAt)}</span> : null}
                  </span>
                ))}
              </Field>
            ) : null}
            {detail.alertId ? (
              <Field label={t('caseFieldAlert')} testId="case-alert">
                {detail.alert ? (
                  <span className="case-alert" data-alert-id={detail.alert.id}>
                    <span className={`case-alert-level case-alert-level--${detail.alert.level}`}>
                      {t(ALERT_LEVEL_LABELS[detail.alert.level])}
                    </span>{' '}
                    {localized(detail.alert.areaName, detail.alert.areaNameEn, lang)} ·{' '}
                    {localized(detail.alert.indicatorName, detail.alert.indicatorNameEn, lang)}
                    <span className="dim">
                      {' · '}
                      {t('caseAlertSince', { time: formatDateTime(detail.alert.startedAt) })}
                      {detail.alert.state === 'resolved' ? ` · ${t('caseAlertResolved')}` : ''}
                    </span>
                  </span>
                ) : (
                  <span className="dim">{t('caseAlertOutOfSight')}</span>
                )}
              </Field>
            ) : null}
          </dl>

          {detail.possibleDuplicates.length ? (
            <section className="case-duplicates" data-testid="case-duplicates">
              <h3 className="case-detail-section">{t('casePossibleDuplicates')}</h3>
              <ul>
                {detail.possibleDuplicates.map((d) => (
                  <li key={d.case.code}>
                    <CaseLinks codes={[d.case.code]} onOpen={onOpen} /> <StateBadge state={d.case.state} />{' '}
                    <span className="dim small">{t('casePossibleDuplicateLine', { m: d.distanceMeters })}</span>
                    <span className="case-duplicate-description">{d.case.description}</span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          <h3 className="case-detail-section">{t('caseActions')}</h3>
          <CaseActions
            detail={detail}
            departments={departments}
            categories={categories}
            onActed={acted}
            onSplit={split}
            onRefused={refused}
          />

          <h3 className="case-detail-section">{t('casePhotos')}</h3>
          <CasePhotos code={detail.code} photos={detail.photos} />

          <h3 className="case-detail-section">{t('caseTimeline')}</h3>
          <Timeline events={detail.timeline} departmentName={departmentName} />
          {mayNote ? (
            <NoteForm
              code={detail.code}
              onAdded={(after) => {
                setDetail(after);
                setNotice({ kind: 'note' });
                setRefusal(null);
              }}
            />
          ) : null}
        </>
      ) : null}
      {error && detail ? <ProblemMessage error={error} /> : null}
    </aside>
  );
}

/** A rule's category: a category key or a group key, by its name; null for a rule of any category. */
function ruleCategoryName(key: string | null, categories: readonly CaseCategoryView[], lang: Lang): string | null {
  if (key === null) return null;
  const category = categories.find((c) => c.key === key);
  if (category) return localized(category.name, category.nameEn, lang);
  const group = categories.find((c) => c.group === key);
  return group ? localized(group.groupName, group.groupNameEn, lang) : key;
}

/** Codes of other cases, each opening that case in the panel (a link still, for a new tab). */
function CaseLinks({ codes, onOpen }: { codes: readonly string[]; onOpen: (code: string) => void }) {
  return (
    <span className="case-links">
      {codes.map((c) => (
        <a
          key={c}
          href={`/cases/${c}`}
          className="case-code"
          onClick={(event) => {
            if (event.button === 0 && !event.metaKey && !event.ctrlKey) {
              event.preventDefault();
              onOpen(c);
            }
          }}
        >
          {c}
        </a>
      ))}
    </span>
  );
}

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="case-field" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** What happened to the case, oldest first: who, when, what, the state it moved between, and why. */
function Timeline({ events, departmentName }: { events: readonly CaseEventView[]; departmentName: (key: unknown) => string | null }) {
  const { t } = useI18n();
  return (
    <ol className="case-timeline" data-testid="case-timeline">
      {events.map((event) => {
        const label = eventLabel(event.action);
        const department = departmentName(event.detail.department);
        return (
          <li
            key={event.id}
            className={`case-event${event.internal ? ' case-event--internal' : ''}`}
            data-testid="case-event"
            data-action={event.action}
          >
            <div className="case-event-head">
              <span className="case-event-action">{label ? t(label) : event.action}</span>
              {event.fromState !== event.toState && event.toState ? (
                <span className="case-event-states">
                  {event.fromState ? <StateBadge state={event.fromState} /> : null}
                  {event.fromState ? <span className="dim">→</span> : null}
                  <StateBadge state={event.toState} />
                </span>
              ) : null}
              {event.internal ? (
                <span className="case-internal" data-testid="case-internal">
                  {t('caseInternal')}
                </span>
              ) : null}
            </div>
            <div className="case-event-meta dim small">
              <span className="num-text">{formatDateTime(event.at)}</span>
              <span>{event.actor === 'system' ? t('caseBySystem') : event.actor}</span>
              {department && (event.action === 'dispatch' || event.action === 'reroute') ? <span>→ {department}</span> : null}
              {event.action === 'supervised' && typeof event.detail.areaName === 'string' ? <span>→ {event.detail.areaName}</span> : null}
            </div>
            {event.comment ? <p className="case-event-comment">{event.comment}</p> : null}
          </li>
        );
      })}
    </ol>
  );
}

/** A note on the timeline: internal by default (never shown to the reporter). */
function NoteForm({ code, onAdded }: { code: string; onAdded: (after: CaseDetail) => void }) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const [internal, setInternal] = useState(true);
  const [busy, setBusy] = useState(false);
  const { errors, formRef, refuse, fail, clear } = useFormErrors<'comment'>(['comment']);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    clear();
    const text = comment.trim();
    if (!text) {
      refuse((tr) => ({ comment: [tr('srvRequired')] }));
      return;
    }
    setBusy(true);
    try {
      onAdded(await addCaseNote(code, text, internal));
      setComment('');
    } catch (failure) {
      fail(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form ref={formRef} className="case-note-form" onSubmit={(e) => void submit(e)} noValidate data-testid="case-note-form">
      <label className="form-field">
        <span className="form-label">{t('caseNote')}</span>
        <textarea
          name="comment"
          className="text-input"
          rows={2}
          maxLength={2000}
          value={comment}
          placeholder={t('caseNotePlaceholder')}
          onChange={(e) => setComment(e.target.value)}
          aria-invalid={errors.byField.comment?.length ? true : undefined}
        />
        <FieldMessages messages={errors.byField.comment} />
      </label>
      <label className="case-note-internal">
        <input type="checkbox" name="internal" checked={internal} onChange={(e) => setInternal(e.target.checked)} />
        {t('caseNoteInternal')}
      </label>
      <FormProblem errors={errors} />
      <div className="form-actions">
        <button type="submit" className="quiet-button quiet-button--accent" disabled={busy} data-testid="case-note-submit">
          {t('caseNoteSubmit')}
        </button>
      </div>
    </form>
  );
}
