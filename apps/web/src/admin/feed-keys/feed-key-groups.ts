import type { FeedDefinition, FeedKeyView } from '@cityops/contracts';

export interface FeedKeyGroup {
  feedKey: string;
  /** The feed's definition; null when the catalog does not list it (any more). */
  feed: FeedDefinition | null;
  keys: FeedKeyView[];
}

/**
 * Keys grouped by feed, in the catalog's order of feeds (feeds the catalog no longer lists last);
 * within a feed, keys in use first, then newest first.
 */
export function groupFeedKeys(keys: readonly FeedKeyView[], feeds: readonly FeedDefinition[] | null): FeedKeyGroup[] {
  const byFeed = new Map<string, FeedKeyView[]>();
  for (const key of keys) {
    const list = byFeed.get(key.feed);
    if (list) list.push(key);
    else byFeed.set(key.feed, [key]);
  }
  const order = new Map((feeds ?? []).map((feed, index) => [feed.key, index]));
  const feedOf = new Map((feeds ?? []).map((feed) => [feed.key, feed]));
  return [...byFeed.entries()]
    .sort(([a], [b]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || a.localeCompare(b))
    .map(([feedKey, list]) => ({
      feedKey,
      feed: feedOf.get(feedKey) ?? null,
      keys: list.sort((x, y) => Number(x.revokedAt !== null) - Number(y.revokedAt !== null) || y.createdAt.localeCompare(x.createdAt)),
    }));
}
