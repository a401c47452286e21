import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { renderHook } from '@testing-library/react';
import type { LiveClientOptions } from './socket';
import type { useLiveClient } from './useLiveClient';

// The socket is socket.io's business (and the browser tests'): a recording stand-in shows what
// the hook does with the connection over a page's lifetime.
class RecordingLiveClient {
  readonly calls: string[] = [];
  constructor(readonly options: LiveClientOptions) {
    made.push(this);
  }
  start(): void {
    this.calls.push('start');
  }
  stop(): void {
    this.calls.push('stop');
  }
}
const made: RecordingLiveClient[] = [];
const session = {
  getAccessToken: jest.fn(() => 'access-token'),
  exchangeKiosk: jest.fn(() => Promise.resolve(true)),
  handleUnauthorized: jest.fn(() => Promise.resolve(false)),
};

describe('useLiveClient', () => {
  let useLive: typeof useLiveClient;
  beforeAll(async () => {
    // Registered before the hook's module is first loaded, so that it is built on the stand-ins.
    jest.doMock('./socket', () => ({ LiveClient: RecordingLiveClient }));
    jest.doMock('../auth/session', () => session);
    useLive = (await import('./useLiveClient')).useLiveClient;
  });
  afterEach(() => {
    made.length = 0;
    jest.clearAllMocks();
  });

  it('opens one connection for the page, subscribed to the channels it started with, and closes it on unmount', () => {
    const hook = renderHook(({ channels }) => useLive(channels), { initialProps: { channels: ['alerts', 'feeds'] } });
    expect(made).toHaveLength(1);
    expect(hook.result.current).toBe(made[0]);
    expect(made[0].options.channels).toEqual(['alerts', 'feeds']);
    expect(made[0].calls).toEqual(['start']);

    // A re-render, even with a new array, is the same page: the same connection.
    hook.rerender({ channels: ['alerts'] });
    expect(hook.result.current).toBe(made[0]);
    expect(made).toHaveLength(1);

    hook.unmount();
    expect(made[0].calls).toEqual(['start', 'stop']);
  });

  it('hands the session token to every handshake; a refused token goes to the session, a suspicion re-exchanges the kiosk token', async () => {
    renderHook(() => useLive(['alerts']));
    const { options } = made[0];
    expect(options.getToken()).toBe('access-token');

    expect(await options.renewToken(true)).toBe(false);
    expect(session.handleUnauthorized).toHaveBeenCalledTimes(1);
    expect(session.exchangeKiosk).not.toHaveBeenCalled();

    expect(await options.renewToken(false)).toBe(true);
    expect(session.exchangeKiosk).toHaveBeenCalledTimes(1);
    expect(session.handleUnauthorized).toHaveBeenCalledTimes(1);
  });
});
