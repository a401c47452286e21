import { Injectable, Logger } from '@nestjs/common';
import * as flatbushModule from 'flatbush';
import { AreaChanges } from './area-changes.service';
import { AreaRepository, type GridShape } from './area.repository';
import { multiPolygonContains } from './point-in-polygon';

const Flatbush = flatbushModule.default;

interface GridIndex {
  grids: GridShape[];
  /** Null when there are no grids. */
  tree: InstanceType<typeof Flatbush> | null;
}

export interface Located {
  areaId: number;
  path: number[];
}

/**
 * Finds the grid under a point in memory: an R-tree of grid bounding boxes, then an exact
 * point-in-polygon test. Ingest tags a batch of 1,000 located records in about a millisecond
 * instead of a PostGIS join per row. The index is rebuilt whenever areas change (any process
 * that changes areas announces it), so every API and worker process stays current.
 */
@Injectable()
export class AreaLocator {
  private readonly logger = new Logger(AreaLocator.name);
  private index: Promise<GridIndex> | undefined;

  constructor(
    private readonly areas: AreaRepository,
    changes: AreaChanges,
  ) {
    changes.onChange(() => this.reload());
  }

  async locate(lon: number, lat: number): Promise<Located | null> {
    return locateIn(await this.loaded(), lon, lat);
  }

  /** Locates many points; loads the index first if needed. */
  async locateMany(points: [number, number][]): Promise<(Located | null)[]> {
    const index = await this.loaded();
    return points.map(([lon, lat]) => locateIn(index, lon, lat));
  }

  private loaded(): Promise<GridIndex> {
    if (!this.index) {
      const loading = this.load();
      this.index = loading;
      // A failed load is forgotten, so the next call tries again.
      loading.catch(() => {
        if (this.index === loading) this.index = undefined;
      });
    }
    return this.index;
  }

  private async reload(): Promise<void> {
    this.index = undefined;
    await this.loaded();
  }

  private async load(): Promise<GridIndex> {
    const grids = await this.areas.gridShapes();
    if (grids.length === 0) return { grids, tree: null };
    const tree = new Flatbush(grids.length);
    for (const g of grids) {
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      for (const [x, y] of g.polygons.flatMap((p) => p[0] ?? [])) {
        if (x < minX) minX = x!;
        if (y < minY) minY = y!;
        if (x > maxX) maxX = x!;
        if (y > maxY) maxY = y!;
      }
      tree.add(minX, minY, maxX, maxY);
    }
    tree.finish();
    this.logger.log({ grids: grids.length }, 'grid index loaded');
    return { grids, tree };
  }
}

function locateIn({ grids, tree }: GridIndex, lon: number, lat: number): Located | null {
  if (!tree) return null;
  for (const i of tree.search(lon, lat, lon, lat)) {
    const grid = grids[i];
    if (multiPolygonContains(grid.polygons, lon, lat)) return { areaId: grid.id, path: grid.path };
  }
  return null;
}
