import type { ConnectorConfig } from '@cityops/contracts';
import { shownUrl, sourceRequest } from './source-reader';

const connector = (url: string, headers?: Record<string, string>): ConnectorConfig => ({
  url,
  format: 'json',
  intervalSeconds: 60,
  timeoutSeconds: 20,
  metric: 'level',
  mapping: { value: 'v' },
  ...(headers ? { headers } : {}),
});

describe('source requests', () => {
  it('turns credentials in the URL into basic authentication (fetch refuses them in the URL)', () => {
    const { url, headers } = sourceRequest(connector('https://robot:p%40ss%20w@api.example.org/air?token=t'));
    expect(url).toBe('https://api.example.org/air?token=t');
    expect(headers.authorization).toBe(`Basic ${Buffer.from('robot:p@ss w').toString('base64')}`);
    expect(headers.accept).toBe('application/json');
  });

  it("keeps the connector's own Authorization header, whatever its case", () => {
    const { url, headers } = sourceRequest(connector('https://robot:pw@api.example.org/air', { Authorization: 'Bearer abc' }));
    expect(url).toBe('https://api.example.org/air');
    expect(headers).toMatchObject({ Authorization: 'Bearer abc' });
    expect(headers.authorization).toBeUndefined();
  });

  it('sends the connector headers as they are, and adds nothing for a URL without credentials', () => {
    expect(sourceRequest(connector('https://api.example.org/air', { 'x-api-key': 'k' }))).toEqual({
      url: 'https://api.example.org/air',
      headers: { accept: 'application/json', 'user-agent': 'cityops-connector', 'x-api-key': 'k' },
    });
  });

  it('names a source in errors without its credentials or query', () => {
    expect(shownUrl('https://robot:pw@api.example.org/air?token=t')).toBe('https://api.example.org/air');
  });
});
