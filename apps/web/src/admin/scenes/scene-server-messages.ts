import type { KnownServerMessage } from '../../forms/server-messages';

/**
 * The scenes API's messages (its schema in libs/contracts/src/scenes.ts, its reference checks in
 * libs/scenes and the API's layer check), said in the page's language. Spread into the known
 * messages after the indicator editor's, which word the shared ones (no feed, no zone set … lists them).
 */
export const SCENE_SERVER_MESSAGES: KnownServerMessage[] = [
  { pattern: /^not a layer key of GET \/api\/layers$/, key: 'srvSceneLayerKey' },
  { pattern: /^(.+) is not a layer of GET \/api\/layers$/, key: 'srvSceneNotALayer', params: (m) => ({ key: m[1] }) },
  { pattern: /^(.+) is listed twice$/, key: 'srvSceneListedTwice', params: (m) => ({ key: m[1] }) },
  { pattern: /^no zone set (\S+)$/, key: 'srvNoSuchZoneSet', params: (m) => ({ key: m[1] }) },
  { pattern: /^no indicator (.+) \(GET \/api\/indicators\)$/, key: 'srvSceneNoIndicator', params: (m) => ({ key: m[1] }) },
  { pattern: /^no area (\d+) \(GET \/api\/areas\)$/, key: 'srvSceneNoArea', params: (m) => ({ id: m[1] }) },
  { pattern: /^feed (\S+) is not a camera feed \(entityProfile camera\)$/, key: 'srvSceneNotCameraFeed', params: (m) => ({ feed: m[1] }) },
  { pattern: /^feed (\S+) holds no entities$/, key: 'srvSceneNoEntities', params: (m) => ({ feed: m[1] }) },
  { pattern: /^feed (\S+) has no metric (\S+)$/, key: 'srvSceneFeedNoMetric', params: (m) => ({ feed: m[1], metric: m[2] }) },
  {
    pattern: /^feed (\S+) is not a source of indicator (\S+)$/,
    key: 'srvSceneFeedNotSource',
    params: (m) => ({ feed: m[1], indicator: m[2] }),
  },
  {
    pattern: /^indicator (\S+) is computed over zone set (\S+)$/,
    key: 'srvSceneIndicatorZoneSet',
    params: (m) => ({ indicator: m[1], zoneSet: m[2] }),
  },
  { pattern: /^indicator (\S+) is not computed over a zone set$/, key: 'srvSceneIndicatorNoZoneSet', params: (m) => ({ indicator: m[1] }) },
  { pattern: /^an event scene needs it$/, key: 'srvSceneEventNeeds' },
  { pattern: /^only an event scene has one$/, key: 'srvSceneOnlyEvent' },
  { pattern: /^a district scene needs the area it frames$/, key: 'srvSceneDistrictArea' },
  { pattern: /^must be \[\[west, south\], \[east, north\]\] with west < east and south < north$/, key: 'sceneBoundsOrder' },
  { pattern: /^no scene (.+) \(GET \/api\/scenes\)$/, key: 'srvPlaylistNoScene', params: (m) => ({ key: m[1] }) },
  { pattern: /^the default playlist is every other display’s: it names none$/, key: 'playlistDefaultHasNoDisplay' },
  { pattern: /^no display (.+) \(GET \/api\/displays\)$/, key: 'srvPlaylistNoDisplay' },
  { pattern: /^the display already has playlist (.+)$/, key: 'srvPlaylistDisplayTaken', params: (m) => ({ key: m[1] }) },
];
