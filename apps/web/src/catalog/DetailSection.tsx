import type { ReactNode } from 'react';
import type { ApiError } from '../api/client';
import { useI18n } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';

export interface DetailSectionProps {
  title: string;
  subtitle?: string;
  /** Buttons on the right of the title. */
  actions?: ReactNode;
  testId?: string;
  children: ReactNode;
}

/** One titled block of the feed detail. */
export function DetailSection({ title, subtitle, actions, testId, children }: DetailSectionProps) {
  return (
    <section className="detail-section" data-testid={testId}>
      <div className="section-head">
        <h3 className="section-title">{title}</h3>
        {subtitle ? <span className="section-subtitle">{subtitle}</span> : null}
        {actions ? <div className="section-actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}

/** The usual three states of a loaded table: loading, failed (with retry), empty. */
export function LoadState({
  loading,
  error,
  empty,
  onRetry,
}: {
  loading: boolean;
  error: ApiError | null;
  empty: boolean;
  onRetry: () => void;
}) {
  const { t } = useI18n();
  if (error) {
    return (
      <div className="section-problem">
        <ProblemMessage error={error} />
        <button type="button" className="quiet-button" onClick={onRetry}>
          {t('retry')}
        </button>
      </div>
    );
  }
  if (loading && empty) return <p className="dim">{t('loading')}</p>;
  if (empty) return <p className="empty">{t('emptyData')}</p>;
  return null;
}
