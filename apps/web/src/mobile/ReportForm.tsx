import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import type { CaseCategoryView, CaseDetail, SessionUser } from '@cityops/contracts';
import { ApiError } from '../api/client';
import { fileCase } from '../api/grid-worker-api';
import type { Resource } from '../catalog/useResource';
import { useI18n, type Lang, type MessageKey } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';
import { DuplicateHints } from './DuplicateHints';
import { POOR_ACCURACY_METRES, useGeolocation, type GeoFailure, type GeoState } from './geolocation';
import { worthRetrying } from './grid-worker-problems';
import { PhotoQueue } from './PhotoQueue';
import {
  clearDraft,
  draftProblems,
  draftStorageKey,
  emptyDraft,
  fileRequestOf,
  loadDraft,
  saveDraft,
  type DraftField,
  type ReportDraft,
} from './report-draft';
import { usePhotoQueue } from './usePhotoQueue';
import { departmentOf } from './worker-cases';

function localStore(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({ type: 'about:blank', title: '', status: 0, detail: error instanceof Error ? error.message : undefined });
}

/** A category's or group's name in the page's language (the Chinese one when there is no English). */
export function categoryName(c: Pick<CaseCategoryView, 'name' | 'nameEn'>, lang: Lang): string {
  return lang === 'en' ? (c.nameEn ?? c.name) : c.name;
}

function groupsOf(categories: readonly CaseCategoryView[], lang: Lang) {
  const groups = new Map<string, { key: string; name: string; categories: CaseCategoryView[] }>();
  for (const c of categories) {
    if (!c.enabled) continue;
    let group = groups.get(c.group);
    if (!group) {
      group = { key: c.group, name: lang === 'en' ? (c.groupNameEn ?? c.groupName) : c.groupName, categories: [] };
      groups.set(c.group, group);
    }
    group.categories.push(c);
  }
  return [...groups.values()];
}

/**
 * Report a problem on site: category, description, the phone's position, an address if it helps,
 * photos. Open cases of the category nearby are offered first, so one problem is not filed twice.
 * The draft survives a reload; a retry after a lost answer files it once. Once filed: the
 * code, where it was routed, and the photos going up one by one.
 */
export function ReportForm({
  user,
  categories,
  onOpenCase,
  onFiled,
}: {
  user: SessionUser;
  categories: Resource<CaseCategoryView[]>;
  onOpenCase: (code: string) => void;
  onFiled: () => void;
}) {
  const { t, lang } = useI18n();
  const storageKey = draftStorageKey(user.username);
  const [draft, setDraft] = useState<ReportDraft>(() => loadDraft(localStore(), storageKey));
  const geo = useGeolocation();
  const photos = usePhotoQueue();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [checked, setChecked] = useState(false);
  const [filed, setFiled] = useState<CaseDetail | null>(null);

  const fix = geo.state.status === 'located' ? geo.state.fix : null;
  const problems = checked ? draftProblems(draft, fix) : {};
  const groups = useMemo(() => groupsOf(categories.data ?? [], lang), [categories.data, lang]);

  const change = (patch: Partial<ReportDraft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    saveDraft(localStore(), storageKey, next);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setChecked(true);
    if (!fix || Object.keys(draftProblems(draft, fix)).length > 0) {
      const first = event.currentTarget.querySelector<HTMLElement>('[aria-invalid="true"]');
      first?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    let detail: CaseDetail;
    try {
      detail = await fileCase(fileRequestOf(draft, fix));
    } catch (failure) {
      setError(asApiError(failure));
      setBusy(false);
      return;
    }
    // Filed: the draft is done with (its text is in the case now).
    clearDraft(localStore(), storageKey);
    setFiled(detail);
    setBusy(false);
    onFiled();
    window.scrollTo(0, 0);
    await photos.upload(detail.code, 'report');
  };

  const startOver = () => {
    const next = emptyDraft();
    photos.reset();
    setDraft(next);
    saveDraft(localStore(), storageKey, next);
    setFiled(null);
    setError(null);
    setChecked(false);
  };

  if (filed) {
    return (
      <FiledResult
        filed={filed}
        categories={categories.data ?? []}
        photos={photos}
        onAnother={() => {
          startOver();
          geo.retry();
        }}
        onOpen={() => onOpenCase(filed.code)}
      />
    );
  }

  const invalid = (field: DraftField) => (problems[field] ? { 'aria-invalid': true as const, 'aria-describedby': `m-${field}-error` } : {});
  const fieldError = (field: DraftField) =>
    problems[field] ? (
      <p className="m-field-error" id={`m-${field}-error`} role="alert" data-testid={`m-${field}-error`}>
        {t(problems[field])}
      </p>
    ) : null;

  const retryable = error !== null && worthRetrying(error);
  return (
    <form className="m-report" onSubmit={(e) => void submit(e)} noValidate data-testid="m-report">
      <LocationBox state={geo.state} onRetry={geo.retry} invalid={!!problems.location} />
      {fieldError('location')}

      <label className="m-field">
        <span className="m-label">{t('mCategory')}</span>
        <select
          name="category"
          className="m-input"
          value={draft.category}
          onChange={(e) => change({ category: e.target.value })}
          disabled={!categories.data}
          {...invalid('category')}
        >
          <option value="">{categories.loading && !categories.data ? t('loading') : t('mCategoryPick')}</option>
          {groups.map((group) => (
            <optgroup key={group.key} label={group.name}>
              {group.categories.map((c) => (
                <option key={c.key} value={c.key}>
                  {categoryName(c, lang)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      {fieldError('category')}
      <DuplicateHints category={draft.category} position={fix} onOpen={onOpenCase} />
      {categories.error ? (
        <div className="m-inline-problem">
          <ProblemMessage error={categories.error} />
          <button type="button" className="m-small-button" onClick={categories.reload}>
            {t('mCaseReload')}
          </button>
        </div>
      ) : null}

      <label className="m-field">
        <span className="m-label">{t('mDescription')}</span>
        <textarea
          name="description"
          className="m-input m-textarea"
          rows={4}
          maxLength={4000}
          placeholder={t('mDescriptionHint')}
          value={draft.description}
          onChange={(e) => change({ description: e.target.value })}
          {...invalid('description')}
        />
      </label>
      {fieldError('description')}

      <label className="m-field">
        <span className="m-label">{t('mAddress')}</span>
        <input
          name="address"
          className="m-input"
          maxLength={300}
          placeholder={t('mAddressHint')}
          value={draft.address}
          onChange={(e) => change({ address: e.target.value })}
          autoComplete="street-address"
        />
      </label>

      <div className="m-field">
        <span className="m-label">{t('mPhotos')}</span>
        <span className="m-hint">{t('mPhotosHint')}</span>
        <PhotoQueue
          items={photos.items}
          label="mAddPhoto"
          testId="m-report-photos"
          disabled={busy}
          onAdd={photos.add}
          onRemove={photos.remove}
        />
      </div>

      {error ? (
        <div className="m-submit-problem" data-testid="m-submit-problem">
          {error.isNetworkError ? (
            // Not the shared words ("the screen retries by itself"): here the worker sends again.
            <div className="problem" role="alert" data-testid="problem" data-status={0}>
              <strong className="problem-title">{t('errorNetwork')}</strong>
              <span className="problem-detail">{t('mDraftKept')}</span>
            </div>
          ) : (
            <>
              <ProblemMessage error={error} />
              {retryable ? <p className="m-hint">{t('mDraftKept')}</p> : null}
            </>
          )}
        </div>
      ) : null}
      <button type="submit" className="m-primary" disabled={busy} data-testid="m-submit">
        {busy ? t('mSubmitting') : retryable ? t('mRetrySubmit') : t('mSubmit')}
      </button>
      <button type="button" className="m-secondary" onClick={startOver} disabled={busy} data-testid="m-discard">
        {t('mDiscardDraft')}
      </button>
    </form>
  );
}

const GEO_FAILURES: Record<GeoFailure, MessageKey> = {
  denied: 'mLocationDenied',
  unavailable: 'mLocationUnavailable',
  timeout: 'mLocationTimeout',
};

export function LocationBox({ state, onRetry, invalid }: { state: GeoState; onRetry: () => void; invalid: boolean }) {
  const { t } = useI18n();
  let body: ReactNode;
  let tone: 'ok' | 'busy' | 'warn' | 'bad';
  if (state.status === 'locating') {
    body = t('mLocating');
    tone = 'busy';
  } else if (state.status === 'located') {
    const metres = Math.max(1, Math.round(state.fix.accuracy));
    const poor = state.fix.accuracy > POOR_ACCURACY_METRES;
    tone = poor ? 'warn' : 'ok';
    body = (
      <>
        <span>{t(poor ? 'mLocatedPoor' : 'mLocated', { m: metres })}</span>
        <span className="m-coords">
          {state.fix.lat.toFixed(5)}, {state.fix.lon.toFixed(5)}
        </span>
      </>
    );
  } else if (state.status === 'failed') {
    body = t(GEO_FAILURES[state.reason]);
    tone = 'bad';
  } else {
    body = t('mLocationUnsupported');
    tone = 'bad';
  }
  return (
    <div
      className={`m-location m-location--${tone}`}
      data-testid="m-location"
      data-status={state.status}
      aria-invalid={invalid || undefined}
      aria-live="polite"
      tabIndex={invalid ? -1 : undefined}
    >
      <div className="m-location-text">
        <span className="m-label">{t('mLocation')}</span>
        {body}
      </div>
      {state.status !== 'unsupported' ? (
        <button type="button" className="m-small-button" onClick={onRetry} disabled={state.status === 'locating'} data-testid="m-locate">
          {t('mLocationRetry')}
        </button>
      ) : null}
    </div>
  );
}

function FiledResult({
  filed,
  categories,
  photos,
  onAnother,
  onOpen,
}: {
  filed: CaseDetail;
  categories: readonly CaseCategoryView[];
  photos: ReturnType<typeof usePhotoQueue>;
  onAnother: () => void;
  onOpen: () => void;
}) {
  const { t, lang } = useI18n();
  const rule = filed.routedBy;
  let ruleText: string | null = null;
  if (rule) {
    const category = rule.category ? categories.find((c) => c.key === rule.category) : undefined;
    const group = rule.category && !category ? categories.find((c) => c.group === rule.category) : undefined;
    const what = category
      ? categoryName(category, lang)
      : group
        ? lang === 'en'
          ? (group.groupNameEn ?? group.groupName)
          : group.groupName
        : rule.category;
    ruleText = [what, rule.areaName].filter(Boolean).join(' · ') || rule.departmentName;
  }
  const uploading = photos.items.some((item) => item.status === 'uploading');
  return (
    <section className="m-filed" data-testid="m-filed" aria-live="polite">
      <h2 className="m-filed-title">✓ {t('mFiledTitle')}</h2>
      <div className="m-filed-code-box">
        <span className="m-label">{t('mFiledCode')}</span>
        <strong className="m-filed-code" data-testid="m-filed-code">
          {filed.code}
        </strong>
      </div>
      <p className="m-filed-route" data-testid="m-filed-route">
        {filed.department ? t('mFiledRouted', { dept: departmentOf(filed, lang) ?? filed.department }) : t('mFiledWaiting')}
      </p>
      {ruleText ? <p className="m-hint">{t('mFiledRule', { rule: ruleText })}</p> : null}
      <p className="m-hint">{t('mFiledGrid', { grid: `${filed.districtName ?? ''} ${filed.gridName}`.trim() })}</p>
      {photos.items.length ? (
        <PhotoQueue
          items={photos.items}
          label="mAddPhoto"
          testId="m-filed-photos"
          onRemove={photos.remove}
          onRetry={(key) => void photos.upload(filed.code, 'report', key)}
        />
      ) : null}
      <button type="button" className="m-primary" onClick={onAnother} disabled={uploading} data-testid="m-report-another">
        {t('mReportAnother')}
      </button>
      <button type="button" className="m-secondary" onClick={onOpen} data-testid="m-open-filed">
        {t('mOpenFiled')}
      </button>
    </section>
  );
}
