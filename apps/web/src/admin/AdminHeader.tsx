import type { SessionUser } from '@cityops/contracts';
import { useI18n } from '../i18n';
import { PageHeader } from '../PageHeader';

export function AdminHeader({ user }: { user: SessionUser | null }) {
  const { t } = useI18n();
  return (
    <PageHeader
      className="admin-header"
      title={t('adminTitle')}
      subtitle={t('adminSubtitle')}
      link={{ href: '/catalog', label: t('catalogTitle') }}
      user={user}
    />
  );
}
