import { Injectable } from '@nestjs/common';
import { cameraPropsSchema, type CameraView } from '@cityops/contracts';
import { NotFoundError } from '@cityops/core';
import { AreaDirectory, AreaService, type ScopeRoots } from '@cityops/geo';
import { CameraRepository, type CameraRow } from './camera.repository';

/**
 * The city's cameras: the entities of every feed whose profile is `camera`. A caller sees those
 * tagged inside its scope; an area outside it is not found, as one that does not exist.
 */
@Injectable()
export class CameraService {
  constructor(
    private readonly cameras: CameraRepository,
    private readonly areas: AreaService,
    private readonly directory: AreaDirectory,
  ) {}

  /**
   * The cameras of an area: for a district, street, community or grid those tagged inside it (an
   * index lookup); for a zone (a course segment, a venue), which holds no grid, those within
   * `buffer` metres of its outline, nearest first. `feed` keeps one camera feed's only.
   */
  async inArea(code: string, buffer: number, limit: number, scope: ScopeRoots, feed: string | null = null): Promise<CameraView[]> {
    const ref = (await this.directory.byCodes([code])).get(code);
    if (!ref) throw new NotFoundError(`Area ${code}`);
    const zone = ref.level === 'zone';
    const area = await this.areas.get(ref.id, zone, scope);
    const rows = zone
      ? await this.cameras.nearGeometry(area.geometry, buffer, limit, scope, feed)
      : await this.cameras.inArea(ref.id, limit, scope, feed);
    return this.views(rows);
  }

  async nearest(lon: number, lat: number, radius: number, limit: number, scope: ScopeRoots): Promise<CameraView[]> {
    return this.views(await this.cameras.nearest(lon, lat, radius, limit, scope));
  }

  async get(feed: string, id: string, scope: ScopeRoots): Promise<CameraView> {
    const row = await this.cameras.one(feed, id, scope);
    const [view] = row ? await this.views([row]) : [];
    if (!view) throw new NotFoundError(`Camera ${feed}/${id}`);
    return view;
  }

  /**
   * Ingest checked the props of every camera stored since its feed got the profile; one stored
   * before that and not shaped as a camera is left out rather than shown half-made.
   */
  private async views(rows: CameraRow[]): Promise<CameraView[]> {
    const areas = await this.directory.byIds(rows.flatMap((r) => (r.areaId === null ? [] : [r.areaId])));
    return rows.flatMap((r) => {
      const props = cameraPropsSchema.safeParse(r.props);
      if (!props.success) return [];
      return [
        {
          feed: r.feed,
          id: r.id,
          name: props.data.name,
          nameEn: props.data.nameEn ?? null,
          location: [r.lon, r.lat] as [number, number],
          heading: props.data.heading,
          kind: props.data.kind,
          status: props.data.status,
          area: r.areaId === null ? null : (areas.get(r.areaId)?.code ?? null),
          ts: r.ts.toISOString(),
          snapshot: `/api/cameras/${encodeURIComponent(r.feed)}/${encodeURIComponent(r.id)}/snapshot`,
          streamUrl: props.data.streamUrl,
          distanceMeters: r.distance === null ? null : Math.round(r.distance * 10) / 10,
          demo: props.data.demo === true,
        },
      ];
    });
  }
}
