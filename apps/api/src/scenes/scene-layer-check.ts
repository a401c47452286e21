import { Injectable } from '@nestjs/common';
import { AreaService } from '@cityops/geo';
import type { ReferenceIssue } from '@cityops/scenes';
import { LayerFeeds } from '../layers/layer-feeds.service';
import { parseLayerKey } from '../layers/layer-keys';

/**
 * Whether a scene's layer keys name layers of the catalog. A feed's layer is checked against the
 * feed's definition, not against today's catalog, which lists a feed's layer only once it holds
 * data with a place: a scene set up before the data comes is valid.
 */
@Injectable()
export class SceneLayerCheck {
  constructor(
    private readonly feeds: LayerFeeds,
    private readonly areas: AreaService,
  ) {}

  async issues(keys: readonly string[]): Promise<ReferenceIssue[]> {
    const zoneSets = keys.some((k) => k.startsWith('zones-')) ? (await this.areas.zoneSets()).map((z) => z.key) : [];
    const issues = await Promise.all(
      keys.map(async (key, i): Promise<ReferenceIssue | null> => {
        const path = `layers.${i}`;
        if (key.startsWith('zones-')) {
          return zoneSets.includes(key.slice('zones-'.length)) ? null : { path, message: `no zone set ${key.slice('zones-'.length)}` };
        }
        if (key.startsWith('live-')) {
          // A small feed's live layer: any feed whose records carry a place may be one (the catalog
          // lists it as live while its located entities are few, else as tiles).
          const feed = await this.feeds.find(key.slice('live-'.length));
          return feed ? null : { path, message: `no feed ${key.slice('live-'.length)} (GET /api/feeds)` };
        }
        const ref = parseLayerKey(key);
        if (!ref) return { path, message: `${key} is not a layer of GET /api/layers` };
        if (ref.kind === 'areas' || ref.kind === 'area-level' || ref.kind === 'cases') return null;
        const feed = await this.feeds.find(ref.feedKey);
        if (!feed) return { path, message: `no feed ${ref.feedKey} (GET /api/feeds)` };
        if (ref.kind === 'entities') return feed.kind === 'entity' ? null : { path, message: `feed ${feed.key} holds no entities` };
        return feed.metrics.some((m) => m.key === ref.metric) ? null : { path, message: `feed ${feed.key} has no metric ${ref.metric}` };
      }),
    );
    const duplicates = keys.flatMap((key, i) =>
      keys.indexOf(key) !== i ? [{ path: `layers.${i}`, message: `${key} is listed twice` }] : [],
    );
    return [...issues.filter((issue): issue is ReferenceIssue => issue !== null), ...duplicates];
  }
}
