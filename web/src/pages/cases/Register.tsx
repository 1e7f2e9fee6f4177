// /cases?center=ID: the center's register of applications: search by number or phone, filters
// (status, provider, due soon, overdue), a table with the due marks; a row opens its case.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { CASE_STATUSES, casesApi, type Case, type ListFilters, type Provider } from '../../api/cases';
import { StaffGate, type ReadySession } from '../../components/StaffGate';
import { useI18n, type MessageKey } from '../../i18n';
import { localName } from '../../lib/format';
import { useTitle } from '../../lib/title';
import { DueBadge, StatusBadge } from './parts';
import { caseErrorKey, formatDate, splitSearch } from './state';
import './cases.css';

const PAGE = 50;

export default function RegisterPage({ center }: { center: number | null }) {
  const { t } = useI18n();
  useTitle(t('cases.title.register'));
  return (
    <StaffGate center={center} path="/cases">
      {(session, expire) => <CaseRegister key={session.centerId} session={session} expire={expire} />}
    </StaffGate>
  );
}

function CaseRegister({ session, expire }: { session: ReadySession; expire: () => void }) {
  const { lang, t } = useI18n();
  const { centerId } = session;
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('');
  const [provider, setProvider] = useState('');
  const [due, setDue] = useState<'' | 'soon' | 'overdue'>('');
  const [providers, setProviders] = useState<Provider[]>([]);
  const [cases, setCases] = useState<Case[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<MessageKey | null>(null);
  const [applied, setApplied] = useState<ListFilters>({ limit: PAGE });

  useEffect(() => {
    casesApi
      .providers()
      .then((r) => setProviders(r.providers))
      .catch(() => undefined);
  }, []);

  const load = useCallback(
    async (filters: ListFilters, more: boolean) => {
      try {
        const r = await casesApi.list(centerId, filters);
        setCases((old) => (more && old ? [...old, ...r.cases] : r.cases));
        setTotal(r.total);
        setError(null);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) expire();
        else setError(caseErrorKey(e));
      }
    },
    [centerId, expire],
  );
  useEffect(() => void load(applied, false), [applied, load]);

  const apply = (e?: Event) => {
    e?.preventDefault();
    setApplied({ ...splitSearch(search), status, provider_id: provider ? Number(provider) : null, due, limit: PAGE });
  };
  const reset = () => {
    setSearch('');
    setStatus('');
    setProvider('');
    setDue('');
    setApplied({ limit: PAGE });
  };
  const open = (c: Case) => location.assign(`/cases/${encodeURIComponent(c.id)}?center=${centerId}`);

  return (
    <main class="page page--wide cases-page">
      <div class="cases-top">
        <h1>{t('cases.title.register')}</h1>
        <nav class="cases-nav" aria-label={t('cases.nav')}>
          <a class="button button--primary" href={`/cases/new?center=${centerId}`}>
            {t('cases.register_without_ticket')}
          </a>
          <a href={`/desk?center=${centerId}`}>{t('cases.to_desk')}</a>
        </nav>
      </div>
      <form class="filters" onSubmit={apply} role="search">
        <div class="field field--wide">
          <label for="f-search">{t('cases.filter.search')}</label>
          <input id="f-search" type="search" autocomplete="off" maxLength={40} value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} data-testid="cases-search" />
        </div>
        <div class="field">
          <label for="f-status">{t('cases.filter.status')}</label>
          <select id="f-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
            <option value="">{t('cases.filter.any')}</option>
            {CASE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-provider">{t('cases.filter.provider')}</label>
          <select id="f-provider" value={provider} onChange={(e) => setProvider((e.target as HTMLSelectElement).value)}>
            <option value="">{t('cases.filter.any')}</option>
            {providers.map((p) => (
              <option key={p.id} value={String(p.id)}>
                {localName(lang, p)}
              </option>
            ))}
          </select>
        </div>
        <fieldset class="field due-filter">
          <legend>{t('cases.filter.due')}</legend>
          {(['', 'soon', 'overdue'] as const).map((d) => (
            <label key={d} class="choice">
              <input type="radio" name="due" checked={due === d} onChange={() => setDue(d)} />
              {d === '' ? t('cases.filter.any') : d === 'soon' ? t('cases.filter.due_soon') : t('cases.filter.overdue')}
            </label>
          ))}
        </fieldset>
        <div class="filters__buttons">
          <button type="submit" class="button button--primary">
            {t('cases.filter.apply')}
          </button>
          <button type="button" class="button" onClick={reset}>
            {t('cases.filter.reset')}
          </button>
        </div>
      </form>
      {error && (
        <p role="alert" class="form-error">
          {t(error)}
        </p>
      )}
      {cases === null ? (
        !error && <p role="status">{t('common.loading')}</p>
      ) : (
        <>
          <p role="status" data-testid="cases-total">
            {cases.length === 0 ? t('cases.nothing') : t('cases.found', { n: total })}
          </p>
          {cases.length > 0 && <CaseTable cases={cases} onOpen={open} centerId={centerId} />}
          {cases.length < total && (
            <button type="button" class="button" onClick={() => void load({ ...applied, offset: cases.length }, true)}>
              {t('cases.more')}
            </button>
          )}
        </>
      )}
    </main>
  );
}

export function CaseTable({
  cases,
  centerId,
  onOpen,
  actions,
  showProvider = true,
}: {
  cases: Case[];
  centerId: number;
  onOpen: (c: Case) => void;
  actions?: (c: Case) => preact.ComponentChildren;
  showProvider?: boolean;
}) {
  const { t } = useI18n();
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={t('cases.title.register')}>
      <table class="cases-table cases-table--rows" data-testid="cases-table">
        <thead>
          <tr>
            <th scope="col">{t('cases.number')}</th>
            <th scope="col">{t('cases.service')}</th>
            {showProvider && <th scope="col">{t('cases.provider')}</th>}
            <th scope="col">{t('cases.status')}</th>
            <th scope="col">{t('cases.due_on')}</th>
            <th scope="col">{t('cases.applicant')}</th>
            {actions && <th scope="col">{t('cases.quick')}</th>}
          </tr>
        </thead>
        <tbody>
          {cases.map((c) => (
            <tr key={c.id} class={`row row--${c.due_state}`} onClick={(e) => !(e.target as HTMLElement).closest('a,button') && onOpen(c)}>
              <th scope="row">
                <a href={`/cases/${encodeURIComponent(c.id)}?center=${centerId}`} data-testid="cases-row-link">
                  {c.number}
                </a>
              </th>
              <td>{c.service_title}</td>
              {showProvider && <td>{c.provider_name}</td>}
              <td>
                <StatusBadge c={c} />
              </td>
              <td>
                <span class="nowrap">{formatDate(c.due_on)}</span>
                <br />
                <DueBadge c={c} />
              </td>
              <td>{c.applicant_initials}</td>
              {actions && <td>{actions(c)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
