import type { ApiError } from './api/client';
import { useI18n } from './i18n';
import { problemDetail, problemTitle } from './problem-messages';

/** An API error as its problem title and detail (never a raw response body). */
export function ProblemMessage({ error, className }: { error: ApiError | null; className?: string }) {
  const { t } = useI18n();
  if (!error) return null;
  const title = error.isNetworkError ? t('errorNetwork') : problemTitle(error.problem, t) || t('errorGeneric');
  const detail = error.isNetworkError ? t('errorNetworkDetail') : error.problem.detail && problemDetail(error.problem.detail, t);
  return (
    <div className={`problem ${className ?? ''}`} role="alert" data-testid="problem" data-status={error.status}>
      <strong className="problem-title">{title}</strong>
      {detail ? <span className="problem-detail">{detail}</span> : null}
      {error.problem.errors?.length ? (
        <ul className="problem-errors">
          {error.problem.errors.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              {e.path ? `${e.path}: ` : ''}
              {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
