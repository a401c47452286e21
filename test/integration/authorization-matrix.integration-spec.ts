import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROLES,
  type AlertTimeline,
  type AlertView,
  type AreaView,
  type CameraView,
  type CaseDetail,
  type CasePage,
  type FeedEntityRecord,
  type FeedHealthView,
  type FeedSampleRecord,
  type IndicatorSummaryPoint,
  type IndicatorHistoryPoint,
  type IndicatorValuesEvent,
  type LoginResponse,
  type RejectedRecord,
  type Role,
  type SceneView,
  type SearchHit,
  type SilenceView,
} from '@cityops/contracts';
import { DEFAULT_ACCESS } from '../../apps/api/src/http/endpoint.decorator';
import { type RouteEntry, routeTable } from '../../apps/api/src/http/route-table';
import {
  accessText,
  answerFits,
  type Caller,
  inBatches,
  matrixMarkdown,
  type MatrixCell,
  type Outcome,
  predictedOutcome,
  type ScopeCell,
  servedRoutes,
  tileOf,
} from '../support/authorization';
import { eventually } from '../support/eventually';
import { postHeadcounts } from '../support/marathon';
import { samplePhoto } from '../support/photo-samples';
import { createUser, feedToken, kioskLogin, kioskToken, login, startStack, type TestStack } from '../support/stack';
import { TEST_SECRETS } from '../support/test-env';

/** The district-scoped callers' district (Tianhe) and another one (Haizhu); the marathon runs through both. */
const HOME_DISTRICT = '440106';
const OTHER_DISTRICT = '440105';
const INDICATOR = 'marathon.segment_load';
/** The feed whose key (`feedToken`) is the feed caller. */
const MARATHON_FEED = 'marathon-crowd';
/** Feeds made for the test: records only in the home district, only in the other, in both; and one that writes may change. */
const FEED_HOME = 'authz-home';
const FEED_OTHER = 'authz-other';
const FEED_MIXED = 'authz-mixed';
/** The district callers' department owns the home feed; another department the other one. */
const HOME_DEPARTMENT = 'public-security';
const OTHER_DEPARTMENT = 'transport';
const FEED_SPARE = 'authz-spare';
const THROWAWAY_SCENE = 'authz-throwaway';
/** Indicator writes (replace, delete) act on this one, never on the marathon's that the scope probes read. */
const THROWAWAY_INDICATOR = 'authz-throwaway.indicator';
const FEED_METRICS = [{ key: 'level', min: 0, max: 100 }];

/** Served by Express outside the controllers, public on purpose (README): the API description and Swagger UI. */
const OUTSIDE_CONTROLLERS = /^get \/api\/docs/;

/** The roles a district-scoped person is made with; every role also comes city-wide. */
const DISTRICT_ROLES: Role[] = ['commander', 'operator', 'analyst', 'viewer'];

type Where = 'home' | 'other';

interface DistrictSide {
  districtId: number;
  districtCode: string;
  /** A marathon segment that overlaps this district and not the other one. */
  zone: { id: number; code: string; capacity: number };
  /** A point inside one of the district's grids, and that grid's code. */
  point: [number, number];
  gridCode: string;
  /** A demo camera that stands in the district. */
  camera: { id: string; lon: number; lat: number };
  alertId: string;
  /** A silence on the district. */
  silenceId: string;
  /** A case filed in one of the district's grids (by the admin: the district callers neither filed it nor handle it). */
  caseCode: string;
  /** A photo uploaded to that case. */
  casePhotoId: string;
}

/** How a scope probe tells whether a caller sees the resource of one side. */
interface ScopeProbe {
  /** What is looked for, in words. */
  what: string;
  sees(token: string, where: Where): Promise<boolean>;
}

/** The timeline query of the matrix's indicator over the last hour (and a minute ahead: the alerts fire during the test). */
const lastHourTimeline = () =>
  `?indicator=${INDICATOR}&from=${new Date(Date.now() - 3600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
const routeKey = (route: Pick<RouteEntry, 'method' | 'path'>) => `${route.method} ${route.path}`;
const slug = (name: string) => name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();

describe('authorization matrix: every route the API serves × every kind of caller, answered as the route’s declared policy says', () => {
  let stack: TestStack;
  let admin: string;
  let routes: RouteEntry[];
  let callers: Caller[];
  let home: DistrictSide;
  let other: DistrictSide;
  let tile: { z: number; x: number; y: number };
  let cityBbox: string;
  let sceneKey: string;
  /** How many segments with a value the home district's scope holds (the summary counts areas). */
  let homeZonesWithValues: number;
  /** The user whose roles and password the user routes change, and the one whose sign-in the public routes use. */
  let target: { id: string };
  let signer: { username: string; password: string };
  const matrix: MatrixCell[] = [];
  const scopeCells: ScopeCell[] = [];

  const side = (where: Where) => (where === 'home' ? home : other);
  const headers = (token: string | null, json = false): Record<string, string> => ({
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(json ? { 'content-type': 'application/json' } : {}),
  });

  const send = async (token: string | null, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: headers(token, body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const problem = res.headers.get('content-type')?.includes('application/problem+json') ? (JSON.parse(text) as { type?: string }) : null;
    return { status: res.status, text, problemType: problem?.type ?? null };
  };

  /** A list a caller may read; anything but 200 is a broken probe. */
  const read = async <T>(token: string, path: string): Promise<T> => {
    const res = await send(token, 'GET', path);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text}`);
    return JSON.parse(res.text) as T;
  };

  /** One resource: 200 sees it, 404 does not (outside the scope it must look missing, never forbidden). */
  const single = async (token: string, method: string, path: string): Promise<boolean> => {
    const res = await send(token, method, path);
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    throw new Error(`${method} ${path} answered ${res.status} (expected 200 inside the scope, 404 outside): ${res.text}`);
  };

  const tileBytes = async (token: string): Promise<Buffer> => {
    const res = await fetch(`${stack.url}/api/tiles/areas/${tile.z}/${tile.x}/${tile.y}.mvt`, { headers: headers(token) });
    if (res.status !== 200) throw new Error(`the tile answered ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  };

  /**
   * One probe per route whose policy says `scoped`: a resource in the home district and the same
   * kind of resource in the other one. Lists must hold the first and not the second; single
   * resources answer 200 and 404.
   */
  const SCOPE_PROBES: Record<string, ScopeProbe> = {
    'get /api/areas': {
      what: 'the district among the districts',
      sees: async (t, w) => (await read<AreaView[]>(t, '/api/areas?level=district')).some((a) => a.id === side(w).districtId),
    },
    'get /api/areas/:id': { what: 'the district', sees: (t, w) => single(t, 'GET', `/api/areas/${side(w).districtId}`) },
    'get /api/areas/:code/report-qr.svg': {
      what: 'the QR code poster of a grid of the district',
      sees: (t, w) => single(t, 'GET', `/api/areas/${side(w).gridCode}/report-qr.svg`),
    },
    'get /api/areas/labels': {
      what: 'the district’s label point among the districts’ labels',
      sees: async (t, w) =>
        (await read<{ features: { properties: { id: number } }[] }>(t, '/api/areas/labels?level=district')).features.some(
          (f) => f.properties.id === side(w).districtId,
        ),
    },
    'get /api/layers/:layer/features': {
      what: 'the district among the features of the whole city',
      sees: async (t, w) =>
        (
          await read<{ features: { properties: { code: string } }[] }>(t, `/api/layers/areas/features?bbox=${cityBbox}&level=district`)
        ).features.some((f) => f.properties.code === side(w).districtCode),
    },
    'get /api/ogc/collections/:collectionId/items': {
      what: 'the district among the OGC API features of the districts',
      sees: async (t, w) =>
        (await read<{ features: { id: number }[] }>(t, '/api/ogc/collections/areas-district/items')).features.some(
          (f) => f.id === side(w).districtId,
        ),
    },
    'get /api/ogc/collections/:collectionId/items/:featureId': {
      what: 'the district as an OGC API feature',
      sees: (t, w) => single(t, 'GET', `/api/ogc/collections/areas-district/items/${side(w).districtId}`),
    },
    'get /api/tiles/:layer/:z/:x/:y.mvt': {
      // Below zoom 10 a tile holds the city and its districts only, so a district's code appears in it only as that district.
      what: 'the district’s boundary in a tile over both districts',
      sees: async (t, w) => (await tileBytes(t)).includes(Buffer.from(side(w).districtCode)),
    },
    'get /api/cameras': {
      what: 'the cameras of the district (the district itself is not found outside the scope)',
      sees: (t, w) => single(t, 'GET', `/api/cameras?area=${side(w).districtCode}&limit=1`),
    },
    'get /api/cameras/nearest': {
      what: 'the camera standing in the district, nearest to its own place',
      sees: async (t, w) => {
        const { id, lon, lat } = side(w).camera;
        return (await read<CameraView[]>(t, `/api/cameras/nearest?lon=${lon}&lat=${lat}&radius=1&limit=5`)).some((c) => c.id === id);
      },
    },
    'get /api/cameras/:feed/:id/snapshot': {
      what: 'the snapshot of the camera standing in the district',
      sees: (t, w) => single(t, 'GET', `/api/cameras/cameras/${side(w).camera.id}/snapshot`),
    },
    'get /api/search': {
      what: 'the district by its code and the camera standing in it by its id',
      sees: async (t, w) => {
        const { districtCode, districtId, camera } = side(w);
        const area = (await read<SearchHit[]>(t, `/api/search?q=${districtCode}`)).some((h) => h.kind === 'area' && h.id === districtId);
        const entity = (await read<SearchHit[]>(t, `/api/search?q=${encodeURIComponent(camera.id)}`)).some(
          (h) => h.kind === 'entity' && h.id === camera.id,
        );
        if (area !== entity) throw new Error(`search found the district ${area ? '' : 'not '}and the camera ${entity ? '' : 'not'}`);
        return area;
      },
    },
    'get /api/feeds/health': {
      what: 'the feed of a zone set that lies in the district',
      sees: async (t, w) =>
        (await read<FeedHealthView[]>(t, '/api/feeds/health')).some((h) => h.feedKey === (w === 'home' ? FEED_HOME : FEED_OTHER)),
    },
    'get /api/feeds/:key/sample': {
      what: 'the record located in the district',
      sees: async (t, w) => (await read<FeedSampleRecord[]>(t, `/api/feeds/${FEED_MIXED}/sample`)).some((r) => r.id === `${w}-record`),
    },
    'get /api/feeds/:key/entities': {
      what: 'the entity located in the district',
      sees: async (t, w) => (await read<FeedEntityRecord[]>(t, `/api/feeds/${FEED_MIXED}/entities`)).some((e) => e.id === `${w}-entity`),
    },
    'get /api/feeds/:key/live': {
      what: 'the sensor located in the district among the live layer’s features',
      sees: async (t, w) =>
        (await read<{ features: { id: string }[] }>(t, `/api/feeds/${FEED_MIXED}/live`)).features.some((f) => f.id === `${w}-sensor`),
    },
    'get /api/feeds/:key/entities/:id/series': {
      what: 'the day of the sensor located in the district',
      sees: (t, w) => single(t, 'GET', `/api/feeds/${FEED_MIXED}/entities/${w}-sensor/series`),
    },
    'get /api/feeds/:key/rejected': {
      // A rejected record was never placed: a scoped caller sees those of its department's feeds.
      what: 'the rejected record of a feed its department owns (home) or another department owns (other)',
      sees: async (t, w) =>
        (await read<RejectedRecord[]>(t, `/api/feeds/${w === 'home' ? FEED_HOME : FEED_OTHER}/rejected`)).some(
          (r) => (r.raw as { id?: string }).id === `${w}-rejected`,
        ),
    },
    'get /api/alerts': {
      what: 'the alert of the district’s segment',
      sees: async (t, w) => (await read<AlertView[]>(t, '/api/alerts')).some((a) => a.id === side(w).alertId),
    },
    'get /api/alerts/timeline': {
      what: 'the firing of the alert of the district’s segment, in the last hour’s timeline',
      sees: async (t, w) =>
        (await read<AlertTimeline>(t, `/api/alerts/timeline${lastHourTimeline()}`)).stretches.some((s) => s.alertId === side(w).alertId),
    },
    'get /api/alerts/:id': {
      what: 'the alert of the district’s segment',
      sees: (t, w) => single(t, 'GET', `/api/alerts/${side(w).alertId}`),
    },
    'post /api/alerts/:id/ack': {
      what: 'the alert of the district’s segment, to acknowledge it',
      sees: (t, w) => single(t, 'POST', `/api/alerts/${side(w).alertId}/ack`),
    },
    'post /api/alerts/:id/resolve': {
      what: 'the alert of the district’s segment, to resolve it by hand',
      sees: async (t, w) => {
        const res = await send(t, 'POST', `/api/alerts/${side(w).alertId}/resolve`, { reason: 'authz probe' });
        if (res.status === 200) return true;
        if (res.status === 404) return false;
        throw new Error(`resolving answered ${res.status} (expected 200 inside the scope, 404 outside): ${res.text}`);
      },
    },
    'get /api/silences': {
      what: 'the silence on the district',
      sees: async (t, w) => (await read<SilenceView[]>(t, '/api/silences')).some((s) => s.id === side(w).silenceId),
    },
    'post /api/silences': {
      // Outside the scope an area is refused as one that does not exist: 400 naming areaId.
      what: 'the district, to silence it',
      sees: async (t, w) => {
        const res = await send(t, 'POST', '/api/silences', {
          areaId: side(w).districtId,
          endsAt: new Date(Date.now() + 60_000).toISOString(),
          reason: 'authz probe',
        });
        if (res.status === 201) return true;
        if (res.status === 400 && res.text.includes('areaId')) return false;
        throw new Error(`silencing answered ${res.status} (expected 201 inside the scope, 400 on areaId outside): ${res.text}`);
      },
    },
    'delete /api/silences/:id': {
      what: 'the silence on the district, to end it',
      sees: (t, w) => single(t, 'DELETE', `/api/silences/${side(w).silenceId}`),
    },
    'get /api/alerts/:id/cases': {
      what: 'the case filed from the district’s alert (the alert itself is not found outside the scope)',
      sees: async (t, w) => {
        const path = `/api/alerts/${side(w).alertId}/cases`;
        const res = await send(t, 'GET', path);
        if (res.status === 404) return false;
        if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text}`);
        return (JSON.parse(res.text) as CasePage).items.some((c) => c.code === side(w).caseCode);
      },
    },
    'get /api/cases': {
      what: 'the case filed in the district',
      sees: async (t, w) => (await read<CasePage>(t, '/api/cases?limit=500')).items.some((c) => c.code === side(w).caseCode),
    },
    'get /api/cases/map': {
      what: 'the case filed in the district, as a map point',
      sees: async (t, w) =>
        (await read<{ features: { id: string }[] }>(t, '/api/cases/map?limit=20000')).features.some((f) => f.id === side(w).caseCode),
    },
    'get /api/cases/statistics': {
      what: 'the district’s row of the case statistics',
      sees: async (t, w) =>
        (await read<{ rows: { key: string }[] }>(t, '/api/cases/statistics?by=district')).rows.some((r) => r.key === side(w).districtCode),
    },
    'get /api/cases/duplicates': {
      what: 'the case filed in the district, as a duplicate of a report at its place',
      sees: async (t, w) =>
        (
          await read<{ case: { code: string } }[]>(
            t,
            `/api/cases/duplicates?category=garbage-pile&lon=${side(w).point[0]}&lat=${side(w).point[1]}`,
          )
        ).some((d) => d.case.code === side(w).caseCode),
    },
    'post /api/cases/:code/split': {
      // An unknown category: 400 naming it once the case is found and may be split, so nothing is filed.
      what: 'the case, to split it',
      sees: async (t, w) => {
        const res = await send(t, 'POST', `/api/cases/${side(w).caseCode}/split`, {
          category: 'nope',
          description: 'x',
          reason: 'authz probe',
        });
        if (res.status === 400 && res.text.includes('category')) return true;
        if (res.status === 404) return false;
        throw new Error(`splitting answered ${res.status} (expected 400 inside the scope, 404 outside): ${res.text}`);
      },
    },
    'get /api/cases/:code': { what: 'the case', sees: (t, w) => single(t, 'GET', `/api/cases/${side(w).caseCode}`) },
    'post /api/cases': {
      // Outside the scope a location is refused: 400 naming location.
      what: 'a grid of the district, to file a case there',
      sees: async (t, w) => {
        const res = await send(t, 'POST', '/api/cases', { category: 'noise', description: 'authz probe', location: side(w).point });
        if (res.status === 201) return true;
        if (res.status === 400 && res.text.includes('outside your areas')) return false;
        throw new Error(`filing answered ${res.status} (expected 201 inside the scope, 400 on location outside): ${res.text}`);
      },
    },
    'post /api/cases/:code/actions': {
      // A stale expected state: 409 once the case is found, so the probe changes nothing.
      what: 'the case, to act on it',
      sees: async (t, w) => {
        const res = await send(t, 'POST', `/api/cases/${side(w).caseCode}/actions`, { action: 'dispatch', expectedState: 'closed' });
        if (res.status === 409) return true;
        if (res.status === 404) return false;
        throw new Error(`acting answered ${res.status} (expected 409 inside the scope, 404 outside): ${res.text}`);
      },
    },
    'post /api/cases/:code/photos': {
      // An empty body: refused as no image (422) once the case is found, so nothing is stored.
      what: 'the case, to upload a photo to it',
      sees: async (t, w) => {
        const res = await send(t, 'POST', `/api/cases/${side(w).caseCode}/photos`);
        if (res.status === 422) return true;
        if (res.status === 404) return false;
        throw new Error(`uploading answered ${res.status} (expected 422 inside the scope, 404 outside): ${res.text}`);
      },
    },
    'get /api/cases/:code/photos/:id': {
      what: 'the photo of the case',
      sees: (t, w) => single(t, 'GET', `/api/cases/${side(w).caseCode}/photos/${side(w).casePhotoId}`),
    },
    'post /api/cases/:code/notes': {
      what: 'the case, to note on it',
      sees: async (t, w) => {
        const res = await send(t, 'POST', `/api/cases/${side(w).caseCode}/notes`, { comment: 'authz probe' });
        if (res.status === 201) return true;
        if (res.status === 404) return false;
        throw new Error(`noting answered ${res.status} (expected 201 inside the scope, 404 outside): ${res.text}`);
      },
    },
    'get /api/indicators/:key/latest': {
      what: 'the latest value of the district’s segment',
      sees: async (t, w) =>
        (await read<IndicatorValuesEvent>(t, `/api/indicators/${INDICATOR}/latest`)).values.some((v) => v.areaId === side(w).zone.id),
    },
    'get /api/indicators/:key/values': {
      what: 'the stored values of the district’s segment',
      sees: async (t, w) =>
        (await read<IndicatorHistoryPoint[]>(t, `/api/indicators/${INDICATOR}/values`)).some((v) => v.areaId === side(w).zone.id),
    },
    'get /api/indicators/:key/summary': {
      // A sum over areas: the other district's segment shows as more areas than the home district's scope has.
      what: 'the district’s segment among the areas counted',
      sees: async (t, w) => {
        const most = Math.max(0, ...(await read<IndicatorSummaryPoint[]>(t, `/api/indicators/${INDICATOR}/summary`)).map((p) => p.areas));
        return w === 'home' ? most >= 1 : most > homeZonesWithValues;
      },
    },
  };

  const districtSide = async (
    code: string,
    otherCode: string,
  ): Promise<Omit<DistrictSide, 'alertId' | 'silenceId' | 'caseCode' | 'casePhotoId'>> => {
    const ids = await stack.db.query<{ code: string; id: number }>(
      `SELECT code, id FROM area WHERE level = 'district' AND code = ANY ($1)`,
      [[code, otherCode]],
    );
    const id = ids.rows.find((r) => r.code === code)!.id;
    const otherId = ids.rows.find((r) => r.code === otherCode)!.id;
    // The scope function itself says which segments a district scope holds.
    const zone = await stack.db.query<{ id: number; code: string; capacity: number }>(
      `SELECT id, code, capacity FROM area
        WHERE level = 'zone' AND id IN (SELECT cityops_scope_area_ids(ARRAY[$1]::int[]))
          AND id NOT IN (SELECT cityops_scope_area_ids(ARRAY[$2]::int[]))
        ORDER BY code LIMIT 1`,
      [id, otherId],
    );
    const point = await stack.db.query<{ lon: number; lat: number; code: string }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat, code
         FROM (SELECT ST_PointOnSurface(geom) AS p, code FROM area WHERE level = 'grid' AND path_ids @> ARRAY[$1]::int[] ORDER BY code LIMIT 1) g`,
      [id],
    );
    const camera = await stack.db.query<{ id: string; lon: number; lat: number }>(
      `SELECT entity_id AS id, ST_X(geom) AS lon, ST_Y(geom) AS lat
         FROM entity WHERE feed_key = 'cameras' AND area_path @> ARRAY[$1]::int[] ORDER BY entity_id LIMIT 1`,
      [id],
    );
    if (!zone.rows[0] || !point.rows[0] || !camera.rows[0]) {
      throw new Error(`the demo city has no segment, grid or camera of its own in district ${code}`);
    }
    return {
      districtId: id,
      districtCode: code,
      zone: zone.rows[0],
      point: [point.rows[0].lon, point.rows[0].lat],
      gridCode: point.rows[0].code,
      camera: camera.rows[0],
    };
  };

  const asAdmin = async (method: string, path: string, body: unknown, expected: number) => {
    const res = await send(admin, method, path, body);
    if (res.status !== expected) throw new Error(`${method} ${path} answered ${res.status}: ${res.text}`);
    return JSON.parse(res.text) as unknown;
  };

  /** A person with a temporary password (as an admin makes them): they must change it at their first sign-in. */
  const createTemporaryUser = async (username: string, roles: Role[]) => {
    const password = `temporary-${randomBytes(8).toString('hex')}`;
    const user = (await asAdmin(
      'POST',
      '/api/users',
      { username, displayName: username, password, roles, scopes: [{ area: HOME_DISTRICT }] },
      201,
    )) as { id: string };
    return { id: user.id, username, password };
  };

  /** A wall registered for the home district, signed in with its own token. */
  const districtDisplay = async (): Promise<Caller> => {
    const { token } = (await asAdmin('POST', '/api/displays', { name: 'authz district wall', scopes: [{ area: HOME_DISTRICT }] }, 201)) as {
      token: string;
    };
    const newSession = async () => {
      const res = await send(null, 'POST', '/api/auth/kiosk', { token });
      return (JSON.parse(res.text) as LoginResponse).accessToken;
    };
    return {
      name: 'district display',
      kind: 'display',
      roles: [],
      district: true,
      mustChangePassword: false,
      token: await newSession(),
      newSession,
    };
  };

  const signInCallers = async (): Promise<Caller[]> => {
    const person = async (roles: Role[], district: boolean): Promise<Caller> => {
      const name = district ? `district ${roles.join('+')}` : roles.join('+');
      const user = await createUser(stack.url, admin, {
        username: `authz-${slug(name)}`,
        roles,
        ...(district ? { scopes: [{ area: HOME_DISTRICT }], department: HOME_DEPARTMENT } : {}),
      });
      const newSession = () => login(stack.url, user.username, user.password);
      return { name, kind: 'user', roles, district, mustChangePassword: false, token: await newSession(), newSession };
    };
    const unchanged = await createTemporaryUser('authz-must-change', ['admin']);
    const unchangedSession = () => login(stack.url, unchanged.username, unchanged.password);
    const none = { roles: [], district: false, mustChangePassword: false } as const;
    return [
      { ...none, name: 'no token', kind: 'anonymous', token: null, newSession: null },
      { ...none, name: 'metrics token', kind: 'metrics', token: TEST_SECRETS.METRICS_TOKEN, newSession: null },
      ...(await Promise.all(ROLES.map((role) => person([role], false)))),
      ...(await Promise.all(DISTRICT_ROLES.map((role) => person([role], true)))),
      {
        name: 'admin, password not changed',
        kind: 'user',
        roles: ['admin'],
        district: false,
        mustChangePassword: true,
        token: await unchangedSession(),
        newSession: unchangedSession,
      },
      { ...none, name: 'display', kind: 'display', token: await kioskLogin(stack.url), newSession: () => kioskLogin(stack.url) },
      await districtDisplay(),
      { ...none, name: 'feed key', kind: 'feed', token: feedToken, newSession: null },
    ];
  };

  /** Feeds with records, entities and rejected records placed in each district. */
  const placeFeedData = async () => {
    // A zone set of one small zone in each district: a feed of a zone set is seen where its zones are.
    for (const where of ['home', 'other'] as const) {
      const [lon, lat] = side(where).point;
      const d = 0.002;
      const square = [
        [
          [lon - d, lat - d],
          [lon + d, lat - d],
          [lon + d, lat + d],
          [lon - d, lat + d],
          [lon - d, lat - d],
        ],
      ];
      await asAdmin(
        'POST',
        '/api/areas/import',
        {
          level: 'zone',
          zoneSet: `authz-${where}-zones`,
          codeField: 'code',
          nameField: 'name',
          featureCollection: {
            type: 'FeatureCollection',
            features: [
              {
                type: 'Feature',
                properties: { code: `authz-${where}-zone`, name: where },
                geometry: { type: 'Polygon', coordinates: square },
              },
            ],
          },
        },
        200,
      );
    }
    const feed = (key: string, extra: Record<string, unknown> = {}) =>
      asAdmin('POST', '/api/feeds', { key, name: `authz ${key}`, metrics: FEED_METRICS, ...extra }, 201);
    await Promise.all([
      feed(FEED_HOME, { zoneSet: 'authz-home-zones', departmentCode: HOME_DEPARTMENT }),
      feed(FEED_OTHER, { zoneSet: 'authz-other-zones', departmentCode: OTHER_DEPARTMENT }),
      feed(FEED_MIXED),
      feed(FEED_SPARE),
    ]);
    const ts = new Date().toISOString();
    const record = (id: string, where: Where, value = 1) => ({
      id,
      entity: `${where}-sensor`,
      metric: 'level',
      value,
      ts,
      location: side(where).point,
    });
    await Promise.all([
      // Above the metric's range: kept as rejected records.
      asAdmin(
        'POST',
        `/api/feeds/${FEED_HOME}/records`,
        { records: [record('home-record', 'home'), record('home-rejected', 'home', 1000)] },
        200,
      ),
      asAdmin(
        'POST',
        `/api/feeds/${FEED_OTHER}/records`,
        { records: [record('other-record', 'other'), record('other-rejected', 'other', 1000)] },
        200,
      ),
      asAdmin(
        'POST',
        `/api/feeds/${FEED_MIXED}/records`,
        {
          records: [record('home-record', 'home'), record('other-record', 'other')],
        },
        200,
      ),
      asAdmin(
        'PUT',
        `/api/feeds/${FEED_MIXED}/entities`,
        { entities: (['home', 'other'] as const).map((w) => ({ id: `${w}-entity`, ts, location: side(w).point })) },
        200,
      ),
    ]);
  };

  /** An open alert on each district's segment (a crowd past its capacity), as the feed reports it. */
  const raiseAlerts = async (): Promise<[string, string]> => {
    const pushed = await postHeadcounts(
      stack.url,
      [home, other].map((s) => ({ code: s.zone.code, headcount: Math.round(s.zone.capacity * 1.2) })),
    );
    expect(pushed.status).toBe(200);
    const alerts = await eventually(
      async () => {
        const open = await read<AlertView[]>(admin, '/api/alerts?active=true');
        const ids = [home, other].map((s) => open.find((a) => a.areaId === s.zone.id)?.id);
        return ids.every(Boolean) ? (ids as [string, string]) : null;
      },
      20000,
      'an open alert on both segments',
    );
    return alerts;
  };

  beforeAll(async () => {
    stack = await startStack({ workers: 1 });
    admin = await login(stack.url);
    routes = routeTable(stack.api!);
    const [homeSide, otherSide] = await Promise.all([
      districtSide(HOME_DISTRICT, OTHER_DISTRICT),
      districtSide(OTHER_DISTRICT, HOME_DISTRICT),
    ]);
    home = { ...homeSide, alertId: '', silenceId: '', caseCode: '', casePhotoId: '' };
    other = { ...otherSide, alertId: '', silenceId: '', caseCode: '', casePhotoId: '' };
    tile = tileOf(...home.point, 9);
    const city = await stack.db.query<{ bbox: string }>(
      `SELECT concat_ws(',', ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)) AS bbox
         FROM (SELECT ST_Extent(geom)::geometry AS b FROM area WHERE level = 'city') e`,
    );
    cityBbox = city.rows[0].bbox;
    const [alertIds, people, targetUser, signerUser, scenes] = await Promise.all([
      raiseAlerts(),
      signInCallers(),
      createTemporaryUser('authz-target', ['viewer']),
      createTemporaryUser('authz-signer', ['viewer']),
      read<SceneView[]>(admin, '/api/scenes'),
      placeFeedData(),
    ]);
    [home.alertId, other.alertId] = alertIds;
    for (const s of [home, other]) {
      const silence = (await asAdmin(
        'POST',
        '/api/silences',
        { areaId: s.districtId, endsAt: new Date(Date.now() + 3600_000).toISOString(), reason: 'authz' },
        201,
      )) as SilenceView;
      s.silenceId = silence.id;
      const filed = (await asAdmin(
        'POST',
        '/api/cases',
        // Filed from the district's alert: the alert lists it (GET /api/alerts/:id/cases).
        { category: 'garbage-pile', description: 'authz probe', location: s.point, alertId: s.alertId },
        201,
      )) as CaseDetail;
      s.caseCode = filed.code;
      const photo = await fetch(`${stack.url}/api/cases/${filed.code}/photos?stage=report`, {
        method: 'POST',
        headers: { ...headers(admin), 'content-type': 'image/png' },
        body: new Uint8Array(await samplePhoto('png', { width: 64, height: 48 })),
      });
      if (photo.status !== 201) throw new Error(`uploading a photo answered ${photo.status}`);
      s.casePhotoId = ((await photo.json()) as { id: string }).id;
    }
    callers = people;
    target = targetUser;
    signer = signerUser;
    sceneKey = scenes[0].key;
    const homeScope = await stack.db.query<{ id: number }>(`SELECT cityops_scope_area_ids(ARRAY[$1]::int[]) AS id`, [home.districtId]);
    const inHome = new Set(homeScope.rows.map((r) => r.id));
    homeZonesWithValues = (await read<IndicatorValuesEvent>(admin, `/api/indicators/${INDICATOR}/latest`)).values.filter((v) =>
      inHome.has(v.areaId),
    ).length;
  });

  afterAll(async () => {
    if (matrix.length) {
      const dir = join(__dirname, '../../test-output');
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'authorization-matrix.md'),
        matrixMarkdown(
          routes.map((r) => ({ key: routeKey(r), policy: accessText(r.access) })),
          callers.map((c) => c.name),
          matrix,
          scopeCells,
        ),
      );
    }
    await stack?.stop();
  });

  /** A value for a path parameter that gets the request past validation, in scope for every scoped caller. */
  const paramValue = (route: RouteEntry, name: string): string => {
    const { method, path } = route;
    switch (name) {
      case 'id':
        if (path.startsWith('/api/areas/')) return String(home.districtId);
        if (path.startsWith('/api/alerts/')) return home.alertId;
        if (path.startsWith('/api/users/')) return target.id;
        if (path.startsWith('/api/cameras/')) return home.camera.id;
        if (path.startsWith('/api/feeds/')) return 'home-sensor';
        // A route this test does not know yet: an id nothing has (404 once past the guard).
        return randomUUID();
      case 'key':
        if (path.startsWith('/api/indicators/')) return method === 'get' ? INDICATOR : THROWAWAY_INDICATOR;
        if (path.startsWith('/api/scenes/')) return method === 'get' ? sceneKey : THROWAWAY_SCENE;
        if (path.startsWith('/api/feeds/')) {
          // Pushes go to the marathon feed, the one the feed key may push to; other writes to a feed of the test's own.
          if (method !== 'get' && /\/(records|entities|detections)$/.test(path)) return MARATHON_FEED;
          return method === 'get' ? FEED_MIXED : FEED_SPARE;
        }
        return 'authz-unknown';
      case 'code':
        if (path.startsWith('/api/areas/')) return home.gridCode;
        return 'authz-unknown';
      case 'feed':
        return 'cameras';
      case 'layer':
        return 'areas';
      case 'collectionId':
        return 'areas-district';
      case 'featureId':
        return String(home.districtId);
      case 'z':
      case 'x':
      case 'y':
        return String(tile[name]);
      default:
        return 'authz-unknown';
    }
  };

  const QUERIES: Record<string, () => string> = {
    'get /api/layers/:layer/features': () => `?bbox=${cityBbox}&level=district`,
    'get /api/cameras': () => `?area=${home.districtCode}&limit=5`,
    'get /api/cameras/nearest': () => `?lon=${home.camera.lon}&lat=${home.camera.lat}`,
    'get /api/alerts/timeline': () => lastHourTimeline(),
  };

  /** A composite over the marathon's segments: creating, replacing or previewing it changes nothing another cell reads. */
  const throwawayIndicator = {
    name: 'authz throwaway',
    grouping: { zoneSet: 'gz-marathon' },
    source: { kind: 'composite', formula: `{${INDICATOR}} * 100` },
    enabled: false,
  };

  /**
   * A body that the allowed callers' requests really carry out, on resources made for the test, so
   * that no cell changes what another reads. Any other write gets `{}`: 400 once past the guard.
   */
  const bodyFor = async (route: RouteEntry, caller: Caller): Promise<unknown> => {
    const mine = `authz-by-${slug(caller.name)}`;
    const ts = new Date().toISOString();
    switch (routeKey(route)) {
      case 'post /api/auth/login':
        return { username: signer.username, password: signer.password };
      case 'post /api/auth/kiosk':
        return { token: kioskToken };
      case 'post /api/auth/refresh': {
        // Each refresh token is good once: a session of its own for each cell (a display's: no password to hash).
        const session = await send(null, 'POST', '/api/auth/kiosk', { token: kioskToken });
        return { refreshToken: (JSON.parse(session.text) as LoginResponse).refreshToken };
      }
      case 'post /api/users':
        return {
          username: mine,
          displayName: mine,
          password: `first-${randomBytes(8).toString('hex')}`,
          roles: ['viewer'],
          scopes: [{ area: HOME_DISTRICT }],
        };
      case 'patch /api/users/:id':
        return { displayName: `renamed by ${caller.name}` };
      case 'post /api/users/:id/password':
        return { password: `temporary-${randomBytes(8).toString('hex')}` };
      case 'post /api/feeds':
        return { key: mine, name: mine };
      case 'put /api/feeds/:key':
        return { name: `replaced by ${caller.name}`, metrics: FEED_METRICS };
      case 'post /api/feeds/:key/records':
        // A metric the marathon feed does not carry: kept as a rejected record, no segment's headcount changes.
        return { records: [{ id: mine, metric: 'authz-probe', value: 0, ts }] };
      case 'put /api/feeds/:key/entities':
        return { entities: [{ id: mine, ts }] };
      case 'post /api/indicators':
      case 'post /api/indicators/preview':
        return { key: mine, ...throwawayIndicator };
      case 'put /api/indicators/:key':
        return throwawayIndicator;
      case 'put /api/scenes/:key':
        return {
          name: 'authz throwaway',
          zoneSet: 'gz-marathon',
          indicatorKey: INDICATOR,
          feedKey: MARATHON_FEED,
          totalLabel: '人数',
          zoneLabel: '路段',
          enabled: false,
        };
      default:
        return {};
    }
  };

  /**
   * Writes under /api/auth may end the session they are called with (sign-out): they get a session
   * of their own. Not the public ones (no session is used) nor the password change, sent `{}`.
   */
  const endsItsSession = (route: RouteEntry) =>
    route.method !== 'get' &&
    route.path.startsWith('/api/auth/') &&
    route.access !== 'public' &&
    routeKey(route) !== 'post /api/auth/password';

  const callCell = async (route: RouteEntry, caller: Caller): Promise<MatrixCell> => {
    const token = endsItsSession(route) && caller.newSession ? await caller.newSession() : caller.token;
    const path = route.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(paramValue(route, name)));
    const query = QUERIES[routeKey(route)]?.() ?? '';
    const body = route.method === 'get' ? undefined : await bodyFor(route, caller);
    const answer = await send(token, route.method.toUpperCase(), `${path}${query}`, body);
    // A route without a policy fails the test above by name; here it is held to what the guard then does (admins only).
    const predicted: Outcome = predictedOutcome(route.access ?? DEFAULT_ACCESS, caller);
    return {
      route: routeKey(route),
      caller: caller.name,
      predicted,
      status: answer.status,
      problemType: answer.problemType,
      fits: answerFits(predicted, answer.status, answer.problemType),
      detail: answer.text.slice(0, 160),
    };
  };

  it('finds a declared policy (@Endpoint access) on every route the router serves, and no route it cannot name', () => {
    expect(routes.length).toBeGreaterThanOrEqual(30);
    const undeclared = routes.filter((r) => r.access === undefined).map((r) => `${routeKey(r)} (${r.handler})`);
    expect(undeclared).toEqual([]);
    const served = servedRoutes(stack.api!.getHttpAdapter().getInstance()).filter((r) => !OUTSIDE_CONTROLLERS.test(r));
    const known = new Set(routes.map(routeKey));
    expect(served.filter((r) => !known.has(r))).toEqual([]);
    expect([...known].filter((r) => !served.includes(r))).toEqual([]);
  });

  it('answers each route for each caller as its policy predicts: 401 without a valid token, 403 for a kind or role it leaves out, 403 password_change_required until the password is changed', async () => {
    const cells = routes.flatMap((route) => callers.map((caller) => ({ route, caller })));
    matrix.push(...(await inBatches(cells, 24, ({ route, caller }) => callCell(route, caller))));
    const wrong = matrix
      .filter((c) => !c.fits)
      .map((c) => `${c.route} × ${c.caller}: the policy says ${c.predicted}, the API answered ${c.status} ${c.detail}`);
    expect(wrong).toEqual([]);
    // Every kind of answer the policies can give was met, so no column tested nothing.
    expect(new Set(matrix.map((c) => c.predicted))).toEqual(new Set(['allowed', 'unauthorized', 'forbidden', 'password_change_required']));
    // Every route × every caller: some 2,000 requests, writes among them (indicator recomputes, previews).
  }, 240_000);

  describe('scope: a caller scoped to one district sees what lies in it and nothing of another district', () => {
    /** The district-scoped callers a route's policy lets in. */
    const districtCallers = (key: string): Caller[] => {
      const route = routes.find((r) => routeKey(r) === key);
      if (!route?.access) throw new Error(`${key} is not a route with a policy`);
      const access = route.access;
      return callers.filter((c) => c.district && predictedOutcome(access, c) === 'allowed');
    };

    const seenBy = async (key: string, where: Where): Promise<{ caller: string; sees: boolean }[]> => {
      const scoped = districtCallers(key);
      expect(scoped.length).toBeGreaterThan(0);
      const seen = await Promise.all(scoped.map(async (c) => ({ caller: c.name, sees: await SCOPE_PROBES[key].sees(c.token!, where) })));
      scopeCells.push(...seen.map((s) => ({ route: key, caller: s.caller, where, sees: s.sees, expected: where === 'home' })));
      return seen;
    };

    it('has a probe for every route whose policy says scoped, and for no other route', () => {
      const scoped = routes.filter((r) => typeof r.access === 'object' && r.access.scoped).map(routeKey);
      expect(scoped.sort()).toEqual(Object.keys(SCOPE_PROBES).sort());
    });

    for (const [key, probe] of Object.entries(SCOPE_PROBES)) {
      it(`${key}: a city-wide caller sees ${probe.what} in either district (the test's data is in place)`, async () => {
        expect({ home: await probe.sees(admin, 'home'), other: await probe.sees(admin, 'other') }).toEqual({ home: true, other: true });
      });

      it(`${key}: every district caller it admits sees ${probe.what} in its own district`, async () => {
        const seen = await seenBy(key, 'home');
        expect(seen.filter((s) => !s.sees)).toEqual([]);
      });

      it(`${key}: no district caller sees ${probe.what} in another district (left out of lists, 404 on its own)`, async () => {
        const seen = await seenBy(key, 'other');
        expect(seen.filter((s) => s.sees)).toEqual([]);
      });
    }
  });
});
