import { SetMetadata } from '@nestjs/common';
import type { Role } from '@cityops/contracts';

export const IS_PUBLIC = 'cityops:public';
export const REQUIRED_ROLES = 'cityops:roles';

/** Deliberately reachable without a token (health, login). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles (or admin) may call the handler. */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);
