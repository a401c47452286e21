import { createHmac } from 'node:crypto';
import { demoFeedSecret } from './feed-keys';

describe('demoFeedSecret', () => {
  const token = 'test-simulator-token-0123456789abcdef';

  it('is HMAC-SHA256 of the feed key under SIMULATOR_TOKEN, in hex', () => {
    expect(demoFeedSecret(token, 'air-quality')).toBe(createHmac('sha256', token).update('air-quality').digest('hex'));
    expect(demoFeedSecret(token, 'air-quality')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the same on every call, so the seeder and the simulator agree', () => {
    expect(demoFeedSecret(token, 'metro-flow')).toBe(demoFeedSecret(token, 'metro-flow'));
  });

  it('differs per feed and per token, and is never the token itself', () => {
    const secrets = ['air-quality', 'road-traffic', 'metro-flow'].map((feed) => demoFeedSecret(token, feed));
    expect(new Set(secrets).size).toBe(3);
    expect(secrets).not.toContain(token);
    expect(demoFeedSecret(`${token}x`, 'air-quality')).not.toBe(secrets[0]);
  });
});
