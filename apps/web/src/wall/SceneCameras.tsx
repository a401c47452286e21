import { type CSSProperties, useEffect, useMemo, useState } from 'react';
import type { CameraView, SceneCameras } from '@cityops/contracts';
import { fetchCameraAreaCodes, fetchFeedCameras } from '../api/cameras-api';
import { ApiError, isAbortError } from '../api/client';
import { useI18n } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';
import { CameraGrid } from './CameraGrid';
import { cameraCandidates, cameraGridShape, chooseAcrossAreas, chooseSceneCameras } from './scene-cameras';

/** A new frame of each camera this often: placeholders and stills, not video; the wall stays light. */
export const SNAPSHOT_REFRESH_MS = 30_000;
/** The list again this often: a camera that went offline makes room for one that works. */
const LIST_REFRESH_MS = 120_000;

interface Loaded {
  cameras: CameraView[] | null;
  error: ApiError | null;
}

/**
 * The scene's cameras: its area's code (for the whole city each district's), then that feed's
 * cameras there, read again now and then.
 */
function useSceneCameras(spec: SceneCameras): Loaded {
  const [loaded, setLoaded] = useState<Loaded>({ cameras: null, error: null });
  const { feedKey, areaId, count } = spec;
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    let codes: string[] | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        codes ??= await fetchCameraAreaCodes(areaId, signal);
        if (codes.length === 1) {
          const listed = await fetchFeedCameras(codes[0] ?? '', feedKey, cameraCandidates(count), signal);
          setLoaded({ cameras: chooseSceneCameras(listed, count), error: null });
        } else {
          // Spare ones in each district, for the offline: as many rounds as the count needs, at least one.
          const each = cameraCandidates(Math.ceil(count / Math.max(codes.length, 1)));
          const lists = await Promise.all(codes.map((code) => fetchFeedCameras(code, feedKey, each, signal)));
          setLoaded({ cameras: chooseAcrossAreas(lists, count), error: null });
        }
      } catch (error: unknown) {
        if (isAbortError(error) || signal.aborted) return;
        setLoaded((l) => ({ ...l, error: error instanceof ApiError ? error : l.error }));
      }
      if (!signal.aborted) timer = setTimeout(() => void load(), LIST_REFRESH_MS);
    };
    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [feedKey, areaId, count]);
  return loaded;
}

/**
 * A scene's cameras beside the map: up to its count of the feed's cameras in its area (or the
 * city), working ones first, each frame renewed every half minute, in a grid that fills the column.
 */
export function SceneCamerasPanel({ spec, areaName }: { spec: SceneCameras; areaName: string | null }) {
  const { t } = useI18n();
  const { cameras, error } = useSceneCameras(spec);
  const shown = cameras ?? [];
  const style = useMemo(() => {
    const narrow = cameraGridShape(shown.length, 'narrow');
    const wide = cameraGridShape(shown.length, 'wide');
    return {
      '--cols': narrow.columns,
      '--rows': narrow.rows,
      '--cols-wide': wide.columns,
      '--rows-wide': wide.rows,
    } as CSSProperties;
  }, [shown.length]);
  return (
    <section
      className="panel scene-cameras"
      aria-labelledby="scene-cameras-title"
      data-testid="scene-cameras"
      data-feed={spec.feedKey}
      data-count={cameras?.length}
    >
      <header className="panel-header">
        <h2 id="scene-cameras-title" className="panel-title">
          {t('sceneCamerasTitle')}
        </h2>
        <span className="panel-subtitle">{areaName ?? t('sceneCamerasCity')}</span>
        {cameras ? <span className="panel-count">{t('sceneCamerasCount', { n: cameras.length })}</span> : null}
      </header>
      {cameras === null && error === null ? <p className="scene-cameras-note">{t('sceneCamerasLoading')}</p> : null}
      {cameras?.length === 0 ? <p className="scene-cameras-note">{t('sceneCamerasNone')}</p> : null}
      {shown.length > 0 ? <CameraGrid cameras={shown} refreshMs={SNAPSHOT_REFRESH_MS} className="camera-grid--fill" style={style} /> : null}
      <ProblemMessage error={error} className="panel-problem" />
    </section>
  );
}
