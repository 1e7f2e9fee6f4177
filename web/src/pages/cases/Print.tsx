// /cases/{id}/print?center=ID: the inventory receipt as a printable A4 page (the browser's
// alternative to receipt.pdf), built from the case as the server gives it.
import { useEffect, useState } from 'preact/hooks';
import { casesApi, type Case } from '../../api/cases';
import { ApiError } from '../../api/client';
import { StaffGate } from '../../components/StaffGate';
import { useI18n, type MessageKey } from '../../i18n';
import { useTitle } from '../../lib/title';
import { InventoryTable } from './CasePage';
import { caseErrorKey, formatDate } from './state';
import './cases.css';

export default function PrintRoute({ center, id }: { center: number | null; id: string }) {
  return (
    <StaffGate center={center} path={`/cases/${encodeURIComponent(id)}/print`}>
      {(session, expire) => <Receipt centerId={session.centerId} id={id} expire={expire} />}
    </StaffGate>
  );
}

function Receipt({ centerId, id, expire }: { centerId: number; id: string; expire: () => void }) {
  const { t } = useI18n();
  const [c, setC] = useState<Case | null>(null);
  const [error, setError] = useState<MessageKey | null>(null);
  useTitle(c ? t('cases.title.print', { number: c.number }) : t('cases.inventory'));
  useEffect(() => {
    casesApi
      .get(centerId, id)
      .then(setC)
      .catch((e) => (e instanceof ApiError && e.status === 401 ? expire() : setError(caseErrorKey(e))));
  }, [centerId, id]);
  if (error) return <main class="page"><p role="alert">{t(error)}</p></main>;
  if (!c) return <main class="page"><p role="status">{t('common.loading')}</p></main>;
  const a = c.applicant;
  return (
    <main class="print-sheet" data-testid="case-print">
      <p class="no-print">
        <button type="button" class="button button--primary" onClick={() => window.print()}>
          {t('cases.print_button')}
        </button>
      </p>
      <h1>{t('cases.title.print', { number: c.number })}</h1>
      <dl class="facts facts--single">
        <div><dt>{t('cases.service')}</dt><dd>{c.service_title}</dd></div>
        <div><dt>{t('cases.provider')}</dt><dd>{c.provider_name}</dd></div>
        <div><dt>{t('cases.applicant')}</dt><dd>{a ? a.name : c.applicant_initials}</dd></div>
        {a?.representative_name && <div><dt>{t('cases.representative')}</dt><dd>{a.representative_name} · {a.representative_document}</dd></div>}
        <div><dt>{t('cases.registered_on')}</dt><dd>{formatDate(c.registered_on)}</dd></div>
        <div><dt>{t('cases.due_on')}</dt><dd>{formatDate(c.due_on)}</dd></div>
        {c.tracking_url && <div><dt>{t('cases.tracking')}</dt><dd class="break">{c.tracking_url}</dd></div>}
      </dl>
      <h2>{t('cases.inventory')}</h2>
      <InventoryTable c={c} />
      <div class="signatures">
        <p>{t('cases.applicant')}: ____________________</p>
        <p>{t('cases.registered_on')}: ____________________</p>
      </div>
    </main>
  );
}
