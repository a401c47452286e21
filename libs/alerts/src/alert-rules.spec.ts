import { decideAlert } from './alert-rules';

const t = { warning: 0.8, critical: 1.0, clear: 0.75 };

describe('decideAlert (segment load thresholds with hysteresis)', () => {
  it.each([
    ['no alert, load 0.5: nothing happens', null, 0.5, { action: 'none' }],
    ['no alert, load 0.79: still nothing', null, 0.79, { action: 'none' }],
    ['no alert, load 0.8: opens a warning', null, 0.8, { action: 'open', level: 'warning' }],
    ['no alert, load 1.0: opens a critical alert', null, 1.0, { action: 'open', level: 'critical' }],
    ['no alert, load 1.3: opens a critical alert', null, 1.3, { action: 'open', level: 'critical' }],
    ['warning, load 1.05: escalates', 'warning', 1.05, { action: 'escalate', level: 'critical' }],
    ['critical, load 0.9: de-escalates to warning', 'critical', 0.9, { action: 'deescalate', level: 'warning' }],
    ['warning, load 0.77 (between clear and warning): stays open', 'warning', 0.77, { action: 'update' }],
    ['critical, load 0.76: falls to warning, not resolved', 'critical', 0.76, { action: 'deescalate', level: 'warning' }],
    ['warning, load 0.749: resolves', 'warning', 0.749, { action: 'resolve' }],
    ['critical, load 0.2: resolves at once', 'critical', 0.2, { action: 'resolve' }],
    ['critical, load 1.2: same level, value update', 'critical', 1.2, { action: 'update' }],
  ] as const)('%s', (_name, current, value, expected) => {
    expect(decideAlert(current, value, t)).toEqual(expected);
  });
});
