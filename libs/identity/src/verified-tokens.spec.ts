import { VerifiedTokens } from './verified-tokens';

describe('VerifiedTokens', () => {
  const at = (seconds: number) => seconds * 1000;

  it('answers the claims of a remembered token until the second its expiry names', () => {
    const tokens = new VerifiedTokens<{ sid: string }>(10);
    tokens.set('t1', { sid: 's1' }, 1_000);
    expect(tokens.get('t1', at(999))).toEqual({ sid: 's1' });
    expect(tokens.get('t1', at(999.999))).toEqual({ sid: 's1' });
    expect(tokens.get('t1', at(1_000))).toBeUndefined();
  });

  it('forgets an expired token when asked for it, so it is verified (and refused) again', () => {
    const tokens = new VerifiedTokens<{ sid: string }>(10);
    tokens.set('t1', { sid: 's1' }, 1_000);
    expect(tokens.get('t1', at(2_000))).toBeUndefined();
    expect(tokens.size).toBe(0);
    expect(tokens.get('t1', at(500))).toBeUndefined();
  });

  it('never remembers a token without an expiry', () => {
    const tokens = new VerifiedTokens<{ sid: string }>(10);
    tokens.set('t1', { sid: 's1' }, undefined);
    tokens.set('t2', { sid: 's2' }, Number.NaN);
    expect(tokens.size).toBe(0);
    expect(tokens.get('t1', 0)).toBeUndefined();
  });

  it('holds at most its bound, dropping the least recently used token first', () => {
    const tokens = new VerifiedTokens<{ sid: string }>(3);
    for (const t of ['a', 'b', 'c']) tokens.set(t, { sid: t }, 1_000);
    expect(tokens.get('a', 0)).toEqual({ sid: 'a' }); // a is now the most recent; b the least
    tokens.set('d', { sid: 'd' }, 1_000);
    expect(tokens.size).toBe(3);
    expect(tokens.get('b', 0)).toBeUndefined();
    expect(['a', 'c', 'd'].map((t) => tokens.get(t, 0)?.sid)).toEqual(['a', 'c', 'd']);
  });

  it('stores a token given again once, with its latest claims', () => {
    const tokens = new VerifiedTokens<{ sid: string }>(3);
    tokens.set('a', { sid: 'old' }, 1_000);
    tokens.set('a', { sid: 'new' }, 2_000);
    expect(tokens.size).toBe(1);
    expect(tokens.get('a', at(1_500))).toEqual({ sid: 'new' });
  });
});
