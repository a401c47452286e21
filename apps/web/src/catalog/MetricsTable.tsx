import type { FeedMetric } from '@cityops/contracts';
import { formatNumber } from '../format';
import { useI18n, type Lang, type Translate } from '../i18n';
import { DataTable } from './DataTable';
import { DetailSection } from './DetailSection';

function rangeText(metric: FeedMetric, t: Translate, lang: Lang): string {
  const { min, max } = metric;
  if (min !== undefined && max !== undefined) return `${formatNumber(min, lang)} – ${formatNumber(max, lang)}`;
  if (min !== undefined) return `≥ ${formatNumber(min, lang)}`;
  if (max !== undefined) return `≤ ${formatNumber(max, lang)}`;
  return t('rangeAny');
}

/** The metrics a feed accepts, with the range outside which a value is rejected. */
export function MetricsTable({ metrics }: { metrics: FeedMetric[] }) {
  const { t, lang } = useI18n();
  return (
    <DetailSection title={t('metricsTitle')}>
      {metrics.length === 0 ? (
        <p className="empty">{t('metricsEmpty')}</p>
      ) : (
        <DataTable columns={[{ label: t('colKey') }, { label: t('colName') }, { label: t('colUnit') }, { label: t('colRange') }]}>
          <tbody>
            {metrics.map((m) => (
              <tr key={m.key} data-testid="catalog-metric-row" data-key={m.key}>
                <td>
                  <code>{m.key}</code>
                </td>
                <td>{m.name ?? <span className="dim">—</span>}</td>
                <td>{m.unit ?? <span className="dim">—</span>}</td>
                <td className="num-text">{rangeText(m, t, lang)}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </DetailSection>
  );
}
