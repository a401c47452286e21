import { TileLru } from './tile-lru';

describe('TileLru', () => {
  const tile = (bytes: number) => Buffer.alloc(bytes, 1);

  it('drops the least recently used tiles once the byte budget is passed', () => {
    const lru = new TileLru(300);
    lru.set('a', tile(100));
    lru.set('b', tile(100));
    lru.set('c', tile(100));
    expect(lru.get('a')).toBeDefined(); // a is now the most recent
    lru.set('d', tile(100));
    expect(lru.get('b')).toBeUndefined();
    expect(['a', 'c', 'd'].map((k) => lru.get(k)?.length)).toEqual([100, 100, 100]);
    expect(lru.totalBytes).toBe(300);
  });

  it('counts an empty tile as a small one and never holds a tile larger than the budget', () => {
    const lru = new TileLru(128);
    lru.set('empty1', Buffer.alloc(0));
    lru.set('empty2', Buffer.alloc(0));
    lru.set('empty3', Buffer.alloc(0));
    expect(lru.size).toBe(2);
    lru.set('huge', tile(1000));
    expect(lru.get('huge')).toBeUndefined();
  });

  it('replaces a tile stored again under the same key without counting it twice', () => {
    const lru = new TileLru(1000);
    lru.set('a', tile(100));
    lru.set('a', tile(200));
    expect(lru.totalBytes).toBe(200);
    expect(lru.get('a')?.length).toBe(200);
  });
});
