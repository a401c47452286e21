import type { FeedEntityRecord } from '../api/catalog-api';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';
import { DataTable } from './DataTable';
import { DetailSection, LoadState } from './DetailSection';
import { JsonInline } from './JsonPreview';
import type { Resource } from './useResource';

function geometryText(geometry: FeedEntityRecord['geometry']): string {
  if (!geometry) return '—';
  const c = geometry.coordinates;
  if (geometry.type === 'Point' && Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number') {
    return `Point ${c[0].toFixed(5)}, ${c[1].toFixed(5)}`;
  }
  return geometry.type;
}

/** Entity feeds: each entity's latest state, most recently updated first. */
export function EntityTable({ entities, limit }: { entities: Resource<FeedEntityRecord[]>; limit: number }) {
  const { t } = useI18n();
  const rows = entities.data ?? [];
  return (
    <DetailSection title={t('entitiesTitle')} subtitle={t('entitiesSubtitle', { n: limit })} testId="catalog-entities">
      <LoadState loading={entities.loading} error={entities.error} empty={rows.length === 0} onRetry={entities.reload} />
      {rows.length ? (
        <DataTable
          columns={[
            { label: t('colId') },
            { label: t('colTime') },
            { label: t('colArea') },
            { label: t('colGeometry') },
            { label: t('colHistory'), numeric: true },
            { label: t('colProps') },
          ]}
        >
          <tbody>
            {rows.map((e) => (
              <tr key={e.id} data-testid="catalog-entity-row" data-id={e.id}>
                <td className="nowrap">
                  <code>{e.id}</code>
                </td>
                <td className="nowrap">{formatDateTime(e.ts)}</td>
                <td>{e.area ?? <span className="dim">—</span>}</td>
                <td className="nowrap">{geometryText(e.geometry)}</td>
                <td className="num">{e.historyLength}</td>
                <td className="props-cell">
                  <JsonInline value={e.props} />
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      ) : null}
    </DetailSection>
  );
}
