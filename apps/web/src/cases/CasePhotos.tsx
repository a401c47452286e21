import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import type { CasePhotoView } from '@cityops/contracts';
import { fetchCasePhoto } from '../api/cases-api';
import { isAbortError } from '../api/client';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';
import { PHOTO_STAGE_LABELS } from './case-labels';

/**
 * A photo of the API as an object URL: fetched with the bearer token (an `<img src>` cannot send
 * it), revoked when the photo goes. `failed` when the fetch did not succeed.
 */
function usePhotoUrl(code: string, id: string, size: 'full' | 'thumbnail'): { url: string | null; failed: boolean } {
  const [state, setState] = useState<{ url: string | null; failed: boolean }>({ url: null, failed: false });
  useEffect(() => {
    const controller = new AbortController();
    let objectUrl: string | null = null;
    fetchCasePhoto(code, id, size, controller.signal).then(
      (blob) => {
        if (controller.signal.aborted) return;
        objectUrl = URL.createObjectURL(blob);
        setState({ url: objectUrl, failed: false });
      },
      (error: unknown) => {
        if (!isAbortError(error) && !controller.signal.aborted) setState({ url: null, failed: true });
      },
    );
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [code, id, size]);
  return state;
}

/** The case's photos as thumbnails with their stage; a click shows the full size over the page. */
export function CasePhotos({ code, photos }: { code: string; photos: readonly CasePhotoView[] }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<CasePhotoView | null>(null);
  if (photos.length === 0) return <p className="dim small">{t('casePhotoNone')}</p>;
  return (
    <>
      <ul className="case-photos" data-testid="case-photos">
        {photos.map((photo) => (
          <li key={photo.id}>
            <PhotoThumb code={code} photo={photo} onOpen={() => setOpen(photo)} />
          </li>
        ))}
      </ul>
      {open ? <FullPhoto code={code} photo={open} onClose={() => setOpen(null)} /> : null}
    </>
  );
}

function PhotoThumb({ code, photo, onOpen }: { code: string; photo: CasePhotoView; onOpen: () => void }) {
  const { t } = useI18n();
  const { url, failed } = usePhotoUrl(code, photo.id, 'thumbnail');
  return (
    <button
      type="button"
      className="case-photo"
      onClick={onOpen}
      title={t('casePhotoOpen')}
      data-testid="case-photo"
      data-loaded={url ? 'true' : 'false'}
    >
      {url ? (
        <img src={url} alt={t(PHOTO_STAGE_LABELS[photo.stage])} />
      ) : (
        <span className="case-photo-blank">{failed ? t('casePhotoFailed') : ''}</span>
      )}
      <span className="case-photo-caption">
        {t(PHOTO_STAGE_LABELS[photo.stage])} · {formatDateTime(photo.createdAt).slice(5, 16)}
      </span>
    </button>
  );
}

function FullPhoto({ code, photo, onClose }: { code: string; photo: CasePhotoView; onClose: () => void }) {
  const { t } = useI18n();
  const { url, failed } = usePhotoUrl(code, photo.id, 'full');
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  // On the body: the side panel is sticky (a stacking context of its own), under the page's header.
  return createPortal(
    <div className="case-photo-full" role="dialog" aria-label={t(PHOTO_STAGE_LABELS[photo.stage])} data-testid="case-photo-full">
      <button type="button" className="quiet-button case-photo-full-close" onClick={onClose} autoFocus>
        {t('casePhotoCloseFull')}
      </button>
      {url ? (
        <img src={url} alt={t(PHOTO_STAGE_LABELS[photo.stage])} />
      ) : (
        <p className="dim">{failed ? t('casePhotoFailed') : t('loading')}</p>
      )}
    </div>,
    document.body,
  );
}
