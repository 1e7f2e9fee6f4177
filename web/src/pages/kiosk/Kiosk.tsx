// The kiosk (термінал): a touch screen at the entrance that issues queue tickets and prints them
// on an 80 mm receipt printer. Opened once as /kiosk?device=TOKEN; the token is the kiosk's device
// token, sent as Authorization: Bearer, kept in the browser and taken out of the address
// (lib/device.ts rememberDevice).
import type { RefObject } from 'preact';
import { useCallback, useEffect, useReducer, useRef, useState } from 'preact/hooks';
import { api, ApiError, NetworkError } from '../../api/client';
import type { Menu, Purpose } from '../../api/types';
import { LangSwitch } from '../../components/LangSwitch';
import { DEFAULT_LANG, label, setLang, useI18n } from '../../i18n';
import { formatDate, formatPeople, formatTime, formatWait, localName } from '../../lib/format';
import { useDeviceBoot } from '../../lib/device';
import { kioskGroupLine } from '../../lib/group-load';
import { newIdempotencyKey } from '../../lib/ids';
import { idleResets, initialKiosk, kioskReducer, type KioskState } from './state';
import './kiosk.css';

export const IDLE_MS = 30_000;
const MENU_REFRESH_MS = 60_000;
// Tries of one press before "no connection" (the same key each time), and the pauses between them.
const ISSUE_RETRY_DELAYS_MS = [1000, 2000];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default function Kiosk({ device }: { device: string | null }) {
  const { lang, t } = useI18n();
  const [linkDown, setLinkDown] = useState(false);
  const [state, dispatch] = useReducer(kioskReducer, initialKiosk);
  const heading = useRef<HTMLHeadingElement>(null);

  // The center of this kiosk, then its menu; retried while the server cannot be reached.
  const [boot, setBoot] = useDeviceBoot(device, (id) => api.menu(id), 10_000);

  const centerId = boot.kind === 'ready' ? boot.centerId : 0;

  // Queue lengths on the buttons stay fresh; a failed refresh says the link is down.
  const refreshMenu = useCallback(async () => {
    if (!centerId) return;
    try {
      const menu = await api.menu(centerId);
      setBoot({ kind: 'ready', centerId, data: menu });
      setLinkDown(false);
    } catch (e) {
      if (e instanceof NetworkError) setLinkDown(true);
    }
  }, [centerId]);

  useEffect(() => {
    if (!centerId) return;
    const id = setInterval(() => void refreshMenu(), MENU_REFRESH_MS);
    return () => clearInterval(id);
  }, [centerId, refreshMenu]);

  // One press, sent until it is answered: the same Idempotency-Key on every try.
  useEffect(() => {
    if (state.step !== 'issuing' || !device || !centerId) return;
    const { choice, key } = state;
    let cancelled = false;
    void (async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          const issued = await api.issue(
            centerId,
            device,
            {
              group_id: choice.group.group_id,
              purpose: choice.purpose,
              ...(choice.priority ? { priority: choice.priority } : {}),
            },
            key,
          );
          if (cancelled) return;
          setLinkDown(false);
          dispatch({ type: 'issued', key, issued });
          return;
        } catch (e) {
          if (cancelled) return;
          if (e instanceof NetworkError && attempt < ISSUE_RETRY_DELAYS_MS.length) {
            await sleep(ISSUE_RETRY_DELAYS_MS[attempt]!);
            if (cancelled) return;
            continue;
          }
          if (e instanceof NetworkError) setLinkDown(true);
          const reason = e instanceof NetworkError ? 'offline' : e instanceof ApiError && e.status === 429 ? 'busy' : 'rejected';
          dispatch({ type: 'failed', key, reason });
          return;
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [state, device, centerId]);

  // The receipt is printed once, when the ticket appears.
  useEffect(() => {
    if (state.step === 'ticket') {
      const id = setTimeout(() => window.print(), 300);
      return () => clearTimeout(id);
    }
  }, [state.step === 'ticket' ? state.issued : null]);

  // Back to the start, in Ukrainian, after 30 s without a touch.
  const startOver = useCallback(() => {
    dispatch({ type: 'reset' });
    setLang(DEFAULT_LANG);
    void refreshMenu();
  }, [refreshMenu]);
  const [lastInput, setLastInput] = useState(() => Date.now());
  useEffect(() => {
    const touch = () => setLastInput(Date.now());
    window.addEventListener('pointerdown', touch, { passive: true });
    window.addEventListener('keydown', touch);
    return () => {
      window.removeEventListener('pointerdown', touch);
      window.removeEventListener('keydown', touch);
    };
  }, []);
  useEffect(() => {
    if (!idleResets(state) && lang === DEFAULT_LANG) return;
    if (state.step === 'issuing') return;
    const id = setTimeout(startOver, IDLE_MS);
    return () => clearTimeout(id);
  }, [state, lastInput, lang, startOver]);

  // Each step's title takes the focus, so a screen reader and the keyboard start there.
  useEffect(() => {
    heading.current?.focus();
  }, [state.step]);

  if (boot.kind !== 'ready') {
    const text =
      boot.kind === 'loading'
        ? t('common.loading')
        : boot.reason === 'no_device'
          ? t('kiosk.no_device')
          : boot.reason === 'bad_device'
            ? t('kiosk.bad_device')
            : t('common.offline');
    return (
      <div class="kiosk">
        <header class="kiosk-bar">
          <span class="kiosk-bar__center">{t('app.name')}</span>
          <LangSwitch />
        </header>
        <main class="kiosk-main">
          <p class={boot.kind === 'loading' ? 'kiosk-note' : 'kiosk-alert'} role={boot.kind === 'loading' ? 'status' : 'alert'}>
            {text}
          </p>
        </main>
      </div>
    );
  }

  const menu = boot.data;
  return (
    <div class="kiosk">
      <header class="kiosk-bar">
        <span class="kiosk-bar__center">{localName(lang, menu.center)}</span>
        <LangSwitch />
      </header>
      {linkDown && state.step !== 'failed' && (
        <p class="kiosk-banner" role="status">
          {t('common.offline')}
        </p>
      )}
      <main class="kiosk-main">
        <Step state={state} menu={menu} heading={heading} dispatch={dispatch} onDone={startOver} />
      </main>
      {state.step !== 'group' && state.step !== 'issuing' && state.step !== 'ticket' && (
        <footer class="kiosk-footer">
          {state.step === 'failed' ? (
            <span />
          ) : (
            <button type="button" class="kiosk-nav" onClick={() => dispatch({ type: 'back' })}>
              ← {t('common.back')}
            </button>
          )}
          <button type="button" class="kiosk-nav" onClick={startOver}>
            {t('common.start_over')}
          </button>
        </footer>
      )}
    </div>
  );
}

function Step({
  state,
  menu,
  heading,
  dispatch,
  onDone,
}: {
  state: KioskState;
  menu: Menu;
  onDone: () => void;
  heading: RefObject<HTMLHeadingElement | null>;
  dispatch: (a: Parameters<typeof kioskReducer>[1]) => void;
}) {
  const { lang, t } = useI18n();
  const title = (text: string) => (
    <h1 class="kiosk-title" ref={heading} tabIndex={-1}>
      {text}
    </h1>
  );
  switch (state.step) {
    case 'group':
      return (
        <>
          {title(t('kiosk.choose_group'))}
          {menu.groups.length === 0 ? (
            <p class="kiosk-note">{t('kiosk.no_groups')}</p>
          ) : (
            <div class="kiosk-choices kiosk-choices--groups">
              {menu.groups.map((g) => (
                <button type="button" class="kiosk-choice" key={g.group_id} onClick={() => dispatch({ type: 'group', group: g })}>
                  <span class="kiosk-choice__letter" aria-hidden="true">
                    {g.letter}
                  </span>
                  <span class="kiosk-choice__text">
                    <span class="kiosk-choice__name">{localName(lang, g)}</span>
                    <span class="kiosk-choice__meta">
                      {kioskGroupLine(lang, g)}
                    </span>
                  </span>
                </button>
              ))}
            </div>
          )}
        </>
      );
    case 'purpose':
      return (
        <>
          {title(t('kiosk.choose_purpose'))}
          <p class="kiosk-chosen">
            <span aria-hidden="true">{state.group.letter}</span> {localName(lang, state.group)}
          </p>
          <div class="kiosk-choices">
            {menu.purposes.map((p: Purpose) => (
              <button
                type="button"
                class="kiosk-choice"
                key={p}
                onClick={() =>
                  dispatch({ type: 'purpose', purpose: p, categories: menu.priority_categories, key: newIdempotencyKey() })
                }
              >
                <span class="kiosk-choice__name">{label(lang, 'purpose', p)}</span>
              </button>
            ))}
          </div>
        </>
      );
    case 'priority':
      return (
        <>
          {title(t('kiosk.choose_priority'))}
          <p class="kiosk-note">{t('kiosk.priority_hint')}</p>
          <div class="kiosk-choices">
            <button
              type="button"
              class="kiosk-choice kiosk-choice--main"
              onClick={() => dispatch({ type: 'priority', priority: null, key: newIdempotencyKey() })}
            >
              <span class="kiosk-choice__name">{t('priority.none')}</span>
            </button>
            {menu.priority_categories.map((c) => (
              <button
                type="button"
                class="kiosk-choice"
                key={c}
                onClick={() => dispatch({ type: 'priority', priority: c, key: newIdempotencyKey() })}
              >
                <span class="kiosk-choice__name">{label(lang, 'priority', c)}</span>
              </button>
            ))}
          </div>
        </>
      );
    case 'issuing':
      return (
        <>
          {title(t('kiosk.issuing'))}
          <div class="kiosk-spinner" aria-hidden="true" />
        </>
      );
    case 'failed':
      return (
        <>
          {title(t('kiosk.not_issued'))}
          <p class="kiosk-alert" role="alert" data-testid="kiosk-failure">
            {state.reason === 'offline'
              ? t('common.offline')
              : state.reason === 'busy'
                ? t('kiosk.slow_down')
                : t('kiosk.issue_failed')}
          </p>
          {state.reason !== 'rejected' && (
            <div class="kiosk-choices">
              <button type="button" class="kiosk-choice kiosk-choice--main" onClick={() => dispatch({ type: 'retry' })}>
                <span class="kiosk-choice__name">{t('common.retry')}</span>
              </button>
            </div>
          )}
        </>
      );
    case 'ticket':
      return <Ticket state={state} heading={heading} onDone={onDone} />;
  }
}

function Ticket({
  state,
  heading,
  onDone,
}: {
  state: Extract<KioskState, { step: 'ticket' }>;
  heading: RefObject<HTMLHeadingElement | null>;
  onDone: () => void;
}) {
  const { lang, t } = useI18n();
  const { ticket, qr_svg } = state.issued;
  const qr = qr_svg ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(qr_svg)}` : null;
  return (
    <>
      <section class="receipt" aria-labelledby="receipt-title" data-testid="ticket">
        <p class="receipt__center">{localName(lang, ticket.center)}</p>
        <h1 class="receipt__title" id="receipt-title" ref={heading} tabIndex={-1}>
          {t('kiosk.your_ticket')}
        </h1>
        <p class="receipt__number" data-testid="ticket-number">
          {ticket.number}
        </p>
        <p class="receipt__group">
          {localName(lang, ticket.group as { name_uk?: string; name_en?: string })} · {label(lang, 'purpose', ticket.purpose)}
        </p>
        {ticket.priority && <p class="receipt__priority">{label(lang, 'priority', ticket.priority)}</p>}
        {ticket.ahead !== null && <p class="receipt__line">{t('kiosk.ahead', { people: formatPeople(lang, ticket.ahead) })}</p>}
        <p class="receipt__line">{t('kiosk.expected_wait', { wait: formatWait(lang, ticket.expected_wait_ms) })}</p>
        {qr && (
          <div class="receipt__qr">
            <img src={qr} alt={t('kiosk.qr_alt')} width={160} height={160} />
            <p>{t('kiosk.scan_qr')}</p>
          </div>
        )}
        <p class="receipt__time">
          {t('kiosk.issued_at', { time: `${formatDate(lang, ticket.issued_at)}, ${formatTime(lang, ticket.issued_at)}` })}
        </p>
      </section>
      <div class="kiosk-actions no-print">
        <button type="button" class="kiosk-nav" onClick={() => window.print()}>
          {t('kiosk.print_again')}
        </button>
        <button type="button" class="kiosk-nav kiosk-nav--main" onClick={onDone}>
          {t('kiosk.done')}
        </button>
      </div>
    </>
  );
}
