import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { act, cleanup, render } from '@testing-library/react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { MapContext } from '../map-context';
import { useTileRenewal } from './useTileRenewal';

type ErrorHandler = (event: { error?: unknown; sourceId?: string }) => void;

/** The little of a MapLibre map the hook touches: `on('error')` and a source's `setTiles`. */
function fakeMap() {
  const handlers = new Set<ErrorHandler>();
  const setTiles = jest.fn<(tiles: string[]) => void>();
  const map = {
    on: (type: string, handler: ErrorHandler) => {
      if (type === 'error') handlers.add(handler);
      return { unsubscribe: () => handlers.delete(handler) };
    },
    getSource: (id: string) => (id === 'catalog:heat' ? { setTiles } : undefined),
  };
  const fail = (sourceId: string, status: number) => {
    for (const handler of handlers) handler({ error: { status }, sourceId });
  };
  return { map: map as unknown as MapLibreMap, setTiles, fail, handlers };
}

function Probe({ renew }: { renew: () => Promise<boolean> }) {
  useTileRenewal('catalog:heat', ['http://x/api/tiles/heat/{z}/{x}/{y}.mvt'], renew);
  return null;
}

describe('vector tiles after the access token expired', () => {
  afterEach(() => {
    cleanup();
    jest.useRealTimers();
  });

  it('renews the token once on a 401 of its source, then reloads the tiles; other sources and statuses are left alone', async () => {
    jest.useFakeTimers();
    const { map, setTiles, fail, handlers } = fakeMap();
    const renew = jest.fn(() => Promise.resolve(true));
    const { unmount } = render(
      <MapContext value={map}>
        <Probe renew={renew} />
      </MapContext>,
    );
    fail('catalog:other', 401);
    fail('catalog:heat', 404);
    expect(renew).not.toHaveBeenCalled();

    await act(async () => {
      fail('catalog:heat', 401);
      // A burst of failing tiles asks once.
      fail('catalog:heat', 401);
      await Promise.resolve();
      await Promise.resolve();
    });
    expect(renew).toHaveBeenCalledTimes(1);
    expect(setTiles).toHaveBeenCalledWith(['http://x/api/tiles/heat/{z}/{x}/{y}.mvt']);

    // After the cool-down, a new expiry is renewed again.
    await act(async () => {
      jest.advanceTimersByTime(10_000);
      fail('catalog:heat', 401);
      await Promise.resolve();
    });
    expect(renew).toHaveBeenCalledTimes(2);

    unmount();
    expect(handlers.size).toBe(0);
  });

  it('leaves the tiles as they are when the session could not be renewed', async () => {
    const { map, setTiles, fail } = fakeMap();
    const renew = jest.fn(() => Promise.resolve(false));
    render(
      <MapContext value={map}>
        <Probe renew={renew} />
      </MapContext>,
    );
    await act(async () => {
      fail('catalog:heat', 401);
      await Promise.resolve();
    });
    expect(renew).toHaveBeenCalledTimes(1);
    expect(setTiles).not.toHaveBeenCalled();
  });
});
