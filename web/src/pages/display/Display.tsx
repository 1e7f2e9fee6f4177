// /display?device=TOKEN: the board in the waiting hall (табло). Current calls, ticket -> window,
// large; the last 8 calls; how many wait in each group; the clock. Each call is announced with a
// chime and the spoken call. Its browser should start with --autoplay-policy=no-user-gesture-required;
// otherwise the board asks for one tap to turn the sound on.
import { useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { urls } from '../../api/client';
import { CENTER_EVENT_TYPES } from '../../api/types';
import { Icon } from '../../components/Icon';
import { LangSwitch } from '../../components/LangSwitch';
import { LinkStatus } from '../../components/LinkStatus';
import { translate, useI18n } from '../../i18n';
import { AutoplayBlocked, chime, playUrl, speak, unlockAudio } from '../../lib/audio';
import { formatClock, formatDate, localName } from '../../lib/format';
import { loadWaitCell } from '../../lib/group-load';
import { useDeviceBoot } from '../../lib/device';
import { openStream, type LinkState } from '../../lib/sse';
import { useTitle } from '../../lib/title';
import { Announcer } from './announcer';
import { useRowsThatFit } from './fit';
import { announcementFor, boardReducer, emptyBoard, spokenNumber } from './state';
import './display.css';

// A call stays highlighted this long after it is made.
const FRESH_MS = 20_000;

export default function Display({ device }: { device: string | null }) {
  const { lang, t } = useI18n();
  const [boot] = useDeviceBoot(device, async () => null, 5000);
  const [board, dispatch] = useReducer(
    (s: typeof emptyBoard, a: { type: string; data: unknown }) => boardReducer(s, a.type, a.data),
    emptyBoard,
  );
  const [link, setLink] = useState<LinkState | null>(null);
  const [now, setNow] = useState(() => new Date());
  const [soundBlocked, setSoundBlocked] = useState(false);
  // How far the board's clock is ahead of the server's: a call is "new" by the server's clock even
  // on a board whose clock is off. Each event's time bounds it from above (a replayed event is old).
  const [skew, setSkew] = useState<number | null>(null);
  useTitle(t('display.title'));
  // Each list shows the newest rows that fit whole in its part of the board.
  const callsBox = useRef<HTMLElement>(null);
  const callsList = useRef<HTMLOListElement>(null);
  const recentBox = useRef<HTMLElement>(null);
  const recentList = useRef<HTMLTableSectionElement>(null);
  const callsShown = useRowsThatFit(callsBox, callsList, board.calls.length);
  const recentShown = useRowsThatFit(recentBox, recentList, board.recent.length);

  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(id);
  }, []);

  const centerId = boot.kind === 'ready' ? boot.centerId : 0;
  const announcer = useMemo(
    () =>
      new Announcer({
        chime,
        play: playUrl,
        speak: (text) => speak(text, 'uk-UA'),
        urlOf: (a) => urls.announcement(centerId, device ?? '', a.number, a.window),
        textOf: (a) => translate('uk', 'display.speech', { number: spokenNumber(a.number), window: a.window }),
        isBlocked: (e) => e instanceof AutoplayBlocked,
        onBlocked: () => setSoundBlocked(true),
      }),
    [centerId, device],
  );

  useEffect(() => {
    if (!centerId || !device) return;
    const clock = (data: unknown) => {
      const at = Date.parse((data as { at?: string }).at ?? '');
      if (Number.isFinite(at)) setSkew((prev) => Math.min(prev ?? Infinity, Date.now() - at));
    };
    const handlers: Record<string, (data: unknown) => void> = {
      snapshot: (data) => {
        clock(data);
        dispatch({ type: 'snapshot', data });
      },
    };
    for (const type of CENTER_EVENT_TYPES) {
      handlers[type] = (data) => {
        clock(data);
        dispatch({ type, data });
        const a = announcementFor(type, data);
        if (a) void announcer.add(a);
      };
    }
    const stream = openStream({ url: urls.centerEvents(centerId, device), events: handlers, onState: setLink });
    return () => {
      stream.close();
      announcer.clear();
    };
  }, [centerId, device, announcer]);

  const enableSound = async () => {
    await unlockAudio();
    setSoundBlocked(false);
  };

  if (boot.kind !== 'ready') {
    const text =
      boot.kind === 'loading'
        ? t('common.loading')
        : boot.reason === 'no_device'
          ? t('display.no_device')
          : boot.reason === 'bad_device'
            ? t('display.bad_device')
            : t('common.offline');
    return (
      <div class="board board--message">
        <p role={boot.kind === 'loading' ? 'status' : 'alert'}>{text}</p>
      </div>
    );
  }

  const fresh = (at: string) => now.getTime() - (skew ?? 0) - Date.parse(at) < FRESH_MS;
  return (
    <div class="board">
      <header class="board-head">
        <h1 class="board-center">{board.center ? localName(lang, board.center) : t('display.title')}</h1>
        <div class="board-clock">
          <span class="board-time" data-testid="clock">
            {formatClock(lang, now)}
          </span>
          <span class="board-date">{formatDate(lang, now)}</span>
        </div>
        <LangSwitch />
      </header>
      <LinkStatus state={link} />
      {soundBlocked && (
        <button type="button" class="board-sound" onClick={enableSound}>
          <Icon name="sound" size={32} /> {t('display.enable_sound')}
        </button>
      )}
      <main class="board-main">
        <section class="board-calls" aria-labelledby="calls-title" ref={callsBox}>
          <h2 id="calls-title">{t('display.now_calling')}</h2>
          {board.calls.length === 0 ? (
            <p class="board-empty">{t('display.no_calls')}</p>
          ) : (
            <ol class={board.calls.length > 2 ? 'board-call-list board-call-list--many' : 'board-call-list'} data-testid="calls" ref={callsList}>
              {board.calls.slice(0, callsShown).map((c) => (
                <li
                  key={`${c.number}-${c.called_at}`}
                  class={fresh(c.called_at) ? 'board-call board-call--fresh' : 'board-call'}
                  data-number={c.number}
                >
                  <span class="board-call__number">{c.number}</span>
                  <span class="board-call__arrow" aria-hidden="true">
                    →
                  </span>
                  <span class="board-call__window">
                    <span class="board-call__window-label">{t('common.window')}</span> {c.window_number}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </section>
        <section class="board-side" aria-labelledby="recent-title" ref={recentBox}>
          <h2 id="recent-title">{t('display.recent')}</h2>
          <table class="board-recent" data-testid="recent">
            <thead>
              <tr>
                <th scope="col">{t('display.ticket')}</th>
                <th scope="col">{t('common.window')}</th>
              </tr>
            </thead>
            <tbody ref={recentList}>
              {board.recent.slice(0, recentShown).map((c, i) => (
                <tr key={`${c.number}-${c.called_at}-${i}`}>
                  <td>{c.number}</td>
                  <td>{c.window_number}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section class="board-queue" aria-labelledby="queue-title">
          <h2 id="queue-title">{t('display.waiting')}</h2>
          <ul class="board-groups" data-testid="groups">
            {board.groups.map((g) => (
              <li key={g.group_id}>
                <span class="board-groups__letter" aria-hidden="true">
                  {g.letter}
                </span>
                <span class="board-groups__name">
                  {localName(lang, g)}
                  {g.waiting > 0 && <span class="board-groups__wait">{loadWaitCell(lang, g)}</span>}
                </span>
                <span class="board-groups__count" aria-label={t('people.waiting', { n: g.waiting })}>
                  {g.waiting}
                </span>
              </li>
            ))}
          </ul>
        </section>
      </main>
    </div>
  );
}
