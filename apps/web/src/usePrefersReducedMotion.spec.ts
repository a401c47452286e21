import { afterEach, describe, expect, it } from '@jest/globals';
import { act, renderHook } from '@testing-library/react';
import { usePrefersReducedMotion } from './usePrefersReducedMotion';

/** jsdom has no media queries: a settable stand-in for the one this hook asks about. */
function systemSetting(initial: boolean) {
  const listeners = new Set<() => void>();
  const query = {
    matches: initial,
    media: '(prefers-reduced-motion: reduce)',
    addEventListener: (_: 'change', listener: () => void) => listeners.add(listener),
    removeEventListener: (_: 'change', listener: () => void) => listeners.delete(listener),
  };
  const asked: string[] = [];
  window.matchMedia = (media: string) => {
    asked.push(media);
    return query as unknown as MediaQueryList;
  };
  return {
    asked,
    listeners,
    set(matches: boolean) {
      query.matches = matches;
      for (const listener of listeners) listener();
    },
  };
}

describe('usePrefersReducedMotion', () => {
  const original = window.matchMedia;
  afterEach(() => {
    window.matchMedia = original;
  });

  it('allows motion where the platform has no media queries', () => {
    window.matchMedia = undefined as unknown as typeof window.matchMedia;
    const { result } = renderHook(() => usePrefersReducedMotion());
    expect(result.current).toBe(false);
  });

  it.each([true, false])('answers the system setting (%s) and asks the reduced-motion query', (reduced) => {
    const setting = systemSetting(reduced);
    const { result } = renderHook(() => usePrefersReducedMotion());
    expect(result.current).toBe(reduced);
    expect(new Set(setting.asked)).toEqual(new Set(['(prefers-reduced-motion: reduce)']));
  });

  it('follows the setting when it changes, and stops listening when unmounted', () => {
    const setting = systemSetting(false);
    const { result, unmount } = renderHook(() => usePrefersReducedMotion());
    act(() => setting.set(true));
    expect(result.current).toBe(true);
    act(() => setting.set(false));
    expect(result.current).toBe(false);
    unmount();
    expect(setting.listeners.size).toBe(0);
  });
});
