import { describe, expect, it } from '@jest/globals';
import type { CameraView } from '@cityops/contracts';
import { cameraCandidates, cameraGridShape, chooseAcrossAreas, chooseSceneCameras } from './scene-cameras';

const camera = (id: string, status: CameraView['status']): CameraView => ({
  feed: 'cameras',
  id,
  name: `摄像头 ${id}`,
  nameEn: null,
  location: [113.3, 23.1],
  heading: 0,
  kind: 'fixed',
  status,
  area: null,
  ts: '2026-11-30T08:00:00Z',
  snapshot: `/api/cameras/cameras/${id}/snapshot`,
  streamUrl: null,
  distanceMeters: null,
  demo: true,
});

describe('the cameras a scene shows', () => {
  it('takes online cameras first, then faulty, then offline, each in the order the API gave', () => {
    const listed = [camera('a', 'offline'), camera('b', 'online'), camera('c', 'fault'), camera('d', 'online'), camera('e', 'offline')];
    expect(chooseSceneCameras(listed, 4).map((c) => c.id)).toEqual(['b', 'd', 'c', 'a']);
    expect(chooseSceneCameras(listed, 2).map((c) => c.id)).toEqual(['b', 'd']);
  });

  it('shows fewer when the area has fewer, and none for a count of zero', () => {
    const listed = [camera('a', 'online'), camera('b', 'fault')];
    expect(chooseSceneCameras(listed, 6).map((c) => c.id)).toEqual(['a', 'b']);
    expect(chooseSceneCameras(listed, 0)).toEqual([]);
    expect(chooseSceneCameras([], 4)).toEqual([]);
  });

  it('spreads city-wide cameras over the districts, one of each in turn, working ones first', () => {
    const yuexiu = [camera('y1', 'offline'), camera('y2', 'online'), camera('y3', 'online')];
    const haizhu = [camera('h1', 'online')];
    const tianhe = [camera('t1', 'fault'), camera('t2', 'online')];
    expect(chooseAcrossAreas([yuexiu, haizhu, tianhe], 4).map((c) => c.id)).toEqual(['y2', 'h1', 't2', 'y3']);
    expect(chooseAcrossAreas([yuexiu, haizhu, tianhe], 2).map((c) => c.id)).toEqual(['y2', 'h1']);
    // Fewer cameras than asked: all of them, the offline and faulty last.
    expect(chooseAcrossAreas([yuexiu, [], tianhe], 12).map((c) => c.id)).toEqual(['y2', 't2', 'y3', 't1', 'y1']);
    expect(chooseAcrossAreas([], 4)).toEqual([]);
  });

  it('asks the API for spare cameras to choose from, within a bound', () => {
    expect(cameraCandidates(1)).toBe(4);
    expect(cameraCandidates(4)).toBe(16);
    expect(cameraCandidates(12)).toBe(48);
  });

  it('lays a few cameras in one column of a 16:9 screen, more in two; wider on a 3×1 wall', () => {
    expect(cameraGridShape(4, 'narrow')).toEqual({ columns: 1, rows: 4 });
    expect(cameraGridShape(5, 'narrow')).toEqual({ columns: 2, rows: 3 });
    expect(cameraGridShape(12, 'narrow')).toEqual({ columns: 2, rows: 6 });
    expect(cameraGridShape(1, 'wide')).toEqual({ columns: 1, rows: 1 });
    expect(cameraGridShape(4, 'wide')).toEqual({ columns: 2, rows: 2 });
    expect(cameraGridShape(9, 'wide')).toEqual({ columns: 3, rows: 3 });
  });
});
