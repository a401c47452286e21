import { useState } from 'react';
import { useI18n } from '../../i18n';

export interface ConfirmButtonProps {
  label: string;
  /** The question asked before acting, e.g. "吊销后该大屏立即无法访问". */
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
  danger?: boolean;
  testId?: string;
}

/**
 * A button that asks first, in place (no browser dialog, which a kiosk policy or a test harness
 * may suppress): the first click shows the question with confirm and cancel.
 */
export function ConfirmButton({ label, question, confirmLabel, onConfirm, busy, danger, testId }: ConfirmButtonProps) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className={`quiet-button${danger ? ' quiet-button--danger' : ''}`}
        disabled={busy}
        onClick={() => setAsking(true)}
        data-testid={testId}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="confirm-question">{question}</span>
      <button
        type="button"
        className={`quiet-button${danger ? ' quiet-button--danger-solid' : ' quiet-button--accent'}`}
        disabled={busy}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
        data-testid={testId ? `${testId}-confirm` : undefined}
      >
        {confirmLabel}
      </button>
      <button type="button" className="quiet-button" onClick={() => setAsking(false)}>
        {t('cancel')}
      </button>
    </span>
  );
}
