// /work?center=ID: a provider employee's work list: her provider's open cases in the center, by
// deadline, due soon and overdue marked; accept and finish a stage right from the row, the rest on
// the case's page.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { casesApi, type Case, type MoveKind, type WorkList } from '../../api/cases';
import { StaffGate, type ReadySession } from '../../components/StaffGate';
import { useI18n, type MessageKey } from '../../i18n';
import { sendCommand } from '../../lib/command';
import { useTitle } from '../../lib/title';
import { CaseTable } from './Register';
import { byDeadline, buildMoveBody, caseErrorKey, emptyMoveInput, shouldReload } from './state';
import './cases.css';

const QUICK: readonly MoveKind[] = ['accept', 'finish_stage'];

export default function WorkPage({ center }: { center: number | null }) {
  const { t } = useI18n();
  useTitle(t('cases.title.work'));
  return (
    <StaffGate center={center} path="/work">
      {(session, expire) => <WorkListView key={session.centerId} session={session} expire={expire} />}
    </StaffGate>
  );
}

function WorkListView({ session, expire }: { session: ReadySession; expire: () => void }) {
  const { t } = useI18n();
  const { centerId, staff } = session;
  const [list, setList] = useState<WorkList | null>(null);
  const [due, setDue] = useState<'' | 'soon' | 'overdue'>('');
  const [error, setError] = useState<MessageKey | null>(null);
  const [said, setSaid] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setList(await casesApi.worklist(centerId, { due }));
      setError(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) expire();
      else setError(caseErrorKey(e));
    }
  }, [centerId, due, expire]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 60_000);
    return () => clearInterval(timer);
  }, [load]);

  const quick = async (c: Case, move: MoveKind) => {
    if (busy) return;
    setBusy(true);
    setSaid('');
    setError(null);
    try {
      const next = await sendCommand((key) => casesApi.move(staff, centerId, c.id, buildMoveBody(move, c.version, emptyMoveInput()), key));
      setSaid(`${next.number}: ${t('cases.moved', { move: t(`move.${move}` as MessageKey) })}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return expire();
      setError(caseErrorKey(e));
      if (shouldReload(e)) setSaid(t('cases.reloaded'));
    } finally {
      setBusy(false);
      await load();
    }
  };

  // The provider of this employee: named by the answer, or by her cases.
  const providerName = list?.provider?.name ?? (list?.provider_id ? list.cases.find((c) => c.provider_id === list.provider_id)?.provider_name ?? '' : '');
  return (
    <main class="page page--wide cases-page">
      <div class="cases-top">
        <h1>{t('cases.title.work')}</h1>
        {providerName && <p class="muted">{t('cases.work_provider', { name: providerName })}</p>}
      </div>
      <fieldset class="due-filter due-filter--inline">
        <legend>{t('cases.filter.due')}</legend>
        {(['', 'soon', 'overdue'] as const).map((d) => (
          <label key={d} class="choice">
            <input type="radio" name="work-due" checked={due === d} onChange={() => setDue(d)} />
            {d === '' ? t('cases.filter.any') : d === 'soon' ? t('cases.filter.due_soon') : t('cases.filter.overdue')}
          </label>
        ))}
      </fieldset>
      <div role="status" class="case-said" data-testid="work-said">
        {said}
      </div>
      {error && (
        <p role="alert" class="form-error" data-testid="work-error">
          {t(error)}
        </p>
      )}
      {!list ? (
        !error && <p role="status">{t('common.loading')}</p>
      ) : list.cases.length === 0 ? (
        <p data-testid="work-empty">{t('cases.work_empty')}</p>
      ) : (
        <CaseTable
          cases={byDeadline(list.cases)}
          centerId={centerId}
          showProvider={!list.provider && !list.provider_id}
          onOpen={(c) => location.assign(`/cases/${encodeURIComponent(c.id)}?center=${centerId}`)}
          actions={(c) =>
            QUICK.filter((m) => c.allowed_moves?.includes(m)).map((m) => (
              <button key={m} type="button" class="button button--small" disabled={busy} data-move={m} onClick={() => void quick(c, m)}>
                {t(`move.${m}` as MessageKey)}
              </button>
            ))
          }
        />
      )}
    </main>
  );
}
