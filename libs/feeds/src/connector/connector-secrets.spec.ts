import type { ConnectorConfig } from '@cityops/contracts';
import { joinSecrets, maskedUrl, resolveMasks, SECRET_MASK, splitSecrets } from './connector-secrets';

const M = SECRET_MASK;

const connector = (over: Partial<ConnectorConfig> = {}): ConnectorConfig => ({
  url: 'https://user:pass@api.example.org/air/v1?token=abc&city=gz',
  format: 'json',
  intervalSeconds: 60,
  timeoutSeconds: 20,
  metric: 'pm25',
  mapping: { value: 'v' },
  headers: { 'x-api-key': 'k-123', accept: 'application/json' },
  ...over,
});

describe('connector secrets', () => {
  it.each([
    [
      'credentials and every query value',
      'https://user:pass@api.example.org/air?token=abc&city=gz',
      `https://${M}:${M}@api.example.org/air?token=${M}&city=${M}`,
    ],
    ['a user without a password', 'https://user@api.example.org/air', `https://${M}@api.example.org/air`],
    ['repeated query names, each masked', 'https://api.example.org/air?id=1&id=2', `https://api.example.org/air?id=${M}&id=${M}`],
    ['nothing to mask', 'https://api.example.org/air/v1', 'https://api.example.org/air/v1'],
    [
      'a masked URL again: unchanged',
      `https://${M}:${M}@api.example.org/air?token=${M}`,
      `https://${M}:${M}@api.example.org/air?token=${M}`,
    ],
  ])('masks %s', (_name, url, masked) => {
    expect(maskedUrl(url)).toBe(masked);
  });

  it('shows header names but not their values, seals the URL and the values, and puts them back for the worker', () => {
    const full = connector();
    const { shown, secrets } = splitSecrets(full);
    expect(shown).toEqual({
      ...full,
      url: `https://${M}:${M}@api.example.org/air/v1?token=${M}&city=${M}`,
      headers: { 'x-api-key': M, accept: M },
    });
    expect(JSON.stringify(shown)).not.toMatch(/pass|abc|k-123/);
    expect(secrets).toEqual({ url: full.url, headers: full.headers });
    expect(joinSecrets(shown, secrets)).toEqual(full);
  });

  it('has no secrets to seal for a plain URL without headers', () => {
    const plain = connector({ url: 'https://api.example.org/air', headers: undefined });
    expect(splitSecrets(plain)).toEqual({ shown: plain, secrets: null });
    expect(joinSecrets(plain, null)).toEqual(plain);
  });

  it.each([
    [
      'masks stand for the stored values',
      connector({ url: maskedUrl(connector().url), headers: { 'x-api-key': M, accept: 'text/csv' } }),
      connector({ headers: { 'x-api-key': 'k-123', accept: 'text/csv' } }),
    ],
    [
      'new values replace the stored ones',
      connector({ url: 'https://api.example.org/air/v2?token=new', headers: { 'x-api-key': 'k-456' } }),
      connector({ url: 'https://api.example.org/air/v2?token=new', headers: { 'x-api-key': 'k-456' } }),
    ],
    ['a header left out is dropped', connector({ headers: {} }), connector({ headers: {} })],
  ])('an edited connector: %s', (_name, incoming, expected) => {
    expect(resolveMasks(incoming, connector())).toEqual({ ok: true, connector: expected });
  });

  it.each([
    ['a masked header nothing stands behind', connector({ headers: { 'x-other': M } }), connector(), ['connector.headers.x-other']],
    [
      'a masked URL that is not the stored one',
      connector({ url: `https://${M}@api.example.org/elsewhere?token=${M}` }),
      connector(),
      ['connector.url'],
    ],
    [
      'masks in a new connector',
      connector({ url: maskedUrl(connector().url), headers: { 'x-api-key': M } }),
      null,
      ['connector.url', 'connector.headers.x-api-key'],
    ],
  ])('refuses %s', (_name, incoming, stored, paths) => {
    const result = resolveMasks(incoming, stored);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual(paths);
  });
});
