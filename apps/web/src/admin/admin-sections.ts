import type { SessionUser } from '@cityops/contracts';
import type { MessageKey } from '../i18n';

/** The sections of `/admin`, each at its own path (`/admin/users`, …) so that it can be linked and reloaded. */
export const ADMIN_SECTIONS = ['users', 'displays', 'feed-keys', 'indicators', 'scenes', 'webhooks', 'audit'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

export const SECTION_TITLES: Record<AdminSection, MessageKey> = {
  users: 'adminUsers',
  displays: 'adminDisplays',
  'feed-keys': 'adminFeedKeys',
  indicators: 'adminIndicators',
  scenes: 'adminScenes',
  webhooks: 'adminWebhooks',
  audit: 'adminAudit',
};

/** `/admin` opens the users; an unknown section is null (the page says so). */
export function sectionOfPath(pathname: string): AdminSection | null {
  const rest = pathname.replace(/\/+$/, '').replace(/^\/admin/, '');
  if (rest === '') return 'users';
  const name = rest.replace(/^\//, '');
  return (ADMIN_SECTIONS as readonly string[]).includes(name) ? (name as AdminSection) : null;
}

export function pathOfSection(section: AdminSection): string {
  return `/admin/${section}`;
}

/** Admin pages are for people with the admin role; never for a display device or a feed key. */
export function isAdmin(user: SessionUser | null): boolean {
  return !!user && user.kind === 'user' && user.roles.includes('admin');
}
