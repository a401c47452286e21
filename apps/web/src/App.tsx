import { lazy, Suspense, useEffect } from 'react';
import { useI18n } from './i18n';
import { HomePage, NotBuiltPage, NotFoundPage } from './pages';

// The wall (MapLibre, ECharts, socket.io) is its own chunk: the other pages do not load it.
const WallRoute = lazy(() => import('./wall/WallRoute').then((m) => ({ default: m.WallRoute })));
const CatalogRoute = lazy(() => import('./catalog/CatalogRoute').then((m) => ({ default: m.CatalogRoute })));

/** Planned screens that other work will build; until then they say so. */
const NOT_BUILT = ['/map', '/cases', '/admin', '/m'];

/**
 * Client-side routes (the API serves index.html for every non-API path). Each screen is a
 * full page load, so a pathname switch is all the routing needed.
 */
export function App() {
  const { t } = useI18n();
  const path = window.location.pathname.replace(/\/+$/, '') || '/';
  useEffect(() => {
    document.title = path === '/catalog' ? `${t('catalogTitle')} · ${t('appTitle')}` : t('appTitle');
  }, [t, path]);
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
  if (NOT_BUILT.some((p) => path === p || path.startsWith(`${p}/`))) return <NotBuiltPage />;
  return <NotFoundPage />;
}
