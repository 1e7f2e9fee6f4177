// /desk (?center=ID): the administrator's console at a window. Choose a window, then one large
// "Наступний" button and the ticket at hand: recall, start, finish with an outcome, transfer,
// no-show, a break, leaving the window. Every command works from the keyboard alone (the keys are
// listed on the screen), carries a fresh Idempotency-Key and is sent again with the same key when
// the server could not be reached. The screen is read again after every command and whenever the
// center's live stream says something changed (and every 15 s in case the stream is down).
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, staffApi } from '../../api/client';
import { OUTCOMES, type Desk, type Menu, type Outcome, type StaffTicket } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { GroupName } from '../../components/GroupName';
import { LinkStatus } from '../../components/LinkStatus';
import { MoveDialog } from '../../components/MoveDialog';
import { StaffGate, type ReadySession } from '../../components/StaffGate';
import { label, useI18n, type Lang, type MessageKey, type Translate } from '../../i18n';
import { sendCommand } from '../../lib/command';
import { formatElapsed, formatTime, formatWait, localName } from '../../lib/format';
import { orderedReads, useCenterFeed } from '../../lib/center-feed';
import { type LinkState } from '../../lib/sse';
import { useTitle } from '../../lib/title';
import {
  actionFor,
  allowedActions,
  errorKey,
  liveMs,
  registrableTicket,
  registrationHref,
  SHORTCUTS,
  shortcutOf,
  suggestedOutcome,
  type DeskAction,
  type Shortcut,
} from './state';
import './desk.css';

export const POLL_MS = 15_000;

export default function DeskPage({ center }: { center: number | null }) {
  const { t } = useI18n();
  useTitle(t('desk.title'));
  return (
    <StaffGate center={center} path="/desk">
      {(session, expire) => <Console key={session.centerId} session={session} expire={expire} />}
    </StaffGate>
  );
}

type DialogKind = 'finish' | 'correct' | 'transfer' | 'pause' | null;

// What the feedback line says after a command, written in the language of the moment it is shown:
// switching УКР/ENG after a command re-says it (a string made at the command would stay as it was).
type Said = (t: Translate, lang: Lang) => string;

const ACTION_LABEL: Record<DeskAction, MessageKey> = {
  next: 'desk.next',
  recall: 'desk.recall',
  start: 'desk.start',
  finish: 'desk.finish',
  transfer: 'desk.transfer',
  no_show: 'desk.no_show',
  pause: 'desk.pause',
  resume: 'desk.resume',
};
const SHORTCUT_LABEL: Record<Shortcut, MessageKey> = {
  next: 'desk.next',
  recall: 'desk.recall',
  start: 'desk.start',
  finish: 'desk.finish',
  transfer: 'desk.transfer',
  no_show: 'desk.no_show',
  pause: 'desk.pause_or_resume',
  register: 'cases.register_button',
};
const KEY_OF: Partial<Record<DeskAction, string>> = {
  next: 'N',
  recall: 'R',
  start: 'S',
  finish: 'F',
  transfer: 'T',
  no_show: 'X',
  pause: 'P',
  resume: 'P',
};

function targetKind(el: EventTarget | null): 'field' | 'control' | 'other' {
  const e = el as HTMLElement | null;
  if (!e || !e.tagName) return 'other';
  if (e.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(e.tagName)) return 'field';
  if (/^(BUTTON|A|SUMMARY)$/.test(e.tagName) || e.getAttribute('role') === 'button') return 'control';
  return 'other';
}

function Console({ session, expire }: { session: ReadySession; expire: () => void }) {
  const { lang, t } = useI18n();
  const { centerId, staff } = session;
  const [desk, setDesk] = useState<Desk | null>(null);
  const [readAt, setReadAt] = useState(0);
  const [menu, setMenu] = useState<Menu | null>(null);
  const [fatal, setFatal] = useState<MessageKey | null>(null);
  const [offline, setOffline] = useState(false);
  const [link, setLink] = useState<LinkState | null>(null);
  const [error, setError] = useState<MessageKey | null>(null);
  const [notice, setNotice] = useState<Said | null>(null);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const [dialog, setDialog] = useState<DialogKind>(null);
  const [now, setNow] = useState(() => Date.now());
  const nextButton = useRef<HTMLButtonElement>(null);

  const ordered = useMemo(() => orderedReads(), []);
  const load = useCallback(async () => {
    try {
      await ordered(
        () => staffApi.desk(centerId),
        (d) => {
          setDesk(d);
          setReadAt(Date.now());
          setOffline(false);
        },
      );
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) expire();
      else if (e instanceof ApiError && (e.status === 403 || e.status === 404)) setFatal('signin.forbidden');
      else setOffline(true);
    }
  }, [centerId, expire, ordered]);

  useEffect(() => {
    api
      .menu(centerId)
      .then(setMenu)
      .catch(() => undefined);
  }, [centerId]);
  useCenterFeed(centerId, load, POLL_MS, setLink, setNow);

  const admin = desk?.administrator ?? null;
  const ticket = admin?.ticket ?? null;
  const allowed = useMemo(() => allowedActions(admin), [admin]);

  // The focus never gets lost: when the button that had it goes (disabled after a command, or the
  // window chosen), it moves to "Наступний" when that can be pressed.
  useEffect(() => {
    if (busy || dialog) return;
    const active = document.activeElement;
    const lost = !active || active === document.body || (active as HTMLButtonElement).disabled;
    if (lost && nextButton.current && !nextButton.current.disabled) nextButton.current.focus();
  }, [desk, busy, dialog]);

  // Runs one command: a fresh key, retried with the same key on a lost connection; then the
  // screen is read again, whatever the answer. The console stays busy until that read is shown,
  // and the notice comes with it: before, the screen still shows the moment before the command
  // (the ticket just finished still held), and a key pressed on the strength of the notice would
  // be weighed against it and do nothing (P for a break, refused while a ticket is held).
  const run = useCallback(
    async <T,>(send: (key: string) => Promise<T>, done?: (answer: T) => Said) => {
      if (busyRef.current) return;
      busyRef.current = true;
      setBusy(true);
      setError(null);
      setNotice(null);
      try {
        let said: Said | null = null;
        try {
          const answer = await sendCommand(send);
          if (done) said = done(answer);
        } catch (e) {
          if (e instanceof ApiError && e.status === 401) {
            expire();
            return;
          }
          setError(errorKey(e));
        }
        await load();
        setNotice(() => said);
      } finally {
        busyRef.current = false;
        setBusy(false);
      }
    },
    [expire, load],
  );

  const numberOf = (x: { ticket: StaffTicket | null }) => x.ticket?.number ?? '';
  const doAction = useCallback(
    (action: DeskAction) => {
      if (!allowed.has(action) || busyRef.current) return;
      const id = ticket?.id ?? 0;
      switch (action) {
        case 'next':
          void run(
            (key) => staffApi.next(staff, centerId, key),
            (r) => (t) => (r.ticket ? t('desk.said.called', { number: r.ticket.number }) : t('desk.queue_empty')),
          );
          break;
        case 'recall':
          void run(
            (key) => staffApi.onTicket(staff, centerId, id, 'recall', key),
            (r) => (t) => (r.ticket?.state === 'no_show' ? t('desk.said.no_show', { number: numberOf(r) }) : t('desk.said.recalled', { number: numberOf(r) })),
          );
          break;
        case 'start':
          void run(
            (key) => staffApi.onTicket(staff, centerId, id, 'start', key),
            (r) => (t) => t('desk.said.started', { number: numberOf(r) }),
          );
          break;
        case 'no_show':
          void run(
            (key) => staffApi.onTicket(staff, centerId, id, 'no-show', key),
            (r) => (t) => t('desk.said.no_show', { number: numberOf(r) }),
          );
          break;
        case 'resume':
          void run((key) => staffApi.resume(staff, centerId, key), () => (t) => t('desk.said.resumed'));
          break;
        case 'finish':
        case 'transfer':
        case 'pause':
          setError(null);
          setDialog(action);
          break;
      }
    },
    [allowed, centerId, run, staff, ticket],
  );

  // The keyboard: one listener for the page, silent while a dialog is open or a field is typed in.
  // It reads the moment from a ref set at every render, so a key pressed right after a change
  // (a dialog just closed) never meets a listener that still sees the moment before.
  const moment = useRef({ admin, dialog, doAction, centerId });
  moment.current = { admin, dialog, doAction, centerId };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const m = moment.current;
      if (m.dialog || e.defaultPrevented || !m.admin) return;
      const s = shortcutOf({
        code: e.code,
        key: e.key,
        ctrlKey: e.ctrlKey,
        altKey: e.altKey,
        metaKey: e.metaKey,
        repeat: e.repeat,
        target: targetKind(e.target),
      });
      if (!s) return;
      e.preventDefault();
      if (s === 'register') {
        const id = registrableTicket(m.admin);
        if (id) location.assign(registrationHref(m.centerId, id));
        return;
      }
      const action = actionFor(s, m.admin);
      if (action) m.doAction(action);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  if (fatal) {
    return (
      <main class="page">
        <p role="alert">{t(fatal)}</p>
      </main>
    );
  }
  if (!desk) {
    return (
      <main class="page">
        <LinkStatus state={offline ? 'offline' : null} />
        {!offline && <p role="status">{t('common.loading')}</p>}
      </main>
    );
  }
  const centerName = menu ? localName(lang, menu.center) : '';

  if (!admin) {
    return (
      <WindowChoice
        desk={desk}
        head={session.me.role === 'center_head'}
        centerId={centerId}
        centerName={centerName}
        error={error}
        busy={busy}
        offline={offline}
        onChoose={(windowId) =>
          void run(
            (key) => staffApi.signIn(staff, centerId, windowId, key),
            (r) => (t) => t('desk.said.at_window', { number: r.administrator.window_number ?? '' }),
          )
        }
      />
    );
  }

  const groupName = (id: number, inLang: Lang = lang) => {
    const g = menu?.groups.find((x) => x.group_id === id) ?? desk.groups.find((x) => x.group_id === id);
    return g ? `${g.letter} · ${localName(inLang, g)}` : `#${id}`;
  };
  const personName = (id: number | null) => {
    if (id === null) return '';
    if (id === session.me.id) return t('desk.you');
    return desk.colleagues.find((c) => c.user_id === id)?.name ?? t('desk.user_unknown', { id });
  };
  const paused = admin.status === 'paused';
  // The last finish, while its outcome may be corrected (by the server's clock at the read).
  const correctable =
    desk.correctable && Date.parse(desk.correctable.until) - Date.parse(desk.at) > now - readAt ? desk.correctable : null;
  // Time in this status by the server's clock at the read, counted on since: this browser's clock may be off.
  const inStatus = admin.since ? liveMs(Date.parse(desk.at) - Date.parse(admin.since), readAt, now) : null;

  const actionButton = (action: DeskAction, extra = '') => (
    <button
      type="button"
      class={`button desk-action ${extra}`}
      disabled={busy || !allowed.has(action)}
      aria-keyshortcuts={KEY_OF[action]}
      onClick={() => doAction(action)}
    >
      <span>{t(ACTION_LABEL[action])}</span>
      <kbd aria-hidden="true">{KEY_OF[action]}</kbd>
    </button>
  );

  return (
    <main class="page page--wide desk">
      <div class="desk-top">
        <h1>
          {t('desk.at_window', { number: admin.window_number ?? '' })}
          {centerName && <span class="desk-center"> · {centerName}</span>}
        </h1>
        <p class={paused ? 'desk-status desk-status--paused' : 'desk-status'} data-testid="desk-status">
          {paused
            ? admin.pause_reason
              ? t('desk.paused_reason', { reason: admin.pause_reason })
              : t('desk.status.paused')
            : t('desk.status.available')}
          {paused && inStatus !== null && <span class="desk-status__time"> · {formatElapsed(inStatus)}</span>}
        </p>
        <div class="desk-top__buttons">
          {paused ? actionButton('resume', 'button--primary') : actionButton('pause')}
          <button
            type="button"
            class="button"
            disabled={busy || !!ticket}
            onClick={() => void run((key) => staffApi.signOut(staff, centerId, key), () => (t) => t('desk.said.left'))}
          >
            {t('desk.sign_out')}
          </button>
        </div>
      </div>
      <LinkStatus state={offline ? 'offline' : link === 'reconnecting' ? 'reconnecting' : null} />
      <div class="desk-messages">
        <div role="alert" class={error ? 'desk-error' : 'desk-error desk-error--empty'} data-testid="desk-error">
          {error && t(error)}
        </div>
        <div role="status" class="desk-notice" data-testid="desk-notice">
          {notice?.(t, lang)}
        </div>
        {correctable && (
          <button type="button" class="button desk-correct" data-testid="desk-correct" disabled={busy} onClick={() => setDialog('correct')}>
            {t('desk.correct', { number: correctable.number, until: formatTime(lang, correctable.until) })}
          </button>
        )}
      </div>

      <div class="desk-grid">
        <section class="desk-main" aria-labelledby="current-title">
          <button
            ref={nextButton}
            type="button"
            class="desk-next"
            disabled={busy || !allowed.has('next')}
            aria-keyshortcuts="N Space Enter"
            onClick={() => doAction('next')}
          >
            {t('desk.next')}
            <kbd aria-hidden="true">N</kbd>
          </button>
          <h2 id="current-title">{t('desk.current')}</h2>
          {ticket ? (
            <TicketCard ticket={ticket} now={now} readAt={readAt} groupName={groupName} personName={personName} t={t} lang={lang} />
          ) : (
            <p class="desk-empty" data-testid="desk-no-ticket">
              {paused ? t('desk.paused_hint') : t('desk.no_ticket')}
            </p>
          )}
          <div class="desk-actions" role="group" aria-label={t('desk.actions')}>
            {actionButton('recall')}
            {actionButton('start')}
            {actionButton('finish', 'button--primary')}
            {actionButton('transfer')}
            {actionButton('no_show')}
          </div>
          <div class="desk-register">
            {registrableTicket(admin) ? (
              <a
                class="button button--primary desk-action"
                href={registrationHref(centerId, registrableTicket(admin))}
                aria-keyshortcuts="A"
                data-testid="desk-register"
              >
                <span>{t('cases.register_button')}</span>
                <kbd aria-hidden="true">A</kbd>
              </a>
            ) : null}
            <a href={registrationHref(centerId, null)} data-testid="desk-register-without">
              {t('cases.register_without_ticket')}
            </a>
            <a href={`/cases?center=${centerId}`}>{t('cases.to_register')}</a>
          </div>
        </section>

        <aside class="desk-side">
          <section aria-labelledby="queues-title">
            <h2 id="queues-title">{t('desk.my_queues')}</h2>
            <table class="desk-table" data-testid="desk-queues">
              <thead>
                <tr>
                  <th scope="col">{t('desk.group')}</th>
                  <th scope="col" class="num">
                    {t('head.waiting')}
                  </th>
                  <th scope="col" class="num">
                    {t('head.expected')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {desk.groups.map((g) => (
                  <tr key={g.group_id}>
                    <th scope="row">
                      <GroupName group={g} />
                    </th>
                    <td class="num">{g.waiting}</td>
                    <td class="num">{g.waiting > 0 ? formatWait(lang, g.expected_wait_ms) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="today-title">
            <h2 id="today-title">{t('desk.today')}</h2>
            <dl class="desk-today" data-testid="desk-today">
              <div>
                <dt>{t('desk.served')}</dt>
                <dd>{desk.today.served}</dd>
              </div>
              <div>
                <dt>{t('desk.average')}</dt>
                <dd>{desk.today.served > 0 ? formatElapsed(desk.today.average_ms) : '—'}</dd>
              </div>
            </dl>
          </section>
          <section aria-labelledby="keys-title">
            <h2 id="keys-title">{t('desk.shortcuts')}</h2>
            <ul class="desk-keys">
              {SHORTCUTS.map((s) => (
                <li key={s.action}>
                  <span class="desk-keys__keys">
                    {s.keys.map((k, i) => (
                      <span key={k}>
                        {i > 0 && <span class="desk-keys__or"> {t('desk.key_or')} </span>}
                        <kbd>{k === 'Space' ? t('desk.key_space') : k}</kbd>
                      </span>
                    ))}
                  </span>
                  <span>{t(SHORTCUT_LABEL[s.action])}</span>
                </li>
              ))}
            </ul>
          </section>
        </aside>
      </div>

      <FinishDialog
        open={dialog === 'finish'}
        title={t('desk.finish_title', { number: ticket?.number ?? '' })}
        suggested={suggestedOutcome(ticket?.purpose)}
        onClose={() => setDialog(null)}
        onChoose={(outcome) => {
          setDialog(null);
          if (!ticket) return;
          void run(
            (key) => staffApi.finish(staff, centerId, ticket.id, outcome, key),
            (r) => (t, lang) => t('desk.said.finished', { number: numberOf(r), outcome: label(lang, 'outcome', outcome) }),
          );
        }}
      />
      <MoveDialog
        open={dialog === 'transfer'}
        title={t('desk.transfer_title', { number: ticket?.number ?? '' })}
        confirm={t('desk.transfer_confirm')}
        groups={menu?.groups ?? desk.groups}
        fromGroup={ticket?.group.id ?? null}
        colleagues={desk.colleagues}
        onClose={() => setDialog(null)}
        onMove={(groupId, userId) => {
          setDialog(null);
          if (!ticket) return;
          void run(
            (key) => staffApi.transfer(staff, centerId, ticket.id, groupId, userId, key),
            (r) => (t, lang) =>
              userId
                ? t('desk.said.transferred_user', { number: numberOf(r), group: groupName(groupId, lang), to: personName(userId) })
                : t('desk.said.transferred', { number: numberOf(r), group: groupName(groupId, lang) }),
          );
        }}
      />
      {correctable && (
        <FinishDialog
          open={dialog === 'correct'}
          title={t('desk.correct_title', { number: correctable.number })}
          suggested={correctable.outcome ?? 'other'}
          onClose={() => setDialog(null)}
          onChoose={(outcome) => {
            setDialog(null);
            void run(
              (key) => staffApi.correctOutcome(staff, centerId, correctable.ticket_id, outcome, key),
              (r) => (t, lang) => t('desk.said.corrected', { number: numberOf(r), outcome: label(lang, 'outcome', outcome) }),
            );
          }}
        />
      )}
      <PauseDialog
        open={dialog === 'pause'}
        onClose={() => setDialog(null)}
        onPause={(reason) => {
          setDialog(null);
          void run((key) => staffApi.pause(staff, centerId, reason, key), () => (t) => t('desk.said.paused'));
        }}
      />
    </main>
  );
}

function WindowChoice({
  desk,
  head,
  centerId,
  centerName,
  error,
  busy,
  offline,
  onChoose,
}: {
  desk: Desk;
  head: boolean;
  centerId: number;
  centerName: string;
  error: MessageKey | null;
  busy: boolean;
  offline: boolean;
  onChoose: (windowId: number) => void;
}) {
  const { t } = useI18n();
  const windows = [...desk.windows].sort((a, b) => a.number - b.number);
  const firstFree = windows.find((w) => !w.taken_by);
  const firstFreeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => firstFreeButton.current?.focus(), []);
  // The head of center with no service group of her own has no window to take: her page is /head.
  if (head && (desk.groups.length === 0 || error === 'desk.error.no_skills')) {
    return (
      <main class="page desk-choose">
        <h1>{t('desk.title')}</h1>
        {centerName && <p class="desk-center-line">{centerName}</p>}
        <p data-testid="desk-head-note">{t('desk.head_no_window')}</p>
        <p>
          <a class="button button--primary" href={`/head?center=${centerId}`}>
            {t('desk.head_go')}
          </a>
        </p>
      </main>
    );
  }
  return (
    <main class="page desk-choose">
      <h1>{t('desk.choose_window')}</h1>
      {centerName && <p class="desk-center-line">{centerName}</p>}
      <LinkStatus state={offline ? 'offline' : null} />
      <div role="alert" class={error ? 'desk-error' : 'desk-error desk-error--empty'} data-testid="desk-error">
        {error && t(error)}
      </div>
      {windows.length === 0 ? (
        <p>{t('desk.no_windows')}</p>
      ) : (
        <ul class="desk-windows">
          {windows.map((w) => (
            <li key={w.id}>
              <button
                type="button"
                class={w.taken_by ? 'desk-window desk-window--taken' : 'desk-window'}
                disabled={busy}
                ref={w === firstFree ? firstFreeButton : undefined}
                onClick={() => onChoose(w.id)}
              >
                <span class="desk-window__number">{t('desk.window_n', { number: w.number })}</span>
                <span class="desk-window__state">
                  {w.taken_by ? t('desk.window_taken_by', { name: w.taken_by.name }) : t('desk.window_free')}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <p class="desk-hint">{t('desk.choose_hint')}</p>
    </main>
  );
}

function TicketCard({
  ticket,
  now,
  readAt,
  groupName,
  personName,
  t,
  lang,
}: {
  ticket: StaffTicket;
  now: number;
  readAt: number;
  groupName: (id: number) => string;
  personName: (id: number | null) => string;
  t: Translate;
  lang: 'uk' | 'en';
}) {
  const withMs = liveMs(ticket.with_ms ?? 0, readAt, now);
  return (
    <div class={`desk-ticket desk-ticket--${ticket.state}`} data-testid="desk-ticket">
      <div class="desk-ticket__head">
        <span class="desk-ticket__number" data-testid="desk-ticket-number">
          {ticket.number}
        </span>
        <span class="desk-ticket__state" data-testid="desk-ticket-state">
          {ticket.state === 'serving' ? t('desk.state.serving') : t('desk.state.called')}
        </span>
      </div>
      {ticket.priority && (
        <p class="desk-ticket__priority" data-testid="desk-ticket-priority">
          {t('desk.priority_line', { category: label(lang, 'priority', ticket.priority) })}
        </p>
      )}
      <dl class="desk-ticket__facts">
        <div>
          <dt>{t('desk.group')}</dt>
          <dd>{groupName(ticket.group.id)}</dd>
        </div>
        <div>
          <dt>{t('desk.purpose')}</dt>
          <dd>{label(lang, 'purpose', ticket.purpose)}</dd>
        </div>
        <div>
          <dt>{t('desk.waited')}</dt>
          <dd data-testid="desk-ticket-waited">{formatElapsed(ticket.waited_ms)}</dd>
        </div>
        <div>
          <dt>{ticket.state === 'serving' ? t('desk.with_you') : t('desk.since_call')}</dt>
          <dd data-testid="desk-ticket-with">{formatElapsed(withMs)}</dd>
        </div>
        <div>
          <dt>{t('desk.issued')}</dt>
          <dd>{formatTime(lang, ticket.issued_at)}</dd>
        </div>
        {ticket.recalls > 0 && (
          <div>
            <dt>{t('desk.recalls')}</dt>
            <dd>{ticket.recalls}</dd>
          </div>
        )}
      </dl>
      {ticket.transfers.length > 0 && (
        <div class="desk-ticket__transfers">
          <h3>{t('desk.transfers')}</h3>
          <ol data-testid="desk-ticket-transfers">
            {ticket.transfers.map((x, i) => (
              <li key={i}>
                {x.to_user_id
                  ? t('desk.transfer_line_user', {
                      at: formatTime(lang, x.at),
                      from: personName(x.from_user_id),
                      group: groupName(x.to_group_id),
                      to: personName(x.to_user_id),
                    })
                  : t('desk.transfer_line', { at: formatTime(lang, x.at), from: personName(x.from_user_id), group: groupName(x.to_group_id) })}
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}

// The outcome of a visit. The keys 1-5 always mean the same outcome (OUTCOMES' order): the one
// that fits the purpose is only marked and focused (Enter takes it), never moved.
function FinishDialog({
  open,
  title,
  suggested,
  onClose,
  onChoose,
}: {
  open: boolean;
  title: string;
  suggested: Outcome;
  onClose: () => void;
  onChoose: (outcome: Outcome) => void;
}) {
  const { t } = useI18n();
  const focused = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      labelledBy="finish-title"
      initialFocus={focused}
      onKeyDown={(e) => {
        const n = Number(e.key);
        if (Number.isInteger(n) && n >= 1 && n <= OUTCOMES.length && !e.ctrlKey && !e.altKey && !e.metaKey) {
          e.preventDefault();
          onChoose(OUTCOMES[n - 1]!);
        }
      }}
    >
      <h2 id="finish-title">{title}</h2>
      <p class="dialog-hint">{t('desk.finish_hint')}</p>
      <ul class="dialog-choices">
        {OUTCOMES.map((o, i) => (
          <li key={o}>
            <button
              ref={o === suggested ? focused : undefined}
              type="button"
              class={o === suggested ? 'button button--primary dialog-choice' : 'button dialog-choice'}
              aria-keyshortcuts={String(i + 1)}
              onClick={() => onChoose(o)}
            >
              <kbd aria-hidden="true">{i + 1}</kbd>
              <span>{t(`outcome.${o}` as MessageKey)}</span>
              {o === suggested && <span class="dialog-choice__hint"> · {t('desk.finish_suggested')}</span>}
            </button>
          </li>
        ))}
      </ul>
      <div class="dialog-buttons">
        <button type="button" class="button" onClick={onClose}>
          {t('desk.cancel')}
        </button>
      </div>
    </Dialog>
  );
}

function PauseDialog({ open, onClose, onPause }: { open: boolean; onClose: () => void; onPause: (reason: string) => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => {
    if (open) setReason('');
  }, [open]);
  return (
    <Dialog open={open} onClose={onClose} labelledBy="pause-title" initialFocus={input}>
      <h2 id="pause-title">{t('desk.pause_title')}</h2>
      <form
        class="dialog-form"
        onSubmit={(e) => {
          e.preventDefault();
          onPause(reason.trim());
        }}
      >
        <label for="pause-reason">{t('desk.pause_reason')}</label>
        <input
          id="pause-reason"
          ref={input}
          maxLength={200}
          value={reason}
          onInput={(e) => setReason((e.target as HTMLInputElement).value)}
        />
        <div class="dialog-buttons">
          <button type="button" class="button" onClick={onClose}>
            {t('desk.cancel')}
          </button>
          <button type="submit" class="button button--primary">
            {t('desk.pause_confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
