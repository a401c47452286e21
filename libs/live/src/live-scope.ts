import type { LivePlace, ScopedLiveEvent } from '@cityops/core';
import type { Principal } from '@cityops/identity';

/** The area id of an `area:<id>` channel; null for any other channel. */
export function areaChannelId(channel: string): number | null {
  const match = /^area:(\d+)$/.exec(channel);
  return match ? Number(match[1]) : null;
}

/**
 * The socket.io rooms that carry a client's channels. A city-wide client (`scopeAreas` null) is
 * in the room of every channel. A scoped one is only in the `area:<id>` rooms of its scope's
 * areas: a room hands every member the same payload, so its other channels reach it through the
 * gateway, cut to its scope.
 */
export function roomsFor(channels: Iterable<string>, scopeAreas: ReadonlySet<number> | null): string[] {
  return [...channels].filter((channel) => {
    if (scopeAreas === null) return true;
    const id = areaChannelId(channel);
    return id !== null && scopeAreas.has(id);
  });
}

/** Listeners with the same scope and department hear the same: they share one cut of each event. */
export function scopedListenerKey(principal: Principal): string {
  const roots = principal.scope.cityWide ? 'city' : [...principal.scope.roots].sort((a, b) => a - b).join(',');
  return `${roots}|${principal.department ?? ''}`;
}

/**
 * Whether a scoped listener hears an item: one of the item's areas is in its scope, or the item
 * lies anywhere in the city (`areaIds` null) and the scope holds any area at all, or the item is
 * its department's.
 */
export function seesPlace(place: LivePlace, scopeAreas: ReadonlySet<number>, department: string | null): boolean {
  if (place.department && place.department === department) return true;
  if (place.areaIds === null) return scopeAreas.size > 0;
  return place.areaIds.some((id) => scopeAreas.has(id));
}

/**
 * A scoped event as one scoped listener hears it: a list cut to the items it sees (possibly none:
 * the list is then empty, as its REST snapshot would be), where an item it saw before it moved
 * out of sight is its departure's stand-in (a removal); the single item whole, or nothing
 * (undefined) when the item is not for it. An event that says where nothing lies is for
 * city-wide listeners only.
 */
export function scopedPayload(event: ScopedLiveEvent, scopeAreas: ReadonlySet<number>, department: string | null): unknown {
  if (event.list) {
    const { key, places, departures } = event.list;
    const payload = event.payload as Record<string, unknown>;
    const items = payload[key];
    if (!Array.isArray(items)) return undefined;
    const heard = items.flatMap((item: unknown, i) => {
      if (places[i] !== undefined && seesPlace(places[i], scopeAreas, department)) return [item];
      const departure = departures?.[i];
      return departure && seesPlace(departure.from, scopeAreas, department) ? [departure.item] : [];
    });
    return { ...payload, [key]: heard };
  }
  if (event.place) return seesPlace(event.place, scopeAreas, department) ? event.payload : undefined;
  return undefined;
}
