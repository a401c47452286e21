import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n';

export interface SilenceReasonFormProps {
  pending: boolean;
  onSubmit: (reason: string) => void;
  onCancel: () => void;
}

/** Silence this alert's indicator and area for an hour, with the reason it needs: Enter sends, Escape cancels (as the ack form). */
export function SilenceReasonForm({ pending, onSubmit, onCancel }: SilenceReasonFormProps) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const text = reason.trim();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text) onSubmit(text);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') onCancel();
  };
  return (
    <form className="alert-ack-form" data-testid="alert-silence-form" onSubmit={submit} onKeyDown={onKeyDown}>
      <input
        className="alert-ack-input"
        data-testid="alert-silence-reason"
        aria-label={t('alertSilenceReason')}
        placeholder={t('alertSilenceReason')}
        maxLength={500}
        required
        value={reason}
        autoFocus
        onChange={(e) => setReason(e.target.value)}
      />
      <button type="submit" className="alert-ack" data-testid="alert-silence-submit" disabled={pending || !text}>
        {t('alertSilenceSubmit')}
      </button>
      <button type="button" className="alert-ack alert-ack--quiet" onClick={onCancel}>
        {t('alertAckCancel')}
      </button>
    </form>
  );
}
