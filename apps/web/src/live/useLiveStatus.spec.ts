import { describe, expect, it } from '@jest/globals';
import { act, renderHook } from '@testing-library/react';
import { FakeLiveClient } from '../testing/fake-live-client';
import { useLiveStatus } from './useLiveStatus';

describe('useLiveStatus', () => {
  it('is "connecting" before there is a client', () => {
    expect(renderHook(() => useLiveStatus(null)).result.current).toBe('connecting');
  });

  it('follows the connection as it comes, drops and comes back, and stops listening when unmounted', () => {
    const live = new FakeLiveClient();
    const hook = renderHook(() => useLiveStatus(live.client));
    expect(hook.result.current).toBe('connecting');
    act(() => live.connect());
    expect(hook.result.current).toBe('connected');
    act(() => live.drop());
    expect(hook.result.current).toBe('disconnected');
    act(() => live.connect());
    expect(hook.result.current).toBe('connected');
    hook.unmount();
    expect(live.listenerCount).toBe(0);
  });
});
