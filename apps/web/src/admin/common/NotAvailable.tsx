import { useI18n } from '../../i18n';

/**
 * Said plainly when the server does not offer a section's API (a 404 for its list): this build
 * of the server has not got it yet. Nothing is shown as if it worked.
 */
export function NotAvailable({ what, endpoint }: { what: string; endpoint: string }) {
  const { t } = useI18n();
  return (
    <div className="note not-available" data-testid="not-available" data-endpoint={endpoint}>
      <strong>{t('notAvailableTitle', { what })}</strong>
      <p>{t('notAvailableBody', { endpoint })}</p>
    </div>
  );
}
