import { useState } from 'react';
import type { LayerView } from '@cityops/contracts';
import { fetchOgcItems } from '../api/analyst-map-api';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';
import { ogcCollectionsOf, tagFeatures, toCsv, toFeatureCollection, type Bbox, type ExportFeature } from './export-features';

/** Features per layer in one export (pages of the OGC API's largest page). */
export const EXPORT_LIMIT_PER_LAYER = 5000;
const PAGE = 1000;

type Outcome = { kind: 'done'; n: number; limited: string[] } | { kind: 'nothing' } | { kind: 'working' } | null;

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Export of the visible layers' features in the map's box, from the OGC API items, as CSV or GeoJSON. */
export function ExportControl({ layers, bbox }: { layers: readonly LayerView[]; bbox: Bbox | null }) {
  const { t, lang } = useI18n();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const run = async (format: 'csv' | 'geojson') => {
    if (!bbox) return;
    const sources = layers.flatMap((layer) => ogcCollectionsOf(layer).map((collection) => ({ layer, collection })));
    if (sources.length === 0) {
      setOutcome({ kind: 'nothing' });
      return;
    }
    setOutcome({ kind: 'working' });
    setError(null);
    try {
      const features: ExportFeature[] = [];
      const limited: string[] = [];
      for (const { layer, collection } of sources) {
        let taken = 0;
        for (;;) {
          const page = await fetchOgcItems(collection, bbox, PAGE, taken);
          features.push(...tagFeatures(page.features.slice(0, EXPORT_LIMIT_PER_LAYER - taken), layer.key, collection));
          taken += page.features.length;
          const more = page.links?.some((l) => l.rel === 'next') ?? false;
          if (!more || page.features.length === 0) break;
          if (taken >= EXPORT_LIMIT_PER_LAYER) {
            limited.push(lang === 'en' ? (layer.nameEn ?? layer.name) : layer.name);
            break;
          }
        }
      }
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '');
      if (format === 'csv') download(`cityops-map-${stamp}.csv`, 'text/csv;charset=utf-8', toCsv(features));
      else download(`cityops-map-${stamp}.geojson`, 'application/geo+json', JSON.stringify(toFeatureCollection(features, bbox)));
      setOutcome({ kind: 'done', n: features.length, limited: [...new Set(limited)] });
    } catch (e) {
      setOutcome(null);
      setError(e instanceof ApiError ? e : null);
    }
  };

  return (
    <section className="export-control" data-testid="export-control">
      <h3>{t('mapExport')}</h3>
      <div className="button-row">
        <button type="button" data-testid="export-csv" disabled={!bbox || outcome?.kind === 'working'} onClick={() => void run('csv')}>
          {t('mapExportCsv')}
        </button>
        <button
          type="button"
          data-testid="export-geojson"
          disabled={!bbox || outcome?.kind === 'working'}
          onClick={() => void run('geojson')}
        >
          {t('mapExportGeojson')}
        </button>
      </div>
      <p className="export-outcome" data-testid="export-outcome" role="status">
        {outcome?.kind === 'working' ? t('mapExportWorking') : null}
        {outcome?.kind === 'nothing' ? t('mapExportNothing') : null}
        {outcome?.kind === 'done' && outcome.limited.length === 0 ? t('mapExportDone', { n: outcome.n }) : null}
        {outcome?.kind === 'done' && outcome.limited.length > 0
          ? t('mapExportLimited', { n: outcome.n, layers: outcome.limited.join('、'), limit: EXPORT_LIMIT_PER_LAYER })
          : null}
      </p>
      <ProblemMessage error={error} />
    </section>
  );
}
