import { useState } from 'react';
import type { PublicCaseEvent, PublicCasePhoto, PublicCaseView } from '@cityops/contracts';
import { ApiError } from '../api/client';
import { fetchPublicCase, publicPhotoUrl, ratePublicCase, uploadPublicPhoto } from '../api/public-cases-api';
import { useResource } from '../catalog/useResource';
import { formatDateTime, formatDuration } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { PhotoQueue } from '../mobile/PhotoQueue';
import { categoryName } from '../mobile/ReportForm';
import { usePhotoQueue } from '../mobile/usePhotoQueue';
import { ProblemMessage } from '../ProblemMessage';
import { useNow } from '../useNow';
import { CitizenFrame } from './CitizenFrame';

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({ type: 'about:blank', title: '', status: 0, detail: error instanceof Error ? error.message : undefined });
}

/** MM-DD HH:MM in the city's time: enough on a phone. */
const short = (at: string) => formatDateTime(at).slice(5, 16);

/** `/r/<token>`: the reporter follows the case — status, public timeline, photos, the enterprise promise, the rating. */
export function FollowPage({ token }: { token: string }) {
  const { t } = useI18n();
  const loaded = useResource(`public-case:${token}`, (signal) => fetchPublicCase(token, signal));
  const [rated, setRated] = useState<PublicCaseView | null>(null);
  const view = rated ?? loaded.data;
  if (loaded.error?.status === 404 || loaded.error?.status === 400)
    return <CitizenFrame title={t('cFollowTitle')} notice={t('cNotFound')} />;
  return (
    <CitizenFrame title={t('cFollowTitle')} subtitle={view?.code}>
      {loaded.error ? (
        <div className="m-inline-problem">
          <ProblemMessage error={loaded.error} />
        </div>
      ) : null}
      {view ? (
        <CaseView
          token={token}
          view={view}
          onRated={setRated}
          onReload={() => {
            setRated(null);
            loaded.reload();
          }}
        />
      ) : !loaded.error ? (
        <p className="m-empty">{t('loading')}</p>
      ) : null}
    </CitizenFrame>
  );
}

function CaseView({
  token,
  view,
  onRated,
  onReload,
}: {
  token: string;
  view: PublicCaseView;
  onRated: (v: PublicCaseView) => void;
  onReload: () => void;
}) {
  const { t, lang } = useI18n();
  const mine = view.photos.filter((p) => p.stage === 'report');
  const fix = view.photos.filter((p) => p.stage === 'resolve');
  const where = [view.address, `${view.districtName ?? ''} ${view.gridName}`.trim()].filter(Boolean).join(' · ');
  const deadline =
    view.status === 'dispatched' && view.acceptDueAt
      ? t('cAcceptBy', { time: short(view.acceptDueAt) })
      : (view.status === 'accepted' || view.status === 'in_progress') && view.resolveDueAt
        ? t('cResolveBy', { time: short(view.resolveDueAt) })
        : null;
  return (
    <section className="m-case-screen" data-testid="c-case" data-status={view.status}>
      {view.merged ? (
        <p className="m-notice" data-testid="c-merged">
          {t('cMergedNote', { code: view.merged.yourCode })}
        </p>
      ) : null}
      <header className="m-case-head">
        <div className="m-case-top">
          <span className={`m-badge c-badge--${view.status}`} data-testid="c-status" data-status={view.status}>
            {t(`cStatus_${view.status}` as MessageKey)}
          </span>
          <strong className="m-case-code" data-testid="c-code">
            {view.code}
          </strong>
        </div>
        <h2 className="m-case-category">{categoryName({ name: view.categoryName, nameEn: view.categoryNameEn }, lang)}</h2>
        <p className="m-case-description m-case-description--full">{view.description}</p>
        <p className="m-case-where">{where}</p>
        {view.departmentName ? (
          <p className="m-hint">
            {t('cDepartment')}: {view.departmentName}
          </p>
        ) : null}
        {deadline ? <span className="m-deadline">{deadline}</span> : null}
        {view.rating !== null ? (
          <p className="c-rated" data-testid="c-rated">
            {'★'.repeat(view.rating)}
            {'☆'.repeat(5 - view.rating)} {t('cRated', { n: view.rating })}
          </p>
        ) : null}
      </header>
      {view.promise ? <PromiseBox promise={view.promise} /> : null}
      {view.mayRate ? <RatePanel token={token} onRated={onRated} /> : null}
      {fix.length ? <Gallery token={token} title={t('cPhotosFix')} photos={fix} testId="c-fix-photos" /> : null}
      {mine.length ? <Gallery token={token} title={t('cPhotosMine')} photos={mine} testId="c-my-photos" /> : null}
      {view.mayAddPhotos ? <MorePhotos token={token} onDone={onReload} /> : null}
      <Timeline events={view.timeline} />
      <button type="button" className="m-secondary" onClick={onReload} data-testid="c-refresh">
        {t('cRefresh')}
      </button>
    </section>
  );
}

function PromiseBox({ promise }: { promise: NonNullable<PublicCaseView['promise']> }) {
  const { t, lang } = useI18n();
  const now = useNow(1000);
  const left = Date.parse(promise.dueAt) - now;
  const running = promise.status === 'running' && left > 0;
  const status = running ? 'running' : promise.status === 'running' ? 'missed' : promise.status;
  return (
    <div className={`m-panel c-promise c-promise--${status}`} data-testid="c-promise" data-status={status}>
      <h3 className="m-section-title">{t('cPromiseTitle', { h: promise.hours })}</h3>
      <p className="c-promise-state">
        {running
          ? t('cPromiseRunning', { left: formatDuration(left, lang) })
          : status === 'kept'
            ? `✓ ${t('cPromiseKept')}`
            : t('cPromiseMissed')}
      </p>
      <p className="m-hint">{t('cPromiseDue', { time: short(promise.dueAt) })}</p>
    </div>
  );
}

function Gallery({ token, title, photos, testId }: { token: string; title: string; photos: PublicCasePhoto[]; testId: string }) {
  return (
    <div className="m-gallery" data-testid={testId}>
      <h3 className="m-section-title">{title}</h3>
      <div className="m-thumbs">
        {photos.map((p) => (
          <a key={p.id} href={publicPhotoUrl(token, p.id, 'full')} target="_blank" rel="noreferrer" className="m-thumb-button">
            <img className="m-thumb" src={publicPhotoUrl(token, p.id, 'thumbnail')} alt="" width={96} height={72} data-testid="c-photo" />
          </a>
        ))}
      </div>
    </div>
  );
}

function MorePhotos({ token, onDone }: { token: string; onDone: () => void }) {
  const { t } = useI18n();
  const photos = usePhotoQueue(uploadPublicPhoto);
  return (
    <div className="m-panel">
      <PhotoQueue
        items={photos.items}
        label="cAddPhotos"
        testId="c-more-photos"
        onAdd={(files) => void photos.upload(token, 'report', photos.add(files)).then((sent) => (sent.length ? onDone() : undefined))}
        onRemove={photos.remove}
        onRetry={(key) => void photos.upload(token, 'report', key)}
      />
      <p className="m-hint">{t('cPhotosHint')}</p>
    </div>
  );
}

function RatePanel({ token, onRated }: { token: string; onRated: (v: PublicCaseView) => void }) {
  const { t } = useI18n();
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [needStars, setNeedStars] = useState(false);

  const send = async () => {
    if (rating < 1) {
      setNeedStars(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onRated(await ratePublicCase(token, { rating, ...(comment.trim() ? { comment: comment.trim() } : {}) }));
    } catch (failure) {
      setError(asApiError(failure));
      setBusy(false);
    }
  };

  return (
    <div className="m-panel m-panel--check" data-testid="c-rate">
      <h3 className="m-section-title">{t('cRateTitle')}</h3>
      <p className="m-hint">{t('cRateHint')}</p>
      <div className="m-stars" role="radiogroup" aria-label={t('cRateTitle')}>
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            key={n}
            type="button"
            role="radio"
            aria-checked={rating === n}
            aria-label={t('cStar', { n })}
            className={`m-star${n <= rating ? ' m-star--on' : ''}`}
            onClick={() => {
              setRating(n);
              setNeedStars(false);
            }}
            data-testid={`c-star-${n}`}
          >
            ★
          </button>
        ))}
      </div>
      {needStars ? (
        <p className="m-field-error" role="alert">
          {t('cRateNeedStars')}
        </p>
      ) : null}
      <label className="m-field">
        <span className="m-label">{t('cRateComment')}</span>
        <textarea className="m-input m-textarea" rows={2} maxLength={1000} value={comment} onChange={(e) => setComment(e.target.value)} />
      </label>
      {error ? <ProblemMessage error={error} /> : null}
      <button type="button" className="m-primary" onClick={() => void send()} disabled={busy} data-testid="c-rate-submit">
        {t('cRateSubmit')}
      </button>
    </div>
  );
}

const ACTION_WORDS: Record<string, MessageKey> = {
  filed: 'cAct_filed',
  dispatch: 'cAct_dispatch',
  reroute: 'cAct_reroute',
  accept: 'cAct_accept',
  return: 'cAct_return',
  start: 'cAct_start',
  resolve: 'cAct_resolve',
  verify: 'cAct_verify',
  reject: 'cAct_reject',
  close: 'cAct_close',
  invalidate: 'cAct_invalidate',
  merge: 'cAct_merge',
  merged_in: 'cAct_merged_in',
  cancel: 'cAct_cancel',
  supervised: 'cAct_supervised',
  note: 'cAct_note',
};

function Timeline({ events }: { events: PublicCaseEvent[] }) {
  const { t } = useI18n();
  return (
    <div className="m-timeline" data-testid="c-timeline">
      <h3 className="m-section-title">{t('mTimeline')}</h3>
      <ol className="m-events">
        {[...events].reverse().map((e, i) => (
          <li key={`${e.at}-${i}`} className="m-event" data-testid="c-event" data-action={e.action}>
            <span className="m-event-head">
              <span className="m-event-time">{short(e.at)}</span>
              <span className="m-event-actor">{t(`cBy_${e.by}` as MessageKey)}</span>
            </span>
            <span className="c-event-what">
              {t(ACTION_WORDS[e.action] ?? 'cAct_other', { dept: e.departmentName ?? t('cBy_department') })}
            </span>
            {e.comment ? <span className="m-event-comment">{e.comment}</span> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
