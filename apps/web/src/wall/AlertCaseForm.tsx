import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { CaseCategoryView, CaseSummary } from '@cityops/contracts';
import { fetchAlertCases, fetchCaseCategories, fileCase } from '../api/cases-api';
import { ApiError, isAbortError } from '../api/client';
import { localized } from '../cases/case-labels';
import { StateBadge } from '../cases/CaseBits';
import { formatClock } from '../format';
import { useI18n } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';
import { alertCaseRequest, alertCaseRequestId, suggestedCategory } from './alert-case';
import type { WallAlert } from './alert-status';

export interface AlertCaseFormProps {
  alert: WallAlert;
  /** The alert's value as the row shows it (for the description). */
  valueText: string;
  indicatorLabel: string;
  /** The area's name in the wall's language. */
  areaLabel: string;
  onClose: () => void;
}

/**
 * 立案 from an alert: the category (offered from the indicator's theme when it points to one), a
 * description drafted from the alert, the alert's place; the case's code once filed, with a link
 * to it in /cases, and the cases already filed from this alert. Escape closes, all by Tab.
 */
export function AlertCaseForm({ alert, valueText, indicatorLabel, areaLabel, onClose }: AlertCaseFormProps) {
  const { t, lang } = useI18n();
  const [categories, setCategories] = useState<readonly CaseCategoryView[]>([]);
  const [category, setCategory] = useState('');
  const [description, setDescription] = useState(() =>
    t('alertCaseDraft', { area: areaLabel, indicator: indicatorLabel, value: valueText, time: formatClock(alert.startedAt) }),
  );
  // One id for the form's life: a double click or a retry after a lost answer files one case.
  const [clientRequestId] = useState(() => alertCaseRequestId(alert.id));
  const [pending, setPending] = useState(false);
  const [filed, setFiled] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [cases, setCases] = useState<readonly CaseSummary[] | null>(null);
  const [casesGeneration, setCasesGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetchCaseCategories(controller.signal).then(
      (found) => {
        setCategories(found);
        setCategory((chosen) => chosen || suggestedCategory(alert.theme, found));
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) setError(failure instanceof ApiError ? failure : null);
      },
    );
    return () => controller.abort();
  }, [alert.theme]);

  useEffect(() => {
    const controller = new AbortController();
    fetchAlertCases(alert.id, controller.signal).then(
      (page) => setCases(page.items),
      (failure: unknown) => {
        if (!isAbortError(failure)) setCases([]);
      },
    );
    return () => controller.abort();
  }, [alert.id, casesGeneration]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (pending || filed) return;
    const request = alertCaseRequest(alert, { category, description, clientRequestId });
    if (typeof request === 'string') {
      setMissing(request);
      return;
    }
    setMissing(null);
    setPending(true);
    fileCase(request)
      .then((created) => {
        setFiled(created.code);
        setError(null);
        setCasesGeneration((n) => n + 1);
      })
      .catch((failure: unknown) => setError(failure instanceof ApiError ? failure : null))
      .finally(() => setPending(false));
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') onClose();
  };

  return (
    <form className="alert-case-form" data-testid="alert-case-form" onSubmit={submit} onKeyDown={onKeyDown}>
      {filed ? (
        <p className="alert-case-filed" data-testid="alert-case-filed" role="status">
          {t('alertCaseFiled')}{' '}
          <a href={`/cases/${encodeURIComponent(filed)}`} data-testid="alert-case-link">
            {filed}
          </a>
        </p>
      ) : (
        <>
          <select
            className="alert-ack-input"
            data-testid="alert-case-category"
            aria-label={t('alertCaseCategory')}
            value={category}
            autoFocus
            onChange={(e) => setCategory(e.target.value)}
          >
            <option value="">{t('alertCaseChooseCategory')}</option>
            {categories
              .filter((c) => c.enabled)
              .map((c) => (
                <option key={c.key} value={c.key}>
                  {localized(c.groupName, c.groupNameEn, lang)} · {localized(c.name, c.nameEn, lang)}
                </option>
              ))}
          </select>
          <textarea
            className="alert-ack-input alert-case-description"
            data-testid="alert-case-description"
            aria-label={t('alertCaseDescription')}
            rows={3}
            maxLength={4000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
          {missing ? (
            <p className="alert-case-missing" role="alert" data-testid="alert-case-missing">
              {t(
                missing === 'location'
                  ? 'alertCaseNoPlace'
                  : missing === 'category'
                    ? 'alertCaseNeedsCategory'
                    : 'alertCaseNeedsDescription',
              )}
            </p>
          ) : null}
        </>
      )}
      <ProblemMessage error={error} className="panel-problem" />
      <div className="alert-actions">
        {filed ? null : (
          <button type="submit" className="alert-ack" data-testid="alert-case-submit" disabled={pending}>
            {t('alertCaseSubmit')}
          </button>
        )}
        <button type="button" className="alert-ack alert-ack--quiet" data-testid="alert-case-close" onClick={onClose}>
          {filed ? t('alertCaseDone') : t('alertAckCancel')}
        </button>
      </div>
      {cases && cases.length > 0 ? (
        <div className="alert-cases" data-testid="alert-cases">
          <span className="alert-cases-title">{t('alertCasesTitle', { n: cases.length })}</span>
          <ul className="alert-cases-list">
            {cases.map((c) => (
              <li key={c.code} className="alert-case" data-testid="alert-case" data-code={c.code}>
                <a href={`/cases/${encodeURIComponent(c.code)}`}>{c.code}</a> <StateBadge state={c.state} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </form>
  );
}
