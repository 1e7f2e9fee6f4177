// What the staff pages show before their own content: the sign-in form, the choice of a center,
// or why the page cannot work; then the page, given the session. The header names the person and
// has the sign-out button.
import type { ComponentChildren } from 'preact';
import type { CenterRef } from '../api/types';
import { useI18n } from '../i18n';
import { localName } from '../lib/format';
import { useStaffSession, type Session } from '../lib/session';
import { Header } from './Header';
import { SignIn } from './SignIn';
import './staff.css';

export type ReadySession = Extract<Session, { kind: 'ready' }>;

export function StaffGate({
  center,
  path,
  children,
}: {
  center: number | null;
  path: string; // the page's path, for the links of the center choice
  children: (session: ReadySession, expire: () => void) => ComponentChildren;
}) {
  const { lang, t } = useI18n();
  const { session, refresh, expire, signOut } = useStaffSession(center);
  const me = session.kind === 'ready' || session.kind === 'choose_center' ? session.me : null;
  const header = (
    <Header>
      {me && (
        <div class="staff-who">
          <span class="staff-who__name">{me.name ?? me.login}</span>
          <button type="button" class="button button--header" onClick={() => void signOut()}>
            {t('signin.sign_out')}
          </button>
        </div>
      )}
    </Header>
  );
  let body: ComponentChildren;
  switch (session.kind) {
    case 'loading':
      body = (
        <main class="page">
          <p role="status">{t('common.loading')}</p>
        </main>
      );
      break;
    case 'offline':
      body = (
        <main class="page">
          <p role="alert">{t('common.offline')}</p>
          <button type="button" class="button" onClick={refresh}>
            {t('common.retry')}
          </button>
        </main>
      );
      break;
    case 'signed_out':
      body = <SignIn expired={session.expired} onSignedIn={refresh} />;
      break;
    case 'no_center':
      body = (
        <main class="page">
          <p role="alert">{t('signin.no_center')}</p>
        </main>
      );
      break;
    case 'choose_center':
      body = (
        <main class="page">
          <h1>{t('signin.choose_center')}</h1>
          <ul class="center-list">
            {session.centers.map((c: CenterRef) => (
              <li key={c.id}>
                <a class="button" href={`${path}?center=${c.id}`}>
                  {localName(lang, c)}
                </a>
              </li>
            ))}
          </ul>
        </main>
      );
      break;
    case 'ready':
      body = children(session, expire);
      break;
  }
  return (
    <>
      {header}
      {body}
    </>
  );
}
