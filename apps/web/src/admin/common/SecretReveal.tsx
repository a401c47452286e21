import { useRef, useState } from 'react';
import { useI18n } from '../../i18n';
import { copyText } from './copy-text';

export interface RevealedValue {
  label: string;
  value: string;
  testId: string;
}

/**
 * A secret shown this once (a display's token and wall link, a feed key): each value in a
 * read-only field with a copy button, and a plain note that it cannot be shown again. It stays
 * until the admin says they have it.
 */
export function SecretReveal({
  title,
  values,
  note,
  onceBody,
  onDone,
}: {
  title: string;
  values: RevealedValue[];
  note?: string;
  /** How the secret is kept, where it is not only as a hash (a webhook's, sealed to sign with). */
  onceBody?: string;
  onDone: () => void;
}) {
  const { t } = useI18n();
  return (
    <section className="secret-reveal" role="region" aria-label={title} data-testid="secret-reveal">
      <h3 className="secret-title">{title}</h3>
      <p className="secret-note" data-testid="secret-once-note">
        <strong>{t('secretOnceTitle')}</strong> {onceBody ?? t('secretOnceBody')}
      </p>
      {note ? <p className="form-hint">{note}</p> : null}
      {values.map((v) => (
        <CopyField key={v.testId} {...v} />
      ))}
      <div className="form-actions">
        <button type="button" className="primary-button primary-button--small" onClick={onDone} data-testid="secret-done">
          {t('secretDone')}
        </button>
      </div>
    </section>
  );
}

function CopyField({ label, value, testId }: RevealedValue) {
  const { t } = useI18n();
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  return (
    <label className="form-field copy-field">
      <span className="form-label">{label}</span>
      <span className="copy-row">
        <input
          ref={field}
          className="text-input secret-value"
          readOnly
          value={value}
          data-testid={testId}
          onFocus={(e) => e.target.select()}
        />
        <button
          type="button"
          className="quiet-button quiet-button--accent"
          onClick={() => void copyText(value, field.current).then((ok) => setCopied(ok ? 'yes' : 'no'))}
          data-testid={`${testId}-copy`}
        >
          {t('copy')}
        </button>
      </span>
      {copied ? (
        <span className={copied === 'yes' ? 'copy-result small' : 'copy-result small warn-text'} role="status">
          {copied === 'yes' ? t('copied') : t('copyManually')}
        </span>
      ) : null}
    </label>
  );
}
