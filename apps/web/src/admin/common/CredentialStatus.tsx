import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';

/** Active, or revoked (and when), for a display device or feed key. */
export function CredentialStatus({ revokedAt, rotatedAt }: { revokedAt: string | null; rotatedAt: string | null }) {
  const { t } = useI18n();
  if (revokedAt) {
    return (
      <>
        <span className="chip status-chip status-chip--off" data-testid="credential-revoked">
          {t('credentialRevoked')}
        </span>
        <span className="cell-sub num-text">{formatDateTime(revokedAt)}</span>
      </>
    );
  }
  return (
    <>
      <span className="chip status-chip status-chip--ok">{t('credentialActive')}</span>
      {rotatedAt ? <span className="cell-sub">{t('credentialRotatedAt', { time: formatDateTime(rotatedAt) })}</span> : null}
    </>
  );
}
