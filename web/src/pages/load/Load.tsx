// /load: how busy each center is now (завантаженість): per service group, how many wait and the
// expected wait of a ticket taken now. Refreshed every 30 seconds.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { CenterLoad } from '../../api/types';
import { Header } from '../../components/Header';
import { LinkStatus } from '../../components/LinkStatus';
import { useI18n } from '../../i18n';
import { formatPeople, formatTime, localName } from '../../lib/format';
import { groupOutlook, loadWaitCell } from '../../lib/group-load';
import { useTitle } from '../../lib/title';
import './load.css';

export const REFRESH_MS = 30_000;

export default function Load() {
  const { lang, t } = useI18n();
  const [centers, setCenters] = useState<CenterLoad[] | null>(null);
  const [at, setAt] = useState<Date | null>(null);
  const [offline, setOffline] = useState(false);
  useTitle(t('load.title'));

  useEffect(() => {
    let stopped = false;
    const read = async () => {
      try {
        const r = await api.loadAll();
        if (stopped) return;
        setCenters(r.centers);
        setAt(new Date());
        setOffline(false);
      } catch {
        if (!stopped) setOffline(true); // the last figures stay on the page
      }
    };
    void read();
    const id = setInterval(() => void read(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(id);
    };
  }, []);

  return (
    <>
      <Header />
      <LinkStatus state={offline ? 'offline' : null} />
      <main class="page load">
        <h1>{t('load.title')}</h1>
        {at && <p class="load-updated">{t('common.updated_at', { time: formatTime(lang, at) })}</p>}
        {centers === null && !offline && <p role="status">{t('common.loading')}</p>}
        {centers !== null && centers.length === 0 && <p>{t('load.no_centers')}</p>}
        {centers?.map((c) => (
          <section class="load-center" key={c.center_id} aria-labelledby={`center-${c.center_id}`}>
            <h2 id={`center-${c.center_id}`}>{localName(lang, c)}</h2>
            <p class="load-total">{t('load.center_waiting', { people: formatPeople(lang, c.waiting) })}</p>
            {c.groups.length > 0 && (
              <table class="load-table">
                <thead>
                  <tr>
                    <th scope="col">{t('load.group')}</th>
                    <th scope="col" class="num">
                      {t('load.waiting')}
                    </th>
                    <th scope="col" class="num">
                      {t('load.expected_wait')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {c.groups.map((g) => (
                    <tr key={g.group_id}>
                      <th scope="row">
                        <span class="load-letter" aria-hidden="true">
                          {g.letter}
                        </span>{' '}
                        {localName(lang, g)}
                      </th>
                      <td class="num">{g.waiting}</td>
                      <td class={groupOutlook(g).kind === 'nobody_serving' ? 'num load-nobody' : 'num'}>{loadWaitCell(lang, g)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        ))}
      </main>
    </>
  );
}
