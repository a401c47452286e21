import { jest } from '@jest/globals';
import { act } from '@testing-library/react';

/**
 * Moves Jest's fake clock on by `ms`, running the timers that fall due and the promise chains
 * they start, inside React's `act` so that the renders they cause have happened on return.
 */
export async function advance(ms: number): Promise<void> {
  await act(async () => {
    await jest.advanceTimersByTimeAsync(ms);
  });
}

/** Lets pending promise chains (an answered request) run to their end without moving the clock. */
export function settle(): Promise<void> {
  return advance(0);
}
