import { useId, useState, type FormEvent } from 'react';
import type { FeedDefinition, FeedKeySecret } from '@cityops/contracts';
import { createFeedKey } from '../../api/admin-api';
import { feedName } from '../../catalog/labels';
import { FieldMessages, FormProblem } from '../../forms/FormMessages';
import { PanelHead } from '../../forms/PanelHead';
import { useFormErrors } from '../../forms/useFormErrors';
import { useI18n } from '../../i18n';

const FIELDS = ['feed', 'name'] as const;

/** A new key for one feed: the outside system that pushes to it gets the secret, shown once. */
export function FeedKeyForm({
  feeds,
  initialFeed,
  onCreated,
  onCancel,
}: {
  feeds: readonly FeedDefinition[] | null;
  initialFeed: string;
  onCreated: (secret: FeedKeySecret) => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const [feed, setFeed] = useState(initialFeed);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const { errors, formRef, refuse, fail, clear } = useFormErrors(FIELDS);
  const titleId = useId();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!feed || !name.trim()) {
      refuse((tr) => ({ ...(feed ? {} : { feed: [tr('srvChooseOne')] }), ...(name.trim() ? {} : { name: [tr('srvRequired')] }) }));
      return;
    }
    setBusy(true);
    clear();
    try {
      onCreated(await createFeedKey({ feed, name: name.trim() }));
    } catch (failure) {
      fail(failure, (tr) => ({
        byType: { 'urn:cityops:problem:feed_key_name_taken': { field: 'name', message: tr('feedKeyNameTaken') } },
      }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      ref={formRef}
      className="admin-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby={titleId}
      data-testid="feed-key-form"
    >
      <PanelHead titleId={titleId} title={t('feedKeyCreateTitle')} onClose={onCancel} />
      <label className="form-field">
        <span className="form-label">{t('feedKeyFeed')}</span>
        <select
          name="feed"
          className="select-input"
          value={feed}
          aria-invalid={errors.byField.feed?.length ? true : undefined}
          onChange={(e) => setFeed(e.target.value)}
        >
          <option value="">{t('chooseFeed')}</option>
          {(feeds ?? []).map((f) => (
            <option key={f.key} value={f.key}>
              {feedName(f, lang)} ({f.key})
            </option>
          ))}
        </select>
        <FieldMessages messages={errors.byField.feed} />
      </label>
      <label className="form-field">
        <span className="form-label">{t('feedKeyName')}</span>
        <input
          name="name"
          className="text-input"
          autoComplete="off"
          value={name}
          placeholder={t('feedKeyNamePlaceholder')}
          aria-invalid={errors.byField.name?.length ? true : undefined}
          onChange={(e) => setName(e.target.value)}
        />
        <span className="form-hint">{t('feedKeyNameHint')}</span>
        <FieldMessages messages={errors.byField.name} />
      </label>
      <FormProblem errors={errors} />
      <div className="form-actions">
        <button type="submit" className="primary-button primary-button--small" disabled={busy} data-testid="feed-key-form-submit">
          {busy ? t('saving') : t('feedKeyCreate')}
        </button>
        <button type="button" className="quiet-button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
