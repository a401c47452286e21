import { useCallback, useEffect, useRef, useState } from 'react';
import type { CasePhotoStage, CasePhotoView } from '@cityops/contracts';
import { ApiError, isAbortError } from '../api/client';
import { uploadCasePhoto, type UploadProgress } from '../api/grid-worker-api';
import { photoProblemBeforeUpload, photoRefusal, type Said } from './grid-worker-problems';

export type PhotoStatus = 'invalid' | 'waiting' | 'uploading' | 'done' | 'failed';

/** A photo picked on the phone, and where its upload stands. */
export interface PhotoItem {
  key: string;
  name: string;
  file: File;
  /** An object URL of the picked file, to show it before it is uploaded. */
  preview: string;
  status: PhotoStatus;
  /** 0…1 while uploading. */
  progress: number;
  /** Why it was refused, in the page's words (before sending, or from the server's problem). */
  said: Said | null;
  /** The server's problem when the page has no better word for it. */
  error: ApiError | null;
  photo: UploadedPhoto | null;
}

/** What the queue keeps of an uploaded photo: the same for staff and for the public's upload. */
export type UploadedPhoto = Pick<CasePhotoView, 'id' | 'stage' | 'mimeType' | 'width' | 'height' | 'createdAt'>;

/** Sends one photo to a case (named by its code, or by its public token on the citizen's pages). */
export type PhotoUploader = (code: string, stage: CasePhotoStage, file: Blob, onProgress: UploadProgress) => Promise<UploadedPhoto>;

let counter = 0;

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({ type: 'about:blank', title: '', status: 0, detail: error instanceof Error ? error.message : undefined });
}

/**
 * Photos picked with the camera input, uploaded one after the other to a case with progress; each
 * keeps its own refusal (413, 415, 422 …) and can be retried or removed alone.
 */
export function usePhotoQueue(uploader: PhotoUploader = uploadCasePhoto) {
  const [items, setItems] = useState<PhotoItem[]>([]);
  const itemsRef = useRef<PhotoItem[]>([]);
  useEffect(() => {
    itemsRef.current = items;
  });
  // Object URLs are freed with the page.
  useEffect(() => () => itemsRef.current.forEach((item) => URL.revokeObjectURL(item.preview)), []);

  const patch = useCallback((key: string, change: Partial<PhotoItem>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  /** Adds the picked files (each checked before sending); answers the items made for them. */
  const add = useCallback((files: Iterable<File>): PhotoItem[] => {
    const added: PhotoItem[] = [];
    for (const file of files) {
      const said = photoProblemBeforeUpload(file);
      added.push({
        key: `photo-${++counter}`,
        name: file.name,
        file,
        preview: URL.createObjectURL(file),
        status: said ? 'invalid' : 'waiting',
        progress: 0,
        said,
        error: null,
        photo: null,
      });
    }
    setItems((list) => [...list, ...added]);
    return added;
  }, []);

  const remove = useCallback((key: string) => {
    setItems((list) => {
      const gone = list.find((item) => item.key === key);
      if (gone) URL.revokeObjectURL(gone.preview);
      return list.filter((item) => item.key !== key);
    });
  }, []);

  const reset = useCallback(() => {
    setItems((list) => {
      list.forEach((item) => URL.revokeObjectURL(item.preview));
      return [];
    });
  }, []);

  /**
   * Uploads the photos not uploaded yet (waiting or failed), one at a time: those of the queue,
   * or only `only` (a key to retry, or items `add` just made, not rendered yet). Resolves with the
   * photos it uploaded.
   */
  const upload = useCallback(
    async (code: string, stage: CasePhotoStage, only?: string | readonly PhotoItem[]): Promise<UploadedPhoto[]> => {
      const pool = typeof only === 'object' ? only : itemsRef.current.filter((item) => !only || item.key === only);
      const todo = pool.filter((item) => item.status === 'waiting' || item.status === 'failed');
      const uploaded = new Map<string, UploadedPhoto>();
      for (const item of todo) {
        patch(item.key, { status: 'uploading', progress: 0, said: null, error: null });
        try {
          const photo = await uploader(code, stage, item.file, (progress) => patch(item.key, { progress }));
          uploaded.set(item.key, photo);
          patch(item.key, { status: 'done', progress: 1, photo });
        } catch (failure) {
          if (isAbortError(failure)) return [];
          const error = asApiError(failure);
          patch(item.key, { status: 'failed', said: photoRefusal(error), error });
        }
      }
      return [...uploaded.values()];
    },
    [patch, uploader],
  );

  return { items, add, remove, reset, upload };
}
