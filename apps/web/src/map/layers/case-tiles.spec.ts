import { describe, expect, it } from '@jest/globals';
import type { CaseChangedEvent, Position } from '@cityops/contracts';
import { concernsView, type Box } from './case-tiles';

const BOX: Box = [113.2, 23.0, 113.5, 23.3];
const eventAt = (location: Position) => ({ action: 'accept', case: { location } }) as unknown as CaseChangedEvent;

describe('concernsView', () => {
  it.each([
    ['inside', [113.33, 23.13], true],
    ['on the west edge', [113.2, 23.13], true],
    ['on the north-east corner', [113.5, 23.3], true],
    ['west of it', [113.19, 23.13], false],
    ['north of it', [113.33, 23.31], false],
    ['far away', [0, 0], false],
  ] as [string, Position, boolean][])('a case %s: %s', (_what, location, expected) => {
    expect(concernsView(eventAt(location), BOX)).toBe(expected);
  });
});
