import { CASE_PHOTO_MAX_BYTES } from '@cityops/contracts';
import type { ApiError } from '../api/client';
import type { MessageKey, Params } from '../i18n';

/** A message of the phone page's own, with its parameters: said in the page's language when shown. */
export interface Said {
  key: MessageKey;
  params?: Params;
}

const MB = 1024 * 1024;
const LIMIT_MB = Math.round(CASE_PHOTO_MAX_BYTES / MB);

/** `urn:cityops:problem:<code>` → code. */
function codeOf(type: string): string | null {
  const match = /^urn:cityops:problem:(.+)$/.exec(type);
  return match ? match[1] : null;
}

/**
 * What is wrong with a picked file before sending it (the server checks again, by the bytes):
 * empty, over the 10 MB limit, or declared as something other than an image. Null: send it.
 */
export function photoProblemBeforeUpload(file: { size: number; type: string }): Said | null {
  if (file.size === 0) return { key: 'mPhotoEmpty' };
  if (file.size > CASE_PHOTO_MAX_BYTES) {
    return { key: 'mPhotoTooLarge', params: { size: (file.size / MB).toFixed(1), limit: LIMIT_MB } };
  }
  if (file.type && !file.type.startsWith('image/')) return { key: 'mPhotoWrongType' };
  return null;
}

/**
 * Why the server refused a photo, for the person holding the phone: by the problem's code
 * (`case_photo_size` …), else by its status (413 too large, 415 not a JPEG/PNG/WebP, 422 not usable).
 * Null for other failures, which the generic problem message says.
 */
export function photoRefusal(error: ApiError): Said | null {
  if (error.isNetworkError) return { key: 'mPhotoNetwork' };
  const code = codeOf(error.problem.type);
  switch (code) {
    case 'case_photo_size':
    case 'entity_too_large':
      return { key: 'mPhotoTooLargeServer', params: { limit: LIMIT_MB } };
    case 'case_photo_type':
      return { key: 'mPhotoWrongType' };
    case 'case_photo_empty':
      return { key: 'mPhotoEmpty' };
    case 'case_photo_broken':
      return { key: 'mPhotoBroken' };
    case 'case_photo_dimensions':
      return { key: 'mPhotoDimensions' };
    default:
      break;
  }
  if (error.status === 413) return { key: 'mPhotoTooLargeServer', params: { limit: LIMIT_MB } };
  if (error.status === 415) return { key: 'mPhotoWrongType' };
  if (error.status === 422) return { key: 'mPhotoBroken' };
  return null;
}

/**
 * Why an action on a case failed, where the phone page has a better word than the server's:
 * 409 means the case moved on since it was loaded (someone else acted first); 404 that it is no
 * longer in the worker's view. Null: the server's problem is shown as it is.
 */
export function actionRefusal(error: ApiError): Said | null {
  if (error.status === 409) return { key: 'mActedFirst' };
  if (error.status === 404) return { key: 'mCaseGone' };
  return null;
}

/** Whether filing again with the same draft may help (no answer, or the server was unwell). */
export function worthRetrying(error: ApiError): boolean {
  return error.isNetworkError || error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}
