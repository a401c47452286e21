import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { renderHook } from '@testing-library/react';
import type { AppConfigView, AreaView } from '@cityops/contracts';
import { FakeApi } from '../testing/fake-api';
import { advance, settle } from '../testing/timers';
import { useWallData, useZones } from './useWallData';

const area = (id: number, seq: number | null): AreaView =>
  ({ id, code: `Z-${id}`, name: `zone ${id}`, level: 'zone', seq, zoneSet: 'fair' }) as AreaView;

const config = { basemapStyleUrl: null, demo: false, scenes: [] } as unknown as AppConfigView;

describe('the wall data hooks', () => {
  let api: FakeApi;
  beforeEach(() => {
    jest.useFakeTimers();
    api = new FakeApi().install();
  });
  afterEach(() => {
    api.uninstall();
    jest.useRealTimers();
  });

  describe("the wall's static data", () => {
    it('loads the app config and the districts, and keeps what it got', async () => {
      const hook = renderHook(() => useWallData());
      expect(hook.result.current).toMatchObject({ config: null, districts: [], error: null });
      api.only('/api/app-config').reply(200, config);
      api.only('/api/areas').reply(200, [area(1, null)]);
      await settle();
      expect(hook.result.current.config).toEqual(config);
      expect(hook.result.current.districts.map((d) => d.id)).toEqual([1]);
      expect(api.requests.find((r) => r.path === '/api/areas')?.query.get('level')).toBe('district');
      // The districts are not asked again; the config (the scenes) a minute later.
      const held = hook.result.current.config;
      await advance(60_000);
      expect(api.pending('/api/areas')).toHaveLength(0);
      expect(api.pending('/api/app-config')).toHaveLength(1);
      expect(api.requests.some((r) => r.path === '/api/feeds')).toBe(false);
      // The same answer keeps the same object: nothing downstream starts over.
      api.only('/api/app-config').reply(200, { ...config });
      await settle();
      expect(hook.result.current.config).toBe(held);
    });

    it('reads the scenes again every minute, so an admin’s edit reaches a wall nobody touches', async () => {
      const hook = renderHook(() => useWallData());
      api.only('/api/app-config').reply(200, config);
      api.only('/api/areas').reply(200, []);
      await settle();
      const edited = { ...config, scenes: [{ key: 'flood', name: '防汛' }] } as unknown as AppConfigView;
      await advance(60_000);
      api.only('/api/app-config').reply(200, edited);
      await settle();
      expect(hook.result.current.config).toEqual(edited);
      expect(api.count('/api/app-config')).toBe(2);
      expect(api.count('/api/areas')).toBe(1);
    });

    it('retries a failed load every 10 s by itself, saying why meanwhile, until it succeeds', async () => {
      const hook = renderHook(() => useWallData());
      api.only('/api/areas').reply(200, []);
      api
        .only('/api/app-config')
        .reply(503, { type: 'urn:cityops:problem:service_unavailable', title: 'Service unavailable', status: 503 });
      await settle();
      expect(hook.result.current.error?.status).toBe(503);
      expect(api.pending('/api/app-config')).toHaveLength(0);

      await advance(9_999);
      expect(api.pending('/api/app-config')).toHaveLength(0);
      await advance(1);
      api.only('/api/app-config').reply(200, config);
      await settle();
      expect(hook.result.current).toMatchObject({ config, error: null });
      expect(api.count('/api/app-config')).toBe(2);
    });

    it('stops asking when the wall goes away', async () => {
      const hook = renderHook(() => useWallData());
      const pending = api.only('/api/app-config');
      hook.unmount();
      expect(pending.aborted).toBe(true);
      await advance(60_000);
      expect(api.count('/api/app-config')).toBe(1);
    });
  });

  describe("the scene's zones", () => {
    it('loads the zone set in course order, zones without a position last', async () => {
      const hook = renderHook(() => useZones('fair', () => undefined));
      const request = api.only('/api/areas');
      expect(request.query.get('zoneSet')).toBe('fair');
      request.reply(200, [area(3, null), area(2, 2), area(1, 1)]);
      await settle();
      expect(hook.result.current.map((z) => z.id)).toEqual([1, 2, 3]);
    });

    it('asks for nothing without a scene', async () => {
      const hook = renderHook(() => useZones(null, () => undefined));
      await settle();
      expect(hook.result.current).toEqual([]);
      expect(api.requests).toHaveLength(0);
    });
  });
});
