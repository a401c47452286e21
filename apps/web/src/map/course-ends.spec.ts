import { describe, expect, it } from '@jest/globals';
import type { AreaView } from '@cityops/contracts';
import { courseEnds } from './course-ends';

/** A zone as a thin box along the equator-ish line y = 23, from x0 to x1. */
function zone(seq: number, x0: number, x1: number): AreaView {
  const ring = [
    [x0, 22.999],
    [x1, 22.999],
    [x1, 23.001],
    [x0, 23.001],
    [x0, 22.999],
  ];
  return {
    id: seq,
    code: `Z-${seq}`,
    name: `zone ${seq}`,
    nameEn: null,
    level: 'zone',
    parentId: null,
    zoneSet: 'course',
    seq,
    capacity: null,
    population: null,
    households: null,
    isDemo: false,
    geometry: { type: 'MultiPolygon', coordinates: [[ring]] },
  };
}

describe('courseEnds', () => {
  it.each([
    ['runs east, given in order', [zone(1, 113.0, 113.1), zone(2, 113.1, 113.2), zone(3, 113.2, 113.3)], 113.0, 113.3],
    ['runs east, given out of order', [zone(3, 113.2, 113.3), zone(1, 113.0, 113.1), zone(2, 113.1, 113.2)], 113.0, 113.3],
    ['runs west', [zone(1, 113.3, 113.2), zone(2, 113.2, 113.1), zone(3, 113.1, 113.0)], 113.3, 113.0],
    [
      'is a loop back to the start',
      [zone(1, 113.0, 113.1), zone(2, 113.1, 113.2), zone(3, 113.2, 113.1), zone(4, 113.1, 113.0)],
      113.0,
      113.0,
    ],
  ])('puts start and finish at the outer ends of a course that %s', (_case, zones, startLon, finishLon) => {
    const ends = courseEnds(zones);
    expect(ends?.start[0]).toBeCloseTo(startLon, 6);
    expect(ends?.finish[0]).toBeCloseTo(finishLon, 6);
  });

  it('puts a single zone’s start and finish at its two far ends', () => {
    const ends = courseEnds([zone(1, 113.0, 113.4)]);
    expect([ends?.start[0], ends?.finish[0]].sort()).toEqual([113.0, 113.4]);
  });

  it('has no ends without zones with an outline', () => {
    expect(courseEnds([])).toBeNull();
    expect(courseEnds([{ ...zone(1, 113, 113.1), geometry: undefined }])).toBeNull();
  });
});
