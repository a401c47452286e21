import { type CSSProperties, useEffect, useState } from 'react';
import type { CameraView } from '@cityops/contracts';
import { fetchSnapshot } from '../api/cameras-api';
import { isAbortError } from '../api/client';
import { useI18n, type MessageKey } from '../i18n';

const STATUS_KEYS: Record<CameraView['status'], MessageKey> = {
  online: 'cameraStatusOnline',
  offline: 'cameraStatusOffline',
  fault: 'cameraStatusFault',
};

/**
 * One camera's frame, fetched with the session's token and shown from an object URL it frees
 * again. With `refreshMs` it fetches a new frame that often, keeping the last one on screen until
 * the next has arrived (no blank between frames).
 */
function CameraTile({ camera, refreshMs }: { camera: CameraView; refreshMs: number | null }) {
  const { t, lang } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let controller = new AbortController();
    let objectUrl: string | null = null;
    const load = () => {
      controller = new AbortController();
      fetchSnapshot(camera.snapshot, controller.signal)
        .then((blob) => {
          const previous = objectUrl;
          objectUrl = URL.createObjectURL(blob);
          setUrl(objectUrl);
          setFailed(false);
          if (previous) URL.revokeObjectURL(previous);
        })
        .catch((error: unknown) => {
          if (!isAbortError(error)) setFailed(true);
        });
    };
    load();
    const timer = refreshMs === null ? null : setInterval(load, refreshMs);
    return () => {
      if (timer !== null) clearInterval(timer);
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [camera.snapshot, refreshMs]);
  const name = lang === 'en' && camera.nameEn ? camera.nameEn : camera.name;
  return (
    <li
      className={`camera-tile camera-tile--${camera.status}`}
      data-testid="camera-tile"
      data-camera-id={camera.id}
      data-status={camera.status}
      data-area={camera.area ?? undefined}
      data-frame={url ? 'shown' : failed ? 'failed' : 'loading'}
    >
      <div className="camera-frame">
        {url ? (
          <img src={url} alt={name} />
        ) : (
          <span className="camera-frame-note">{t(failed ? 'cameraSnapshotFailed' : 'cameraSnapshotLoading')}</span>
        )}
      </div>
      <div className="camera-caption">
        <span className="camera-name" title={name}>
          {name}
        </span>
        <span className={`camera-status camera-status--${camera.status}`}>{t(STATUS_KEYS[camera.status])}</span>
      </div>
    </li>
  );
}

export interface CameraGridProps {
  cameras: readonly CameraView[];
  /** Fetch a new frame of each camera this often; null: once. */
  refreshMs?: number | null;
  className?: string;
  style?: CSSProperties;
}

/** Cameras' frames in a grid, each with its name and status: a zone's panel and a scene's cameras. */
export function CameraGrid({ cameras, refreshMs = null, className, style }: CameraGridProps) {
  return (
    <ul className={className ? `camera-grid ${className}` : 'camera-grid'} style={style}>
      {cameras.map((camera) => (
        <CameraTile key={`${camera.feed}/${camera.id}`} camera={camera} refreshMs={refreshMs} />
      ))}
    </ul>
  );
}
