import type { FeedMetric } from '@cityops/contracts';
import type { FeedSampleRecord } from '../api/catalog-api';
import { formatClock, formatDateTime, formatNumber } from '../format';
import { useI18n } from '../i18n';
import { DataTable } from './DataTable';
import { DetailSection, LoadState } from './DetailSection';
import { JsonInline } from './JsonPreview';
import type { Resource } from './useResource';

export interface SampleRecordsProps {
  sample: Resource<FeedSampleRecord[]>;
  metrics: FeedMetric[];
  limit: number;
}

function locationText(location: [number, number]): string {
  return `${location[0].toFixed(5)}, ${location[1].toFixed(5)}`;
}

/** The latest stored records, newest observation time first. */
export function SampleRecords({ sample, metrics, limit }: SampleRecordsProps) {
  const { t, lang } = useI18n();
  const units = new Map(metrics.map((m) => [m.key, m.unit]));
  const rows = sample.data ?? [];
  return (
    <DetailSection title={t('sampleTitle')} subtitle={t('sampleSubtitle', { n: limit })} testId="catalog-sample">
      <LoadState loading={sample.loading} error={sample.error} empty={rows.length === 0} onRetry={sample.reload} />
      {rows.length ? (
        <DataTable
          columns={[
            { label: t('colTime') },
            { label: t('colEntity') },
            { label: t('colMetric') },
            { label: t('colValue'), numeric: true },
            { label: t('colAreaLocation') },
            { label: t('colProps') },
          ]}
        >
          <tbody>
            {rows.map((r) => {
              const unit = units.get(r.metric);
              return (
                <tr key={`${r.id}@${r.ts}`} data-testid="catalog-sample-row" data-id={r.id}>
                  <td className="nowrap">
                    {formatDateTime(r.ts)}
                    {/* When it came in tells how late the source sends. */}
                    <span className="cell-sub" title={formatDateTime(r.receivedAt)}>
                      {t('receivedAt', { time: formatClock(r.receivedAt) })}
                    </span>
                  </td>
                  <td>{r.entity ?? <span className="dim">—</span>}</td>
                  <td>
                    <code>{r.metric}</code>
                  </td>
                  <td className="num nowrap">
                    {formatNumber(r.value, lang)}
                    {unit ? <span className="unit"> {unit}</span> : null}
                  </td>
                  <td className="nowrap">
                    {r.area ?? <span className="dim">—</span>}
                    {r.location ? <span className="cell-sub">{locationText(r.location)}</span> : null}
                  </td>
                  <td className="props-cell">
                    <JsonInline value={r.props} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </DataTable>
      ) : null}
    </DetailSection>
  );
}
