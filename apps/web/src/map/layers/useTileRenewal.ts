import type { VectorTileSource } from 'maplibre-gl';
import { useEffect } from 'react';
import { useMap } from '../map-context';

/** Renews the access token after a tile answered 401; resolves true when tiles may be retried. */
export type RenewAccess = () => Promise<boolean>;

/** One renewal per source at most this often: a burst of failing tiles asks once. */
const RENEW_COOLDOWN_MS = 10_000;

/**
 * Our vector tiles carry the bearer token (MapView's transformRequest): once it expires every
 * tile of the source fails with 401 and MapLibre does not ask again. Renews the token, then sets
 * the source's tiles anew, which reloads them with the new token.
 */
export function useTileRenewal(sourceId: string, tiles: readonly string[] | null, onUnauthorized: RenewAccess | undefined): void {
  const map = useMap();
  const tileKey = tiles?.join('\n') ?? '';
  useEffect(() => {
    if (!onUnauthorized || !tileKey) return undefined;
    let renewing = false;
    let cooldown: ReturnType<typeof setTimeout> | null = null;
    const subscription = map.on('error', (event) => {
      const status = (event.error as { status?: unknown } | undefined)?.status;
      const failedSource = (event as unknown as { sourceId?: unknown }).sourceId;
      if (status !== 401 || failedSource !== sourceId || renewing) return;
      renewing = true;
      void onUnauthorized()
        .then((renewed) => {
          const source = map.getSource<VectorTileSource>(sourceId);
          if (renewed && source) source.setTiles(tileKey.split('\n'));
        })
        .finally(() => {
          cooldown = setTimeout(() => {
            renewing = false;
          }, RENEW_COOLDOWN_MS);
        });
    });
    return () => {
      subscription.unsubscribe();
      if (cooldown) clearTimeout(cooldown);
    };
  }, [map, sourceId, tileKey, onUnauthorized]);
}
