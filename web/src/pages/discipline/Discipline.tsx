// /reports/discipline (?center=ID): the executive discipline report of a center (звіт про стан
// виконавської дисципліни) as of a date: per provider, expandable to its services, the cases in
// work, due within N working days, overdue (marked) and by how many days, finished this month on
// time and late, and the share finished late. A count opens the register of the cases behind it;
// the same report downloads as CSV and XLSX. Read from GET /centers/{id}/reports/discipline.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, request } from '../../api/client';
import { StaffGate, type ReadySession } from '../../components/StaffGate';
import { useI18n } from '../../i18n';
import { useTitle } from '../../lib/title';
import {
  allOpen,
  checkInputs,
  defaultAsOf,
  DEFAULT_WITHIN,
  downloadUrl,
  drillDownHref,
  finished,
  formatShare,
  isOverdue,
  kyivToday,
  MAX_WITHIN,
  reportPath,
  toggled,
  type CountKind,
  type DisciplineCounts,
  type DisciplineReport,
} from './state';
import './discipline.css';

export default function DisciplinePage({ center }: { center: number | null }) {
  const { t } = useI18n();
  useTitle(t('discipline.title'));
  return (
    <StaffGate center={center} path="/reports/discipline">
      {(session, expire) => <ReportView key={session.centerId} session={session} expire={expire} />}
    </StaffGate>
  );
}

function ReportView({ session, expire }: { session: ReadySession; expire: () => void }) {
  const { lang, t } = useI18n();
  const { centerId } = session;
  const [asOf, setAsOf] = useState(() => defaultAsOf(kyivToday()));
  const [within, setWithin] = useState(String(DEFAULT_WITHIN));
  const [report, setReport] = useState<DisciplineReport | null>(null);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const [state, setState] = useState<'loading' | 'ready' | 'offline' | 'forbidden'>('loading');
  const check = checkInputs(asOf, within);

  const load = useCallback(
    async (day: string, n: number) => {
      setState('loading');
      try {
        const r = await request<DisciplineReport>(reportPath(centerId, day, n));
        setReport(r);
        setState('ready');
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) expire();
        else if (e instanceof ApiError && (e.status === 403 || e.status === 404)) setState('forbidden');
        else setState('offline');
      }
    },
    [centerId, expire],
  );

  useEffect(() => {
    void load(defaultAsOf(kyivToday()), DEFAULT_WITHIN);
  }, [load]);

  const submit = (e: Event) => {
    e.preventDefault();
    if (check.ok) void load(check.asOf, check.within);
  };

  if (state === 'forbidden') {
    return (
      <main class="page">
        <p role="alert">{t('signin.forbidden')}</p>
      </main>
    );
  }

  const Count = ({ value, kind, provider, service }: { value: number; kind: CountKind; provider: number; service: number | null }) =>
    value > 0 && report ? (
      <a href={drillDownHref(centerId, provider, service, kind, report.as_of)} data-kind={kind}>
        {value}
      </a>
    ) : (
      <>{value}</>
    );

  const cells = (c: DisciplineCounts, provider: number | null, service: number | null) => (
    <>
      <td class="num">{provider === null ? c.in_work : <Count value={c.in_work} kind="in_work" provider={provider} service={service} />}</td>
      <td class="num">{provider === null ? c.due_soon : <Count value={c.due_soon} kind="due_soon" provider={provider} service={service} />}</td>
      <td class={`num${isOverdue(c) ? ' discipline-overdue' : ''}`}>
        {isOverdue(c) && <span class="visually-hidden">{t('discipline.overdue_mark')} </span>}
        {provider === null ? c.overdue : <Count value={c.overdue} kind="overdue" provider={provider} service={service} />}
      </td>
      <td class="num">{c.overdue_days_max}</td>
      <td class="num">{c.finished_on_time}</td>
      <td class="num">{c.finished_late}</td>
      <td class="num">{finished(c) === 0 ? '—' : formatShare(lang, c.late_share)}</td>
    </>
  );

  return (
    <main class="page page--wide discipline">
      <h1>{t('discipline.title')}</h1>
      <form class="discipline-form" onSubmit={submit} noValidate>
        <label>
          {t('discipline.as_of')}
          <input
            type="date"
            value={asOf}
            aria-invalid={!check.ok && check.field === 'as_of'}
            onInput={(e) => setAsOf((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          {t('discipline.within')}
          <input
            type="number"
            min={0}
            max={MAX_WITHIN}
            value={within}
            aria-invalid={!check.ok && check.field === 'within'}
            onInput={(e) => setWithin((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" class="button" disabled={!check.ok}>
          {t('discipline.show')}
        </button>
        {!check.ok && (
          <p class="discipline-error" role="alert">
            {t(check.error, { max: MAX_WITHIN })}
          </p>
        )}
      </form>
      {state === 'offline' && <p role="alert">{t('common.offline')}</p>}
      {state === 'loading' && <p role="status">{t('common.loading')}</p>}
      {report && (
        <>
          <p class="discipline-period">
            {t('discipline.period', { as_of: report.as_of, from: report.month_from, within: report.within })}{' '}
            <a href={downloadUrl(centerId, report.as_of, report.within, 'csv')} download>
              {t('discipline.download_csv')}
            </a>{' '}
            <a href={downloadUrl(centerId, report.as_of, report.within, 'xlsx')} download>
              {t('discipline.download_xlsx')}
            </a>
          </p>
          <p class="discipline-share" data-testid="discipline-share">
            {t('discipline.late_share_total', {
              share: finished(report.total) === 0 ? '—' : formatShare(lang, report.total.late_share),
            })}
          </p>
          {report.providers.length === 0 ? (
            <p>{t('discipline.empty')}</p>
          ) : (
            <>
              <button type="button" class="button button--quiet" onClick={() => setOpen(allOpen(report))}>
                {t('discipline.expand_all')}
              </button>
              <div class="discipline-scroll" tabIndex={0} role="region" aria-label={t('discipline.title')}>
              <table class="discipline-table">
                <thead>
                  <tr>
                    <th scope="col">{t('discipline.col.provider')}</th>
                    <th scope="col">{t('discipline.col.in_work')}</th>
                    <th scope="col">{t('discipline.col.due_soon', { n: report.within })}</th>
                    <th scope="col">{t('discipline.col.overdue')}</th>
                    <th scope="col">{t('discipline.col.overdue_days_max')}</th>
                    <th scope="col">{t('discipline.col.on_time')}</th>
                    <th scope="col">{t('discipline.col.late')}</th>
                    <th scope="col">{t('discipline.col.late_share')}</th>
                  </tr>
                </thead>
                {report.providers.map((p) => (
                  <tbody key={p.provider_id}>
                    <tr class={`discipline-provider${isOverdue(p) ? ' discipline-row--overdue' : ''}`}>
                      <th scope="row">
                        <button
                          type="button"
                          class="discipline-toggle"
                          aria-expanded={open.has(p.provider_id)}
                          onClick={() => setOpen(toggled(open, p.provider_id))}
                        >
                          <span aria-hidden="true">{open.has(p.provider_id) ? '▾' : '▸'} </span>
                          {p.provider_name}
                        </button>
                      </th>
                      {cells(p, p.provider_id, null)}
                    </tr>
                    {open.has(p.provider_id) &&
                      p.services.map((s) => (
                        <tr key={s.service_id} class={`discipline-service${isOverdue(s) ? ' discipline-row--overdue' : ''}`}>
                          <th scope="row">{s.service_title}</th>
                          {cells(s, p.provider_id, s.service_id)}
                        </tr>
                      ))}
                  </tbody>
                ))}
                <tfoot>
                  <tr class="discipline-total">
                    <th scope="row">{t('discipline.total')}</th>
                    {cells(report.total, null, null)}
                  </tr>
                </tfoot>
              </table>
              </div>
            </>
          )}
        </>
      )}
    </main>
  );
}
