// The entry: picks the page by the path and loads only that page's code.
import { render, type ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { matchRoute, type Route } from './router';
import { useI18n } from './i18n';
import { rememberDevice } from './lib/device';
import './styles/base.css';

type Page = ComponentType<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const loaders: Record<Route['page'], () => Promise<{ default: Page }>> = {
  home: () => import('./pages/Home'),
  kiosk: () => import('./pages/kiosk/Kiosk'),
  display: () => import('./pages/display/Display'),
  track: () => import('./pages/track/Track'),
  load: () => import('./pages/load/Load'),
  desk: () => import('./pages/desk/Desk'),
  head: () => import('./pages/head/Head'),
  map: () => import('./pages/map/Map'),
  discipline: () => import('./pages/discipline/Discipline'),
  cases: () => import('./pages/cases/Register'),
  case_new: () => import('./pages/cases/New'),
  case: () => import('./pages/cases/CasePage'),
  case_print: () => import('./pages/cases/Print'),
  work: () => import('./pages/cases/Work'),
  case_track: () => import('./pages/cases/Public'),
  not_found: () => import('./pages/NotFound'),
};

function App({ route }: { route: Route }) {
  const [page, setPage] = useState<Page | null>(null);
  const [failed, setFailed] = useState(false);
  const { t } = useI18n();
  useEffect(() => {
    loaders[route.page]()
      .then((m) => setPage(() => m.default))
      .catch(() => setFailed(true));
  }, [route.page]);
  if (failed) {
    return (
      <p class="page" role="alert">
        {t('common.offline')}
      </p>
    );
  }
  if (!page) return null;
  const Component = page;
  return <Component {...route} />;
}

let route = matchRoute(location.pathname, location.search);
if (route.page === 'kiosk' || route.page === 'display') {
  route = { ...route, device: rememberDevice(route.page, route.device) };
}
render(<App route={route} />, document.getElementById('app')!);
