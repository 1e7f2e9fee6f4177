// /t/{token}: the citizen's phone follows their ticket (the QR code on the receipt leads here):
// number, state, people ahead, expected wait, live; a clear call to the window with a beep and a
// vibration; the holder may withdraw a waiting ticket.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, NetworkError, urls } from '../../api/client';
import type { PublicTicket } from '../../api/types';
import { Header } from '../../components/Header';
import { Icon } from '../../components/Icon';
import { LinkStatus } from '../../components/LinkStatus';
import { label, useI18n } from '../../i18n';
import { audioAllowed, beep, unlockAudio, vibrate } from '../../lib/audio';
import { formatPeople, formatTime, formatWait, localName } from '../../lib/format';
import { openStream, type LinkState } from '../../lib/sse';
import { useTitle } from '../../lib/title';
import { canCancel, isFinal, isNewCall, waitingNotes } from './state';
import './track.css';

type Load = { kind: 'loading' } | { kind: 'not_found' } | { kind: 'offline' } | { kind: 'ready' };

export default function Track({ token }: { token: string }) {
  const { lang, t } = useI18n();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [ticket, setTicket] = useState<PublicTicket | null>(null);
  const [link, setLink] = useState<LinkState | null>(null);
  const [sound, setSound] = useState(false);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const previous = useRef<PublicTicket | null>(null);

  const update = (next: PublicTicket) => {
    if (isNewCall(previous.current, next)) {
      void beep();
      vibrate([300, 150, 300, 150, 600]);
    }
    previous.current = next;
    setTicket(next);
  };

  // The first state, retried while the server cannot be reached.
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const r = await api.ticket(token);
        if (stopped) return;
        update(r.ticket);
        setLoad({ kind: 'ready' });
      } catch (e) {
        if (stopped) return;
        if (e instanceof ApiError && e.status === 404) {
          setLoad({ kind: 'not_found' });
          return;
        }
        setLoad({ kind: 'offline' });
        timer = setTimeout(read, 10_000);
      }
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [token]);

  // Live changes until the ticket is over.
  const over = ticket ? isFinal(ticket) : true;
  useEffect(() => {
    if (load.kind !== 'ready' || over) return;
    const stream = openStream({
      url: urls.ticketEvents(token),
      events: { ticket: (data) => update(data as PublicTicket) },
      onState: setLink,
    });
    return () => {
      stream.close();
      setLink(null);
    };
  }, [load.kind, over, token]);

  const called = ticket?.state === 'called';
  useTitle(
    ticket
      ? called
        ? `${ticket.number} → ${t('common.window')} ${ticket.window_number ?? ''}`
        : ticket.number
      : load.kind === 'not_found'
        ? t('track.not_found')
        : t('track.title'),
  );

  const cancel = async () => {
    dialog.current?.close();
    setBusy(true);
    setNotice('');
    try {
      const r = await api.cancelTicket(token);
      update(r.ticket);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setNotice(t('track.cancel_too_late'));
      else if (e instanceof ApiError && e.status === 404) setLoad({ kind: 'not_found' });
      else if (e instanceof NetworkError) setNotice(t('common.offline'));
      else setNotice(t('common.error'));
    } finally {
      setBusy(false);
    }
  };

  const enableSound = async () => {
    const ok = await unlockAudio();
    setSound(ok || audioAllowed());
    if (ok) void beep();
  };

  return (
    <>
      <Header />
      <LinkStatus state={load.kind === 'offline' ? 'offline' : link} />
      <main class="page track">
        {load.kind === 'loading' && <p role="status">{t('common.loading')}</p>}
        {load.kind === 'not_found' && (
          <>
            <h1>{t('track.not_found')}</h1>
            <p>{t('track.not_found_hint')}</p>
          </>
        )}
        {ticket && load.kind !== 'not_found' && (
          <>
            <h1 class="visually-hidden">{t('track.title')}</h1>
            <p class="track-center">{localName(lang, ticket.center)}</p>
            <div class={`track-card track-card--${ticket.state}`}>
              <p class="track-label">{t('track.number')}</p>
              <p class="track-number" data-testid="track-number">
                {ticket.number}
              </p>
              <p class="track-group">
                {localName(lang, ticket.group as { name_uk?: string; name_en?: string })} ·{' '}
                {label(lang, 'purpose', ticket.purpose)}
              </p>
              <div class="track-state" role="status" aria-live="assertive" data-testid="track-state">
                {called ? (
                  <p class="track-call">{t('track.called', { window: ticket.window_number ?? '' })}</p>
                ) : ticket.state === 'serving' ? (
                  <p class="track-call">{t('track.serving', { window: ticket.window_number ?? '' })}</p>
                ) : (
                  <p class="track-state__text">{label(lang, 'state', ticket.state)}</p>
                )}
                {called && ticket.recalls > 0 && <p class="track-recalled">{t('track.recalled')}</p>}
              </div>
              {ticket.state === 'waiting' && (
                <dl class="track-facts">
                  <div>
                    <dt>{t('track.ahead')}</dt>
                    <dd data-testid="track-ahead">
                      {ticket.ahead === null
                        ? '—'
                        : ticket.ahead === 0 && ticket.expected_wait_ms !== null
                          ? t('track.next')
                          : formatPeople(lang, ticket.ahead)}
                    </dd>
                  </div>
                  <div>
                    <dt>{t('track.expected_wait')}</dt>
                    <dd>{formatWait(lang, ticket.expected_wait_ms)}</dd>
                  </div>
                </dl>
              )}
              {waitingNotes(ticket).length > 0 && (
                <ul class="track-notes" data-testid="track-notes">
                  {waitingNotes(ticket).map((note) => (
                    <li key={note.key}>{t(note.key, { n: note.n ?? 0 })}</li>
                  ))}
                </ul>
              )}
              <p class="track-issued">{t('track.issued_at', { time: formatTime(lang, ticket.issued_at) })}</p>
            </div>
            {notice && (
              <p class="track-notice" role="alert">
                {notice}
              </p>
            )}
            {ticket.state === 'waiting' && (
              <>
                <p class="track-hint">{t('track.keep_open')}</p>
                <div class="track-actions">
                  {sound ? (
                    <p class="track-sound-on">
                      <Icon name="bell" /> {t('track.sound_ready')}
                    </p>
                  ) : (
                    <button type="button" class="button" onClick={enableSound}>
                      <Icon name="bell" /> {t('track.sound_on')}
                    </button>
                  )}
                  {canCancel(ticket) && (
                    <button type="button" class="button" disabled={busy} onClick={() => dialog.current?.showModal()}>
                      {t('track.cancel')}
                    </button>
                  )}
                </div>
              </>
            )}
            <dialog ref={dialog} class="track-dialog" aria-labelledby="cancel-question">
              <p id="cancel-question">{t('track.cancel_confirm', { number: ticket.number })}</p>
              <div class="track-dialog__buttons">
                <button type="button" class="button" onClick={() => dialog.current?.close()}>
                  {t('track.cancel_no')}
                </button>
                <button type="button" class="button button--danger" onClick={cancel}>
                  {t('track.cancel_yes')}
                </button>
              </div>
            </dialog>
          </>
        )}
      </main>
    </>
  );
}
