import { lazy, Suspense, useEffect } from 'react';
import { ChangePasswordForm } from './auth/ChangePasswordForm';
import { useSession } from './auth/session';
import { useI18n } from './i18n';
import { HomePage, NotBuiltPage, NotFoundPage } from './pages';

// The wall (MapLibre, ECharts, socket.io) is its own chunk: the other pages do not load it.
const WallRoute = lazy(() => import('./wall/WallRoute').then((m) => ({ default: m.WallRoute })));
const CatalogRoute = lazy(() => import('./catalog/CatalogRoute').then((m) => ({ default: m.CatalogRoute })));
const AdminRoute = lazy(() => import('./admin/AdminRoute').then((m) => ({ default: m.AdminRoute })));
const MapRoute = lazy(() => import('./analyst/MapRoute').then((m) => ({ default: m.MapRoute })));
const CasesRoute = lazy(() => import('./cases/CasesRoute').then((m) => ({ default: m.CasesRoute })));
const SilencesRoute = lazy(() => import('./silences/SilencesRoute').then((m) => ({ default: m.SilencesRoute })));
const GridWorkerRoute = lazy(() => import('./mobile/GridWorkerRoute').then((m) => ({ default: m.GridWorkerRoute })));
const CitizenRoute = lazy(() => import('./citizen/CitizenRoute').then((m) => ({ default: m.CitizenRoute })));

/** Planned screens that other work will build; until then they say so. */
const NOT_BUILT: readonly string[] = [];

const under = (path: string, root: string) => path === root || path.startsWith(`${root}/`);
/** `/report?grid=<code>` (a grid's QR code) and `/r/<token>` (following a report). */
const isCitizenPage = (path: string) => path === '/report' || /^\/r\/[^/]+$/.test(path);

/**
 * Client-side routes (the API serves index.html for every non-API path). Each screen is a
 * full page load, so a pathname switch is all the routing needed.
 */
export function App() {
  const { t } = useI18n();
  const session = useSession();
  const path = window.location.pathname.replace(/\/+$/, '') || '/';
  useEffect(() => {
    if (path === '/catalog') document.title = `${t('catalogTitle')} · ${t('appTitle')}`;
    // The admin pages, the silences, the cases, the map, the phone page and the citizen's pages name their page in the title themselves.
    else if (
      !under(path, '/admin') &&
      !under(path, '/cases') &&
      path !== '/silences' &&
      path !== '/map' &&
      path !== '/m' &&
      !isCitizenPage(path)
    )
      document.title = t('appTitle');
  }, [t, path]);
  // Until a person replaces the password an admin set, the server answers nothing else: every page waits for it.
  if (session.status === 'signed-in' && session.user?.mustChangePassword) return <ChangePasswordForm user={session.user} />;
  if (path === '/') return <HomePage />;
  if (path === '/wall') {
    return (
      <Suspense fallback={null}>
        <WallRoute />
      </Suspense>
    );
  }
  if (path === '/catalog') {
    return (
      <Suspense fallback={null}>
        <CatalogRoute />
      </Suspense>
    );
  }
  if (path === '/map') {
    return (
      <Suspense fallback={null}>
        <MapRoute />
      </Suspense>
    );
  }
  if (path === '/silences') {
    return (
      <Suspense fallback={null}>
        <SilencesRoute />
      </Suspense>
    );
  }
  // The citizen's pages need no account: before any sign-in (a staff session on the same phone changes nothing).
  if (isCitizenPage(path)) {
    return (
      <Suspense fallback={null}>
        <CitizenRoute path={path} />
      </Suspense>
    );
  }
  if (under(path, '/cases')) {
    return (
      <Suspense fallback={null}>
        <CasesRoute />
      </Suspense>
    );
  }
  if (path === '/m') {
    return (
      <Suspense fallback={null}>
        <GridWorkerRoute />
      </Suspense>
    );
  }
  if (under(path, '/admin')) {
    return (
      <Suspense fallback={null}>
        <AdminRoute />
      </Suspense>
    );
  }
  if (NOT_BUILT.some((p) => under(path, p))) return <NotBuiltPage />;
  return <NotFoundPage />;
}
