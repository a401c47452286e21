import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act } from '@testing-library/react';
import { FakeLiveClient } from '../testing/fake-live-client';
import { advance } from '../testing/timers';
import { POLL_WHILE_DISCONNECTED_MS, snapshotOnConnect } from './snapshot-loop';

describe('snapshotOnConnect', () => {
  let live: FakeLiveClient;
  let taken: number;
  let stop: () => void;

  beforeEach(() => {
    jest.useFakeTimers();
    live = new FakeLiveClient();
    taken = 0;
    stop = snapshotOnConnect(live.client, () => {
      taken++;
      return Promise.resolve();
    }).stop;
  });
  afterEach(() => {
    stop();
    jest.useRealTimers();
  });

  it('takes a snapshot on every connect, polls it while the socket is down, and stops polling when it returns', async () => {
    act(() => live.connect());
    await advance(0);
    expect(taken).toBe(1);
    // Connected: deltas keep the figures current, nothing is polled.
    await advance(POLL_WHILE_DISCONNECTED_MS * 3);
    expect(taken).toBe(1);

    act(() => live.drop());
    await advance(POLL_WHILE_DISCONNECTED_MS);
    expect(taken).toBe(2);
    await advance(POLL_WHILE_DISCONNECTED_MS);
    expect(taken).toBe(3);

    act(() => live.connect());
    await advance(0);
    expect(taken).toBe(4);
    await advance(POLL_WHILE_DISCONNECTED_MS * 3);
    expect(taken).toBe(4);
  });

  it('lets go of the socket when stopped', () => {
    stop();
    expect(live.listenerCount).toBe(0);
  });
});
