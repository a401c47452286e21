import { Injectable } from '@nestjs/common';
import {
  DEFAULT_PLAYLIST_KEY,
  type FeedDefinition,
  type PlaylistDefinition,
  type PlaylistView,
  type SceneDefinition,
  type SceneView,
} from '@cityops/contracts';
import { AuditTrail, NotFoundError, ValidationError } from '@cityops/core';
import { FeedCatalogService, FeedNotFoundError } from '@cityops/feeds';
import { AreaService } from '@cityops/geo';
import { MachineCredentialsService } from '@cityops/identity';
import { IndicatorService } from '@cityops/indicators';
import { PlaylistNotFoundError, SceneNotFoundError } from './scene.exception';
import { SceneRepository } from './scene.repository';
import { zoneSetLayers, type ZoneSetLayerView } from './zone-set-layers';

export interface ReferenceIssue {
  path: string;
  message: string;
}

@Injectable()
export class SceneService {
  constructor(
    private readonly scenes: SceneRepository,
    private readonly areas: AreaService,
    private readonly indicators: IndicatorService,
    private readonly feeds: FeedCatalogService,
    private readonly credentials: MachineCredentialsService,
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
   * Creates or replaces a scene; the same PUT again changes nothing more. Everything it names
   * must exist and fit together (an event's indicator computed over its zone set, its feed one of
   * its sources; the KPI indicators, the areas, the camera feed); every problem is listed at once,
   * with `otherIssues` (checks made by the caller, e.g. of the layer keys).
   */
  async put(key: string, definition: SceneDefinition, otherIssues: readonly ReferenceIssue[] = []): Promise<SceneView> {
    const issues = [...(await this.referenceIssues(definition)), ...otherIssues];
    if (issues.length) throw new ValidationError(issues, 'The scene was not saved: fix the references listed.');
    const before = await this.scenes.find(key);
    const after = await this.scenes.upsert(key, definition);
    AuditTrail.noteChange({ targetType: 'scene', targetId: key, before, after });
    return after;
  }

  /** Deletes a scene; rotations that name it skip it from then on. */
  async delete(key: string): Promise<SceneView> {
    const before = await this.scenes.delete(key);
    if (!before) throw new SceneNotFoundError(key);
    AuditTrail.noteChange({ targetType: 'scene', targetId: key, before, after: null });
    return before;
  }

  /** The zone sets as map layers, each linked to its scene's indicator where one shows it. */
  async zoneSetLayers(): Promise<ZoneSetLayerView[]> {
    const [zoneSets, scenes] = await Promise.all([this.areas.zoneSets(), this.enabled()]);
    return zoneSetLayers(zoneSets, scenes);
  }

  listPlaylists(): Promise<PlaylistView[]> {
    return this.scenes.listPlaylists();
  }

  async getPlaylist(key: string): Promise<PlaylistView> {
    const playlist = await this.scenes.findPlaylist(key);
    if (!playlist) throw new PlaylistNotFoundError(key);
    return playlist;
  }

  /** The rotation a wall runs: the display's own, else the default; null when there is none. */
  playlistFor(displayId: string | null): Promise<PlaylistView | null> {
    return this.scenes.playlistForDisplay(displayId, DEFAULT_PLAYLIST_KEY);
  }

  /**
   * Creates or replaces a rotation (the same body again changes nothing). Its scenes must exist;
   * a display named must exist and have no other playlist; the default one belongs to no display.
   */
  async putPlaylist(key: string, definition: PlaylistDefinition): Promise<PlaylistView> {
    const issues: ReferenceIssue[] = [];
    const known = new Set((await this.scenes.list({ enabledOnly: false })).map((s) => s.key));
    definition.entries.forEach((entry, i) => {
      if (!known.has(entry.scene)) issues.push({ path: `entries.${i}.scene`, message: `no scene ${entry.scene} (GET /api/scenes)` });
    });
    if (definition.displayId !== null) {
      if (key === DEFAULT_PLAYLIST_KEY) {
        issues.push({ path: 'displayId', message: 'the default playlist is every other display’s: it names none' });
      } else {
        const displays = await this.credentials.listDisplays({});
        if (!displays.some((d) => d.id === definition.displayId)) {
          issues.push({ path: 'displayId', message: `no display ${definition.displayId} (GET /api/displays)` });
        } else {
          const holder = await this.scenes.playlistKeyOfDisplay(definition.displayId);
          if (holder !== null && holder !== key) issues.push({ path: 'displayId', message: `the display already has playlist ${holder}` });
        }
      }
    }
    if (issues.length) throw new ValidationError(issues, 'The playlist was not saved: fix the references listed.');
    const before = await this.scenes.findPlaylist(key);
    const after = await this.scenes.upsertPlaylist(key, definition);
    AuditTrail.noteChange({ targetType: 'wall_playlist', targetId: key, before, after });
    return after;
  }

  async deletePlaylist(key: string): Promise<PlaylistView> {
    const before = await this.scenes.deletePlaylist(key);
    if (!before) throw new PlaylistNotFoundError(key);
    AuditTrail.noteChange({ targetType: 'wall_playlist', targetId: key, before, after: null });
    return before;
  }

  /** Each reference that is missing, then (only between references that exist) each that does not fit. */
  private async referenceIssues(d: SceneDefinition): Promise<ReferenceIssue[]> {
    const issues: ReferenceIssue[] = [];
    const feedKeys = [...new Set([d.feedKey, d.cameras?.feedKey ?? null].filter((k): k is string => k !== null))];
    const areaIds = [
      ...new Set([d.focusAreaId, d.cameras?.areaId ?? null, d.cases?.areaId ?? null, ...d.kpis.map((k) => k.areaId)]),
    ].filter((id): id is number => id !== null);
    const [zoneSets, indicators, feeds, areasFound] = await Promise.all([
      d.zoneSet ? this.areas.zoneSets() : Promise.resolve([]),
      this.indicators.list(),
      Promise.all(feedKeys.map(async (key) => [key, await this.feedOrNull(key)] as const)),
      Promise.all(areaIds.map(async (id) => [id, await this.areaExists(id)] as const)),
    ]);
    const feedOf = new Map(feeds);
    const missingAreas = new Set(areasFound.filter(([, found]) => !found).map(([id]) => id));
    const noArea = (id: number) => `no area ${id} (GET /api/areas)`;

    if (d.zoneSet !== null || d.indicatorKey !== null) {
      const zoneSetExists = d.zoneSet !== null && zoneSets.some((z) => z.key === d.zoneSet);
      const indicator = indicators.find((i) => i.key === d.indicatorKey);
      if (d.zoneSet !== null && !zoneSetExists) issues.push({ path: 'zoneSet', message: `no zone set ${d.zoneSet}` });
      if (d.indicatorKey !== null && !indicator) {
        issues.push({ path: 'indicatorKey', message: `no indicator ${d.indicatorKey} (GET /api/indicators)` });
      }
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
      if (indicator && d.feedKey && feedOf.get(d.feedKey) && indicatorFeed !== d.feedKey) {
        issues.push({ path: 'feedKey', message: `feed ${d.feedKey} is not a source of indicator ${indicator.key}` });
      }
    }
    if (d.feedKey && !feedOf.get(d.feedKey)) issues.push({ path: 'feedKey', message: `no feed ${d.feedKey} (GET /api/feeds)` });
    if (d.focusAreaId !== null && missingAreas.has(d.focusAreaId)) issues.push({ path: 'focusAreaId', message: noArea(d.focusAreaId) });
    d.kpis.forEach((kpi, i) => {
      if (!indicators.some((ind) => ind.key === kpi.indicatorKey)) {
        issues.push({ path: `kpis.${i}.indicatorKey`, message: `no indicator ${kpi.indicatorKey} (GET /api/indicators)` });
      }
      if (kpi.areaId !== null && missingAreas.has(kpi.areaId)) issues.push({ path: `kpis.${i}.areaId`, message: noArea(kpi.areaId) });
    });
    if (d.cameras) {
      const feed = feedOf.get(d.cameras.feedKey);
      if (!feed) issues.push({ path: 'cameras.feedKey', message: `no feed ${d.cameras.feedKey} (GET /api/feeds)` });
      else if (feed.kind !== 'entity' || feed.entityProfile !== 'camera') {
        issues.push({ path: 'cameras.feedKey', message: `feed ${feed.key} is not a camera feed (entityProfile camera)` });
      }
      if (d.cameras.areaId !== null && missingAreas.has(d.cameras.areaId)) {
        issues.push({ path: 'cameras.areaId', message: noArea(d.cameras.areaId) });
      }
    }
    if (d.cases && d.cases.areaId !== null && missingAreas.has(d.cases.areaId)) {
      issues.push({ path: 'cases.areaId', message: noArea(d.cases.areaId) });
    }
    return issues;
  }

  private async feedOrNull(key: string): Promise<FeedDefinition | null> {
    try {
      return await this.feeds.get(key);
    } catch (error) {
      if (error instanceof FeedNotFoundError) return null;
      throw error;
    }
  }

  private async areaExists(id: number): Promise<boolean> {
    try {
      await this.areas.get(id, false);
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }
}
