import { exifFromTags, readCasePhotoExif, type ExifTags } from './case-photo-exif';

const NOW = new Date('2026-11-30T04:00:00Z');
const GUANGZHOU = { GPSLatitude: [23, 7, 30], GPSLatitudeRef: 'N', GPSLongitude: [113, 19, 12.34], GPSLongitudeRef: 'E' };

describe('exifFromTags: where a photo was taken', () => {
  const scenarios: [string, ExifTags, [number, number] | null][] = [
    ['reads degrees, minutes and seconds north and east as [lon, lat]', GUANGZHOU, [113.3200944, 23.125]],
    ['makes south and west negative', { ...GUANGZHOU, GPSLatitudeRef: 'S', GPSLongitudeRef: 'W' }, [-113.3200944, -23.125]],
    ['reads decimal degrees written as degrees alone', { ...GUANGZHOU, GPSLatitude: [23.125], GPSLongitude: [113.5] }, [113.5, 23.125]],
    ['ignores a position without its hemisphere letters', { ...GUANGZHOU, GPSLatitudeRef: undefined }, null],
    ['ignores a hemisphere letter that is not one', { ...GUANGZHOU, GPSLongitudeRef: 'Q' }, null],
    ['ignores a latitude past the pole', { ...GUANGZHOU, GPSLatitude: [91, 0, 0] }, null],
    ['ignores a longitude past 180°', { ...GUANGZHOU, GPSLongitude: [180, 0, 1] }, null],
    ['ignores 60 minutes or more', { ...GUANGZHOU, GPSLatitude: [23, 60, 0] }, null],
    ['ignores negative parts', { ...GUANGZHOU, GPSLongitude: [113, -5, 0] }, null],
    ['ignores parts that are not numbers', { ...GUANGZHOU, GPSLatitude: ['23', 7, 30] }, null],
    ['ignores NaN', { ...GUANGZHOU, GPSLatitude: [Number.NaN, 7, 30] }, null],
    ['ignores 0,0 (a camera without a fix)', { ...GUANGZHOU, GPSLatitude: [0, 0, 0], GPSLongitude: [0, 0, 0] }, null],
    ['ignores a position the receiver marks void', { ...GUANGZHOU, GPSStatus: 'V' }, null],
    ['keeps a position the receiver marks active', { ...GUANGZHOU, GPSStatus: 'A' }, [113.3200944, 23.125]],
    ['gives none without GPS tags', {}, null],
  ];
  it.each(scenarios)('%s', (_name, tags, expected) => {
    expect(exifFromTags(tags, NOW).location).toEqual(expected);
  });
});

describe('exifFromTags: when a photo was taken', () => {
  const scenarios: [string, ExifTags, { local: string | null; at: string | null } | null][] = [
    [
      'fixes the instant from the original time and its offset',
      { DateTimeOriginal: '2026:11:29 10:15:00', OffsetTimeOriginal: '+08:00' },
      { local: '2026-11-29T10:15:00', at: '2026-11-29T02:15:00.000Z' },
    ],
    [
      'keeps a wall-clock time without an offset, and guesses no instant',
      { DateTimeOriginal: '2026:11:29 10:15:00' },
      { local: '2026-11-29T10:15:00', at: null },
    ],
    [
      'takes the instant from the GPS stamps (UTC) when there is no offset',
      { DateTimeOriginal: '2026:11:29 10:15:00', GPSDateStamp: '2026:11:29', GPSTimeStamp: [2, 14, 58] },
      { local: '2026-11-29T10:15:00', at: '2026-11-29T02:14:58.000Z' },
    ],
    ['ignores an unset clock', { DateTimeOriginal: '0000:00:00 00:00:00' }, null],
    ['ignores a day that does not exist', { DateTimeOriginal: '2026:02:30 10:00:00' }, null],
    ['ignores a time before digital photos of cases', { DateTimeOriginal: '1980:01:01 00:00:00', OffsetTimeOriginal: '+00:00' }, null],
    ['ignores a time days in the future', { DateTimeOriginal: '2026:12:05 10:00:00', OffsetTimeOriginal: '+08:00' }, null],
    [
      'ignores an offset that is not one, keeping the wall clock',
      { DateTimeOriginal: '2026:11:29 10:15:00', OffsetTimeOriginal: '+25:00' },
      { local: '2026-11-29T10:15:00', at: null },
    ],
    ['ignores GPS stamps out of range', { GPSDateStamp: '2026:11:29', GPSTimeStamp: [25, 0, 0] }, null],
    ['gives none without time tags', {}, null],
  ];
  it.each(scenarios)('%s', (_name, tags, expected) => {
    const takenAt = exifFromTags(tags, NOW).takenAt;
    expect(takenAt && { local: takenAt.local, at: takenAt.at?.toISOString() ?? null }).toEqual(expected);
  });
});

describe('readCasePhotoExif', () => {
  it('reads nothing, without failing, from no block, an empty one or garbage', async () => {
    const nothing = { location: null, takenAt: null };
    expect(await readCasePhotoExif(undefined)).toEqual(nothing);
    expect(await readCasePhotoExif(Buffer.alloc(0))).toEqual(nothing);
    expect(await readCasePhotoExif(Buffer.from('Exif\0\0this is not a TIFF structure at all', 'latin1'))).toEqual(nothing);
    expect(await readCasePhotoExif(Buffer.from('MM\0*\0\0\0\x08\xff\xff', 'latin1'))).toEqual(nothing);
  });
});
