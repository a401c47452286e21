import { useId, useState, type ReactNode } from 'react';
import { formatClock, formatDuration } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { useNow } from '../useNow';
import { AckForm } from './AckForm';
import { groupAlerts, type AlertGroup } from './alert-board';
import {
  acknowledgementOf,
  durationMs,
  isAcknowledged,
  isRecent,
  isSilenced,
  isStale,
  levelOf,
  startedMs,
  type WallAlert,
  type WallLevel,
} from './alert-status';
import { AlertCaseForm } from './AlertCaseForm';
import type { AreaNameOf } from './area-names';
import { formatValue, type ValueStyle } from './indicator-format';
import { SilenceReasonForm } from './SilenceReasonForm';

/** Rows of active alerts that fit the panel at any screen size (sizes are in rem); fewer with ack buttons or recent ones below. */
const MAX_ROWS = 7;
const MAX_ROWS_WITH_ACK = 5;
/** Recently resolved alerts listed under the active ones. */
const MAX_RECENT = 3;

export const LEVEL_LABELS: Record<WallLevel, MessageKey> = { notice: 'levelNotice', warning: 'levelWarning', critical: 'levelCritical' };

/** What the list needs to know of an alert's indicator (from the indicator definitions when the alert does not carry it). */
export interface IndicatorInfo {
  label: (alert: WallAlert) => string;
  style: (alert: WallAlert) => ValueStyle;
}

export interface AlertListProps {
  /** Active alerts (any order). */
  active: readonly WallAlert[];
  /** Resolved alerts held by the store; those of the last hour are shown. */
  resolved: readonly WallAlert[];
  /** Ids of critical alerts announced a moment ago (extra emphasis). */
  freshIds: ReadonlySet<string>;
  nameOf: AreaNameOf;
  indicator: IndicatorInfo;
  /** Given only to people who may acknowledge (never on a display). */
  onAcknowledge?: (alert: WallAlert, comment: string) => void;
  /** Ids whose acknowledgement is in flight. */
  pendingIds?: ReadonlySet<string>;
  /** Given only to people who may silence: silences the alert's indicator in its area for an hour. */
  onSilence?: (alert: WallAlert, reason: string) => void;
  /** Ids whose silence is being made. */
  silencingIds?: ReadonlySet<string>;
  /** Opens the panel of an alert's area (the wall gives it for the scene's zones). */
  onSelectArea?: (alert: WallAlert) => void;
  /** Only for people who may file a case from an alert (commanders and operators). */
  mayFileCase?: boolean;
  children?: ReactNode;
}

/** Active alerts, most severe first (grouped by area or indicator in a burst), then those resolved in the last hour. */
export function AlertList({
  active,
  resolved,
  freshIds,
  nameOf,
  indicator,
  onAcknowledge,
  pendingIds,
  onSilence,
  silencingIds,
  onSelectArea,
  mayFileCase = false,
  children,
}: AlertListProps) {
  const { t } = useI18n();
  const now = useNow(1000);
  const recent = resolved.filter((alert) => isRecent(alert, now));
  const recentShown = recent.slice(0, MAX_RECENT);
  const maxRows = (onAcknowledge || onSilence || mayFileCase ? MAX_ROWS_WITH_ACK : MAX_ROWS) - (recent.length > 0 ? 2 : 0);
  const groups = groupAlerts(active, maxRows);
  const visible = groups.slice(0, maxRows);
  const hidden = groups.slice(maxRows).reduce((n, g) => n + g.alerts.length, 0);
  const groupedBy = groups[0]?.kind === 'area' ? 'alertGroupedByArea' : groups[0]?.kind === 'indicator' ? 'alertGroupedByIndicator' : null;
  // A group opens into its alerts for whoever may act on them, so that grouping never hides an
  // alert from acknowledgement or silencing; a read-only wall (a display) keeps the summary.
  const mayAct = onAcknowledge !== undefined || onSilence !== undefined || mayFileCase;
  const [openKey, setOpenKey] = useState<string | null>(null);
  const openGroup = mayAct ? visible.find((g) => g.kind !== 'alert' && g.key === openKey) : undefined;
  // A group the burst no longer makes is forgotten (while rendering, as React advises for state
  // derived from props), so that it does not open again by itself in a later burst.
  if (openKey !== null && !openGroup) setOpenKey(null);

  const row = (alert: WallAlert) => (
    <AlertRow
      key={alert.id}
      alert={alert}
      now={now}
      fresh={freshIds.has(alert.id)}
      nameOf={nameOf}
      indicator={indicator}
      onAcknowledge={onAcknowledge}
      pending={pendingIds?.has(alert.id) ?? false}
      onSilence={onSilence}
      silencing={silencingIds?.has(alert.id) ?? false}
      onSelectArea={onSelectArea}
      mayFileCase={mayFileCase}
    />
  );

  return (
    <section className="panel alert-panel" aria-labelledby="alerts-title">
      <header className="panel-header">
        <h2 id="alerts-title" className="panel-title">
          {t('alertsTitle')}
        </h2>
        <span className="panel-count" data-testid="alert-count">
          {active.length}
        </span>
      </header>
      {children}
      {active.length === 0 ? <p className="alerts-empty">{t('alertsEmpty')}</p> : null}
      {groupedBy ? (
        <p className="alerts-grouped" data-testid="alerts-grouped">
          {t('alertGroupedBy', { by: t(groupedBy) })}
        </p>
      ) : null}
      <ol className={openGroup ? 'alert-list alert-list--open' : 'alert-list'}>
        {visible.map((group) =>
          group.kind === 'alert' ? (
            row(group.alerts[0])
          ) : (
            <GroupRow
              key={group.key}
              group={group}
              now={now}
              nameOf={nameOf}
              indicator={indicator}
              open={group === openGroup}
              onToggle={mayAct ? () => setOpenKey(group === openGroup ? null : group.key) : undefined}
              row={row}
            />
          ),
        )}
      </ol>
      {hidden > 0 ? <p className="alerts-more">{t('alertMore', { n: hidden })}</p> : null}
      {recent.length > 0 ? (
        <section className="alerts-recent" aria-labelledby="alerts-recent-title" data-testid="alerts-recent">
          <h3 id="alerts-recent-title" className="alerts-recent-title">
            {t('alertRecentTitle')} <span className="alerts-recent-hint">{t('alertRecentHint')}</span>
            <span className="alerts-recent-count">{recent.length}</span>
          </h3>
          <ol className="alerts-recent-list">
            {recentShown.map((alert) => (
              <RecentRow key={alert.id} alert={alert} now={now} nameOf={nameOf} indicator={indicator} />
            ))}
          </ol>
          {recent.length > recentShown.length ? (
            <p className="alerts-recent-more">{t('alertMore', { n: recent.length - recentShown.length })}</p>
          ) : null}
        </section>
      ) : null}
    </section>
  );
}

interface AlertRowProps {
  alert: WallAlert;
  now: number;
  fresh: boolean;
  nameOf: AreaNameOf;
  indicator: IndicatorInfo;
  onAcknowledge?: (alert: WallAlert, comment: string) => void;
  pending: boolean;
  onSilence?: (alert: WallAlert, reason: string) => void;
  silencing: boolean;
  onSelectArea?: (alert: WallAlert) => void;
  mayFileCase: boolean;
}

function AlertRow({
  alert,
  now,
  fresh,
  nameOf,
  indicator,
  onAcknowledge,
  pending,
  onSilence,
  silencing,
  onSelectArea,
  mayFileCase,
}: AlertRowProps) {
  const { t, lang } = useI18n();
  // One question at a time: the acknowledgement's comment, the silence's reason or the case to file.
  const [asking, setAsking] = useState<'ack' | 'silence' | 'case' | null>(null);
  const mayAck = !isAcknowledged(alert) && onAcknowledge !== undefined;
  const maySilence = !isSilenced(alert) && onSilence !== undefined;
  const level = levelOf(alert);
  const ack = acknowledgementOf(alert);
  return (
    <li
      className={['alert-item', `alert-item--${level}`, fresh ? 'alert-item--fresh' : '', ack ? 'alert-item--acked' : ''].join(' ')}
      data-testid="alert-item"
      data-alert-id={alert.id}
      data-level={level}
      data-area-code={alert.areaCode}
      data-acknowledged={ack ? 'true' : 'false'}
    >
      <div className="alert-line">
        <span className="alert-level">{t(LEVEL_LABELS[level])}</span>
        {fresh ? <span className="alert-new">{t('alertNew')}</span> : null}
        <span className="alert-area">
          {onSelectArea ? (
            <button type="button" className="alert-area-open" onClick={() => onSelectArea(alert)} data-testid="alert-area-open">
              {nameOf(alert.areaId, alert.areaName)}
            </button>
          ) : (
            nameOf(alert.areaId, alert.areaName)
          )}
        </span>
        <span className="alert-value" data-testid="alert-value">
          {formatValue(alert.value, indicator.style(alert), lang)}
        </span>
      </div>
      <div className="alert-line alert-line--meta">
        <span className="alert-indicator">{indicator.label(alert)}</span>
        <span className="alert-age" data-testid="alert-duration">
          {t('alertOpenFor', { d: formatDuration(durationMs(alert, now), lang) })}
        </span>
        <span className="alert-time">{formatClock(startedMs(alert))}</span>
      </div>
      {isSilenced(alert) || isStale(alert) ? (
        <div className="alert-line alert-line--flags">
          {isSilenced(alert) ? <span className="alert-flag">{t('alertSilenced')}</span> : null}
          {isStale(alert) ? <span className="alert-flag">{t('alertStale')}</span> : null}
        </div>
      ) : null}
      {ack ? (
        <div className="alert-acked" data-testid="alert-acked">
          {ack.by ? t('alertAckedBy', { name: ack.by }) : t('alertAckedAnon')}
          {ack.comment ? <span className="alert-ack-comment">“{ack.comment}”</span> : null}
        </div>
      ) : null}
      {asking === 'ack' && onAcknowledge ? (
        <AckForm
          pending={pending}
          onSubmit={(comment) => {
            onAcknowledge(alert, comment);
            setAsking(null);
          }}
          onCancel={() => setAsking(null)}
        />
      ) : asking === 'silence' && onSilence ? (
        <SilenceReasonForm
          pending={silencing}
          onSubmit={(reason) => {
            onSilence(alert, reason);
            setAsking(null);
          }}
          onCancel={() => setAsking(null)}
        />
      ) : asking === 'case' && mayFileCase ? (
        <AlertCaseForm
          alert={alert}
          valueText={formatValue(alert.value, indicator.style(alert), lang)}
          indicatorLabel={indicator.label(alert)}
          areaLabel={nameOf(alert.areaId, alert.areaName)}
          onClose={() => setAsking(null)}
        />
      ) : mayAck || maySilence || mayFileCase ? (
        <div className="alert-actions">
          {mayAck ? (
            <button type="button" className="alert-ack" data-testid="alert-ack" disabled={pending} onClick={() => setAsking('ack')}>
              {t('alertAck')}
            </button>
          ) : null}
          {maySilence ? (
            <button
              type="button"
              className="alert-ack alert-ack--quiet"
              data-testid="alert-silence"
              disabled={silencing}
              onClick={() => setAsking('silence')}
            >
              {t('alertSilence1h')}
            </button>
          ) : null}
          {mayFileCase ? (
            <button type="button" className="alert-ack alert-ack--quiet" data-testid="alert-file-case" onClick={() => setAsking('case')}>
              {t('alertFileCase')}
            </button>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

interface GroupRowProps {
  group: AlertGroup;
  now: number;
  nameOf: AreaNameOf;
  indicator: IndicatorInfo;
  /** Its alerts are listed under it, each with the row's own actions. */
  open: boolean;
  /** Given only when someone may act on the alerts (never on a display). */
  onToggle?: () => void;
  row: (alert: WallAlert) => ReactNode;
}

function GroupRow({ group, now, nameOf, indicator, open, onToggle, row }: GroupRowProps) {
  const { t, lang } = useI18n();
  const alertsId = useId();
  const first = group.alerts[0];
  const label = group.kind === 'area' ? nameOf(first.areaId, first.areaName) : indicator.label(first);
  const oldest = Math.max(...group.alerts.map((a) => durationMs(a, now)));
  return (
    <li
      className={`alert-item alert-item--${group.level} alert-group`}
      data-testid="alert-group"
      data-group={group.key}
      data-count={group.alerts.length}
      data-level={group.level}
      data-open={open ? 'true' : undefined}
    >
      <div className="alert-line">
        <span className="alert-level">{t(LEVEL_LABELS[group.level])}</span>
        <span className="alert-area">{label}</span>
        <span className="alert-group-count">{t('alertGroupCount', { n: group.alerts.length })}</span>
      </div>
      <div className="alert-line alert-line--meta">
        <span>{t('alertGroupLevels', { critical: group.counts.critical, warning: group.counts.warning + group.counts.notice })}</span>
        <span className="alert-age">{t('alertGroupOpenFor', { d: formatDuration(oldest, lang) })}</span>
        {group.acknowledged > 0 ? <span>{t('alertGroupAcked', { n: group.acknowledged })}</span> : null}
      </div>
      {onToggle ? (
        <div className="alert-actions">
          <button
            type="button"
            className="alert-ack alert-ack--quiet"
            data-testid="alert-group-toggle"
            aria-expanded={open}
            aria-controls={open ? alertsId : undefined}
            onClick={onToggle}
          >
            {open ? t('alertGroupHide') : t('alertGroupShow')}
          </button>
        </div>
      ) : null}
      {open ? (
        <ol id={alertsId} className="alert-group-alerts" data-testid="alert-group-alerts">
          {group.alerts.map(row)}
        </ol>
      ) : null}
    </li>
  );
}

function RecentRow({ alert, now, nameOf, indicator }: { alert: WallAlert; now: number; nameOf: AreaNameOf; indicator: IndicatorInfo }) {
  const { t, lang } = useI18n();
  const level = levelOf(alert);
  return (
    <li
      className={`alert-recent alert-recent--${level}`}
      data-testid="alert-recent"
      data-alert-id={alert.id}
      data-area-code={alert.areaCode}
    >
      <span className="alert-recent-level">{t(LEVEL_LABELS[level])}</span>
      <span className="alert-recent-area">
        {nameOf(alert.areaId, alert.areaName)} · {indicator.label(alert)}
      </span>
      <span className="alert-recent-lasted" data-testid="alert-recent-lasted">
        {t('alertLasted', { d: formatDuration(durationMs(alert, now), lang) })}
      </span>
      <span className="alert-recent-time">{alert.resolvedAt ? t('alertResolvedAt', { time: formatClock(alert.resolvedAt) }) : null}</span>
    </li>
  );
}
