import { useMemo, useState, type FormEvent } from 'react';
import { isCreditCode, type PublicCategoryGroup, type PublicFiledCase, type PublicReportContext } from '@cityops/contracts';
import { ApiError } from '../api/client';
import { fetchReportContext, filePublicCase, uploadPublicPhoto } from '../api/public-cases-api';
import { useResource } from '../catalog/useResource';
import { useI18n, type MessageKey } from '../i18n';
import { useGeolocation } from '../mobile/geolocation';
import { worthRetrying } from '../mobile/grid-worker-problems';
import { PhotoQueue } from '../mobile/PhotoQueue';
import { categoryName, LocationBox } from '../mobile/ReportForm';
import { usePhotoQueue } from '../mobile/usePhotoQueue';
import { ProblemMessage } from '../ProblemMessage';
import { CitizenFrame } from './CitizenFrame';

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({ type: 'about:blank', title: '', status: 0, detail: error instanceof Error ? error.message : undefined });
}

const CONTACT = /^\+?[0-9][0-9 -]{4,22}[0-9]$|^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Field = 'category' | 'description' | 'contact' | 'enterpriseName' | 'creditCode';

/** Made once per page: a retried submission (a lost answer) files the report once. */
const requestId = () => `qr-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/**
 * `/report?grid=<code>`: the page a grid's QR code opens. No account: category, description, the
 * phone's position (else the grid's), optional name and contact, the enterprise's details for an
 * enterprise request with its promise stated; photos go up after filing, by the case's token.
 */
export function ReportPage({ gridCode }: { gridCode: string | null }) {
  const { t } = useI18n();
  const context = useResource(gridCode ? `report-context:${gridCode}` : null, (signal) => fetchReportContext(gridCode ?? '', signal));
  if (!gridCode) return <CitizenFrame title={t('cTitle')} notice={t('cGridMissing')} />;
  if (context.error?.status === 404) return <CitizenFrame title={t('cTitle')} notice={t('cGridUnknown')} />;
  return (
    <CitizenFrame title={t('cTitle')} subtitle={t('cSubtitle')}>
      {context.error ? (
        <div className="m-inline-problem">
          <ProblemMessage error={context.error} />
          <button type="button" className="m-small-button" onClick={context.reload}>
            {t('cRefresh')}
          </button>
        </div>
      ) : null}
      {context.data ? <ReportForm context={context.data} /> : !context.error ? <p className="m-empty">{t('loading')}</p> : null}
    </CitizenFrame>
  );
}

function groupName(g: Pick<PublicCategoryGroup, 'name' | 'nameEn'>, lang: 'zh' | 'en') {
  return lang === 'en' ? (g.nameEn ?? g.name) : g.name;
}

function ReportForm({ context }: { context: PublicReportContext }) {
  const { t, lang } = useI18n();
  const geo = useGeolocation();
  const photos = usePhotoQueue(uploadPublicPhoto);
  const [clientRequestId] = useState(requestId);
  const [category, setCategory] = useState('');
  const [description, setDescription] = useState('');
  const [address, setAddress] = useState('');
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const [enterpriseName, setEnterpriseName] = useState('');
  const [creditCode, setCreditCode] = useState('');
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [filed, setFiled] = useState<PublicFiledCase | null>(null);

  const groupOf = useMemo(() => {
    const map = new Map<string, PublicCategoryGroup>();
    for (const g of context.groups) for (const c of g.categories) map.set(c.key, g);
    return map;
  }, [context.groups]);
  const group = groupOf.get(category) ?? null;
  const enterprise = group?.enterprise ?? false;
  const gridLabel = lang === 'en' ? (context.grid.nameEn ?? context.grid.name) : context.grid.name;
  const districtLabel = context.district
    ? lang === 'en'
      ? (context.district.nameEn ?? context.district.name)
      : context.district.name
    : '';

  const problems: Partial<Record<Field, MessageKey>> = {};
  if (checked) {
    if (!category) problems.category = 'mCategoryPick';
    if (!description.trim()) problems.description = 'mDescriptionHint';
    if (contact.trim() && !CONTACT.test(contact.trim())) problems.contact = 'cContactBad';
    if (enterprise && !enterpriseName.trim()) problems.enterpriseName = 'cEnterpriseNameNeeded';
    if (enterprise && !isCreditCode(creditCode.trim().toUpperCase())) problems.creditCode = 'cCreditCodeBad';
  }
  const invalid = (f: Field) => (problems[f] ? { 'aria-invalid': true as const, 'aria-describedby': `c-${f}-error` } : {});
  const fieldError = (f: Field) => {
    const key = problems[f];
    return key ? (
      <p className="m-field-error" id={`c-${f}-error`} role="alert" data-testid={`c-${f}-error`}>
        {t(key)}
      </p>
    ) : null;
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setChecked(true);
    const form = event.currentTarget;
    // The problems above are of the last render; check again with what is typed now.
    const bad =
      !category ||
      !description.trim() ||
      (contact.trim() !== '' && !CONTACT.test(contact.trim())) ||
      (enterprise && (!enterpriseName.trim() || !isCreditCode(creditCode.trim().toUpperCase())));
    if (bad) {
      requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    setError(null);
    const fix = geo.state.status === 'located' ? geo.state.fix : null;
    try {
      const answer = await filePublicCase({
        grid: context.grid.code,
        category,
        description: description.trim(),
        ...(fix ? { location: [fix.lon, fix.lat] as [number, number] } : {}),
        ...(address.trim() ? { address: address.trim() } : {}),
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(contact.trim() ? { contact: contact.trim() } : {}),
        ...(enterprise ? { enterprise: { name: enterpriseName.trim(), creditCode: creditCode.trim().toUpperCase() } } : {}),
        clientRequestId,
      });
      setFiled(answer);
      setBusy(false);
      window.scrollTo(0, 0);
      await photos.upload(answer.token, 'report');
    } catch (failure) {
      setError(asApiError(failure));
      setBusy(false);
    }
  };

  if (filed) {
    const uploading = photos.items.some((item) => item.status === 'uploading' || item.status === 'waiting');
    return (
      <section className="m-filed" data-testid="c-filed" aria-live="polite">
        <h2 className="m-filed-title">✓ {t('cFiledTitle')}</h2>
        <div className="m-filed-code-box">
          <span className="m-label">{t('mFiledCode')}</span>
          <strong className="m-filed-code" data-testid="c-filed-code">
            {filed.code}
          </strong>
        </div>
        <p className="m-hint">{t('cFiledKeep')}</p>
        {photos.items.length ? (
          <PhotoQueue
            items={photos.items}
            label="cAddPhotos"
            testId="c-filed-photos"
            onRemove={photos.remove}
            onRetry={(key) => void photos.upload(filed.token, 'report', key)}
          />
        ) : null}
        {uploading ? <p className="m-hint">{t('cUploadingPhotos')}</p> : null}
        <a className="m-primary c-link-button" href={filed.followUrl} data-testid="c-follow">
          {t('cFollow')}
        </a>
      </section>
    );
  }

  const retryable = error !== null && worthRetrying(error);
  return (
    <form className="m-report" onSubmit={(e) => void submit(e)} noValidate data-testid="c-report">
      <p className="c-grid" data-testid="c-grid">
        {districtLabel ? t('cGridLine', { district: districtLabel, grid: gridLabel }) : gridLabel}
      </p>
      <LocationBox state={geo.state} onRetry={geo.retry} invalid={false} />
      {geo.state.status !== 'located' ? <p className="m-hint">{t('cLocationFallback', { grid: gridLabel })}</p> : null}

      <label className="m-field">
        <span className="m-label">{t('mCategory')}</span>
        <select
          name="category"
          className="m-input"
          value={category}
          onChange={(e) => setCategory(e.target.value)}
          data-testid="c-category"
          {...invalid('category')}
        >
          <option value="">{t('mCategoryPick')}</option>
          {context.groups.map((g) => (
            <optgroup key={g.key} label={g.enterprise ? `${groupName(g, lang)} · ${t('cKindEnterprise')}` : groupName(g, lang)}>
              {g.categories.map((c) => (
                <option key={c.key} value={c.key}>
                  {categoryName(c, lang)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      {fieldError('category')}

      {enterprise && group ? (
        <div className="m-panel c-enterprise" data-testid="c-enterprise">
          {group.responsePromiseHours !== null ? (
            <p className="c-promise-line" data-testid="c-promise">
              {t('cEnterprisePromise', { h: group.responsePromiseHours })}
            </p>
          ) : null}
          <label className="m-field">
            <span className="m-label">{t('cEnterpriseName')}</span>
            <input
              name="enterpriseName"
              className="m-input"
              maxLength={200}
              value={enterpriseName}
              onChange={(e) => setEnterpriseName(e.target.value)}
              autoComplete="organization"
              {...invalid('enterpriseName')}
            />
          </label>
          {fieldError('enterpriseName')}
          <label className="m-field">
            <span className="m-label">{t('cCreditCode')}</span>
            <span className="m-hint">{t('cCreditCodeHint')}</span>
            <input
              name="creditCode"
              className="m-input c-code-input"
              maxLength={18}
              value={creditCode}
              onChange={(e) => setCreditCode(e.target.value.toUpperCase())}
              autoCapitalize="characters"
              spellCheck={false}
              {...invalid('creditCode')}
            />
          </label>
          {fieldError('creditCode')}
        </div>
      ) : null}

      <label className="m-field">
        <span className="m-label">{t('mDescription')}</span>
        <textarea
          name="description"
          className="m-input m-textarea"
          rows={4}
          maxLength={2000}
          placeholder={t('mDescriptionHint')}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
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
          value={address}
          onChange={(e) => setAddress(e.target.value)}
        />
      </label>

      <div className="m-field">
        <span className="m-label">{t('mPhotos')}</span>
        <span className="m-hint">{t('cPhotosHint')}</span>
        <PhotoQueue items={photos.items} label="mAddPhoto" testId="c-photos" disabled={busy} onAdd={photos.add} onRemove={photos.remove} />
      </div>

      <label className="m-field">
        <span className="m-label">{t('cName')}</span>
        <input name="name" className="m-input" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
      </label>
      <label className="m-field">
        <span className="m-label">{t('cContact')}</span>
        <span className="m-hint">{t('cContactHint')}</span>
        <input
          name="contact"
          className="m-input"
          maxLength={200}
          value={contact}
          onChange={(e) => setContact(e.target.value)}
          inputMode="email"
          autoComplete="tel"
          {...invalid('contact')}
        />
      </label>
      {fieldError('contact')}

      {error ? (
        <div className="m-submit-problem" data-testid="c-submit-problem">
          <ProblemMessage error={error} />
        </div>
      ) : null}
      <button type="submit" className="m-primary" disabled={busy} data-testid="c-submit">
        {busy ? t('cSubmitting') : retryable ? t('mRetrySubmit') : t('cSubmit')}
      </button>
      <p className="m-hint c-privacy">{t('cPrivacy')}</p>
    </form>
  );
}
