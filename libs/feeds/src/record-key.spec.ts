import { recordKey } from './record-key';

const base = { metric: 'headcount', value: 812, area: 'GZM-05' };

describe('recordKey', () => {
  it('is the id when the record has one', () => {
    expect(recordKey({ ...base, id: 'seg-5-1' })).toBe('seg-5-1');
  });

  it('is the same digest for the same content and a different one when anything it says differs', () => {
    const key = recordKey(base);
    expect(key).toMatch(/^sha1:[0-9a-f]{40}$/);
    expect(recordKey({ ...base })).toBe(key);
    expect(recordKey({ ...base, value: 813 })).not.toBe(key);
    expect(recordKey({ ...base, props: { lane: 1 } })).not.toBe(key);
    expect(recordKey({ ...base, area: undefined, location: [113.3, 23.1] })).not.toBe(key);
  });
});
