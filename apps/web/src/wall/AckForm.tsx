import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n';

export interface AckFormProps {
  pending: boolean;
  onSubmit: (comment: string) => void;
  onCancel: () => void;
}

/** Acknowledge with an optional comment: Enter sends, Escape cancels, everything reachable by Tab. */
export function AckForm({ pending, onSubmit, onCancel }: AckFormProps) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(comment.trim());
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') onCancel();
  };
  return (
    <form className="alert-ack-form" data-testid="alert-ack-form" onSubmit={submit} onKeyDown={onKeyDown}>
      <input
        className="alert-ack-input"
        data-testid="alert-ack-comment"
        aria-label={t('alertAckComment')}
        placeholder={t('alertAckComment')}
        maxLength={500}
        value={comment}
        autoFocus
        onChange={(e) => setComment(e.target.value)}
      />
      <button type="submit" className="alert-ack" data-testid="alert-ack-submit" disabled={pending}>
        {t('alertAckSubmit')}
      </button>
      <button type="button" className="alert-ack alert-ack--quiet" onClick={onCancel}>
        {t('alertAckCancel')}
      </button>
    </form>
  );
}
