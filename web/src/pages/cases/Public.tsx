// /c/{token}: the applicant's own page (the link on the document receipt): every stage with its
// date, what is needed from them, the deadline, where and from when to collect the result. No
// sign-in; the applicant is named by initials only.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { casesApi, type PublicCase } from '../../api/cases';
import { Header } from '../../components/Header';
import { isMessageKey, useI18n, type MessageKey } from '../../i18n';
import { useTitle } from '../../lib/title';
import { statusText } from './parts';
import { formatDate } from './state';
import './cases.css';

type Load = { kind: 'loading' } | { kind: 'not_found' } | { kind: 'offline' } | { kind: 'ready'; c: PublicCase };

export default function PublicCasePage({ token }: { token: string }) {
  const { lang, t } = useI18n();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  useTitle(load.kind === 'ready' ? t('cases.title.public', { number: load.c.number }) : t('track_case.lead'));
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const c = await casesApi.track(token);
        if (!stopped) setLoad({ kind: 'ready', c });
      } catch (e) {
        if (stopped) return;
        if (e instanceof ApiError && e.status === 404) return setLoad({ kind: 'not_found' });
        setLoad((l) => (l.kind === 'ready' ? l : { kind: 'offline' }));
      }
      // The page follows the case while it is open (a minute apart: it changes over days).
      if (!stopped) timer = setTimeout(read, 60_000);
    };
    void read();
    const again = () => document.visibilityState === 'visible' && void read();
    document.addEventListener('visibilitychange', again);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', again);
    };
  }, [token]);

  let body;
  if (load.kind === 'loading') body = <p role="status">{t('common.loading')}</p>;
  else if (load.kind === 'not_found') body = <p role="alert">{t('track_case.not_found')}</p>;
  else if (load.kind === 'offline') body = <p role="alert">{t('common.offline')}</p>;
  else {
    const c = load.c;
    body = (
      <>
        <p class="muted">{t('track_case.lead')}</p>
        <h1 class="public-number" data-testid="public-number">{c.number}</h1>
        <p class="public-service">{c.service_title}</p>
        <p class="public-status">
          <span class={`case-status case-status--${c.status}`} data-testid="public-status">{statusText(lang, c)}</span>
        </p>
        {c.needed_from_applicant && (
          <section class="public-needed" aria-labelledby="needed-title">
            <h2 id="needed-title">{t('track_case.needed')}</h2>
            <p data-testid="public-needed">{c.needed_from_applicant}</p>
          </section>
        )}
        {c.pickup && (
          <section class="public-pickup" aria-labelledby="pickup-title" data-testid="public-pickup">
            <h2 id="pickup-title">{t('track_case.pickup')}</h2>
            <p><strong>{c.pickup.center_name}</strong><br />{c.pickup.address}</p>
            <p>
              {[c.pickup.from && t('track_case.pickup_from', { date: formatDate(c.pickup.from) }), c.pickup.until && t('track_case.pickup_until', { date: formatDate(c.pickup.until) })]
                .filter(Boolean)
                .join(', ')}
            </p>
            {c.pickup.phone && (
              <p>
                {t('cases.phone')}: <a href={`tel:${c.pickup.phone.replace(/[^+\d]/g, '')}`}>{c.pickup.phone}</a>
              </p>
            )}
            {c.pickup.hours && (
              <p>
                {t('track_case.hours')}: {c.pickup.hours}
              </p>
            )}
          </section>
        )}
        <dl class="facts facts--single">
          <div><dt>{t('cases.provider')}</dt><dd>{c.provider_name}</dd></div>
          <div><dt>{t('track_case.applicant')}</dt><dd>{c.applicant_initials}</dd></div>
          <div><dt>{t('cases.registered_on')}</dt><dd>{formatDate(c.registered_on)}</dd></div>
          <div>
            <dt>{t('cases.due_on')}</dt>
            <dd>
              {formatDate(c.due_on)}
              {c.due_state === 'overdue' && (
                <>
                  {' · '}
                  <span class="due due--overdue">{t('track_case.overdue')}</span>
                </>
              )}
            </dd>
          </div>
        </dl>
        <section aria-labelledby="stages-title">
          <h2 id="stages-title">{t('cases.stages')}</h2>
          <ol class="stages" data-testid="public-stages">
            {c.stages.map((s, i) => (
              <li key={i} class={s.finished_on ? 'stage stage--done' : 'stage'}>
                <strong>{s.name}</strong>
                <br />
                {s.finished_on ? `✓ ${t('track_case.stage_done', { date: formatDate(s.finished_on) })}` : t('track_case.stage_planned', { date: formatDate(s.planned_on) })}
              </li>
            ))}
          </ol>
        </section>
        {c.history.length > 0 && (
          <section aria-labelledby="history-title">
            <h2 id="history-title">{t('track_case.history')}</h2>
            <ol class="public-history" data-testid="public-history">
              {c.history.map((h, i) => (
                <li key={i}>
                  <span class="public-history__date">{formatDate(h.on_date)}</span> {lang === 'en' ? (h.text_en ?? (isMessageKey(`move.${h.kind}`) ? t(`move.${h.kind}` as MessageKey) : h.text_uk)) : h.text_uk}
                  {h.stage && `: ${h.stage}`}
                  {h.new_deadline && ` (${t('cases.history.new_deadline', { date: formatDate(h.new_deadline) })})`}
                </li>
              ))}
            </ol>
          </section>
        )}
      </>
    );
  }
  return (
    <>
      <Header />
      <main class="page public-case">{body}</main>
    </>
  );
}
