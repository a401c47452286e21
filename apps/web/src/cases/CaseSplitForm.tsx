import { useState, type FormEvent } from 'react';
import type { CaseCategoryView, CaseDetail } from '@cityops/contracts';
import { splitCase } from '../api/cases-api';
import { ApiError } from '../api/client';
import { FieldMessages, FormProblem } from '../forms/FormMessages';
import { useFormErrors } from '../forms/useFormErrors';
import { useI18n } from '../i18n';
import { MAX_SPLIT_PARTS, splitRequests, type SplitField, type SplitPart } from './case-actions';
import { localized } from './case-labels';

interface CaseSplitFormProps {
  detail: CaseDetail;
  categories: readonly CaseCategoryView[];
  onCancel: () => void;
  /** Every new case went through: their codes. */
  onSplit: (codes: string[]) => void;
  /** Refused for who acts or for the state the case is in (403, 404, 409). */
  onRefused: (error: ApiError) => void;
}

const EMPTY_PART: SplitPart = { category: '', description: '' };

/**
 * Splits new cases off a report that held more than one problem: a category and a description
 * each, one reason for all. The API splits one case a request; a part that went through leaves the
 * form (and is listed), so sending again never splits it twice.
 */
export function CaseSplitForm({ detail, categories, onCancel, onSplit, onRefused }: CaseSplitFormProps) {
  const { t, lang } = useI18n();
  const [parts, setParts] = useState<SplitPart[]>([EMPTY_PART]);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const fields: SplitField[] = ['reason', ...parts.flatMap((_, i): SplitField[] => [`category.${i}`, `description.${i}`])];
  const { errors, formRef, refuse, fail, clear } = useFormErrors<SplitField>(fields);
  const enabled = categories.filter((c) => c.enabled);
  const setPart = (i: number, patch: Partial<SplitPart>) => setParts((ps) => ps.map((p, j) => (j === i ? { ...p, ...patch } : p)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    clear();
    const check = splitRequests(parts, reason);
    if (!check.ok) {
      refuse((tr) => Object.fromEntries(Object.entries(check.problems).map(([field, keys]) => [field, (keys ?? []).map((k) => tr(k))])));
      return;
    }
    setBusy(true);
    const codes = [...done];
    let left = [...parts];
    try {
      for (const request of check.requests) {
        codes.push((await splitCase(detail.code, request)).code);
        left = left.slice(1);
      }
      onSplit(codes);
    } catch (failure) {
      setDone(codes);
      setParts(left);
      if (codes.length === 0 && failure instanceof ApiError && [403, 404, 409].includes(failure.status)) onRefused(failure);
      else fail(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      ref={formRef}
      className="case-action-form case-split-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      data-testid="case-split-form"
    >
      <p className="form-hint">{t('caseSplitHint', { lon: detail.location[0].toFixed(5), lat: detail.location[1].toFixed(5) })}</p>
      {done.length ? (
        <p className="notice" data-testid="case-split-partly">
          {t('caseSplitPartlyDone', { n: done.length })} <span className="num-text">{done.join(' ')}</span>
        </p>
      ) : null}
      {parts.map((part, i) => (
        <fieldset key={i} className="case-split-part" data-testid="case-split-part">
          <legend className="form-label">{t('caseSplitPart', { n: done.length + i + 1 })}</legend>
          <label className="form-field">
            <span className="form-label">{t('caseSplitCategory')}</span>
            <select
              name={`category.${i}`}
              className="select-input"
              value={part.category}
              onChange={(e) => setPart(i, { category: e.target.value })}
              aria-invalid={errors.byField[`category.${i}`]?.length ? true : undefined}
            >
              <option value="">{t('caseSplitChooseCategory')}</option>
              {enabled.map((c) => (
                <option key={c.key} value={c.key}>
                  {localized(c.groupName, c.groupNameEn, lang)} · {localized(c.name, c.nameEn, lang)}
                </option>
              ))}
            </select>
            <FieldMessages messages={errors.byField[`category.${i}`]} />
          </label>
          <label className="form-field">
            <span className="form-label">{t('caseSplitDescription')}</span>
            <textarea
              name={`description.${i}`}
              className="text-input"
              rows={2}
              maxLength={4000}
              value={part.description}
              onChange={(e) => setPart(i, { description: e.target.value })}
              aria-invalid={errors.byField[`description.${i}`]?.length ? true : undefined}
            />
            <FieldMessages messages={errors.byField[`description.${i}`]} />
          </label>
          {parts.length > 1 ? (
            <button type="button" className="quiet-button" onClick={() => setParts((ps) => ps.filter((_, j) => j !== i))}>
              {t('caseSplitRemovePart')}
            </button>
          ) : null}
        </fieldset>
      ))}
      {done.length + parts.length < MAX_SPLIT_PARTS ? (
        <button
          type="button"
          className="quiet-button case-split-add"
          onClick={() => setParts((ps) => [...ps, EMPTY_PART])}
          data-testid="case-split-add"
        >
          + {t('caseSplitAddPart')}
        </button>
      ) : null}
      <label className="form-field">
        <span className="form-label">{t('caseInputReason')}</span>
        <textarea
          name="reason"
          className="text-input"
          rows={2}
          maxLength={2000}
          value={reason}
          placeholder={t('caseSplitReasonPlaceholder')}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={errors.byField.reason?.length ? true : undefined}
        />
        <FieldMessages messages={errors.byField.reason} />
      </label>
      <FormProblem errors={errors} />
      <div className="form-actions">
        <button type="submit" className="quiet-button quiet-button--accent" disabled={busy} data-testid="case-split-submit">
          {t('caseSplitSubmit')}
        </button>
        <button type="button" className="quiet-button" onClick={onCancel}>
          {t('caseActionCancelForm')}
        </button>
      </div>
    </form>
  );
}
