import { useState } from 'react';
import type { DisplayView } from '@cityops/contracts';
import { fetchDisplays, revokeDisplay, rotateDisplayToken } from '../../api/admin-api';
import { LoadState } from '../../catalog/DetailSection';
import { RelativeTime } from '../../catalog/RelativeTime';
import { useResource } from '../../catalog/useResource';
import { formatDateTime } from '../../format';
import { FormProblem } from '../../forms/FormMessages';
import { useFormErrors } from '../../forms/useFormErrors';
import { useI18n } from '../../i18n';
import { useNow } from '../../useNow';
import { CredentialActions } from '../common/CredentialActions';
import { CredentialStatus } from '../common/CredentialStatus';
import { NotAvailable } from '../common/NotAvailable';
import type { Notice } from '../common/notice';
import { SecretReveal } from '../common/SecretReveal';
import { AdminNotice, SectionHead } from '../common/SectionHead';
import { ScopeSummary } from '../scope/ScopeList';
import { wallLink } from './display-form';
import { DisplayForm } from './DisplayForm';

type Panel =
  { kind: 'create' } | { kind: 'edit'; display: DisplayView } | { kind: 'secret'; display: DisplayView; token: string; rotated: boolean };

/** Active displays first, each group newest first. */
function ordered(displays: readonly DisplayView[]): DisplayView[] {
  return [...displays].sort(
    (a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || b.createdAt.localeCompare(a.createdAt),
  );
}

/** 大屏设备: registered wall screens, their scope and last contact; register, rotate the token, revoke. */
export function DisplaysSection() {
  const { t } = useI18n();
  const now = useNow(10_000);
  const displays = useResource('displays', fetchDisplays);
  const [panel, setPanel] = useState<Panel | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const { errors: actionErrors, fail: failAction, clear: clearAction } = useFormErrors<never>([]);
  const [busyId, setBusyId] = useState<string | null>(null);
  const { reload } = displays;
  const unavailable = displays.error?.status === 404;

  const open = (next: Panel | null) => {
    setPanel(next);
    setNotice(null);
    clearAction();
  };

  const act = async (display: DisplayView, action: 'rotate' | 'revoke') => {
    setBusyId(display.id);
    clearAction();
    setNotice(null);
    try {
      if (action === 'rotate') {
        const secret = await rotateDisplayToken(display.id);
        setPanel({ kind: 'secret', display: secret.display, token: secret.token, rotated: true });
      } else {
        await revokeDisplay(display.id);
        if (panel && panel.kind !== 'create' && panel.display.id === display.id) setPanel(null);
        setNotice({ key: 'displayRevokedNotice', params: { name: display.name } });
      }
      reload();
    } catch (failure) {
      failAction(failure, (tr) => ({ generalByType: { 'urn:cityops:problem:credential_revoked': tr('credentialRevokedRefusal') } }));
    } finally {
      setBusyId(null);
    }
  };

  const rows = displays.data ? ordered(displays.data) : null;
  return (
    <div className={`admin-split${panel ? ' admin-split--open' : ''}`} data-testid="admin-displays">
      <section className="admin-panel admin-list" aria-labelledby="admin-displays-title">
        <SectionHead
          titleId="admin-displays-title"
          title={t('adminDisplays')}
          subtitle={rows ? t('displaysCount', { n: rows.filter((d) => !d.revokedAt).length }) : null}
          actions={
            unavailable
              ? null
              : {
                  reload: displays.reload,
                  loading: displays.loading,
                  refreshTestId: 'displays-refresh',
                  createLabel: t('displayRegisterButton'),
                  onCreate: () => open({ kind: 'create' }),
                  createTestId: 'display-create',
                }
          }
        />
        <p className="section-intro">{t('displaysIntro')}</p>
        <AdminNotice notice={notice} />
        <FormProblem errors={actionErrors} />
        {unavailable ? (
          <NotAvailable what={t('adminDisplays')} endpoint="/api/displays" />
        ) : (
          <LoadState loading={displays.loading} error={displays.error} empty={!rows?.length} onRetry={reload} />
        )}
        {rows?.length ? (
          <div className="table-scroll">
            <table className="data-table admin-table" data-testid="display-table">
              <thead>
                <tr>
                  <th>{t('deviceName')}</th>
                  <th>{t('scope')}</th>
                  <th>{t('colTokenPrefix')}</th>
                  <th>{t('colLastSeen')}</th>
                  <th>{t('colCreated')}</th>
                  <th>{t('colStatus')}</th>
                  <th className="actions-col">{t('colActions')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((display) => (
                  <tr
                    key={display.id}
                    className={display.revokedAt ? 'row--disabled' : undefined}
                    data-testid="display-row"
                    data-name={display.name}
                    data-revoked={display.revokedAt !== null}
                  >
                    <td>
                      <strong className="cell-main">{display.name}</strong>
                      {display.description ? <span className="cell-sub">{display.description}</span> : null}
                    </td>
                    <td className="scope-cell">
                      <ScopeSummary scopes={display.scopes} />
                    </td>
                    <td>
                      <code>{display.prefix}…</code>
                    </td>
                    <td className="nowrap">
                      <RelativeTime value={display.lastSeenAt} now={now} />
                    </td>
                    <td className="nowrap num-text">{formatDateTime(display.createdAt)}</td>
                    <td>
                      <CredentialStatus revokedAt={display.revokedAt} rotatedAt={display.rotatedAt} />
                    </td>
                    <td className="row-actions">
                      {display.revokedAt ? null : (
                        <>
                          <button
                            type="button"
                            className="quiet-button"
                            onClick={() => open({ kind: 'edit', display })}
                            data-testid="display-edit"
                          >
                            {t('edit')}
                          </button>
                          <CredentialActions
                            rotateLabel="rotateToken"
                            rotateQuestion="displayRotateQuestion"
                            revokeQuestion="displayRevokeQuestion"
                            onRotate={() => void act(display, 'rotate')}
                            onRevoke={() => void act(display, 'revoke')}
                            busy={busyId === display.id}
                            testIdPrefix="display"
                          />
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      {panel ? (
        <aside className="admin-panel admin-side" data-testid="admin-side-panel">
          {panel.kind === 'secret' ? (
            <SecretReveal
              title={t(panel.rotated ? 'displayRotated' : 'displayRegistered', { name: panel.display.name })}
              values={[
                { label: t('wallLink'), value: wallLink(window.location.origin, panel.token), testId: 'revealed-wall-link' },
                { label: t('displayToken'), value: panel.token, testId: 'revealed-token' },
              ]}
              note={t('wallLinkHint')}
              onDone={() => open(null)}
            />
          ) : (
            <DisplayForm
              key={panel.kind === 'edit' ? panel.display.id : 'new'}
              display={panel.kind === 'edit' ? panel.display : null}
              onSaved={({ display, secret }) => {
                reload();
                if (secret) setPanel({ kind: 'secret', display, token: secret.token, rotated: false });
                else {
                  setPanel(null);
                  setNotice({ key: 'displaySaved', params: { name: display.name } });
                }
              }}
              onCancel={() => open(null)}
            />
          )}
        </aside>
      ) : null}
    </div>
  );
}
