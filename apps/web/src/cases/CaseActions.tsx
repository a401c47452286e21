import { useState, type FormEvent } from 'react';
import { CASE_PHOTO_MAX_BYTES, type CaseAction, type CaseCategoryView, type CaseDetail, type DepartmentView } from '@cityops/contracts';
import { actOnCase, uploadCasePhoto } from '../api/cases-api';
import { ApiError } from '../api/client';
import { FieldMessages, FormProblem } from '../forms/FormMessages';
import { useFormErrors } from '../forms/useFormErrors';
import { useI18n } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';
import {
  ACTION_FIELDS,
  actionInputs,
  actionRequest,
  EMPTY_ACTION_FORM,
  isGraveAction,
  orderActions,
  type ActionField,
  type ActionFormValues,
} from './case-actions';
import { ACTION_LABELS, localized } from './case-labels';
import { CaseSplitForm } from './CaseSplitForm';

interface CaseActionsProps {
  detail: CaseDetail;
  departments: readonly DepartmentView[];
  categories: readonly CaseCategoryView[];
  /** The action went through: the case as it is now. */
  onActed: (after: CaseDetail, action: CaseAction) => void;
  /** New cases were split off this one: their codes. */
  onSplit: (codes: string[]) => void;
  /** Refused for who acts or for the state the case is in (403, 404, 409): the panel says why and reads the case again. */
  onRefused: (error: ApiError) => void;
}

/**
 * A button for exactly each action the server says the caller may take now (and splitting, when it
 * says the caller may); a click opens the inputs it needs.
 */
export function CaseActions({ detail, departments, categories, onActed, onSplit, onRefused }: CaseActionsProps) {
  const { t } = useI18n();
  const [open, setOpen] = useState<CaseAction | 'split' | null>(null);
  const actions = orderActions(detail.availableActions);
  if (actions.length === 0 && !detail.maySplit)
    return (
      <p className="dim small" data-testid="case-no-actions">
        {t('caseNoActions')}
      </p>
    );
  return (
    <div className="case-actions" data-testid="case-actions">
      <div className="case-action-buttons">
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            className={`quiet-button${isGraveAction(action) ? ' quiet-button--danger' : ' quiet-button--accent'}${open === action ? ' case-action--open' : ''}`}
            aria-expanded={open === action}
            onClick={() => setOpen(open === action ? null : action)}
            data-testid="case-action"
            data-action={action}
          >
            {t(ACTION_LABELS[action])}
          </button>
        ))}
        {detail.maySplit ? (
          <button
            type="button"
            className={`quiet-button quiet-button--accent${open === 'split' ? ' case-action--open' : ''}`}
            aria-expanded={open === 'split'}
            onClick={() => setOpen(open === 'split' ? null : 'split')}
            data-testid="case-action"
            data-action="split"
          >
            {t('caseActionSplit')}
          </button>
        ) : null}
      </div>
      {open === 'split' && detail.maySplit ? (
        <CaseSplitForm
          key={detail.state}
          detail={detail}
          categories={categories}
          onCancel={() => setOpen(null)}
          onSplit={(codes) => {
            setOpen(null);
            onSplit(codes);
          }}
          onRefused={(error) => {
            setOpen(null);
            onRefused(error);
          }}
        />
      ) : null}
      {open && open !== 'split' && actions.includes(open) ? (
        <ActionForm
          key={`${open}:${detail.state}`}
          action={open}
          detail={detail}
          departments={departments}
          onCancel={() => setOpen(null)}
          onActed={(after) => {
            setOpen(null);
            onActed(after, open);
          }}
          onRefused={(error) => {
            setOpen(null);
            onRefused(error);
          }}
        />
      ) : null}
    </div>
  );
}

interface ActionFormProps {
  action: CaseAction;
  detail: CaseDetail;
  departments: readonly DepartmentView[];
  onCancel: () => void;
  onActed: (after: CaseDetail) => void;
  onRefused: (error: ApiError) => void;
}

/** The inputs of one action, checked here first, then sent with the state the page saw. */
function ActionForm({ action, detail, departments, onCancel, onActed, onRefused }: ActionFormProps) {
  const { t, lang } = useI18n();
  const [values, setValues] = useState<ActionFormValues>(EMPTY_ACTION_FORM);
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<ApiError | null>(null);
  const [tooBig, setTooBig] = useState(false);
  const { errors, formRef, refuse, fail, clear } = useFormErrors<ActionField>(ACTION_FIELDS);
  const { required, optional } = actionInputs(action);
  const takes = new Set<ActionField>([...required, ...optional]);
  const set = (patch: Partial<ActionFormValues>) => setValues((v) => ({ ...v, ...patch }));
  const invalid = (field: ActionField) => (errors.byField[field]?.length ? true : undefined);
  const id = (field: ActionField) => `case-action-${field}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    clear();
    const check = actionRequest(action, values, detail);
    if (!check.ok) {
      refuse((tr) => Object.fromEntries(Object.entries(check.problems).map(([field, keys]) => [field, (keys ?? []).map((k) => tr(k))])));
      return;
    }
    setBusy(true);
    try {
      onActed(await actOnCase(detail.code, check.request));
    } catch (failure) {
      if (failure instanceof ApiError && (failure.status === 403 || failure.status === 404 || failure.status === 409)) onRefused(failure);
      else fail(failure);
    } finally {
      setBusy(false);
    }
  };

  const upload = async (file: File | undefined) => {
    setUploadError(null);
    setTooBig(false);
    if (!file) return;
    if (file.size > CASE_PHOTO_MAX_BYTES) {
      setTooBig(true);
      return;
    }
    setUploading(true);
    try {
      const photo = await uploadCasePhoto(detail.code, 'resolve', file);
      setValues((v) => ({ ...v, photoIds: v.photoIds.includes(photo.id) ? v.photoIds : [...v.photoIds, photo.id] }));
    } catch (failure) {
      setUploadError(failure instanceof ApiError ? failure : null);
    } finally {
      setUploading(false);
    }
  };

  const choices = departments.filter((d) => action !== 'reroute' || d.code !== detail.department);
  return (
    <form
      ref={formRef}
      className={`case-action-form${isGraveAction(action) ? ' case-action-form--grave' : ''}`}
      onSubmit={(e) => void submit(e)}
      noValidate
      data-testid="case-action-form"
      data-action={action}
    >
      {takes.has('department') ? (
        <label className="form-field">
          <span className="form-label">{t('caseInputDepartment')}</span>
          <select
            id={id('department')}
            name="department"
            className="select-input"
            value={values.department}
            onChange={(e) => set({ department: e.target.value })}
            aria-invalid={invalid('department')}
          >
            <option value="">{t('caseInputChooseDepartment')}</option>
            {choices.map((d) => (
              <option key={d.code} value={d.code}>
                {localized(d.name, d.nameEn, lang)}
              </option>
            ))}
          </select>
          <FieldMessages messages={errors.byField.department} />
        </label>
      ) : null}
      {takes.has('reason') ? (
        <label className="form-field">
          <span className="form-label">{t('caseInputReason')}</span>
          <textarea
            name="reason"
            className="text-input"
            rows={3}
            maxLength={2000}
            value={values.reason}
            placeholder={t('caseInputReasonPlaceholder')}
            onChange={(e) => set({ reason: e.target.value })}
            aria-invalid={invalid('reason')}
          />
          <FieldMessages messages={errors.byField.reason} />
        </label>
      ) : null}
      {takes.has('photoIds') ? (
        <div className="form-field">
          <label className="form-label" htmlFor={id('photoIds')}>
            {t('caseInputPhoto')}
          </label>
          <input
            id={id('photoIds')}
            type="file"
            name="photo"
            accept="image/jpeg,image/png,image/webp"
            onChange={(e) => void upload(e.target.files?.[0])}
            aria-invalid={invalid('photoIds')}
            disabled={uploading}
            data-testid="case-photo-input"
          />
          <span className="form-hint">
            {uploading
              ? t('casePhotoUploading')
              : values.photoIds.length
                ? t('casePhotoUploaded', { n: values.photoIds.length })
                : t('caseInputPhotoHint')}
          </span>
          {tooBig ? <FieldMessages messages={[t('casePhotoTooBig')]} /> : null}
          <ProblemMessage error={uploadError} />
          <FieldMessages messages={errors.byField.photoIds} />
        </div>
      ) : null}
      {takes.has('rating') ? (
        <fieldset className="form-field">
          <legend className="form-label">{t('caseInputRating')}</legend>
          <div className="case-rating" aria-invalid={invalid('rating')}>
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} className={`case-chip${values.rating === n ? ' case-chip--on' : ''}`}>
                <input type="radio" name="rating" value={n} checked={values.rating === n} onChange={() => set({ rating: n })} />
                {t('caseInputRatingValue', { n })}
              </label>
            ))}
          </div>
          <FieldMessages messages={errors.byField.rating} />
        </fieldset>
      ) : null}
      {takes.has('mergeInto') && detail.possibleDuplicates.length ? (
        <fieldset className="form-field">
          <legend className="form-label">{t('caseMergePick')}</legend>
          <div className="case-merge-picks">
            {detail.possibleDuplicates.map((d) => (
              <button
                key={d.case.code}
                type="button"
                className={`case-chip${values.mergeInto === d.case.code ? ' case-chip--on' : ''}`}
                aria-pressed={values.mergeInto === d.case.code}
                onClick={() => set({ mergeInto: d.case.code })}
                data-testid="case-merge-pick"
                data-code={d.case.code}
              >
                {t('caseMergePickLine', { code: d.case.code, m: d.distanceMeters })}
              </button>
            ))}
          </div>
        </fieldset>
      ) : null}
      {takes.has('mergeInto') ? (
        <label className="form-field">
          <span className="form-label">{t('caseInputMergeInto')}</span>
          <input
            name="mergeInto"
            className="text-input"
            value={values.mergeInto}
            maxLength={40}
            placeholder={t('caseInputMergeIntoPlaceholder')}
            onChange={(e) => set({ mergeInto: e.target.value })}
            aria-invalid={invalid('mergeInto')}
          />
          <FieldMessages messages={errors.byField.mergeInto} />
        </label>
      ) : null}
      {takes.has('comment') ? (
        <label className="form-field">
          <span className="form-label">{t('caseInputComment')}</span>
          <textarea
            name="comment"
            className="text-input"
            rows={2}
            maxLength={2000}
            value={values.comment}
            onChange={(e) => set({ comment: e.target.value })}
            aria-invalid={invalid('comment')}
          />
          <FieldMessages messages={errors.byField.comment} />
        </label>
      ) : null}
      <FormProblem errors={errors} />
      <div className="form-actions">
        <button
          type="submit"
          className={`quiet-button${isGraveAction(action) ? ' quiet-button--danger-solid' : ' quiet-button--accent'}`}
          disabled={busy || uploading}
          data-testid="case-action-submit"
        >
          {t('caseActionSubmit', { action: t(ACTION_LABELS[action]) })}
        </button>
        <button type="button" className="quiet-button" onClick={onCancel}>
          {t('caseActionCancelForm')}
        </button>
      </div>
    </form>
  );
}
