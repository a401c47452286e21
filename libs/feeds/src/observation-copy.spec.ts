import { copyText, observationLine, pointHex } from './observation-copy';

describe('observation COPY encoding', () => {
  it('escapes backslash, tab and line ends and leaves everything else as it is', () => {
    expect(copyText('plain 文字 "quoted"')).toBe('plain 文字 "quoted"');
    expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
  });

  it('writes a point as little-endian EWKB with SRID 4326, every bit of both doubles kept', () => {
    const hex = pointHex(113.32451234567891, -23.1);
    const bytes = Buffer.from(hex, 'hex');
    expect(bytes.readUInt8(0)).toBe(1);
    expect(bytes.readUInt32LE(1)).toBe(0x20000001);
    expect(bytes.readUInt32LE(5)).toBe(4326);
    expect(bytes.readDoubleLE(9)).toBe(113.32451234567891);
    expect(bytes.readDoubleLE(17)).toBe(-23.1);
  });

  it('lays a row out in column order with \\N for what is missing', () => {
    const row = {
      recordKey: 'k\t1',
      ts: '2026-01-01T08:00:00+08:00',
      metric: 'headcount',
      value: 1e21,
      entity: null,
      areaCode: null,
      areaId: null,
      areaPath: [],
      lon: null,
      lat: null,
      props: { note: 'line\nbreak \\ slash' },
    };
    expect(observationLine('feed-a', row)).toBe(
      [
        'feed-a',
        'k\\t1',
        '2026-01-01T08:00:00+08:00',
        'headcount',
        '1e+21',
        '\\N',
        '\\N',
        '{}',
        '\\N',
        '{"note":"line\\\\nbreak \\\\\\\\ slash"}',
      ].join('\t'),
    );
  });
});
