import { auditOwnerRole, applicationRole, scramVerifier } from './database-admin';
import { superuserProblem } from './database-role.check';
import { adminUrlFor, urlParts, withPassword } from './database-urls';

describe('the database URLs of the application and of the set-up', () => {
  it("derives the set-up's superuser from the application's URL: same server, user postgres, database postgres", () => {
    expect(adminUrlFor('postgres://cityops:pw@db.internal:6432/city?sslmode=require')).toBe(
      'postgres://postgres@db.internal:6432/postgres?sslmode=require',
    );
  });

  it('fills in the password only where the URL has none', () => {
    expect(withPassword('postgres://cityops@h/c', 'p@ss/word')).toBe('postgres://cityops:p%40ss%2Fword@h/c');
    expect(urlParts(withPassword('postgres://cityops@h/c', 'p@ss/word')).password).toBe('p@ss/word');
    expect(withPassword('postgres://cityops:own@h/c', 'other')).toBe('postgres://cityops:own@h/c');
    expect(withPassword('postgres://cityops@h/c', undefined)).toBe('postgres://cityops@h/c');
  });

  it("names the application's role, its password and database, and the owner of its audit trail", () => {
    const urls = { databaseUrl: 'postgres://city%20ops:pw@h/cityops', databaseAdminUrl: 'postgres://postgres@h/postgres' };
    expect(applicationRole(urls)).toEqual({ role: 'city ops', password: 'pw', database: 'cityops' });
    expect(auditOwnerRole('cityops')).toBe('cityops_audit');
    expect(() => applicationRole({ ...urls, databaseUrl: 'postgres://h/cityops' })).toThrow(/names no user/);
    expect(() => applicationRole({ ...urls, databaseUrl: `postgres://${'r'.repeat(58)}@h/cityops` })).toThrow(/longer than 57 bytes/);
    expect(() => applicationRole({ ...urls, databaseUrl: 'postgres://cityops@h/bad;name' })).toThrow(/Unsupported database name/);
  });

  it('makes a SCRAM-SHA-256 verifier, and tells whether a verifier holds a password', () => {
    const verifier = scramVerifier('pencil');
    expect(verifier).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
    expect(scramVerifier('pencil', verifier)).toBe(verifier);
    expect(scramVerifier('pencil!', verifier)).not.toBe(verifier);
    // A new salt each time a password is set.
    expect(scramVerifier('pencil')).not.toBe(verifier);
  });

  it('says what is wrong with a superuser or a role that can make roles, and nothing about an ordinary one', () => {
    expect(superuserProblem('postgres', { superuser: true, createRole: false })).toMatch(
      /^DATABASE_URL connects as postgres, a superuser:/,
    );
    expect(superuserProblem('ops', { superuser: false, createRole: true })).toMatch(/a role with CREATEROLE/);
    expect(superuserProblem('cityops', { superuser: false, createRole: false })).toBeNull();
  });
});
