import type { ConnectorConfig, ConnectorStateView } from '@cityops/contracts';
import { formatSpan } from '../format';
import { useI18n } from '../i18n';
import { useNow } from '../useNow';
import { DetailSection } from './DetailSection';
import { RelativeTime } from './RelativeTime';

export interface ConnectorPanelProps {
  connector: ConnectorConfig | null;
  /** The pull job's state, from the health list (null before it ran or before health arrived). */
  state: ConnectorStateView | null;
}

/** Where and how often the hub pulls this feed, and how the last pulls went. */
export function ConnectorPanel({ connector, state }: ConnectorPanelProps) {
  const { t, lang } = useI18n();
  const now = useNow(1000);
  if (!connector) {
    return (
      <DetailSection title={t('connectorTitle')}>
        <p className="dim">{t('connectorNone')}</p>
      </DetailSection>
    );
  }
  const mapping = Object.entries(connector.mapping).filter(([, path]) => path !== undefined);
  // Header values often carry credentials: only their names are shown.
  const headerNames = Object.keys(connector.headers ?? {});
  return (
    <DetailSection title={t('connectorTitle')} testId="catalog-connector">
      <dl className="facts">
        <div className="fact fact--wide">
          <dt>{t('connectorUrl')}</dt>
          <dd>
            <code className="break">{connector.url}</code>
          </dd>
        </div>
        <div className="fact">
          <dt>{t('connectorFormat')}</dt>
          <dd>{connector.format.toUpperCase()}</dd>
        </div>
        <div className="fact">
          <dt>{t('connectorInterval')}</dt>
          <dd>{t('cadenceEvery', { d: formatSpan(connector.intervalSeconds, lang) })}</dd>
        </div>
        {connector.itemsPath ? (
          <div className="fact">
            <dt>{t('connectorItemsPath')}</dt>
            <dd>
              <code>{connector.itemsPath}</code>
            </dd>
          </div>
        ) : null}
        <div className="fact fact--wide">
          <dt>{t('connectorMapping')}</dt>
          <dd className="mapping">
            {mapping.map(([field, path]) => (
              <code key={field}>
                {field} ← {path}
              </code>
            ))}
            {connector.metric && !connector.mapping.metric ? <code>metric = {connector.metric}</code> : null}
          </dd>
        </div>
        {headerNames.length ? (
          <div className="fact fact--wide">
            <dt>{t('connectorHeaders')}</dt>
            <dd>
              <code>{headerNames.join(', ')}</code>
            </dd>
          </div>
        ) : null}
      </dl>

      {state ? (
        <dl className="facts connector-state">
          <div className="fact">
            <dt>{t('connectorLastRun')}</dt>
            <dd>
              <RelativeTime value={state.lastRunAt} now={now} />
            </dd>
          </div>
          <div className="fact">
            <dt>{t('connectorLastSuccess')}</dt>
            <dd>
              <RelativeTime value={state.lastSuccessAt} now={now} />
            </dd>
          </div>
          <div className="fact">
            <dt>{t('connectorNextRun')}</dt>
            <dd>
              <RelativeTime value={state.nextRunAt} now={now} empty="—" />
            </dd>
          </div>
          <div className="fact fact--wide">
            <dt>{t('connectorLastError')}</dt>
            <dd>
              {state.lastErrorAt ? (
                <span className={state.consecutiveFailures > 0 ? 'error-text' : undefined}>
                  <RelativeTime value={state.lastErrorAt} now={now} />
                  {state.lastError ? <span className="connector-error"> · {state.lastError}</span> : null}
                  {state.consecutiveFailures > 0 ? (
                    <span className="connector-error"> · {t('connectorFailures', { n: state.consecutiveFailures })}</span>
                  ) : null}
                </span>
              ) : (
                <span className="dim">{t('never')}</span>
              )}
            </dd>
          </div>
        </dl>
      ) : (
        <p className="dim">{t('connectorNoState')}</p>
      )}
    </DetailSection>
  );
}
