import { useId, type ChangeEvent } from 'react';
import { useI18n, type MessageKey } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';
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
              <img className="m-photo-preview" src={item.preview} alt="" />
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
                {item.status === 'failed' && onRetry ? (
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
            <span aria-hidden="true" className="m-camera-icon">
              📷
            </span>
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
