// Which page a path shows. The server answers every front-end path with index.html; the page's
// own code is loaded only when its path is opened.
export type Route =
  | { page: 'home' }
  | { page: 'kiosk'; device: string | null }
  | { page: 'display'; device: string | null }
  | { page: 'track'; token: string }
  | { page: 'load' }
  | { page: 'desk'; center: number | null }
  | { page: 'head'; center: number | null }
  | { page: 'map' }
  | { page: 'discipline'; center: number | null }
  | { page: 'cases'; center: number | null }
  | { page: 'case_new'; center: number | null; ticket: number | null }
  | { page: 'case'; center: number | null; id: string }
  | { page: 'case_print'; center: number | null; id: string }
  | { page: 'work'; center: number | null }
  | { page: 'case_track'; token: string }
  | { page: 'not_found' };

// ?center=ID: a positive whole number, or none.
function centerParam(params: URLSearchParams, name = 'center'): number | null {
  const v = params.get(name);
  if (!v || !/^[1-9][0-9]{0,15}$/.test(v)) return null;
  return Number(v);
}

export function matchRoute(pathname: string, search: string): Route {
  const params = new URLSearchParams(search);
  const device = params.get('device');
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { page: 'home' };
  if (path === '/kiosk') return { page: 'kiosk', device: device || null };
  if (path === '/display') return { page: 'display', device: device || null };
  if (path === '/load') return { page: 'load' };
  if (path === '/desk') return { page: 'desk', center: centerParam(params) };
  if (path === '/head') return { page: 'head', center: centerParam(params) };
  if (path === '/map') return { page: 'map' };
  if (path === '/reports/discipline') return { page: 'discipline', center: centerParam(params) };
  if (path === '/cases') return { page: 'cases', center: centerParam(params) };
  if (path === '/cases/new') return { page: 'case_new', center: centerParam(params), ticket: centerParam(params, 'ticket') };
  if (path === '/work') return { page: 'work', center: centerParam(params) };
  const kase = /^\/cases\/([0-9A-Za-z_-]{1,64})(\/print)?$/.exec(path);
  if (kase?.[1]) return { page: kase[2] ? 'case_print' : 'case', center: centerParam(params), id: kase[1] };
  const caseTrack = /^\/c\/([0-9A-Za-z_-]{1,128})$/.exec(path);
  if (caseTrack?.[1]) return { page: 'case_track', token: caseTrack[1] };
  const track = /^\/t\/([^/]{1,256})$/.exec(path);
  if (track?.[1]) {
    try {
      return { page: 'track', token: decodeURIComponent(track[1]) };
    } catch {
      return { page: 'not_found' }; // a broken %-escape
    }
  }
  return { page: 'not_found' };
}
