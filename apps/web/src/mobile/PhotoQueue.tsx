import { useId, type ChangeEvent } from 'react';
import { useI18n, type MessageKey } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';
import { worthRetrying } from './grid-worker-problems';
import type { PhotoItem } from './usePhotoQueue';

/**
 * The camera button (the phone's back camera; several photos) and the photos picked, each with
 * its upload's progress or refusal, a retry when its upload failed and a remove until it is sent.
 */
export function PhotoQueue({
  items,
  label,
  testId,
  disabled,
  onAdd,
  onRemove,
  onRetry,
}: {
  items: readonly PhotoItem[];
  label: MessageKey;
  testId: string;
  disabled?: boolean;
  /** Without it, no camera button: the photos are only shown (and retried). */
  onAdd?: (files: File[]) => void;
  onRemove: (key: string) => void;
  onRetry?: (key: string) => void;
}) {
  const { t } = useI18n();
  const inputId = useId();
  const picked = (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    // The same file can be picked again after it was removed.
    event.target.value = '';
    if (files.length) onAdd?.(files);
  };
  return (
    <div className="m-photos" data-testid={testId}>
      {items.length ? (
        <ul className="m-photo-list">
          {items.map((item) => (
            <li key={item.key} className={`m-photo m-photo--${item.status}`} data-testid="m-photo" data-status={item.status}>
              {/* A background, not an <img>: a file that is no image shows an empty square, not a broken-image icon. */}
              <span className="m-photo-preview" style={{ backgroundImage: `url("${item.preview}")` }} aria-hidden="true" />
              <div className="m-photo-body">
                <PhotoStatusLine item={item} />
                {item.status === 'uploading' ? (
                  <progress className="m-progress" max={1} value={item.progress} aria-label={item.name} />
                ) : null}
                {item.said ? (
                  <p className="m-photo-problem" role="alert" data-testid="m-photo-problem">
                    {t(item.said.key, item.said.params)}
                  </p>
                ) : item.error ? (
                  <ProblemMessage error={item.error} className="m-photo-problem" />
                ) : null}
              </div>
              <div className="m-photo-actions">
                {item.status === 'failed' && onRetry && (!item.error || worthRetrying(item.error)) ? (
                  <button type="button" className="m-small-button" onClick={() => onRetry(item.key)} data-testid="m-photo-retry">
                    {t('mUploadRetry')}
                  </button>
                ) : null}
                {item.status !== 'done' && item.status !== 'uploading' ? (
                  <button type="button" className="m-small-button m-small-button--quiet" onClick={() => onRemove(item.key)}>
                    {t('mRemovePhoto')}
                  </button>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {onAdd ? (
        <>
          <label htmlFor={inputId} className={`m-camera${disabled ? ' m-camera--disabled' : ''}`}>
            <CameraIcon />
            {t(label)}
          </label>
          <input
            id={inputId}
            className="m-file-input"
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            disabled={disabled}
            onChange={picked}
            data-testid={`${testId}-input`}
          />
        </>
      ) : null}
    </div>
  );
}

function PhotoStatusLine({ item }: { item: PhotoItem }) {
  const { t } = useI18n();
  const words: Record<PhotoItem['status'], string> = {
    invalid: t('mPhotoRefused'),
    waiting: t('mUploadWaiting'),
    uploading: t('mUploading', { pct: Math.round(item.progress * 100) }),
    done: t('mUploaded'),
    failed: t('mUploadFailed'),
  };
  return (
    <span className="m-photo-status" data-testid="m-photo-status">
      {words[item.status]}
    </span>
  );
}

/** Drawn, not an emoji: phones and kiosks without a colour emoji font show a box for 📷. */
function CameraIcon() {
  return (
    <svg className="m-camera-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M9 3 7.2 5H4a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-3.2L15 3H9Zm3 5a4.5 4.5 0 1 1 0 9 4.5 4.5 0 0 1 0-9Zm0 2a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5Z"
      />
    </svg>
  );
}
