import { useState } from 'react';
import { replayRejectedRecords, type RejectedRecord, type ReplayResult } from '../api/catalog-api';
import { ApiError } from '../api/client';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';
import { DataTable } from './DataTable';
import { DetailSection, LoadState } from './DetailSection';
import { JsonDetails } from './JsonPreview';
import { sourceLabel } from './labels';
import type { Resource } from './useResource';

export interface RejectedRecordsProps {
  feedKey: string;
  /** Null when the user's roles do not allow the list (nothing is requested then). */
  rejected: Resource<RejectedRecord[]> | null;
  limit: number;
  /** Admins may replay. */
  canReplay: boolean;
  /** After a replay: reload what it may have changed. */
  onReplayed: () => void;
}

/**
 * Records that failed validation, kept with their reason and raw form. Replay re-validates the
 * pending ones against the current definition (after someone fixed a metric range, say).
 */
export function RejectedRecords({ feedKey, rejected, limit, canReplay, onReplayed }: RejectedRecordsProps) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ReplayResult | null>(null);
  const [replayError, setReplayError] = useState<ApiError | null>(null);

  const forbidden = rejected === null || rejected.error?.status === 403;
  const rows = rejected?.data ?? [];

  const replay = () => {
    setBusy(true);
    setReplayError(null);
    setResult(null);
    replayRejectedRecords(feedKey)
      .then((answer) => {
        setResult(answer);
        onReplayed();
      })
      .catch((error: unknown) =>
        setReplayError(error instanceof ApiError ? error : new ApiError({ type: 'about:blank', title: t('errorGeneric'), status: 0 })),
      )
      .finally(() => setBusy(false));
  };

  const actions =
    canReplay && !forbidden ? (
      <button
        type="button"
        className="quiet-button quiet-button--accent"
        data-testid="catalog-replay"
        title={t('replayHint')}
        disabled={busy}
        onClick={replay}
      >
        {busy ? t('replaying') : t('replay')}
      </button>
    ) : null;

  return (
    <DetailSection
      title={t('rejectedTitle')}
      subtitle={forbidden ? undefined : t('rejectedSubtitle', { n: limit })}
      actions={actions}
      testId="catalog-rejected"
    >
      {result ? (
        <p className="replay-result" role="status" data-testid="catalog-replay-result">
          {result.replayed === 0 && result.stillRejected === 0
            ? t('replayNothing')
            : t('replayResult', {
                replayed: result.replayed,
                accepted: result.accepted,
                duplicates: result.duplicates,
                still: result.stillRejected,
              })}
        </p>
      ) : null}
      <ProblemMessage error={replayError} />

      {forbidden || !rejected ? (
        <p className="note" data-testid="catalog-rejected-forbidden">
          {t('rejectedNoPermission')}
        </p>
      ) : (
        <>
          <LoadState loading={rejected.loading} error={rejected.error} empty={rows.length === 0} onRetry={rejected.reload} />
          {rows.length ? (
            <DataTable
              className="rejected-table"
              columns={[
                { label: t('colReceived') },
                { label: t('colReason') },
                { label: t('colSource') },
                { label: t('colBatch') },
                { label: t('colState') },
              ]}
            >
              {/* One tbody per record: its facts, then its raw form across the whole width. */}
              {rows.map((r) => (
                <tbody
                  key={r.id}
                  className="rejected-record"
                  data-testid="catalog-rejected-row"
                  data-id={r.id}
                  data-replayed={r.replayedAt ? 'true' : 'false'}
                >
                  <tr>
                    <td className="nowrap">{formatDateTime(r.receivedAt)}</td>
                    <td className="reason">{r.reason}</td>
                    <td className="nowrap">{sourceLabel(t, r.source)}</td>
                    <td className="nowrap">
                      <code title={r.batchId}>{r.batchId.slice(0, 8)}</code> #{r.index}
                    </td>
                    <td className="nowrap">
                      {r.replayedAt ? (
                        <span className="dim">{t('rejectedReplayed', { time: formatDateTime(r.replayedAt) })}</span>
                      ) : (
                        <span className="warn-text">{t('rejectedPending')}</span>
                      )}
                    </td>
                  </tr>
                  <tr className="raw-row">
                    <td colSpan={5}>
                      <JsonDetails value={r.raw} label={t('colRaw')} />
                    </td>
                  </tr>
                </tbody>
              ))}
            </DataTable>
          ) : null}
        </>
      )}
    </DetailSection>
  );
}
