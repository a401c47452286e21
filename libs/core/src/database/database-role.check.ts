import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

/** What to say about the role a process connects as, or null when it is an ordinary role. */
export function superuserProblem(role: string, rights: { superuser: boolean; createRole: boolean }): string | null {
  if (!rights.superuser && !rights.createRole) return null;
  return (
    `DATABASE_URL connects as ${role}, ${rights.superuser ? 'a superuser' : 'a role with CREATEROLE'}: the application needs an ordinary ` +
    'role of its own (the set-up, cli.js migrate, creates one: see DATABASE_URL and DATABASE_ADMIN_URL in .env.example), ' +
    'and the audit trail is append-only only for such a role.'
  );
}

/**
 * At start-up, the role the process connects as: production refuses a superuser (or a role that
 * can make roles), other environments say so in the log.
 */
@Injectable()
export class DatabaseRoleCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger(DatabaseRoleCheck.name);

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const rows: { role: string; superuser: boolean; create_role: boolean }[] = await this.db.query(
      `SELECT rolname AS role, rolsuper AS superuser, rolcreaterole AS create_role FROM pg_roles WHERE rolname = current_user`,
    );
    const problem = superuserProblem(rows[0].role, { superuser: rows[0].superuser, createRole: rows[0].create_role });
    if (!problem) return;
    if (this.config.env === 'production') throw new Error(`${problem} NODE_ENV=production refuses to run so.`);
    this.logger.warn(problem);
  }
}
