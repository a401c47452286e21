import { newWebhookSecret, verifyWebhookSignature, webhookSignature } from './webhook-signature';

const SECRET = 'whsec_known-vector-secret';
const BODY = '{"id":"x","change":"test"}';
const TS = 1796320000;

describe('webhook signature', () => {
  it('is the hex HMAC-SHA256 of "<timestamp>.<body>" (vector computed with openssl dgst -sha256 -hmac)', () => {
    expect(webhookSignature(SECRET, TS, BODY)).toBe('sha256=8af1cbfdf0121e01b01c0a5853b72fb8fdab10239cfa06c7d9ce90e3ec716188');
  });

  it.each([
    ['the signed request within the window', {}, true],
    ['another body', { body: BODY.replace('test', 'fired') }, false],
    ['another secret', { secret: `${SECRET}x` }, false],
    ['a timestamp changed after signing', { timestamp: String(TS + 1) }, false],
    ['a request replayed after the 5-minute window', { now: (TS + 301) * 1000 }, false],
    ['a request from 5 minutes ahead, just inside', { now: (TS - 300) * 1000 }, true],
    ['no signature header', { signature: '' }, false],
    ['a timestamp that is not a number', { timestamp: '17963e5' }, false],
  ])('verifies %s: %s', (_name, change: { body?: string; secret?: string; timestamp?: string; signature?: string; now?: number }, ok) => {
    const signature = change.signature ?? webhookSignature(SECRET, TS, BODY);
    const verified = verifyWebhookSignature(
      change.secret ?? SECRET,
      { timestamp: change.timestamp ?? String(TS), signature },
      change.body ?? BODY,
      { now: change.now ?? TS * 1000 },
    );
    expect(verified).toBe(ok);
  });

  it('makes a new random secret each time, with a recognisable prefix', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
