// /cases/{id}?center=ID: one case as staff see it: number, status, service, provider, deadline
// with its mark, the stages, the history of moves, the inventory, the messages to the applicant
// with each attempt, the applicant's data (the server audits this read), and a button for each
// move this user may make now, with the fields that move needs. A move refused because the case
// changed meanwhile (409) reads the case again and says so.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { casePaths, casesApi, type Case, type IssueMethod, type MoveKind, type RefusalGround } from '../../api/cases';
import { Dialog } from '../../components/Dialog';
import { StaffGate, type ReadySession } from '../../components/StaffGate';
import { useI18n, type MessageKey } from '../../i18n';
import { sendCommand } from '../../lib/command';
import { useTitle } from '../../lib/title';
import { DueBadge, formatInstant, StatusBadge } from './parts';
import {
  buildMoveBody,
  caseErrorKey,
  checkMove,
  emptyMoveInput,
  formatDate,
  formatMoney,
  moveErrorField,
  MOVE_FIELDS,
  orderedMoves,
  shouldReload,
  type MoveField,
  type MoveInput,
} from './state';
import './cases.css';

export default function CasePageRoute({ center, id }: { center: number | null; id: string }) {
  return (
    <StaffGate center={center} path={`/cases/${encodeURIComponent(id)}`}>
      {(session, expire) => <CaseView key={session.centerId} session={session} expire={expire} id={id} />}
    </StaffGate>
  );
}

type Said = { kind: 'error'; key: MessageKey } | { kind: 'reloaded'; key: MessageKey } | { kind: 'moved'; move: MoveKind } | null;

function CaseView({ session, expire, id }: { session: ReadySession; expire: () => void; id: string }) {
  const { lang, t } = useI18n();
  const { centerId, staff } = session;
  const [c, setC] = useState<Case | null>(null);
  const [fatal, setFatal] = useState<MessageKey | null>(null);
  const [said, setSaid] = useState<Said>(null);
  const [move, setMove] = useState<MoveKind | null>(null);
  const [busy, setBusy] = useState(false);
  useTitle(c ? t('cases.title.case', { number: c.number }) : t('cases.title.register'));

  const load = useCallback(async () => {
    try {
      setC(await casesApi.get(centerId, id));
      setFatal(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) expire();
      else setFatal(caseErrorKey(e));
    }
  }, [centerId, id, expire]);
  useEffect(() => void load(), [load]);

  const doMove = async (kind: MoveKind, input: MoveInput): Promise<MoveField | null> => {
    if (!c || busy) return null;
    setBusy(true);
    setSaid(null);
    try {
      const next = await sendCommand((key) => casesApi.move(staff, centerId, c.id, buildMoveBody(kind, c.version, input), key));
      // A move's answer is the case without the applicant's data (read, and audited, once).
      setC((before) => ({ ...next, applicant: next.applicant ?? before?.applicant }));
      setMove(null);
      setSaid({ kind: 'moved', move: kind });
      return null;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        expire();
        return null;
      }
      if (shouldReload(e)) {
        setMove(null);
        await load();
        setSaid({ kind: 'reloaded', key: caseErrorKey(e) });
        return null;
      }
      const field = moveErrorField(e);
      if (!field) {
        setMove(null);
        setSaid({ kind: 'error', key: caseErrorKey(e) });
      }
      return field;
    } finally {
      setBusy(false);
    }
  };

  if (fatal) {
    return (
      <main class="page">
        <p role="alert">{t(fatal)}</p>
        <p>
          <a href={`/cases?center=${centerId}`}>{t('cases.to_register')}</a>
        </p>
      </main>
    );
  }
  if (!c) {
    return (
      <main class="page">
        <p role="status">{t('common.loading')}</p>
      </main>
    );
  }
  const moves = orderedMoves(c.allowed_moves);
  const provider = session.me.role === 'provider_employee';
  return (
    <main class="page page--wide cases-page case-view">
      <div class="cases-top">
        <h1>
          <span class="muted">{t('cases.number')}</span> <span data-testid="case-number">{c.number}</span>
        </h1>
        <nav class="cases-nav" aria-label={t('cases.nav')}>
          {provider ? (
            <a href={`/work?center=${centerId}`}>{t('cases.to_worklist')}</a>
          ) : (
            <>
              <a href={`/cases?center=${centerId}`}>{t('cases.to_register')}</a>
              <a href={`/desk?center=${centerId}`}>{t('cases.to_desk')}</a>
            </>
          )}
        </nav>
      </div>
      <div class="case-head">
        <StatusBadge c={c} />
        <DueBadge c={c} />
      </div>
      <div role="status" class="case-said" data-testid="case-said">
        {said?.kind === 'moved' && t('cases.moved', { move: t(`move.${said.move}` as MessageKey) })}
        {said?.kind === 'reloaded' && `${t(said.key)} ${t('cases.reloaded')}`}
      </div>
      {said?.kind === 'error' && (
        <p role="alert" class="form-error" data-testid="case-error">
          {t(said.key)}
        </p>
      )}

      <div class="case-grid">
        <div class="case-main">
          <dl class="facts">
            <div>
              <dt>{t('cases.service')}</dt>
              <dd data-testid="case-service">{c.service_title}</dd>
            </div>
            <div>
              <dt>{t('cases.provider')}</dt>
              <dd>{c.provider_name}</dd>
            </div>
            <div>
              <dt>{t('cases.registered_on')}</dt>
              <dd>{formatDate(c.registered_on)}</dd>
            </div>
            {c.status === 'registered' && c.hand_over_due && (
              <div>
                <dt>{t('cases.hand_over_due')}</dt>
                <dd>{formatDate(c.hand_over_due)}</dd>
              </div>
            )}
            <div>
              <dt>{t('cases.due_on')}</dt>
              <dd data-testid="case-due-on">{formatDate(c.due_on)}</dd>
            </div>
            {c.decided_on && (
              <div>
                <dt>{t('cases.decided_on')}</dt>
                <dd>{formatDate(c.decided_on)}</dd>
              </div>
            )}
            {c.pickup_until && (
              <div>
                <dt>{t('cases.pickup_until')}</dt>
                <dd>{formatDate(c.pickup_until)}</dd>
              </div>
            )}
            {c.closed_on && (
              <div>
                <dt>{t('cases.closed_on')}</dt>
                <dd>{formatDate(c.closed_on)}</dd>
              </div>
            )}
            <div>
              <dt>{t('cases.fee')}</dt>
              <dd>
                {c.fee_kopiykas === 0 ? t('cases.fee_free') : `${formatMoney(c.fee_kopiykas)}${c.fee_paid ? ` · ${t('cases.fee_paid').toLowerCase()}` : ''}`}
              </dd>
            </div>
            {c.tracking_url && (
              <div>
                <dt>{t('cases.tracking')}</dt>
                <dd class="break">
                  <a href={`/c/${encodeURIComponent(c.public_token)}`}>{c.tracking_url}</a>
                </dd>
              </div>
            )}
          </dl>

          <section aria-labelledby="stages-title">
            <h2 id="stages-title">{t('cases.stages')}</h2>
            <ol class="stages" data-testid="case-stages">
              {(c.stages ?? []).map((s, i) => {
                const current = c.status === 'in_review' && c.current_stage === (s.position ?? i + 1) && !s.finished_on;
                return (
                  <li key={i} class={s.finished_on ? 'stage stage--done' : current ? 'stage stage--current' : 'stage'}>
                    <strong>{s.name}</strong>
                    {s.responsible && <span class="muted"> · {s.responsible}</span>}
                    <br />
                    <span>
                      {s.finished_on ? `✓ ${t('cases.stage.finished', { date: formatDate(s.finished_on) })}` : t('cases.stage.planned', { date: formatDate(s.planned_on) })}
                      {current && <strong> · {t('cases.stage.current')}</strong>}
                    </span>
                  </li>
                );
              })}
            </ol>
          </section>

          <section aria-labelledby="history-title">
            <h2 id="history-title">{t('cases.history')}</h2>
            <div class="table-wrap" tabIndex={0} role="region" aria-label={t('cases.history')}>
              <table class="cases-table" data-testid="case-history">
                <thead>
                  <tr>
                    <th scope="col">{t('cases.history.when')}</th>
                    <th scope="col">{t('cases.history.what')}</th>
                    <th scope="col">{t('cases.history.who')}</th>
                    <th scope="col">{t('cases.history.why')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(c.moves ?? []).map((m) => (
                    <tr key={m.id}>
                      <td>{m.at ? formatInstant(lang, m.at) : formatDate(m.on_date)}</td>
                      <td>{lang === 'en' ? t(`move.${m.kind}` as MessageKey) : m.kind_uk}</td>
                      <td>{m.actor_name || m.actor}</td>
                      <td>
                        {[
                          m.reason,
                          m.legal_basis,
                          m.new_deadline ? t('cases.history.new_deadline', { date: formatDate(m.new_deadline) }) : '',
                          m.kind === 'issue' && ISSUE_METHODS.includes(m.detail as IssueMethod) ? t(`move.issue.${m.detail as IssueMethod}`) : m.detail,
                        ]
                          .filter(Boolean)
                          .join(' · ')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section aria-labelledby="inventory-title">
            <h2 id="inventory-title">{t('cases.inventory')}</h2>
            <InventoryTable c={c} />
            <p class="case-print">
              <a class="button" href={casePaths.document(centerId, c.id, 'receipt')} target="_blank" rel="noopener">
                {t('cases.print_receipt')}
              </a>
              <a class="button" href={casePaths.document(centerId, c.id, 'application')} target="_blank" rel="noopener">
                {t('cases.print_application')}
              </a>
              <a class="button" href={casePaths.document(centerId, c.id, 'cover-letter')} target="_blank" rel="noopener">
                {t('cases.print_cover')}
              </a>
              <a class="button" href={`/cases/${encodeURIComponent(c.id)}/print?center=${centerId}`} target="_blank" rel="noopener">
                {t('cases.print_page')}
              </a>
            </p>
          </section>

          <section aria-labelledby="messages-title">
            <h2 id="messages-title">{t('cases.messages')}</h2>
            {(c.messages ?? []).length === 0 ? (
              <p>{t('cases.messages_none')}</p>
            ) : (
              <ul class="messages" data-testid="case-messages">
                {(c.messages ?? []).map((m) => (
                  <li key={m.id} class={`message message--${m.status}`}>
                    <strong>{m.channel.toUpperCase()}</strong> {m.to} · {m.template} · <span>{t(`cases.message.${m.status}` as MessageKey)}</span>
                    {m.attempts.length > 0 && (
                      <ol class="attempts">
                        {m.attempts.map((a, i) => (
                          <li key={i}>
                            {a.ok
                              ? t('cases.message.attempt_ok', { at: formatInstant(lang, a.at) })
                              : t('cases.message.attempt_failed', { at: formatInstant(lang, a.at), error: a.error })}
                          </li>
                        ))}
                      </ol>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>

        <aside class="case-side">
          <section aria-labelledby="moves-title" class="case-moves">
            <h2 id="moves-title">{t('cases.moves')}</h2>
            {moves.length === 0 ? (
              <p data-testid="case-no-moves">{t('cases.moves_none')}</p>
            ) : (
              <ul class="move-list" data-testid="case-moves">
                {moves.map((m) => (
                  <li key={m}>
                    <button
                      type="button"
                      class={m === moves[0] ? 'button button--primary move-button' : 'button move-button'}
                      disabled={busy}
                      data-move={m}
                      onClick={() => (MOVE_FIELDS[m].length === 0 ? void doMove(m, emptyMoveInput()) : setMove(m))}
                    >
                      {t(`move.${m}` as MessageKey)}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
          {c.applicant && (
            <section aria-labelledby="applicant-title" class="case-applicant">
              <h2 id="applicant-title">{t('cases.applicant_data')}</h2>
              <p class="muted">{t('cases.applicant_audited')}</p>
              <dl class="facts facts--single" data-testid="case-applicant">
                <div>
                  <dt>{t('cases.applicant')}</dt>
                  <dd>
                    {c.applicant.name} <span class="muted">({t(`cases.kind.${c.applicant.kind}`)})</span>
                  </dd>
                </div>
                {c.applicant.tax_id && (
                  <div>
                    <dt>{t(c.applicant.kind === 'person' ? 'cases.tax_id.person' : 'cases.tax_id.legal_entity')}</dt>
                    <dd>{c.applicant.tax_id}</dd>
                  </div>
                )}
                {c.applicant.address && (
                  <div>
                    <dt>{t('cases.address')}</dt>
                    <dd>{c.applicant.address}</dd>
                  </div>
                )}
                {c.applicant.phone && (
                  <div>
                    <dt>{t('cases.phone')}</dt>
                    <dd>{c.applicant.phone}</dd>
                  </div>
                )}
                {c.applicant.email && (
                  <div>
                    <dt>{t('cases.email')}</dt>
                    <dd class="break">{c.applicant.email}</dd>
                  </div>
                )}
                {c.applicant.representative_name && (
                  <div>
                    <dt>{t('cases.representative')}</dt>
                    <dd>
                      {c.applicant.representative_name}
                      {c.applicant.representative_document && ` · ${c.applicant.representative_document}`}
                    </dd>
                  </div>
                )}
                <div>
                  <dt>{t('cases.consent')}</dt>
                  <dd>{c.applicant.consent.length ? c.applicant.consent.map((x) => t(`cases.consent.${x}`)).join(', ') : '—'}</dd>
                </div>
              </dl>
            </section>
          )}
        </aside>
      </div>
      <MoveDialog move={move} c={c} busy={busy} onClose={() => setMove(null)} onConfirm={doMove} />
    </main>
  );
}

export function InventoryTable({ c }: { c: Case }) {
  const { t } = useI18n();
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={t('cases.inventory')}>
      <table class="cases-table" data-testid="case-inventory-table">
        <thead>
          <tr>
            <th scope="col" class="num">
              №
            </th>
            <th scope="col">{t('cases.inventory.name')}</th>
            <th scope="col">{t('cases.inventory.form')}</th>
            <th scope="col">{t('cases.inventory.medium')}</th>
            <th scope="col" class="num">
              {t('cases.inventory.pages')}
            </th>
            <th scope="col">{t('cases.inventory.received')}</th>
          </tr>
        </thead>
        <tbody>
          {(c.inventory ?? []).map((l, i) => (
            <tr key={i}>
              <td class="num">{l.position ?? i + 1}</td>
              <td>{l.name}</td>
              <td>{t(`cases.inventory.form.${l.form}`)}</td>
              <td>{t(`cases.inventory.medium.${l.medium}`)}</td>
              <td class="num">{l.pages}</td>
              <td>{l.received ? '✓' : `✗ ${l.missing_reason}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const ISSUE_METHODS: readonly IssueMethod[] = ['in_person', 'post', 'electronic'];

function MoveDialog({
  move,
  c,
  busy,
  onClose,
  onConfirm,
}: {
  move: MoveKind | null;
  c: Case;
  busy: boolean;
  onClose: () => void;
  onConfirm: (m: MoveKind, input: MoveInput) => Promise<MoveField | null>;
}) {
  const { lang, t } = useI18n();
  const [input, setInput] = useState<MoveInput>(emptyMoveInput);
  const [errors, setErrors] = useState<Partial<Record<MoveField, MessageKey>>>({});
  const [grounds, setGrounds] = useState<RefusalGround[]>([]);
  const first = useRef<HTMLElement>(null);
  useEffect(() => {
    if (move) {
      setInput(emptyMoveInput());
      setErrors({});
    }
    if (move === 'refuse' && grounds.length === 0) {
      casesApi
        .refusalGrounds()
        .then((r) => setGrounds(r.grounds))
        .catch(() => undefined);
    }
  }, [move]);
  const fields = move ? MOVE_FIELDS[move] : [];
  const set = (patch: Partial<MoveInput>) => setInput((i) => ({ ...i, ...patch }));
  const err = (f: MoveField) =>
    errors[f] ? (
      <p class="field-error" id={`move-${f}-error`}>
        {t(errors[f]!)}
      </p>
    ) : null;
  const aria = (f: MoveField) => ({ 'aria-invalid': errors[f] ? ('true' as const) : undefined, 'aria-describedby': errors[f] ? `move-${f}-error` : undefined });
  const refFor = (f: MoveField) => (fields[0] === f ? (first as never) : undefined);
  const text = (f: 'reason' | 'needed_documents' | 'legal_basis', label: MessageKey, multi = false) => (
    <>
      <label for={`move-${f}`}>{t(label)}</label>
      {multi ? (
        <textarea id={`move-${f}`} ref={refFor(f)} rows={3} maxLength={2000} value={input[f]} {...aria(f)} onInput={(e) => set({ [f]: (e.target as HTMLTextAreaElement).value })} />
      ) : (
        <input id={`move-${f}`} ref={refFor(f)} maxLength={500} value={input[f]} {...aria(f)} onInput={(e) => set({ [f]: (e.target as HTMLInputElement).value })} />
      )}
      {err(f)}
    </>
  );
  const reasonLabel: MessageKey = move === 'withdraw' || move === 'return_unreviewed' || move === 'return_to_provider' ? 'move.reason' : move === 'refuse' ? 'move.refusal_text' : 'move.reason_optional';
  return (
    <Dialog open={move !== null} onClose={onClose} labelledBy="move-title" initialFocus={first}>
      {move && (
        <>
          <h2 id="move-title">
            {t(`move.${move}` as MessageKey)} · {c.number}
          </h2>
          <form
            class="dialog-form"
            noValidate
            onSubmit={async (e) => {
              e.preventDefault();
              const local = checkMove(move, input, c.due_on);
              setErrors(local);
              if (Object.keys(local).length > 0) return;
              const field = await onConfirm(move, input);
              if (field) setErrors({ [field]: `cases.error.${field === 'legal_basis' ? 'legal_basis_required' : field === 'new_deadline' ? 'new_deadline_required' : field === 'identity_checked' ? 'identity_not_checked' : 'reason_required'}` as MessageKey });
            }}
          >
            {fields.includes('refusal_ground') && (
              <>
                <label for="move-refusal_ground">{t('move.refusal_ground')}</label>
                <select id="move-refusal_ground" ref={refFor('refusal_ground')} value={input.refusal_ground} {...aria('refusal_ground')} onChange={(e) => set({ refusal_ground: (e.target as HTMLSelectElement).value })}>
                  <option value="">—</option>
                  {grounds.map((g) => (
                    <option key={g.code} value={g.code}>
                      {lang === 'en' && g.en ? g.en : g.uk}
                    </option>
                  ))}
                </select>
                {err('refusal_ground')}
              </>
            )}
            {fields.includes('needed_documents') && text('needed_documents', 'move.needed_documents', true)}
            {fields.includes('legal_basis') && text('legal_basis', 'move.legal_basis')}
            {fields.includes('new_deadline') && (
              <>
                <label for="move-new_deadline">{t('move.new_deadline')}</label>
                <input id="move-new_deadline" ref={refFor('new_deadline')} type="date" min={c.due_on} value={input.new_deadline} {...aria('new_deadline')} onInput={(e) => set({ new_deadline: (e.target as HTMLInputElement).value })} />
                {err('new_deadline')}
              </>
            )}
            {fields.includes('reason') && text('reason', reasonLabel, move === 'refuse')}
            {move === 'refuse' && <p class="dialog-hint">{t('move.appeal')}</p>}
            {fields.includes('issue_method') && (
              <fieldset class="consent">
                <legend>{t('move.issue_method')}</legend>
                {ISSUE_METHODS.map((m, i) => (
                  <label key={m} class="choice">
                    <input type="radio" name="issue-method" ref={i === 0 ? refFor('issue_method') : undefined} checked={input.issue_method === m} onChange={() => set({ issue_method: m })} />
                    {t(`move.issue.${m}`)}
                  </label>
                ))}
              </fieldset>
            )}
            {fields.includes('identity_checked') && input.issue_method === 'in_person' && (
              <>
                <label class="choice">
                  <input type="checkbox" id="move-identity_checked" checked={input.identity_checked} {...aria('identity_checked')} onChange={(e) => set({ identity_checked: (e.target as HTMLInputElement).checked })} />
                  {t('move.identity_checked')}
                </label>
                {err('identity_checked')}
              </>
            )}
            <div class="dialog-buttons">
              <button type="button" class="button" onClick={onClose}>
                {t('move.cancel')}
              </button>
              <button type="submit" class="button button--primary" disabled={busy} data-testid="move-confirm">
                {t('move.confirm')}
              </button>
            </div>
          </form>
        </>
      )}
    </Dialog>
  );
}
