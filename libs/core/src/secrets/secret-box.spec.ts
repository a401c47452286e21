import { SecretBox, SecretUnreadableError } from './secret-box';

const box = (key = 'k'.repeat(32)) => new SecretBox({ secretsKey: key });

describe('SecretBox', () => {
  it('opens what it sealed, and seals the same value differently each time', () => {
    const value = { url: 'https://user:pass@api.example.org/air?token=abc', headers: { 'x-api-key': '密钥-123' } };
    const first = box().seal(value);
    const second = box().seal(value);
    expect(first).not.toBe(second);
    expect(box().open(first)).toEqual(value);
    expect(first).not.toContain('pass');
    expect(first).not.toContain('abc');
  });

  it.each([
    ['another key', (sealed: string) => box('z'.repeat(32)).open(sealed)],
    ['an altered byte', (sealed: string) => box().open(sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA'))],
    ['a truncated value', (sealed: string) => box().open(sealed.split('.').slice(0, 3).join('.'))],
    ['an unknown version', (sealed: string) => box().open(sealed.replace(/^v1\./, 'v9.'))],
    ['plain text', () => box().open('not sealed at all')],
  ])('refuses %s', (_name, open) => {
    const sealed = box().seal({ secret: 'value' });
    expect(() => open(sealed)).toThrow(SecretUnreadableError);
  });
});
