import type { AreaView, LayerView } from '@cityops/contracts';
import type { FakeApi } from '../../testing/fake-api';

/** A small city for the admin pages' tests: two districts, one street, one community with two grids. */
function area(id: number, code: string, name: string, nameEn: string, level: AreaView['level'], parentId: number | null): AreaView {
  return {
    id,
    code,
    name,
    nameEn,
    level,
    parentId,
    zoneSet: null,
    seq: null,
    capacity: null,
    population: null,
    households: null,
    isDemo: true,
  };
}

export const CITY = area(1, '440100', '广州市', 'Guangzhou', 'city', null);
export const LIWAN = area(12, '440103', '荔湾区', 'Liwan District', 'district', 1);
export const YUEXIU = area(11, '440104', '越秀区', 'Yuexiu District', 'district', 1);
export const LIWAN_STREET = area(102, '440103001', '荔湾区第1街道', 'Liwan Street 1', 'street', 12);
export const LIWAN_COMMUNITY = area(553, '440103001001', '荔湾区第1街道第1社区', 'Liwan Street 1 Community 1', 'community', 102);
export const GRIDS = [
  area(2553, '440103001001001', '荔湾区第1街道第1社区第1网格', 'Liwan Street 1 Community 1 Grid 1', 'grid', 553),
  area(2552, '440103001001002', '荔湾区第1街道第1社区第2网格', 'Liwan Street 1 Community 1 Grid 2', 'grid', 553),
];

const BY_LEVEL: Record<string, AreaView[]> = {
  city: [CITY],
  district: [LIWAN, YUEXIU],
  street: [LIWAN_STREET],
  community: [LIWAN_COMMUNITY],
  grid: GRIDS,
};

export const FESTIVAL_LAYER: LayerView = {
  key: 'zones-lantern-festival',
  name: '江边灯光节',
  nameEn: 'Riverside lantern festival',
  kind: 'geojson',
  url: '/api/areas?zoneSet=lantern-festival&geometry=true',
  zoneSet: 'lantern-festival',
  indicator: null,
  scene: null,
};

/** Answers the pending area and layer requests a scope picker makes: by level, by parent, and the zone sets. */
export function answerAreaRequests(api: FakeApi): void {
  for (const request of api.pending('/api/areas')) {
    const level = request.query.get('level');
    const parent = request.query.get('parent');
    if (level) request.reply(200, BY_LEVEL[level] ?? []);
    else if (parent)
      request.reply(
        200,
        GRIDS.filter((g) => String(g.parentId) === parent),
      );
  }
  for (const request of api.pending('/api/layers')) request.reply(200, [FESTIVAL_LAYER]);
}
