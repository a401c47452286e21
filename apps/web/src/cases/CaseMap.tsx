import { useMemo } from 'react';
import { CASE_STATES, type AreaView, type CaseSummary } from '@cityops/contracts';
import { fetchAreas } from '../api/analyst-map-api';
import { fetchAppConfig, fetchDistricts } from '../api/wall-api';
import { useResource } from '../catalog/useResource';
import { useI18n } from '../i18n';
import { boundsOfAreas, type Bounds } from '../map/geo';
import { casePointOf, CasesLayer } from '../map/layers/CasesLayer';
import { ContextLabelsLayer } from '../map/layers/ContextLabelsLayer';
import { DistrictsLayer } from '../map/layers/DistrictsLayer';
import { MapView } from '../map/MapView';
import { ProblemMessage } from '../ProblemMessage';
import { STATE_COLORS, STATE_LABELS } from './case-labels';

interface CaseMapProps {
  items: readonly CaseSummary[];
  selected: string | null;
  onOpen: (code: string) => void;
}

interface MapBasis {
  styleUrl: string | null;
  bounds: Bounds;
  districts: AreaView[];
}

async function loadBasis(signal: AbortSignal): Promise<MapBasis> {
  const [config, cities, districts] = await Promise.all([
    fetchAppConfig(signal),
    fetchAreas({ level: 'city', geometry: true }, signal),
    fetchDistricts(signal),
  ]);
  return { styleUrl: config.basemapStyleUrl, bounds: boundsOfAreas(cities) ?? config.city.bounds, districts };
}

/** The listed cases on the city's map (the base map and district outlines of the other maps), coloured by state. */
export function CaseMap({ items, selected, onOpen }: CaseMapProps) {
  const { t, lang } = useI18n();
  const basis = useResource('case-map-basis', loadBasis);
  const points = useMemo(() => items.map(casePointOf), [items]);
  // Fit to the cases when there are some, so that a filtered page is seen whole; else the city (the map reads it once).
  const bounds = useMemo((): Bounds | null => {
    if (!basis.data) return null;
    if (items.length === 0) return basis.data.bounds;
    let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const { location } of items) {
      west = Math.min(west, location[0]);
      east = Math.max(east, location[0]);
      south = Math.min(south, location[1]);
      north = Math.max(north, location[1]);
    }
    const pad = 0.03;
    return [
      [west - pad, south - pad],
      [east + pad, north + pad],
    ];
  }, [basis.data, items]);

  if (!basis.data || !bounds) {
    return (
      <div className="case-map case-map--loading" data-testid="case-map-loading">
        {basis.error ? <ProblemMessage error={basis.error} /> : <p className="dim">{t('loading')}</p>}
      </div>
    );
  }
  return (
    <div className="case-map" data-testid="case-map" data-cases={items.length}>
      <MapView
        basemapStyleUrl={basis.data.styleUrl}
        initialBounds={bounds}
        interactive
        frameProps={{ 'data-testid': 'case-map-frame' }}
        layers={
          <>
            <DistrictsLayer districts={basis.data.districts} />
            <ContextLabelsLayer lang={lang} />
            <CasesLayer points={points} selected={selected} colors={STATE_COLORS} onPick={onOpen} />
          </>
        }
      >
        <div className="case-map-legend" data-testid="case-map-legend">
          <p className="dim small">{t('caseMapHint')}</p>
          <ul>
            {CASE_STATES.map((state) => (
              <li key={state}>
                <span className="state-dot" style={{ background: STATE_COLORS[state] }} aria-hidden="true" />
                {t(STATE_LABELS[state])}
              </li>
            ))}
          </ul>
        </div>
      </MapView>
    </div>
  );
}
