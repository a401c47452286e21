import { useMemo, useState } from 'react';
import type { SessionUser } from '@cityops/contracts';
import { fetchCaseCategories, fetchOpenCases } from '../api/grid-worker-api';
import { logout } from '../auth/session';
import { useResource } from '../catalog/useResource';
import { useI18n } from '../i18n';
import { LangSwitch } from '../LangSwitch';
import { CaseList } from './CaseList';
import { CaseScreen } from './CaseScreen';
import { ReportForm } from './ReportForm';
import { orderForWorker } from './worker-cases';

type Tab = 'report' | 'cases';

/**
 * `/m`: the grid worker's phone page. Two tabs (report a problem; my open cases, those waiting for
 * the check on site first); a case opens over the list with what the worker may do to it.
 */
export function GridWorkerPage({ user }: { user: SessionUser }) {
  const { t, lang } = useI18n();
  const [tab, setTab] = useState<Tab>('report');
  const [openCode, setOpenCode] = useState<string | null>(null);
  const categories = useResource('case-categories', fetchCaseCategories);
  const cases = useResource('open-cases', fetchOpenCases);
  const ordered = useMemo(() => orderForWorker(cases.data?.items ?? []), [cases.data]);
  const { reload: reloadCases } = cases;

  const openCase = (code: string) => {
    setOpenCode(code);
    setTab('cases');
    window.scrollTo(0, 0);
  };
  const closeCase = () => {
    setOpenCode(null);
    reloadCases();
  };

  return (
    <div className="m-page" data-lang={lang} data-testid="m-page">
      <header className="m-header">
        <div className="m-titles">
          <h1 className="m-title">{t('mTitle')}</h1>
          <span className="m-user" data-testid="signed-in-user">
            {user.displayName}
          </span>
        </div>
        <div className="m-header-side">
          <button type="button" className="m-quiet" onClick={() => void logout()} data-testid="sign-out">
            {t('signOut')}
          </button>
          <LangSwitch />
        </div>
      </header>
      <nav className="m-tabs" aria-label={t('mTitle')}>
        <button
          type="button"
          className={`m-tab${tab === 'report' ? ' m-tab--on' : ''}`}
          aria-pressed={tab === 'report'}
          onClick={() => setTab('report')}
          data-testid="m-tab-report"
        >
          {t('mTabReport')}
        </button>
        <button
          type="button"
          className={`m-tab${tab === 'cases' ? ' m-tab--on' : ''}`}
          aria-pressed={tab === 'cases'}
          onClick={() => {
            setTab('cases');
            setOpenCode(null);
            reloadCases();
          }}
          data-testid="m-tab-cases"
        >
          {cases.data ? t('mTabCasesCount', { n: cases.data.items.length }) : t('mTabCases')}
        </button>
      </nav>
      <main className="m-main">
        {/* The report stays mounted behind the other tab: its photos and uploads go on meanwhile. */}
        <div hidden={tab !== 'report'}>
          <ReportForm user={user} categories={categories} onOpenCase={openCase} onFiled={reloadCases} />
        </div>
        {tab === 'cases' ? (
          openCode ? (
            <CaseScreen key={openCode} code={openCode} user={user} onBack={closeCase} />
          ) : (
            <CaseList cases={ordered} resource={cases} onOpen={openCase} />
          )
        ) : null}
      </main>
    </div>
  );
}
