import { useMemo, useState } from 'react';
import type { FeedDefinition, FeedKeyView } from '@cityops/contracts';
import { fetchFeedKeys, revokeFeedKey, rotateFeedKey } from '../../api/admin-api';
import { fetchFeeds } from '../../api/catalog-api';
import { LoadState } from '../../catalog/DetailSection';
import { feedName } from '../../catalog/labels';
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
import { groupFeedKeys } from './feed-key-groups';
import { FeedKeyForm } from './FeedKeyForm';

type Panel = { kind: 'create'; feed: string } | { kind: 'secret'; key: FeedKeyView; secret: string; rotated: boolean };

const COLUMNS = 6;

function loadFeeds(signal: AbortSignal): Promise<FeedDefinition[]> {
  return fetchFeeds({}, signal);
}

/** 数据接入密钥: per-feed keys of outside systems, grouped by feed; create (secret shown once), rotate, revoke. */
export function FeedKeysSection() {
  const { t, lang } = useI18n();
  const now = useNow(10_000);
  const keys = useResource('feed-keys', fetchFeedKeys);
  const feeds = useResource('feeds', loadFeeds);
  const [feedFilter, setFeedFilter] = useState('');
  const [panel, setPanel] = useState<Panel | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const { errors: actionErrors, fail: failAction, clear: clearAction } = useFormErrors<never>([]);
  const [busyId, setBusyId] = useState<string | null>(null);
  const { reload } = keys;
  const unavailable = keys.error?.status === 404;

  const groups = useMemo(
    () =>
      groupFeedKeys(
        (keys.data ?? []).filter((k) => !feedFilter || k.feed === feedFilter),
        feeds.data,
      ),
    [keys.data, feeds.data, feedFilter],
  );

  const open = (next: Panel | null) => {
    setPanel(next);
    setNotice(null);
    clearAction();
  };

  const act = async (key: FeedKeyView, action: 'rotate' | 'revoke') => {
    setBusyId(key.id);
    clearAction();
    setNotice(null);
    try {
      if (action === 'rotate') {
        const secret = await rotateFeedKey(key.id);
        setPanel({ kind: 'secret', key: secret.key, secret: secret.secret, rotated: true });
      } else {
        await revokeFeedKey(key.id);
        if (panel?.kind === 'secret' && panel.key.id === key.id) setPanel(null);
        setNotice({ key: 'feedKeyRevokedNotice', params: { name: key.name } });
      }
      reload();
    } catch (failure) {
      failAction(failure, (tr) => ({ generalByType: { 'urn:cityops:problem:credential_revoked': tr('credentialRevokedRefusal') } }));
    } finally {
      setBusyId(null);
    }
  };

  return (
    <div className={`admin-split${panel ? ' admin-split--open' : ''}`} data-testid="admin-feed-keys">
      <section className="admin-panel admin-list" aria-labelledby="admin-feed-keys-title">
        <SectionHead
          titleId="admin-feed-keys-title"
          title={t('adminFeedKeys')}
          subtitle={keys.data ? t('feedKeysCount', { n: keys.data.filter((k) => !k.revokedAt).length }) : null}
          actions={
            unavailable
              ? null
              : {
                  reload: keys.reload,
                  loading: keys.loading,
                  refreshTestId: 'feed-keys-refresh',
                  createLabel: t('feedKeyCreateButton'),
                  onCreate: () => open({ kind: 'create', feed: feedFilter }),
                  createTestId: 'feed-key-create',
                }
          }
        />
        <p className="section-intro">{t('feedKeysIntro')}</p>
        {unavailable ? null : (
          <div className="admin-filters">
            <label className="filter-field">
              <span className="filter-label-text">{t('feedKeyFeed')}</span>
              <select
                className="select-input"
                value={feedFilter}
                onChange={(e) => setFeedFilter(e.target.value)}
                data-testid="feed-key-filter"
              >
                <option value="">{t('filterAll')}</option>
                {(feeds.data ?? []).map((f) => (
                  <option key={f.key} value={f.key}>
                    {feedName(f, lang)}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
        <AdminNotice notice={notice} />
        <FormProblem errors={actionErrors} />
        {unavailable ? (
          <NotAvailable what={t('adminFeedKeys')} endpoint="/api/feed-keys" />
        ) : (
          <LoadState loading={keys.loading} error={keys.error} empty={groups.length === 0} onRetry={reload} />
        )}
        {groups.length ? (
          <div className="table-scroll">
            <table className="data-table admin-table" data-testid="feed-key-table">
              <thead>
                <tr>
                  <th>{t('feedKeyName')}</th>
                  <th>{t('colKeyPrefix')}</th>
                  <th>{t('colLastUsed')}</th>
                  <th>{t('colCreated')}</th>
                  <th>{t('colStatus')}</th>
                  <th className="actions-col">{t('colActions')}</th>
                </tr>
              </thead>
              {groups.map((group) => (
                <tbody key={group.feedKey} data-testid="feed-key-group" data-feed={group.feedKey}>
                  <tr className="group-row">
                    <th colSpan={COLUMNS} scope="colgroup">
                      {group.feed ? feedName(group.feed, lang) : group.feedKey}
                      <code className="group-key">{group.feedKey}</code>
                    </th>
                  </tr>
                  {group.keys.map((key) => (
                    <tr
                      key={key.id}
                      className={key.revokedAt ? 'row--disabled' : undefined}
                      data-testid="feed-key-row"
                      data-name={key.name}
                      data-revoked={key.revokedAt !== null}
                    >
                      <td>
                        <strong className="cell-main">{key.name}</strong>
                        {key.createdBy ? <span className="cell-sub">{t('createdBy', { name: key.createdBy })}</span> : null}
                      </td>
                      <td>
                        <code>{key.prefix}…</code>
                      </td>
                      <td className="nowrap">
                        <RelativeTime value={key.lastUsedAt} now={now} />
                      </td>
                      <td className="nowrap num-text">{formatDateTime(key.createdAt)}</td>
                      <td>
                        <CredentialStatus revokedAt={key.revokedAt} rotatedAt={key.rotatedAt} />
                      </td>
                      <td className="row-actions">
                        {key.revokedAt ? null : (
                          <CredentialActions
                            rotateLabel="rotateKey"
                            rotateQuestion="feedKeyRotateQuestion"
                            revokeQuestion="feedKeyRevokeQuestion"
                            onRotate={() => void act(key, 'rotate')}
                            onRevoke={() => void act(key, 'revoke')}
                            busy={busyId === key.id}
                            testIdPrefix="feed-key"
                          />
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </div>
        ) : null}
      </section>
      {panel ? (
        <aside className="admin-panel admin-side" data-testid="admin-side-panel">
          {panel.kind === 'secret' ? (
            <SecretReveal
              title={t(panel.rotated ? 'feedKeyRotated' : 'feedKeyCreated', { name: panel.key.name })}
              values={[{ label: t('feedKeySecret'), value: panel.secret, testId: 'revealed-secret' }]}
              note={t('feedKeySecretHint', { feed: panel.key.feed })}
              onDone={() => open(null)}
            />
          ) : (
            <FeedKeyForm
              feeds={feeds.data}
              initialFeed={panel.feed}
              onCreated={(secret) => {
                reload();
                setPanel({ kind: 'secret', key: secret.key, secret: secret.secret, rotated: false });
              }}
              onCancel={() => open(null)}
            />
          )}
        </aside>
      ) : null}
    </div>
  );
}
