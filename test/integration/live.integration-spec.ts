import { connectLive } from '../support/live-client';
import { feedToken, kioskLogin, startStack, type TestStack } from '../support/stack';
import { TEST_SECRETS } from '../support/test-env';

describe('live socket: authenticated, and subscriptions validated', () => {
  let stack: TestStack;
  let kiosk: string;

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    kiosk = await kioskLogin(stack.url);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers an unknown channel or a malformed subscribe with a clear error and keeps the connection', async () => {
    const live = await connectLive(stack.url, kiosk, ['alerts']);
    const bad = await live.socket.timeout(5000).emitWithAck('subscribe', { channels: ['everything'] });
    expect(bad).toMatchObject({ ok: false, channels: [] });
    expect(bad.error).toMatch(/unknown channel/);
    const malformed = await live.socket.timeout(5000).emitWithAck('subscribe', 'alerts');
    expect(malformed.ok).toBe(false);
    const good = await live.socket.timeout(5000).emitWithAck('subscribe', { channels: ['indicator:marathon.segment_load', 'area:12'] });
    expect(good).toEqual({ ok: true, channels: ['indicator:marathon.segment_load', 'area:12'] });
    expect(live.socket.connected).toBe(true);
    live.socket.close();
  });

  it('does not let a feed key listen', async () => {
    await expect(connectLive(stack.url, feedToken, ['alerts'])).rejects.toThrow('forbidden: feed keys cannot listen');
  });
});

describe('sign-in', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const attempt = (password: string) =>
    fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });

  it('slows password guessing: after 10 failures the account answers 429 from that address', async () => {
    for (let i = 0; i < 10; i++) expect((await attempt(`wrong-${i}`)).status).toBe(401);
    const locked = await attempt('still-wrong');
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as { detail: string }).detail).toMatch(/try again in 15 minutes/);
    // The lock's end, in seconds: at most the 15 minutes it lasts.
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Even the right password waits: the lock is not a password oracle.
    expect((await attempt(TEST_SECRETS.ADMIN_PASSWORD)).status).toBe(429);
  });
});
