// The staff sign-in form (login and password) of the console and the head's view.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, NetworkError, staffApi } from '../api/client';
import { useI18n } from '../i18n';

export function SignIn({ expired, onSignedIn }: { expired: boolean; onSignedIn: () => void }) {
  const { t } = useI18n();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const passwordField = useRef<HTMLInputElement>(null);
  const loginField = useRef<HTMLInputElement>(null);
  // The form is the first thing to type into (a browser honours autofocus only once per page).
  useEffect(() => loginField.current?.focus(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!login.trim() || !password) {
      setError(t('signin.empty'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await staffApi.login(login.trim(), password);
      setPassword('');
      onSignedIn();
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) setError(t('signin.too_many'));
      else if (err instanceof ApiError && err.code === 'busy') setError(t('signin.server_busy'));
      else if (err instanceof ApiError && (err.status === 401 || err.status === 400)) {
        setError(t('signin.wrong'));
        passwordField.current?.focus();
      } else if (err instanceof NetworkError) setError(t('common.offline'));
      else setError(t('common.error'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="page signin">
      <h1>{t('signin.title')}</h1>
      {expired && (
        <p class="notice" role="status">
          {t('signin.expired')}
        </p>
      )}
      <form class="signin-form" onSubmit={submit} noValidate>
        <label for="signin-login">{t('signin.login')}</label>
        <input
          id="signin-login"
          name="username"
          ref={loginField}
          autocomplete="username"
          required
          value={login}
          onInput={(e) => setLogin((e.target as HTMLInputElement).value)}
        />
        <label for="signin-password">{t('signin.password')}</label>
        <input
          id="signin-password"
          ref={passwordField}
          name="password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
        />
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? t('signin.busy') : t('signin.submit')}
        </button>
      </form>
    </main>
  );
}
