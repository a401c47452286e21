import { useEffect, useState } from 'react';
import type { CaseActionRequest, CaseDetail, CasePhotoStage, CasePhotoView, SessionUser } from '@cityops/contracts';
import { ApiError, isAbortError } from '../api/client';
import { actOnCase, fetchCase, fetchCasePhoto } from '../api/grid-worker-api';
import { useResource } from '../catalog/useResource';
import { formatDateTime } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';
import { DeadlineLine, StateBadge } from './CaseList';
import { actionRefusal, type Said } from './grid-worker-problems';
import { PhotoQueue } from './PhotoQueue';
import { categoryName } from './ReportForm';
import { usePhotoQueue } from './usePhotoQueue';
import { departmentOf, mayClose, mayVerify, withPhotoMention } from './worker-cases';

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({ type: 'about:blank', title: '', status: 0, detail: error instanceof Error ? error.message : undefined });
}

const STAGE_TITLES: Record<CasePhotoStage, MessageKey> = {
  report: 'mReportPhotos',
  resolve: 'mFixPhotos',
  verify: 'mCheckPhotos',
  note: 'mTimeline',
};

/**
 * One case on the phone: what it is and where, its photos (the fix's first), and what the worker
 * may do now: check it on site (verify or send back, with a photo) or, as its reporter, close it
 * with a rating. Every action names the state it was decided on, so a case that moved on meanwhile
 * answers 409, said as "someone else acted first".
 */
export function CaseScreen({ code, user, onBack }: { code: string; user: SessionUser; onBack: () => void }) {
  const { t, lang } = useI18n();
  const loaded = useResource(`case:${code}`, (signal) => fetchCase(code, signal));
  const [acted, setActed] = useState<CaseDetail | null>(null);
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const [enlarged, setEnlarged] = useState<CasePhotoView | null>(null);
  const detail = acted ?? loaded.data;

  const reload = () => {
    setActed(null);
    setNotice(null);
    loaded.reload();
  };

  return (
    <section className="m-case-screen" data-testid="m-case-screen" data-code={code} data-state={detail?.state}>
      <button type="button" className="m-back" onClick={onBack} data-testid="m-back">
        ‹ {t('mBack')}
      </button>
      {loaded.error && !detail ? (
        <div className="m-inline-problem">
          <ProblemMessage error={loaded.error} />
          <button type="button" className="m-small-button" onClick={reload}>
            {t('mCaseReload')}
          </button>
        </div>
      ) : null}
      {!detail && !loaded.error ? <p className="m-empty">{t('loading')}</p> : null}
      {detail ? (
        <>
          <header className="m-case-head">
            <div className="m-case-top">
              <StateBadge state={detail.state} />
              <strong className="m-case-code" data-testid="m-case-code">
                {detail.code}
              </strong>
            </div>
            <h2 className="m-case-category">{categoryName({ name: detail.categoryName, nameEn: detail.categoryNameEn }, lang)}</h2>
            <p className="m-case-description m-case-description--full">{detail.description}</p>
            <p className="m-case-where">
              {[detail.address, `${detail.districtName ?? ''} ${detail.gridName}`.trim()].filter(Boolean).join(' · ')}
            </p>
            {detail.department ? (
              <p className="m-hint">{t('mFiledRouted', { dept: departmentOf(detail, lang) ?? detail.department })}</p>
            ) : null}
            <DeadlineLine c={detail} />
          </header>
          {notice ? (
            <p className="m-notice" role="status" data-testid="m-notice">
              {t(notice)}
            </p>
          ) : null}
          {/* The fix's photos first: they are what the worker checks on site. */}
          <Gallery detail={detail} stage="resolve" onOpen={setEnlarged} />
          {mayVerify(detail) ? (
            <VerifyPanel
              detail={detail}
              onDone={(next, words) => {
                setActed(next);
                setNotice(words);
              }}
              onReload={reload}
            />
          ) : null}
          {mayClose(detail) ? (
            <ClosePanel
              detail={detail}
              onDone={(next) => {
                setActed(next);
                setNotice('mClosed');
              }}
              onReload={reload}
            />
          ) : null}
          <Gallery detail={detail} stage="verify" onOpen={setEnlarged} />
          <Gallery detail={detail} stage="report" onOpen={setEnlarged} />
          <Timeline detail={detail} me={user.username} />
          {enlarged ? <FullPhoto code={detail.code} photo={enlarged} onClose={() => setEnlarged(null)} /> : null}
        </>
      ) : null}
    </section>
  );
}

/** A case photo's bytes, fetched with the bearer token into an object URL (freed when it goes). */
function usePhotoUrl(code: string, id: string, size: 'full' | 'thumbnail'): { url: string | null; failed: boolean } {
  const [state, setState] = useState<{ key: string; url: string | null; failed: boolean }>({ key: '', url: null, failed: false });
  const key = `${code}/${id}/${size}`;
  useEffect(() => {
    const controller = new AbortController();
    let made: string | null = null;
    fetchCasePhoto(code, id, size, controller.signal).then(
      (blob) => {
        made = URL.createObjectURL(blob);
        setState({ key, url: made, failed: false });
      },
      (error: unknown) => {
        if (!isAbortError(error)) setState({ key, url: null, failed: true });
      },
    );
    return () => {
      controller.abort();
      if (made) URL.revokeObjectURL(made);
    };
  }, [code, id, size, key]);
  return state.key === key ? state : { url: null, failed: false };
}

/** The photos of one stage as thumbnails; a tap shows one full size. The fix's gallery says when there is none. */
function Gallery({ detail, stage, onOpen }: { detail: CaseDetail; stage: CasePhotoStage; onOpen: (photo: CasePhotoView) => void }) {
  const { t } = useI18n();
  const photos = detail.photos.filter((p) => p.stage === stage);
  const expected = stage === 'resolve' && (detail.state === 'resolved' || detail.state === 'verified');
  if (!photos.length && !expected) return null;
  return (
    <div className="m-gallery" data-testid={`m-gallery-${stage}`}>
      <h3 className="m-section-title">{t(STAGE_TITLES[stage])}</h3>
      {photos.length ? (
        <ul className="m-thumbs">
          {photos.map((photo) => (
            <li key={photo.id}>
              <button
                type="button"
                className="m-thumb-button"
                onClick={() => onOpen(photo)}
                aria-label={t('mPhotoAlt', { stage: t(STAGE_TITLES[stage]) })}
              >
                <CasePhotoThumb code={detail.code} photo={photo} />
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="m-hint">{t('mNoFixPhotos')}</p>
      )}
    </div>
  );
}

function CasePhotoThumb({ code, photo }: { code: string; photo: CasePhotoView }) {
  const { t } = useI18n();
  const { url, failed } = usePhotoUrl(code, photo.id, 'thumbnail');
  if (failed) return <span className="m-thumb m-thumb--failed">{t('mPhotoLoadFailed')}</span>;
  if (!url) return <span className="m-thumb m-thumb--loading" aria-busy="true" />;
  return <img className="m-thumb" src={url} alt="" data-testid="m-thumb" />;
}

/** One photo full size over the page, closed with a tap. */
function FullPhoto({ code, photo, onClose }: { code: string; photo: CasePhotoView; onClose: () => void }) {
  const { t } = useI18n();
  const { url, failed } = usePhotoUrl(code, photo.id, 'full');
  return (
    <div
      className="m-full-photo"
      role="dialog"
      aria-modal="true"
      aria-label={t('mPhotoAlt', { stage: t(STAGE_TITLES[photo.stage]) })}
      data-testid="m-full-photo"
    >
      <button type="button" className="m-full-close" onClick={onClose} data-testid="m-full-close">
        ✕ {t('mClosePhoto')}
      </button>
      {failed ? (
        <p className="m-empty">{t('mPhotoLoadFailed')}</p>
      ) : url ? (
        <img src={url} alt="" />
      ) : (
        <p className="m-empty">{t('loading')}</p>
      )}
    </div>
  );
}

/** An action's failure: the page's own words where it has them (409: someone else acted first), else the server's problem. */
function ActionProblem({ error, said, onReload }: { error: ApiError | null; said: Said | null; onReload: () => void }) {
  const { t } = useI18n();
  if (!error && !said) return null;
  const refusal = error ? actionRefusal(error) : null;
  const words = said ?? refusal;
  return (
    <div className="m-action-problem" role="alert" data-testid="m-action-problem" data-status={error?.status}>
      {words ? <strong>{t(words.key, words.params)}</strong> : <ProblemMessage error={error} />}
      {error && (error.status === 409 || error.status === 404) ? (
        <button type="button" className="m-small-button" onClick={onReload} data-testid="m-reload-case">
          {t('mCaseReload')}
        </button>
      ) : null}
    </div>
  );
}

function VerifyPanel({
  detail,
  onDone,
  onReload,
}: {
  detail: CaseDetail;
  onDone: (next: CaseDetail, words: MessageKey) => void;
  onReload: () => void;
}) {
  const { t } = useI18n();
  const photos = usePhotoQueue();
  const [comment, setComment] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [said, setSaid] = useState<Said | null>(null);
  const uploading = photos.items.some((item) => item.status === 'uploading');
  const photoIds = photos.items.flatMap((item) => (item.photo ? [item.photo.id] : []));

  const act = async (request: CaseActionRequest, words: MessageKey) => {
    setBusy(true);
    setError(null);
    setSaid(null);
    try {
      onDone(await actOnCase(detail.code, { ...request, expectedState: detail.state }), words);
    } catch (failure) {
      setError(asApiError(failure));
      setBusy(false);
    }
  };

  const verify = () => void act({ action: 'verify', comment: withPhotoMention(comment, photoIds, t) }, 'mVerified');
  const reject = () => {
    if (!reason.trim()) {
      setSaid({ key: 'mRejectNeedsReason' });
      return;
    }
    void act({ action: 'reject', reason: withPhotoMention(reason, photoIds, t) }, 'mRejected');
  };

  return (
    <div className="m-panel m-panel--check" data-testid="m-verify">
      <h3 className="m-section-title">{t('mVerifyTitle')}</h3>
      <p className="m-hint">{t('mVerifyHint')}</p>
      <PhotoQueue
        items={photos.items}
        label="mTakeCheckPhoto"
        testId="m-check-photos"
        disabled={busy}
        onAdd={(files) => void photos.upload(detail.code, 'verify', photos.add(files))}
        onRemove={photos.remove}
        onRetry={(key) => void photos.upload(detail.code, 'verify', key)}
      />
      {rejecting ? (
        <label className="m-field">
          <span className="m-label">{t('mReason')}</span>
          <textarea
            name="reason"
            className="m-input m-textarea"
            rows={3}
            maxLength={1800}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setSaid(null);
            }}
            aria-invalid={said ? true : undefined}
            data-testid="m-reason"
          />
        </label>
      ) : (
        <label className="m-field">
          <span className="m-label">{t('mComment')}</span>
          <textarea
            name="comment"
            className="m-input m-textarea"
            rows={2}
            maxLength={1800}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            data-testid="m-comment"
          />
        </label>
      )}
      <ActionProblem error={error} said={said} onReload={onReload} />
      {rejecting ? (
        <div className="m-button-row">
          <button type="button" className="m-danger" onClick={reject} disabled={busy || uploading} data-testid="m-reject-confirm">
            {t('mReject')}
          </button>
          <button
            type="button"
            className="m-secondary"
            onClick={() => {
              setRejecting(false);
              setSaid(null);
            }}
            disabled={busy}
          >
            {t('alertAckCancel')}
          </button>
        </div>
      ) : (
        <div className="m-button-row">
          <button type="button" className="m-primary" onClick={verify} disabled={busy || uploading} data-testid="m-verify-confirm">
            {t('mVerify')}
          </button>
          <button type="button" className="m-danger-outline" onClick={() => setRejecting(true)} disabled={busy} data-testid="m-reject">
            {t('mReject')}
          </button>
        </div>
      )}
    </div>
  );
}

function ClosePanel({ detail, onDone, onReload }: { detail: CaseDetail; onDone: (next: CaseDetail) => void; onReload: () => void }) {
  const { t } = useI18n();
  const [rating, setRating] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [said, setSaid] = useState<Said | null>(null);

  const close = async () => {
    if (rating < 1) {
      setSaid({ key: 'mNeedRating' });
      return;
    }
    setBusy(true);
    setError(null);
    setSaid(null);
    try {
      onDone(await actOnCase(detail.code, { action: 'close', rating, expectedState: detail.state }));
    } catch (failure) {
      setError(asApiError(failure));
      setBusy(false);
    }
  };

  return (
    <div className="m-panel" data-testid="m-close">
      <h3 className="m-section-title">{t('mCloseTitle')}</h3>
      <p className="m-hint">{t('mCloseHint')}</p>
      <div className="m-stars" role="radiogroup" aria-label={t('mCloseTitle')}>
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            key={n}
            type="button"
            role="radio"
            aria-checked={rating === n}
            aria-label={t('mRating', { n })}
            className={`m-star${n <= rating ? ' m-star--on' : ''}`}
            onClick={() => {
              setRating(n);
              setSaid(null);
            }}
            data-testid={`m-star-${n}`}
          >
            ★
          </button>
        ))}
      </div>
      <ActionProblem error={error} said={said} onReload={onReload} />
      <button type="button" className="m-primary" onClick={() => void close()} disabled={busy} data-testid="m-close-confirm">
        {t('mClose')}
      </button>
    </div>
  );
}

function Timeline({ detail, me }: { detail: CaseDetail; me: string }) {
  const { t } = useI18n();
  const filedByMe = detail.timeline.some((e) => e.action === 'filed' && e.actor === me);
  return (
    <div className="m-timeline" data-testid="m-timeline">
      <h3 className="m-section-title">
        {t('mTimeline')}
        {filedByMe ? <span className="m-tag">{t('mFiledByMe')}</span> : null}
      </h3>
      <ol className="m-events">
        {[...detail.timeline].reverse().map((event) => (
          <li key={event.id} className="m-event">
            <span className="m-event-head">
              <span className="m-event-time">{formatDateTime(event.at).slice(5, 16)}</span>
              <span className="m-event-actor">{event.actor}</span>
              {event.toState ? <StateBadge state={event.toState} /> : null}
            </span>
            {event.comment ? <span className="m-event-comment">{event.comment}</span> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
