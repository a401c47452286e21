import { Injectable } from '@nestjs/common';
import { hash } from '@node-rs/argon2';
import type { CreateUserRequest, ListUsersQuery, UpdateUserRequest, UserView } from '@cityops/contracts';
import { AuditTrail, ValidationError } from '@cityops/core';
import { AreaDirectory } from '@cityops/geo';
import { AuthService } from './auth.service';
import { SelfLockoutError, UsernameTakenError, UserNotFoundError } from './identity.exception';
import { passwordProblem } from './password-policy';
import type { Principal } from './principal';
import { ScopeService } from './scope.service';
import { type UserChange, UserRepository, type UserRow } from './user.repository';

/** PostgreSQL's foreign-key violation: here, a department that does not exist. */
const FOREIGN_KEY_VIOLATION = '23503';

/** The people who sign in: what admins do at `/api/users`. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    private readonly scopes: ScopeService,
    private readonly directory: AreaDirectory,
    private readonly auth: AuthService,
  ) {}

  async list(query: ListUsersQuery): Promise<UserView[]> {
    let areaIds: number[] | undefined;
    if (query.area) {
      // Users who can see the area: their scope holds it or one of its ancestors.
      const area = (await this.directory.byCodes([query.area])).get(query.area);
      if (!area) return [];
      areaIds = area.path;
    }
    const rows = await this.users.list({
      q: query.q,
      role: query.role,
      department: query.department,
      areaIds,
      disabled: query.disabled === undefined ? undefined : query.disabled === 'true',
      limit: query.limit,
    });
    return Promise.all(rows.map((row) => this.view(row)));
  }

  async get(id: string): Promise<UserView> {
    const row = await this.users.findById(id);
    if (!row) throw new UserNotFoundError();
    return this.view(row);
  }

  async create(request: CreateUserRequest): Promise<UserView> {
    this.assertPassword(request.password, request, 'password');
    const scope = await this.scopes.toStored(request.scopes);
    const row = await this.withDepartmentChecked(() =>
      hash(request.password).then((passwordHash) =>
        this.users.insert({
          username: request.username,
          displayName: request.displayName,
          passwordHash,
          roles: [...new Set(request.roles)],
          department: request.department,
          scopeAreaIds: scope.areaIds,
          scopeZoneSets: scope.zoneSets,
          // A password an admin chose is known to two people: the user replaces it at once.
          mustChangePassword: true,
        }),
      ),
    );
    if (!row) throw new UsernameTakenError(request.username);
    const created = await this.view(row);
    AuditTrail.noteChange({ targetType: 'user', targetId: row.id, before: null, after: created });
    return created;
  }

  async update(id: string, request: UpdateUserRequest, actor: Principal): Promise<{ before: UserView; after: UserView }> {
    const existing = await this.users.findById(id);
    if (!existing) throw new UserNotFoundError();
    if (id === actor.subject && (request.disabled === true || (request.roles && !request.roles.includes('admin'))))
      throw new SelfLockoutError();
    const change: UserChange = {
      displayName: request.displayName,
      roles: request.roles ? [...new Set(request.roles)] : undefined,
      department: request.department,
      disabled: request.disabled,
    };
    if (request.scopes) {
      const scope = await this.scopes.toStored(request.scopes);
      change.scopeAreaIds = scope.areaIds;
      change.scopeZoneSets = scope.zoneSets;
    }
    const row = await this.withDepartmentChecked(() => this.users.update(id, change));
    if (!row) throw new UserNotFoundError();
    if (row.disabled && !existing.disabled) await this.auth.endSessionsOf('user', id, 'account disabled');
    // Roles, scope and department are read per session; this process reads them again at once.
    this.auth.forgetSubject(id);
    const views = { before: await this.view(existing), after: await this.view(row) };
    AuditTrail.noteChange({ targetType: 'user', targetId: id, ...views });
    return views;
  }

  /** Sets a temporary password; every session of the user ends, and the next sign-in must change it. */
  async resetPassword(id: string, password: string): Promise<UserView> {
    const existing = await this.users.findById(id);
    if (!existing) throw new UserNotFoundError();
    this.assertPassword(password, { username: existing.username, displayName: existing.display_name }, 'password');
    const row = await this.users.setPassword(id, await hash(password), true);
    if (!row) throw new UserNotFoundError();
    await this.auth.endSessionsOf('user', id, 'password reset by an admin');
    const after = await this.view(row);
    AuditTrail.noteChange({ targetType: 'user', targetId: id, before: await this.view(existing), after });
    return after;
  }

  private assertPassword(password: string, account: { username: string; displayName?: string }, path: string): void {
    const problem = passwordProblem(password, account);
    if (problem) throw new ValidationError([{ path, message: problem }], `The password ${problem}.`);
  }

  private async withDepartmentChecked<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      const e = err as { code?: unknown; driverError?: { code?: unknown } };
      if ((e.driverError?.code ?? e.code) === FOREIGN_KEY_VIOLATION) {
        throw new ValidationError([{ path: 'department', message: 'there is no such department (GET /api/departments lists them)' }]);
      }
      throw err;
    }
  }

  private async view(row: UserRow): Promise<UserView> {
    const { scope, views } = await this.scopes.resolve(
      { areaIds: row.scope_area_ids, zoneSets: row.scope_zone_sets },
      row.roles.includes('admin'),
    );
    return {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      roles: row.roles,
      scopes: views,
      cityWide: scope.cityWide,
      department: row.department,
      disabled: row.disabled,
      mustChangePassword: row.must_change_password,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      lastSignInAt: row.last_sign_in_at?.toISOString() ?? null,
    };
  }
}
