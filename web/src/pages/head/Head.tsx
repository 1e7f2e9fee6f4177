// /head (?center=ID): the head of center's live view of the queue. Every window and who is at it
// (status, ticket, time with it), the queue of each service group, the waiting tickets longest
// first, and the longest wait, marked in words and colour once it passes the center's target.
// Read from GET /queue/state again whenever the center's live stream says something changed, and
// every 10 s; the times count on in between.
import { useCallback, useMemo, useState } from 'preact/hooks';
import { ApiError, staffApi } from '../../api/client';
import { type QueueState, type StaffTicket } from '../../api/types';
import { GroupName } from '../../components/GroupName';
import { LinkStatus } from '../../components/LinkStatus';
import { MoveDialog } from '../../components/MoveDialog';
import { StaffGate, type ReadySession } from '../../components/StaffGate';
import { label, useI18n, type MessageKey } from '../../i18n';
import { sendCommand } from '../../lib/command';
import { formatElapsed, formatTime, formatWait, localName } from '../../lib/format';
import { orderedReads, useCenterFeed } from '../../lib/center-feed';
import { type LinkState } from '../../lib/sse';
import { useTitle } from '../../lib/title';
import { errorKey } from '../desk/state';
import { headView, type WindowStatus } from './state';
import './head.css';

export const POLL_MS = 10_000;

export default function HeadPage({ center }: { center: number | null }) {
  const { t } = useI18n();
  useTitle(t('head.title'));
  return (
    <StaffGate center={center} path="/head">
      {(session, expire) => <LiveView key={session.centerId} session={session} expire={expire} />}
    </StaffGate>
  );
}

const STATUS_LABEL: Record<WindowStatus, MessageKey> = {
  free: 'head.status.free',
  called: 'head.status.called',
  serving: 'head.status.serving',
  paused: 'head.status.paused',
};

function OverMark({ over }: { over: boolean }) {
  const { t } = useI18n();
  if (!over) return null;
  return (
    <span class="over-mark">
      <span aria-hidden="true">▲ </span>
      {t('head.over')}
    </span>
  );
}

function LiveView({ session, expire }: { session: ReadySession; expire: () => void }) {
  const { lang, t } = useI18n();
  const { centerId, staff } = session;
  const [state, setState] = useState<QueueState | null>(null);
  const [moving, setMoving] = useState<StaffTicket | null>(null);
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null);
  const [readAt, setReadAt] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [offline, setOffline] = useState(false);
  const [forbidden, setForbidden] = useState(false);
  const [link, setLink] = useState<LinkState | null>(null);

  const ordered = useMemo(() => orderedReads(), []);
  const load = useCallback(async () => {
    try {
      await ordered(
        () => staffApi.state(centerId),
        (s) => {
          const at = Date.now();
          setState(s);
          setReadAt(at);
          setNow(at);
          setOffline(false);
        },
      );
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) expire();
      else if (e instanceof ApiError && (e.status === 403 || e.status === 404)) setForbidden(true);
      else setOffline(true);
    }
  }, [centerId, expire, ordered]);

  useCenterFeed(centerId, load, POLL_MS, setLink, setNow);

  // The head sends a waiting ticket on: to a group, or to a colleague by name.
  const reassign = async (ticket: StaffTicket, groupId: number, userId: number | null) => {
    try {
      const r = await sendCommand((key) => staffApi.reassign(staff, centerId, ticket.id, groupId, userId, key));
      const g = state?.groups.find((x) => x.group_id === groupId);
      setSaid({ ok: true, text: t('head.reassign_done', { number: r.ticket?.number ?? ticket.number, group: g ? `${g.letter} · ${localName(lang, g)}` : '' }) });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) expire();
      setSaid({ ok: false, text: t(errorKey(e)) });
    }
    void load();
  };

  if (forbidden) {
    return (
      <main class="page">
        <p role="alert">{t('signin.forbidden')}</p>
      </main>
    );
  }
  if (!state) {
    return (
      <main class="page">
        <LinkStatus state={offline ? 'offline' : null} />
        {!offline && <p role="status">{t('common.loading')}</p>}
      </main>
    );
  }
  const v = headView(state, readAt, now);
  return (
    <main class="page page--wide head">
      <div class="head-top">
        <h1>
          {t('head.title')} <span class="head-center">· {localName(lang, state.center)}</span>
        </h1>
        <p class="head-updated">{t('common.updated_at', { time: formatTime(lang, readAt) })}</p>
      </div>
      <LinkStatus state={offline ? 'offline' : link === 'reconnecting' ? 'reconnecting' : null} />
      {(state.warnings ?? []).some((w) => w.code === 'tracking_url_loopback') && (
        <p class="head-warning" role="alert" data-testid="head-warning">
          {t('head.warning.loopback', { url: state.warnings?.find((w) => w.code === 'tracking_url_loopback')?.public_url ?? '' })}
        </p>
      )}
      {(state.alerts ?? []).length > 0 && (
        <section class="head-alerts" aria-labelledby="alerts-title" data-testid="head-alerts">
          <h2 id="alerts-title">{t('head.alerts')}</h2>
          <ul>
            {(state.alerts ?? []).map((a) => (
              <li key={a.id} class="head-warning" data-code={a.code}>
                {lang === 'en' ? a.message_en : a.message_uk}{' '}
                <span class="head-alert__times">
                  ({t('head.alert_times', { count: String(a.count), time: formatTime(lang, Date.parse(a.last_at)) })})
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section class={v.longestOver ? 'head-longest head-longest--over' : 'head-longest'} aria-labelledby="longest-title" data-testid="head-longest">
        <h2 id="longest-title">{t('head.longest')}</h2>
        <p class="head-longest__value">
          {v.longestTicket ? (
            <>
              <span class="head-longest__time" data-testid="head-longest-time">
                {formatElapsed(v.longestMs)}
              </span>{' '}
              <span class="head-longest__ticket">
                {t('head.longest_ticket', { number: v.longestTicket.number })}
              </span>
            </>
          ) : (
            <span>{t('head.no_waiting')}</span>
          )}
        </p>
        <p class="head-longest__target" data-testid="head-longest-verdict">
          {t('head.target', { n: Math.round(v.targetMs / 60_000) })}
          {v.longestTicket && (v.longestOver ? <> — <OverMark over /></> : <> — {t('head.within')}</>)}
        </p>
      </section>

      <div class="head-grid">
        <section aria-labelledby="windows-title">
          <h2 id="windows-title">{t('head.windows')}</h2>
          {v.windows.length === 0 ? (
            <p>{t('head.no_admins')}</p>
          ) : (
            <table class="head-table" data-testid="head-windows">
              <thead>
                <tr>
                  <th scope="col">{t('common.window')}</th>
                  <th scope="col">{t('head.admin')}</th>
                  <th scope="col">{t('head.status')}</th>
                  <th scope="col">{t('head.ticket')}</th>
                  <th scope="col" class="num">
                    {t('head.with')}
                  </th>
                  <th scope="col" class="num">
                    {t('head.since')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {v.windows.map((w) => (
                  <tr key={w.userId} class={`head-status--${w.status}`}>
                    <th scope="row" class="num">
                      {w.windowNumber ?? '—'}
                    </th>
                    <td>{w.name}</td>
                    <td>
                      <span class={`status-pill status-pill--${w.status}`}>{t(STATUS_LABEL[w.status])}</span>
                      {w.status === 'paused' && w.pauseReason && <span class="head-reason"> {w.pauseReason}</span>}
                    </td>
                    <td>{w.ticket?.number ?? '—'}</td>
                    <td class="num">{w.withMs !== null ? formatElapsed(w.withMs) : '—'}</td>
                    <td class="num">{formatElapsed(w.inStatusMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section aria-labelledby="groups-title">
          <h2 id="groups-title">{t('head.groups')}</h2>
          <table class="head-table" data-testid="head-groups">
            <thead>
              <tr>
                <th scope="col">{t('desk.group')}</th>
                <th scope="col" class="num">
                  {t('head.waiting')}
                </th>
                <th scope="col" class="num">
                  {t('head.administrators')}
                </th>
                <th scope="col" class="num">
                  {t('head.expected')}
                </th>
                <th scope="col" class="num">
                  {t('head.longest')}
                </th>
              </tr>
            </thead>
            <tbody>
              {v.groups.map((g) => (
                <tr key={g.group.group_id} class={g.over ? 'is-over' : ''}>
                  <th scope="row">
                    <GroupName group={g.group} />
                  </th>
                  <td class="num">{g.group.waiting}</td>
                  <td class="num">{g.group.administrators}</td>
                  <td class="num">{g.group.waiting > 0 ? formatWait(lang, g.group.expected_wait_ms) : '—'}</td>
                  <td class="num">
                    {g.group.waiting > 0 ? formatElapsed(g.longestMs) : '—'} <OverMark over={g.over} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      <section aria-labelledby="waiting-title">
        <div role="status" class={said && !said.ok ? 'head-said head-said--error' : 'head-said'} data-testid="head-said">
          {said?.text}
        </div>
        <h2 id="waiting-title">
          {t('head.waiting_tickets')} <span class="head-count">({state.waiting.length})</span>
        </h2>
        {v.waiting.length === 0 ? (
          <p>{t('head.no_waiting')}</p>
        ) : (
          <table class="head-table" data-testid="head-waiting">
            <thead>
              <tr>
                <th scope="col">{t('head.ticket')}</th>
                <th scope="col">{t('desk.group')}</th>
                <th scope="col">{t('desk.purpose')}</th>
                <th scope="col">{t('desk.priority')}</th>
                <th scope="col" class="num">
                  {t('head.waited')}
                </th>
                <th scope="col">
                  <span class="visually-hidden">{t('head.reassign')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {v.waiting.map((w) => (
                <tr key={w.ticket.id} class={w.over ? 'is-over' : ''}>
                  <th scope="row">
                    {w.ticket.number}
                    {w.ticket.transfers.length > 0 && <span class="head-reason"> ({t('head.transferred')})</span>}
                  </th>
                  <td>
                    {localName(lang, w.ticket.group)}
                    {w.ticket.target_user && (
                      <span class={w.ticket.target_user.status === 'signed_out' ? 'head-named head-named--away' : 'head-named'}>
                        {' '}
                        {t('head.named_for', { name: w.ticket.target_user.name })}
                        {w.ticket.target_user.status === 'signed_out' && <> · {t('head.named_away')}</>}
                      </span>
                    )}
                  </td>
                  <td>{label(lang, 'purpose', w.ticket.purpose)}</td>
                  <td>{w.ticket.priority ? label(lang, 'priority', w.ticket.priority) : '—'}</td>
                  <td class="num">
                    {formatElapsed(w.waitedMs)} <OverMark over={w.over} />
                  </td>
                  <td>
                    <button
                      type="button"
                      class="button head-reassign"
                      aria-label={t('head.reassign_title', { number: w.ticket.number })}
                      onClick={() => setMoving(w.ticket)}
                    >
                      {t('head.reassign')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <MoveDialog
        open={moving !== null}
        title={t('head.reassign_title', { number: moving?.number ?? '' })}
        confirm={t('head.reassign')}
        groups={state.groups}
        fromGroup={null}
        colleagues={state.colleagues ?? []}
        onClose={() => setMoving(null)}
        onMove={(groupId, userId) => {
          const ticket = moving;
          setMoving(null);
          if (ticket) void reassign(ticket, groupId, userId);
        }}
      />
    </main>
  );
}
