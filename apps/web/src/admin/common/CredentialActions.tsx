import type { MessageKey } from '../../i18n';
import { useI18n } from '../../i18n';
import { ConfirmButton } from './ConfirmButton';

export interface CredentialActionsProps {
  /** What the rotate button says (a display's token, a feed's key). */
  rotateLabel: MessageKey;
  rotateQuestion: MessageKey;
  revokeQuestion: MessageKey;
  onRotate: () => void;
  onRevoke: () => void;
  busy: boolean;
  /** `<prefix>-rotate` and `<prefix>-revoke` for the browser tests. */
  testIdPrefix: string;
}

/** Rotate and revoke of a machine credential, each asked again in place before it is done. */
export function CredentialActions({
  rotateLabel,
  rotateQuestion,
  revokeQuestion,
  onRotate,
  onRevoke,
  busy,
  testIdPrefix,
}: CredentialActionsProps) {
  const { t } = useI18n();
  return (
    <>
      <ConfirmButton
        label={t(rotateLabel)}
        question={t(rotateQuestion)}
        confirmLabel={t('rotateConfirm')}
        onConfirm={onRotate}
        busy={busy}
        testId={`${testIdPrefix}-rotate`}
      />
      <ConfirmButton
        label={t('revoke')}
        question={t(revokeQuestion)}
        confirmLabel={t('revokeConfirm')}
        onConfirm={onRevoke}
        busy={busy}
        danger
        testId={`${testIdPrefix}-revoke`}
      />
    </>
  );
}
