import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from '@cityops/contracts';

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  roles: Role[];
  disabled: boolean;
  department: string | null;
  scope_area_ids: number[];
  scope_zone_sets: string[];
  must_change_password: boolean;
  created_at: Date;
  updated_at: Date;
  last_sign_in_at: Date | null;
}

export interface UserFilter {
  q?: string;
  role?: Role;
  department?: string;
  /** Users whose scope holds one of these areas (the area and its ancestors). */
  areaIds?: number[];
  disabled?: boolean;
  limit: number;
}

export interface NewUser {
  username: string;
  displayName: string;
  passwordHash: string;
  roles: Role[];
  department: string | null;
  scopeAreaIds: number[];
  scopeZoneSets: string[];
  mustChangePassword: boolean;
}

export interface UserChange {
  displayName?: string;
  roles?: Role[];
  department?: string | null;
  scopeAreaIds?: number[];
  scopeZoneSets?: string[];
  disabled?: boolean;
}

const COLUMNS = `id, username, display_name, password_hash, roles, disabled, department, scope_area_ids, scope_zone_sets,
  must_change_password, created_at, updated_at, last_sign_in_at`;

@Injectable()
export class UserRepository {
  constructor(private readonly db: DataSource) {}

  async findByUsername(username: string): Promise<UserRow | null> {
    const rows: UserRow[] = await this.db.query(`SELECT ${COLUMNS} FROM app_user WHERE username = $1`, [username]);
    return rows[0] ?? null;
  }

  async findById(id: string): Promise<UserRow | null> {
    const rows: UserRow[] = await this.db.query(`SELECT ${COLUMNS} FROM app_user WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async list(filter: UserFilter): Promise<UserRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM app_user
        WHERE ($1::text IS NULL OR username ILIKE '%' || $1 || '%' OR display_name ILIKE '%' || $1 || '%')
          AND ($2::text IS NULL OR $2 = ANY (roles))
          AND ($3::text IS NULL OR department = $3)
          AND ($4::int[] IS NULL OR scope_area_ids && $4)
          AND ($5::boolean IS NULL OR disabled = $5)
        ORDER BY username LIMIT $6`,
      [
        filter.q?.replace(/[\\%_]/g, (c) => `\\${c}`) ?? null,
        filter.role ?? null,
        filter.department ?? null,
        filter.areaIds ?? null,
        filter.disabled ?? null,
        filter.limit,
      ],
    );
  }

  /** Null when the user name is taken. */
  async insert(user: NewUser): Promise<UserRow | null> {
    const rows: UserRow[] = await this.db.query(
      `INSERT INTO app_user (username, display_name, password_hash, roles, department, scope_area_ids, scope_zone_sets, must_change_password)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (username) DO NOTHING RETURNING ${COLUMNS}`,
      [
        user.username,
        user.displayName,
        user.passwordHash,
        user.roles,
        user.department,
        user.scopeAreaIds,
        user.scopeZoneSets,
        user.mustChangePassword,
      ],
    );
    return rows[0] ?? null;
  }

  /** Applies the change; null when there is no such user. */
  async update(id: string, change: UserChange): Promise<UserRow | null> {
    const rows: UserRow[] = await this.db.query(
      `WITH changed AS (
         UPDATE app_user SET
           display_name = coalesce($2, display_name),
           roles = coalesce($3, roles),
           department = CASE WHEN $4 THEN $5 ELSE department END,
           scope_area_ids = coalesce($6, scope_area_ids),
           scope_zone_sets = coalesce($7, scope_zone_sets),
           disabled = coalesce($8, disabled),
           updated_at = now()
         WHERE id = $1 RETURNING ${COLUMNS})
       SELECT * FROM changed`,
      [
        id,
        change.displayName ?? null,
        change.roles ?? null,
        change.department !== undefined,
        change.department ?? null,
        change.scopeAreaIds ?? null,
        change.scopeZoneSets ?? null,
        change.disabled ?? null,
      ],
    );
    return rows[0] ?? null;
  }

  async setPassword(id: string, passwordHash: string, mustChange: boolean): Promise<UserRow | null> {
    const rows: UserRow[] = await this.db.query(
      `WITH changed AS (
         UPDATE app_user SET password_hash = $2, must_change_password = $3, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS})
       SELECT * FROM changed`,
      [id, passwordHash, mustChange],
    );
    return rows[0] ?? null;
  }

  async noteSignIn(id: string): Promise<void> {
    await this.db.query(`UPDATE app_user SET last_sign_in_at = now() WHERE id = $1`, [id]);
  }

  /** Start-up: creates the user unless the name exists (an existing user's password is never reset here). */
  async insertIfMissing(user: NewUser): Promise<boolean> {
    return (await this.insert(user)) !== null;
  }
}
