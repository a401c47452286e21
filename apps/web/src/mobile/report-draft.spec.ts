import { describe, expect, it } from '@jest/globals';
import {
  clearDraft,
  draftProblems,
  draftStorageKey,
  emptyDraft,
  fileRequestOf,
  loadDraft,
  newClientRequestId,
  readDraft,
  saveDraft,
  type ReportDraft,
} from './report-draft';

/** A Storage of a Map, so that each test starts empty. */
function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (key) => map.get(key) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (key) => void map.delete(key),
    setItem: (key, value) => void map.set(key, value),
  };
}

const uuids = (...values: string[]) => {
  const queue = [...values];
  return () => queue.shift() ?? 'exhausted';
};

const FIX = { lon: 113.33, lat: 23.13, accuracy: 8 };

describe('the grid worker’s report draft', () => {
  const key = draftStorageKey('gw-li');

  it('makes a clientRequestId once per draft, within the server’s pattern', () => {
    const id = newClientRequestId(() => '1b4e28ba-2fa1-11d2-883f-0016d3cca427');
    expect(id).toBe('m-1b4e28ba-2fa1-11d2-883f-0016d3cca427');
    expect(id).toMatch(/^[A-Za-z0-9_.:-]{1,100}$/);
    expect(newClientRequestId()).not.toBe(newClientRequestId());
  });

  it('keeps the same clientRequestId across reloads until the draft is cleared, so a retry files once', () => {
    const storage = memoryStorage();
    const random = uuids('first', 'second');
    const draft = loadDraft(storage, key, random);
    expect(draft.clientRequestId).toBe('m-first');
    saveDraft(storage, key, { ...draft, description: '占道经营' });
    // A reload (or a retry after a lost answer) reads the same draft back: same id.
    const again = loadDraft(storage, key, random);
    expect(again).toEqual({ ...draft, description: '占道经营' });
    clearDraft(storage, key);
    expect(loadDraft(storage, key, random).clientRequestId).toBe('m-second');
  });

  it('keeps each worker’s draft apart on a shared phone', () => {
    const storage = memoryStorage();
    saveDraft(storage, draftStorageKey('a'), { ...emptyDraft(() => 'a'), description: 'A' });
    expect(readDraft(storage, draftStorageKey('b'))).toBeNull();
    expect(readDraft(storage, draftStorageKey('a'))?.description).toBe('A');
  });

  it.each([
    ['not JSON', '{oops'],
    ['no id', JSON.stringify({ description: 'x' })],
    ['an id the server would refuse', JSON.stringify({ clientRequestId: 'has spaces in it' })],
  ])('starts a new draft when the stored one is %s', (_what, raw) => {
    const storage = memoryStorage();
    storage.setItem(key, raw);
    expect(readDraft(storage, key)).toBeNull();
    expect(loadDraft(storage, key, uuids('fresh')).clientRequestId).toBe('m-fresh');
  });

  it('survives storage that throws (private mode, quota) by living in memory', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(loadDraft(broken, key, uuids('mem')).clientRequestId).toBe('m-mem');
    expect(() => saveDraft(broken, key, emptyDraft())).not.toThrow();
    expect(() => clearDraft(broken, key)).not.toThrow();
    expect(loadDraft(null, key, uuids('none')).clientRequestId).toBe('m-none');
  });

  it('names every missing piece before sending, and nothing once all is there', () => {
    const blank = emptyDraft(() => 'x');
    expect(draftProblems(blank, null)).toEqual({
      category: 'mNeedCategory',
      description: 'mNeedDescription',
      location: 'mNeedLocation',
    });
    expect(draftProblems({ ...blank, description: '   ' }, FIX)).toMatchObject({ description: 'mNeedDescription' });
    expect(draftProblems({ ...blank, category: 'garbage-pile', description: 'x'.repeat(4001) }, FIX)).toEqual({
      description: 'mDescriptionTooLong',
    });
    expect(draftProblems({ ...blank, category: 'garbage-pile', description: '垃圾堆积' }, FIX)).toEqual({});
  });

  it('files at the GPS fix with the draft’s id, trimmed, the address only when written', () => {
    const draft: ReportDraft = { clientRequestId: 'm-1', category: 'street-vending', description: '  占道经营  ', address: '   ' };
    expect(fileRequestOf(draft, FIX)).toEqual({
      category: 'street-vending',
      description: '占道经营',
      location: [113.33, 23.13],
      priority: 'normal',
      clientRequestId: 'm-1',
    });
    expect(fileRequestOf({ ...draft, address: ' 天河路 385 号 ' }, FIX).address).toBe('天河路 385 号');
  });
});
