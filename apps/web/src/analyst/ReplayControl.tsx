import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { fetchAlertTimeline, fetchHistory, HISTORY_LIMIT } from '../api/analyst-map-api';
import { ApiError, isAbortError } from '../api/client';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';
import {
  alertLevelsAt,
  buildReplay,
  REPLAY_SPEEDS,
  replayStretches,
  valuesAt,
  type Replay,
  type ReplaySpeed,
  type ReplayStretch,
} from './replay';

const DAY_MS = 86400_000;
/** The replay clock moves this often (wall time). */
const TICK_MS = 250;

/** What the map shows at one instant of the replay. */
export interface ReplayFrame {
  t: number;
  values: ReadonlyMap<number, number>;
  /** Each area's alert level at `t` (1 notice, 2 warning, 3 critical), as its alerts fired then. */
  alerts: ReadonlyMap<number, number>;
}

interface Loaded {
  replay: Replay;
  /** When each alert fired at which level (the alert timeline): an area's level at an instant is the stretch covering it. */
  stretches: ReplayStretch[];
  truncated: boolean;
  alertsTruncated: boolean;
}

/**
 * Replays the last 24 hours of the choropleth's indicator (its stored values, every area) and its
 * alerts at a chosen speed; the map takes each instant as a frame. "Back to live" ends it.
 */
export function ReplayControl({ indicatorKey, onFrame }: { indicatorKey: string | null; onFrame: (frame: ReplayFrame | null) => void }) {
  const { t } = useI18n();
  const [active, setActive] = useState(false);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [time, setTime] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<ReplaySpeed>(600);
  const frameRef = useRef(onFrame);
  useLayoutEffect(() => {
    frameRef.current = onFrame;
  });
  // Set the moment "back to live" is clicked. A frame effect of the render before the click may
  // still be waiting to run when React handles the click; without this it would send its frame
  // after the click's null, and the map would stay in the replay with nothing left to end it.
  const endedRef = useRef(false);

  // The page keys this control by indicator: a new one starts it afresh, and the map goes back to live.
  useEffect(() => () => frameRef.current(null), []);

  const backToLive = () => {
    endedRef.current = true;
    setActive(false);
    setLoaded(null);
    setPlaying(false);
    onFrame(null);
  };

  useEffect(() => {
    if (!active || !indicatorKey) return undefined;
    const controller = new AbortController();
    const to = Date.now();
    const from = to - DAY_MS;
    Promise.all([
      fetchHistory(indicatorKey, new Date(from), { to: new Date(to), signal: controller.signal }),
      // A minute past the end: a stretch going on at the last instant is not cut off just there.
      fetchAlertTimeline(indicatorKey, new Date(from), new Date(to + 60_000), controller.signal),
    ]).then(
      ([points, timeline]) => {
        setError(null);
        setLoaded({
          replay: buildReplay(points, from, to),
          stretches: replayStretches(timeline.stretches),
          truncated: points.length >= HISTORY_LIMIT,
          alertsTruncated: timeline.truncated,
        });
        setTime(from);
        setPlaying(true);
      },
      (e: unknown) => {
        if (!isAbortError(e)) setError(e instanceof ApiError ? e : null);
      },
    );
    return () => controller.abort();
  }, [active, indicatorKey]);

  useEffect(() => {
    if (!loaded || !playing) return undefined;
    const timer = setInterval(() => {
      setTime((now) => {
        const next = Math.min(loaded.replay.to, now + TICK_MS * speed);
        if (next >= loaded.replay.to) setPlaying(false);
        return next;
      });
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [loaded, playing, speed]);

  useEffect(() => {
    if (!loaded || endedRef.current) return;
    frameRef.current({ t: time, values: valuesAt(loaded.replay, time), alerts: alertLevelsAt(loaded.stretches, time) });
  }, [loaded, time]);

  if (!active) {
    return (
      <section className="replay-control" data-testid="replay-control" data-state="live">
        <button
          type="button"
          data-testid="replay-start"
          disabled={!indicatorKey}
          onClick={() => {
            endedRef.current = false;
            setActive(true);
          }}
        >
          {t('mapReplay')}
        </button>
        {!indicatorKey ? <span className="dim"> {t('mapReplayNeedsIndicator')}</span> : null}
      </section>
    );
  }
  const alertsNow = loaded ? alertLevelsAt(loaded.stretches, time).size : 0;
  return (
    <section className="replay-control" data-testid="replay-control" data-state={loaded ? (playing ? 'playing' : 'paused') : 'loading'}>
      {!loaded ? <p className="dim">{t('mapReplayLoading')}</p> : null}
      <ProblemMessage error={error} />
      {loaded ? (
        <>
          <p className="replay-time" data-testid="replay-time" data-t={time}>
            {t('mapReplayTime', { time: formatDateTime(time) })}
          </p>
          <input
            type="range"
            className="replay-slider"
            min={loaded.replay.from}
            max={loaded.replay.to}
            step={60_000}
            value={time}
            aria-label={t('mapReplayTime', { time: formatDateTime(time) })}
            onChange={(e) => setTime(Number(e.target.value))}
          />
          <div className="button-row">
            <button type="button" data-testid="replay-play" onClick={() => setPlaying((p) => !p)}>
              {playing ? t('mapReplayPause') : t('mapReplayPlay')}
            </button>
            <label>
              {t('mapReplaySpeed')}{' '}
              <select data-testid="replay-speed" value={speed} onChange={(e) => setSpeed(Number(e.target.value) as ReplaySpeed)}>
                {REPLAY_SPEEDS.map((s) => (
                  <option key={s} value={s}>
                    {s}×
                  </option>
                ))}
              </select>
            </label>
            <button type="button" data-testid="replay-live" onClick={backToLive}>
              {t('mapReplayLive')}
            </button>
          </div>
          <p className="dim" data-testid="replay-alerts">
            {t('mapReplayAlerts', { n: alertsNow })}
          </p>
          {loaded.truncated ? <p className="dim">{t('mapReplayTruncated', { limit: HISTORY_LIMIT })}</p> : null}
          {loaded.alertsTruncated ? (
            <p className="dim" data-testid="replay-alerts-truncated">
              {t('mapReplayAlertsTruncated')}
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
