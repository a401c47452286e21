import { feedKeyOfTopic, parseMqttPayload } from './mqtt-payload';

describe('mqtt payloads', () => {
  it('reads the feed key from a records topic, and nothing from other topics', () => {
    expect(feedKeyOfTopic('cityops/feeds/marathon-crowd/records')).toBe('marathon-crowd');
    expect(feedKeyOfTopic('cityops/feeds/Marathon/records')).toBeNull();
    expect(feedKeyOfTopic('cityops/feeds/marathon-crowd/results')).toBeNull();
    expect(feedKeyOfTopic('cityops/feeds/a/b/records')).toBeNull();
    expect(feedKeyOfTopic('site-a/cityops/feeds/air/records', 'site-a/cityops')).toBe('air');
    expect(feedKeyOfTopic('cityops/feeds/air/records', 'site-a/cityops')).toBeNull();
    expect(feedKeyOfTopic('site-b/feeds/air/records', 'site-a')).toBeNull();
  });

  it('passes documents whole and wraps a single record or Feature', () => {
    expect(parseMqttPayload(Buffer.from('[{"value":1}]'))).toEqual({ kind: 'document', document: [{ value: 1 }] });
    expect(parseMqttPayload(Buffer.from('{"records":[]}'))).toEqual({ kind: 'document', document: { records: [] } });
    expect(parseMqttPayload(Buffer.from('{"value":1}'))).toEqual({ kind: 'records', records: [{ value: 1 }], unreadableLines: new Map() });
    const feature = { type: 'Feature', geometry: null, properties: { value: 1 } };
    expect(parseMqttPayload(Buffer.from(JSON.stringify(feature)))).toEqual({
      kind: 'document',
      document: { type: 'FeatureCollection', features: [feature] },
    });
  });

  it('reads NDJSON line by line and keeps unreadable lines in place, without NUL characters', () => {
    const parsed = parseMqttPayload(Buffer.from('{"value":1}\r\n\n{broken\u0000\n{"value":2}\n'));
    expect(parsed).toEqual({ kind: 'records', records: [{ value: 1 }, '{broken\uFFFD', { value: 2 }], unreadableLines: new Map([[1, 3]]) });
    expect(parseMqttPayload(Buffer.from(' \n '))).toEqual({ kind: 'empty' });
  });
});
