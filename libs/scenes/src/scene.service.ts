import { Injectable } from '@nestjs/common';
import type { SceneDefinition, SceneView } from '@cityops/contracts';
import { AuditTrail, ValidationError } from '@cityops/core';
import { FeedCatalogService, FeedNotFoundError } from '@cityops/feeds';
import { AreaService } from '@cityops/geo';
import { IndicatorService } from '@cityops/indicators';
import { SceneNotFoundError } from './scene.exception';
import { SceneRepository } from './scene.repository';
import { zoneSetLayers, type ZoneSetLayerView } from './zone-set-layers';

@Injectable()
export class SceneService {
  constructor(
    private readonly scenes: SceneRepository,
    private readonly areas: AreaService,
    private readonly indicators: IndicatorService,
    private readonly feeds: FeedCatalogService,
  ) {}

  /** Every scene, enabled or not, in the wall's order. */
  list(): Promise<SceneView[]> {
    return this.scenes.list({ enabledOnly: false });
  }

  /** The scenes a wall may show, in order: the first is the default. */
  enabled(): Promise<SceneView[]> {
    return this.scenes.list({ enabledOnly: true });
  }

  async get(key: string): Promise<SceneView> {
    const scene = await this.scenes.find(key);
    if (!scene) throw new SceneNotFoundError(key);
    return scene;
  }

  /**
   * Creates or replaces a scene; the same PUT again changes nothing more. The zone set, the
   * indicator and the feed must exist and fit together (the indicator computed over that zone
   * set, the feed one of its sources); every mismatch is listed at once.
   */
  async put(key: string, definition: SceneDefinition): Promise<SceneView> {
    await this.checkReferences(definition);
    const before = await this.scenes.find(key);
    const after = await this.scenes.upsert(key, definition);
    AuditTrail.noteChange({ targetType: 'scene', targetId: key, before, after });
    return after;
  }

  /** The zone sets as map layers, each linked to its scene's indicator where one shows it. */
  async zoneSetLayers(): Promise<ZoneSetLayerView[]> {
    const [zoneSets, scenes] = await Promise.all([this.areas.zoneSets(), this.enabled()]);
    return zoneSetLayers(zoneSets, scenes);
  }

  /** Each reference that is missing, then (only between references that exist) each that does not fit. */
  private async checkReferences(d: SceneDefinition): Promise<void> {
    const issues: { path: string; message: string }[] = [];
    const [zoneSets, indicators, feedExists] = await Promise.all([
      this.areas.zoneSets(),
      this.indicators.list(),
      d.feedKey ? this.feedExists(d.feedKey) : Promise.resolve(true),
    ]);
    const zoneSetExists = zoneSets.some((z) => z.key === d.zoneSet);
    const indicator = indicators.find((i) => i.key === d.indicatorKey);
    if (!zoneSetExists) issues.push({ path: 'zoneSet', message: `no zone set ${d.zoneSet}` });
    if (!indicator) issues.push({ path: 'indicatorKey', message: `no indicator ${d.indicatorKey} (GET /api/indicators)` });
    if (!feedExists) issues.push({ path: 'feedKey', message: `no feed ${d.feedKey} (GET /api/feeds)` });
    const indicatorZoneSet = indicator && 'zoneSet' in indicator.grouping ? indicator.grouping.zoneSet : null;
    if (indicator && zoneSetExists && indicatorZoneSet !== d.zoneSet) {
      issues.push({
        path: 'indicatorKey',
        message: indicatorZoneSet
          ? `indicator ${indicator.key} is computed over zone set ${indicatorZoneSet}`
          : `indicator ${indicator.key} is not computed over a zone set`,
      });
    }
    const indicatorFeed = indicator?.source.kind === 'aggregate' ? indicator.source.feed : null;
    if (indicator && d.feedKey && feedExists && indicatorFeed !== d.feedKey) {
      issues.push({ path: 'feedKey', message: `feed ${d.feedKey} is not a source of indicator ${indicator.key}` });
    }
    if (issues.length) throw new ValidationError(issues, 'The scene was not saved: fix the references listed.');
  }

  private async feedExists(key: string): Promise<boolean> {
    try {
      await this.feeds.get(key);
      return true;
    } catch (error) {
      if (error instanceof FeedNotFoundError) return false;
      throw error;
    }
  }
}
