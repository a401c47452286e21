import type { CameraStatus, CameraView } from '@cityops/contracts';

/** Working cameras first: a wall shows pictures; a faulty one before an offline one, since it may still send a frame. */
const STATUS_RANK: Record<CameraStatus, number> = { online: 0, fault: 1, offline: 2 };

/** How many cameras to ask for to choose `count` from: some spare for the offline ones, bounded. */
export function cameraCandidates(count: number): number {
  return Math.min(Math.max(count, 1) * 4, 48);
}

/**
 * The cameras a scene shows, at most `count`: online ones first, then faulty, then offline, each
 * group in the API's order (by name), so the choice stays put between refreshes while nothing changes.
 */
export function chooseSceneCameras(cameras: readonly CameraView[], count: number): CameraView[] {
  return cameras
    .map((camera, index) => ({ camera, index }))
    .sort((a, b) => STATUS_RANK[a.camera.status] - STATUS_RANK[b.camera.status] || a.index - b.index)
    .slice(0, Math.max(count, 0))
    .map(({ camera }) => camera);
}

/**
 * City-wide cameras from each district's list in turn (each list chosen as above), so that a few
 * cameras show several districts rather than the first names of one.
 */
export function chooseAcrossAreas(lists: readonly (readonly CameraView[])[], count: number): CameraView[] {
  const ranked = lists.map((list) => chooseSceneCameras(list, list.length));
  const chosen: CameraView[] = [];
  for (let round = 0; chosen.length < count && ranked.some((list) => list.length > round); round++) {
    for (const list of ranked) {
      const camera = list[round];
      if (camera && chosen.length < count) chosen.push(camera);
    }
  }
  // Working cameras first over the whole choice, as for one area.
  return chooseSceneCameras(chosen, count);
}

/**
 * Columns and rows of the scene's camera grid: in the side column of a 16:9 screen one column for
 * up to four cameras, then two; in the wider column of a 3×1 wall two, then three beyond six.
 */
export function cameraGridShape(count: number, column: 'narrow' | 'wide'): { columns: number; rows: number } {
  const n = Math.max(count, 1);
  const columns = column === 'narrow' ? (n <= 4 ? 1 : 2) : n === 1 ? 1 : n <= 6 ? 2 : 3;
  return { columns, rows: Math.ceil(n / columns) };
}
