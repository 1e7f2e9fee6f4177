// /cases/new?center=ID[&ticket=ID]: an administrator registers an application at the window: the
// services (found by words in the center's catalog, or all of a life situation at once), the
// applicant, the inventory of documents per service (pre-filled from the service's card), the fee,
// the deadline each case will get. Sent with an Idempotency-Key that a retry keeps; the server's
// field errors are shown at their fields; then the case numbers and the printed forms.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, NetworkError, staffApi } from '../../api/client';
import {
  casePaths,
  casesApi,
  type CatalogHit,
  type Channel,
  type Consent,
  type Intake,
  type InventoryLine,
  type LifeSituation,
  type Registered,
} from '../../api/cases';
import { StaffGate, type ReadySession } from '../../components/StaffGate';
import { useI18n, type MessageKey } from '../../i18n';
import { sendCommand } from '../../lib/command';
import { newIdempotencyKey } from '../../lib/ids';
import { useTitle } from '../../lib/title';
import { FieldError, fieldProps } from './parts';
import {
  buildRegistrationBody,
  checkForm,
  emptyForm,
  extraLine,
  fieldId,
  firstErrorField,
  formatDate,
  formatMoney,
  serverFieldErrors,
  serviceFromIntake,
  type FieldErrors,
  type RegistrationForm,
  type ServiceForm,
} from './state';
import './cases.css';

export default function NewCasePage({ center, ticket }: { center: number | null; ticket: number | null }) {
  const { t } = useI18n();
  useTitle(t('cases.title.new'));
  return (
    <StaffGate center={center} path="/cases/new">
      {(session, expire) => <Registration key={session.centerId} session={session} expire={expire} ticketId={ticket} />}
    </StaffGate>
  );
}

const CHANNELS: readonly Channel[] = ['in_person', 'post', 'online', 'mobile_office'];
const CONSENTS: readonly Consent[] = ['sms', 'viber', 'email'];

function Registration({ session, expire, ticketId }: { session: ReadySession; expire: () => void; ticketId: number | null }) {
  const { t } = useI18n();
  const { centerId, staff } = session;
  const [form, setForm] = useState<RegistrationForm>(emptyForm);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<MessageKey | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Registered | null>(null);
  const [ticketNumber, setTicketNumber] = useState('');
  // The key of this registration: the same on every retry until the server answers.
  const key = useRef(newIdempotencyKey());

  useEffect(() => {
    if (!ticketId) return;
    staffApi
      .desk(centerId)
      .then((d) => {
        if (d.administrator?.ticket?.id === ticketId) setTicketNumber(d.administrator.ticket.number);
      })
      .catch(() => undefined);
  }, [centerId, ticketId]);

  const update = (patch: Partial<RegistrationForm>) => setForm((f) => ({ ...f, ...patch }));
  const updateService = (i: number, patch: Partial<ServiceForm>) =>
    setForm((f) => ({ ...f, services: f.services.map((s, j) => (j === i ? { ...s, ...patch } : s)) }));
  const updateLine = (i: number, j: number, patch: Partial<InventoryLine>) =>
    setForm((f) => ({
      ...f,
      services: f.services.map((s, k) => (k === i ? { ...s, inventory: s.inventory.map((l, m) => (m === j ? { ...l, ...patch } : l)) } : s)),
    }));

  const addIntake = (intake: Intake) => {
    setForm((f) => {
      const have = new Set(f.services.map((s) => s.service_id));
      const added = intake.services.filter((s) => !have.has(s.service_id)).map(serviceFromIntake);
      return { ...f, services: [...f.services, ...added], life_situation_id: intake.life_situation ? intake.life_situation.id : f.life_situation_id };
    });
    setErrors((e) => {
      const { services: _gone, ...rest } = e;
      return rest;
    });
  };

  const focusFirst = (errs: FieldErrors) => {
    const first = firstErrorField(errs);
    const el = first ? document.getElementById(fieldId(first)) : null;
    (el ?? document.getElementById('form-message'))?.focus();
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const local = checkForm(form, t);
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setMessage('cases.check_fields');
      setTimeout(() => focusFirst(local));
      return;
    }
    setBusy(true);
    setErrors({});
    setMessage(null);
    const body = buildRegistrationBody(form, ticketId);
    try {
      const r = await sendCommand((k) => casesApi.register(staff, centerId, body, k), { newKey: () => key.current });
      key.current = newIdempotencyKey();
      setDone(r);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        expire();
        return;
      }
      // The server answered (nothing was written): the next press is a new request. A lost
      // connection keeps the key, so pressing again cannot register the application twice.
      if (!(err instanceof NetworkError)) key.current = newIdempotencyKey();
      const { fields, message } = serverFieldErrors(err, t);
      setErrors(fields);
      setMessage(message);
      setTimeout(() => focusFirst(fields));
    } finally {
      setBusy(false);
    }
  };

  if (done) return <Done done={done} centerId={centerId} ticketId={ticketId} onAnother={() => (setDone(null), setForm(emptyForm()))} />;

  const summary = Object.entries(errors);
  return (
    <main class="page page--wide cases-page">
      <div class="cases-top">
        <h1>{t('cases.title.new')}</h1>
        <nav class="cases-nav" aria-label={t('cases.nav')}>
          <a href={`/desk?center=${centerId}`}>{t('cases.to_desk')}</a>
          <a href={`/cases?center=${centerId}`}>{t('cases.to_register')}</a>
        </nav>
      </div>
      <p class="cases-ticket" data-testid="case-ticket">
        {ticketId ? t('cases.for_ticket', { number: ticketNumber || `#${ticketId}` }) : t('cases.no_ticket')}
      </p>
      <form class="case-form" onSubmit={submit} noValidate>
        <ServicePicker
          centerId={centerId}
          form={form}
          errors={errors}
          onIntake={addIntake}
          onRemove={(i) => update({ services: form.services.filter((_, j) => j !== i) })}
          onChannel={(channel) => update({ channel })}
          onFailure={(m) => setMessage(m)}
        />

        <fieldset class="case-section">
          <legend>
            <h2>{t('cases.step.applicant')}</h2>
          </legend>
          <div class="choice-row" role="radiogroup" aria-label={t('cases.kind')}>
            <span class="choice-row__label">{t('cases.kind')}</span>
            {(['person', 'legal_entity'] as const).map((k) => (
              <label key={k} class="choice">
                <input type="radio" name="kind" checked={form.kind === k} onChange={() => update({ kind: k })} />
                {t(`cases.kind.${k}`)}
              </label>
            ))}
          </div>
          <div class="field-grid">
            <div class="field field--wide">
              <label for={fieldId('applicant.name')}>{t(form.kind === 'person' ? 'cases.name.person' : 'cases.name.legal_entity')}</label>
              <input
                {...fieldProps('applicant.name', errors)}
                autocomplete="off"
                maxLength={300}
                value={form.name}
                onInput={(e) => update({ name: (e.target as HTMLInputElement).value })}
              />
              <FieldError path="applicant.name" errors={errors} />
            </div>
            <div class="field">
              <label for={fieldId('applicant.tax_id')}>{t(form.kind === 'person' ? 'cases.tax_id.person' : 'cases.tax_id.legal_entity')}</label>
              <input
                {...fieldProps('applicant.tax_id', errors)}
                inputMode="numeric"
                autocomplete="off"
                maxLength={12}
                value={form.tax_id}
                onInput={(e) => update({ tax_id: (e.target as HTMLInputElement).value })}
              />
              <FieldError path="applicant.tax_id" errors={errors} />
            </div>
            <div class="field field--wide">
              <label for={fieldId('applicant.address')}>{t('cases.address')}</label>
              <input
                {...fieldProps('applicant.address', errors)}
                autocomplete="off"
                maxLength={500}
                value={form.address}
                onInput={(e) => update({ address: (e.target as HTMLInputElement).value })}
              />
              <FieldError path="applicant.address" errors={errors} />
            </div>
            <div class="field">
              <label for={fieldId('applicant.phone')}>{t('cases.phone')}</label>
              <input
                {...fieldProps('applicant.phone', errors)}
                type="tel"
                autocomplete="off"
                placeholder="+380"
                maxLength={20}
                value={form.phone}
                onInput={(e) => update({ phone: (e.target as HTMLInputElement).value })}
              />
              <p class="field-hint">{t('cases.phone_hint')}</p>
              <FieldError path="applicant.phone" errors={errors} />
            </div>
            <div class="field">
              <label for={fieldId('applicant.email')}>{t('cases.email')}</label>
              <input
                {...fieldProps('applicant.email', errors)}
                type="email"
                autocomplete="off"
                maxLength={254}
                value={form.email}
                onInput={(e) => update({ email: (e.target as HTMLInputElement).value })}
              />
              <FieldError path="applicant.email" errors={errors} />
            </div>
          </div>
          <fieldset class="consent" id={fieldId('applicant.consent')}>
            <legend>{t('cases.consent')}</legend>
            {CONSENTS.map((c) => (
              <label key={c} class="choice">
                <input
                  type="checkbox"
                  checked={form.consent.includes(c)}
                  onChange={(e) =>
                    update({ consent: (e.target as HTMLInputElement).checked ? [...form.consent, c] : form.consent.filter((x) => x !== c) })
                  }
                />
                {t(`cases.consent.${c}`)}
              </label>
            ))}
            <FieldError path="applicant.consent" errors={errors} />
          </fieldset>
          <label class="choice">
            <input type="checkbox" checked={form.represented} onChange={(e) => update({ represented: (e.target as HTMLInputElement).checked })} />
            {t('cases.represented')}
          </label>
          {form.represented && (
            <div class="field-grid">
              <div class="field field--wide">
                <label for={fieldId('applicant.representative_name')}>{t('cases.representative_name')}</label>
                <input
                  {...fieldProps('applicant.representative_name', errors)}
                  autocomplete="off"
                  maxLength={300}
                  value={form.representative_name}
                  onInput={(e) => update({ representative_name: (e.target as HTMLInputElement).value })}
                />
                <FieldError path="applicant.representative_name" errors={errors} />
              </div>
              <div class="field field--wide">
                <label for={fieldId('applicant.representative_document')}>{t('cases.representative_document')}</label>
                <input
                  {...fieldProps('applicant.representative_document', errors)}
                  autocomplete="off"
                  maxLength={300}
                  value={form.representative_document}
                  onInput={(e) => update({ representative_document: (e.target as HTMLInputElement).value })}
                />
                <FieldError path="applicant.representative_document" errors={errors} />
              </div>
            </div>
          )}
        </fieldset>

        <section class="case-section" aria-labelledby="inventory-title">
          <h2 id="inventory-title">{t('cases.step.inventory')}</h2>
          {form.services.map((s, i) => (
            <InventoryEditor
              key={s.service_id}
              index={i}
              service={s}
              errors={errors}
              onLine={(j, patch) => updateLine(i, j, patch)}
              onAdd={() => updateService(i, { inventory: [...s.inventory, extraLine()] })}
              onRemove={(j) => updateService(i, { inventory: s.inventory.filter((_, m) => m !== j) })}
            />
          ))}
        </section>

        <section class="case-section" aria-labelledby="fee-title">
          <h2 id="fee-title">{t('cases.step.fee')}</h2>
          <ul class="fee-list">
            {form.services.map((s, i) => (
              <li key={s.service_id} class="fee-item" data-testid="case-fee">
                <strong>{s.title_uk}</strong>
                <span>
                  {t('cases.fee')}: {s.fee_kopiykas === 0 ? t('cases.fee_free') : formatMoney(s.fee_kopiykas)}
                </span>
                {s.fee_kopiykas > 0 && (
                  <label class="choice" for={fieldId(`services[${i}].fee_paid`)}>
                    <input
                      id={fieldId(`services[${i}].fee_paid`)}
                      type="checkbox"
                      checked={s.fee_paid}
                      onChange={(e) => updateService(i, { fee_paid: (e.target as HTMLInputElement).checked })}
                    />
                    {t('cases.fee_paid')}
                  </label>
                )}
                <span>
                  {t('cases.term')}:{' '}
                  {s.term_unit === 'working_days' ? t('cases.term_working', { n: s.term_days }) : t('cases.term_value', { n: s.term_days })}
                </span>
                <span class="fee-item__due" data-testid="case-due-will-be">
                  {t('cases.due_will_be', { date: formatDate(s.due_on) })}
                </span>
                <FieldError path={`services[${i}].fee_paid`} errors={errors} />
              </li>
            ))}
          </ul>
        </section>

        <div class="case-submit">
          {message && (
            <div class="form-error" role="alert" id="form-message" tabIndex={-1} data-testid="case-form-error">
              <p>{t(message)}</p>
              {summary.length > 0 && (
                <ul>
                  {summary.map(([path, text]) => (
                    <li key={path}>
                      <a href={`#${fieldId(path)}`}>{text}</a>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <button type="submit" class="button button--primary case-submit__button" disabled={busy} data-testid="case-submit">
            {busy ? t('cases.submitting') : t('cases.submit')}
          </button>
        </div>
      </form>
    </main>
  );
}

function ServicePicker({
  centerId,
  form,
  errors,
  onIntake,
  onRemove,
  onChannel,
  onFailure,
}: {
  centerId: number;
  form: RegistrationForm;
  errors: FieldErrors;
  onIntake: (intake: Intake) => void;
  onRemove: (index: number) => void;
  onChannel: (c: Channel) => void;
  onFailure: (m: MessageKey) => void;
}) {
  const { lang, t } = useI18n();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<CatalogHit[] | null>(null);
  const [situations, setSituations] = useState<LifeSituation[]>([]);
  const [situation, setSituation] = useState('');
  const [loading, setLoading] = useState(false);
  // Straight from the desk's key A: the search has the focus, the administrator types at once.
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => search.current?.focus(), []);

  useEffect(() => {
    casesApi
      .lifeSituations()
      .then((r) => setSituations(r.life_situations))
      .catch(() => undefined);
  }, []);

  // The search follows the typing, a moment after the last key; an older answer never overwrites a newer one.
  const asked = useRef(0);
  useEffect(() => {
    const words = q.trim();
    if (words.length < 2) {
      setHits(null);
      return;
    }
    const n = ++asked.current;
    const timer = setTimeout(() => {
      casesApi
        .searchServices(centerId, words)
        .then((r) => n === asked.current && setHits(r.items))
        .catch(() => n === asked.current && setHits([]));
    }, 250);
    return () => clearTimeout(timer);
  }, [q, centerId]);

  const open = async (load: () => Promise<Intake>) => {
    setLoading(true);
    try {
      onIntake(await load());
    } catch (e) {
      const { message } = serverFieldErrors(e, t);
      if (message) onFailure(message);
    } finally {
      setLoading(false);
    }
  };
  const chosen = useMemo(() => new Set(form.services.map((s) => s.service_id)), [form.services]);
  const situationName = situations.find((s) => s.id === form.life_situation_id);

  return (
    <section class="case-section" aria-labelledby="service-title">
      <h2 id="service-title">{t('cases.step.service')}</h2>
      <div class="field-grid">
        <div class="field field--wide">
          <label for={fieldId('services')}>{t('cases.search_label')}</label>
          <input
            {...fieldProps('services', errors)}
            ref={search}
            type="search"
            autocomplete="off"
            maxLength={200}
            value={q}
            aria-describedby="service-search-hint"
            onInput={(e) => setQ((e.target as HTMLInputElement).value)}
            data-testid="case-service-search"
          />
          <p class="field-hint" id="service-search-hint">
            {t('cases.search_hint')}
          </p>
          <FieldError path="services" errors={errors} />
        </div>
        <div class="field">
          <label for="case-channel">{t('cases.channel')}</label>
          <select id="case-channel" value={form.channel} onChange={(e) => onChannel((e.target as HTMLSelectElement).value as Channel)}>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`cases.channel.${c}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {hits && (
        <div aria-live="polite">
          {hits.length === 0 ? (
            <p>{t('cases.search_nothing')}</p>
          ) : (
            <ul class="hit-list" data-testid="case-service-hits">
              {hits.map((h) => (
                <li key={h.id} class="hit">
                  <span class="hit__title">{lang === 'en' && h.title_en ? h.title_en : h.title_uk}</span>
                  <button
                    type="button"
                    class="button"
                    disabled={loading || chosen.has(h.id)}
                    onClick={() => void open(() => casesApi.intakeForService(centerId, h.id))}
                  >
                    {t('cases.search_add')}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {situations.length > 0 && (
        <div class="situation-row">
          <div class="field">
            <label for="case-situation">{t('cases.life_situation')}</label>
            <select id="case-situation" value={situation} onChange={(e) => setSituation((e.target as HTMLSelectElement).value)}>
              <option value="">{t('cases.life_situation_none')}</option>
              {situations.map((s) => (
                <option key={s.id} value={String(s.id)}>
                  {lang === 'en' && s.name_en ? s.name_en : s.name_uk}
                </option>
              ))}
            </select>
          </div>
          <button
            type="button"
            class="button"
            disabled={!situation || loading}
            onClick={() => void open(() => casesApi.intakeForSituation(centerId, Number(situation)))}
          >
            {t('cases.life_situation_open')}
          </button>
        </div>
      )}
      {form.services.length > 0 && (
        <>
          <h3>{t('cases.chosen')}</h3>
          {situationName && <p>{t('cases.life_situation_chosen', { name: lang === 'en' && situationName.name_en ? situationName.name_en : situationName.name_uk })}</p>}
          <ul class="chosen-list" data-testid="case-chosen">
            {form.services.map((s, i) => (
              <li key={s.service_id} class="chosen">
                <span>
                  <strong>{s.title_uk}</strong>
                  <br />
                  <span class="muted">
                    {t('cases.provider')}: {s.provider_name}
                  </span>
                </span>
                <button type="button" class="button" aria-label={`${t('cases.remove_service')}: ${s.title_uk}`} onClick={() => onRemove(i)}>
                  ✕
                </button>
                <FieldError path={`services[${i}].service_id`} errors={errors} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function InventoryEditor({
  index,
  service,
  errors,
  onLine,
  onAdd,
  onRemove,
}: {
  index: number;
  service: ServiceForm;
  errors: FieldErrors;
  onLine: (j: number, patch: Partial<InventoryLine>) => void;
  onAdd: () => void;
  onRemove: (j: number) => void;
}) {
  const { t } = useI18n();
  const path = (j: number, f: string) => `services[${index}].inventory[${j}].${f}`;
  return (
    <div class="inventory" data-testid="case-inventory">
      <h3>{t('cases.inventory_for', { title: service.title_uk })}</h3>
      {service.inventory.length === 0 && <p>{t('cases.inventory.none')}</p>}
      <ol class="inventory-lines">
        {service.inventory.map((l, j) => (
          <li key={j} class={l.received ? 'line' : 'line line--missing'}>
            {l.from_card ? (
              <p class="line__name" id={fieldId(path(j, 'name'))}>
                {l.name} <span class="muted">({t('cases.inventory.from_card')})</span>
              </p>
            ) : (
              <div class="field line__name">
                <label for={fieldId(path(j, 'name'))}>{t('cases.inventory.extra')}</label>
                <input {...fieldProps(path(j, 'name'), errors)} maxLength={300} value={l.name} onInput={(e) => onLine(j, { name: (e.target as HTMLInputElement).value })} />
                <FieldError path={path(j, 'name')} errors={errors} />
              </div>
            )}
            <div class="line__fields">
              <div class="field">
                <label for={fieldId(path(j, 'form'))}>{t('cases.inventory.form')}</label>
                <select {...fieldProps(path(j, 'form'), errors)} value={l.form} onChange={(e) => onLine(j, { form: (e.target as HTMLSelectElement).value as InventoryLine['form'] })}>
                  <option value="original">{t('cases.inventory.form.original')}</option>
                  <option value="copy">{t('cases.inventory.form.copy')}</option>
                </select>
              </div>
              <div class="field">
                <label for={fieldId(path(j, 'medium'))}>{t('cases.inventory.medium')}</label>
                <select
                  {...fieldProps(path(j, 'medium'), errors)}
                  value={l.medium}
                  onChange={(e) => onLine(j, { medium: (e.target as HTMLSelectElement).value as InventoryLine['medium'] })}
                >
                  <option value="paper">{t('cases.inventory.medium.paper')}</option>
                  <option value="electronic">{t('cases.inventory.medium.electronic')}</option>
                </select>
              </div>
              <div class="field field--narrow">
                <label for={fieldId(path(j, 'pages'))}>{t('cases.inventory.pages')}</label>
                <input
                  {...fieldProps(path(j, 'pages'), errors)}
                  type="number"
                  min={0}
                  max={9999}
                  value={l.pages}
                  onInput={(e) => onLine(j, { pages: Number((e.target as HTMLInputElement).value) })}
                />
              </div>
              <label class="choice line__received">
                <input type="checkbox" checked={l.received} onChange={(e) => onLine(j, { received: (e.target as HTMLInputElement).checked })} />
                {t('cases.inventory.received')}
              </label>
              {!l.from_card && (
                <button type="button" class="button" aria-label={`${t('cases.inventory.remove')} ${j + 1}`} onClick={() => onRemove(j)}>
                  ✕
                </button>
              )}
            </div>
            {(!l.received || errors[path(j, 'missing_reason')]) && (
              <div class="field">
                <label for={fieldId(path(j, 'missing_reason'))}>{t('cases.inventory.missing_reason')}</label>
                <input
                  {...fieldProps(path(j, 'missing_reason'), errors)}
                  maxLength={300}
                  value={l.missing_reason}
                  onInput={(e) => onLine(j, { missing_reason: (e.target as HTMLInputElement).value })}
                />
                <FieldError path={path(j, 'missing_reason')} errors={errors} />
              </div>
            )}
            <FieldError path={path(j, 'pages')} errors={errors} />
          </li>
        ))}
      </ol>
      <button type="button" class="button" onClick={onAdd}>
        {t('cases.inventory.add')}
      </button>
    </div>
  );
}

function Done({ done, centerId, ticketId, onAnother }: { done: Registered; centerId: number; ticketId: number | null; onAnother: () => void }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main class="page page--wide cases-page">
      <h1 ref={heading} tabIndex={-1} data-testid="case-done">
        {t('cases.done_title')}
      </h1>
      <h2>{t('cases.done_numbers')}</h2>
      <ul class="done-list">
        {done.cases.map((c) => (
          <li key={c.id} class="done-case">
            <p class="done-case__number" data-testid="case-number">
              {c.number}
            </p>
            <p>{c.service_title}</p>
            <p>
              {t('cases.due_on')}: {formatDate(c.due_on)}
            </p>
            <div class="done-case__buttons">
              <a class="button" href={casePaths.document(centerId, c.id, 'application')} target="_blank" rel="noopener">
                {t('cases.print_application')}
              </a>
              <a class="button" href={casePaths.document(centerId, c.id, 'receipt')} target="_blank" rel="noopener" data-testid="case-receipt-pdf">
                {t('cases.print_receipt')}
              </a>
              <a class="button" href={casePaths.document(centerId, c.id, 'cover-letter')} target="_blank" rel="noopener">
                {t('cases.print_cover')}
              </a>
              <a class="button" href={`/cases/${encodeURIComponent(c.id)}/print?center=${centerId}`} target="_blank" rel="noopener">
                {t('cases.print_page')}
              </a>
              <a class="button button--primary" href={`/cases/${encodeURIComponent(c.id)}?center=${centerId}`} data-testid="case-open">
                {t('cases.open_case')}
              </a>
            </div>
          </li>
        ))}
      </ul>
      <p class="done-more">
        {ticketId && <a href={`/desk?center=${centerId}`}>{t('cases.to_desk')}</a>}
        <button type="button" class="button" onClick={onAnother}>
          {t('cases.another')}
        </button>
      </p>
    </main>
  );
}
