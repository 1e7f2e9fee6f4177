// A path the front end does not know.
import { Header } from '../components/Header';
import { useI18n } from '../i18n';
import { useTitle } from '../lib/title';

export default function NotFound() {
  const { t } = useI18n();
  useTitle(t('notfound.title'));
  return (
    <>
      <Header />
      <main class="page">
        <h1>{t('notfound.title')}</h1>
        <p>
          <a href="/">{t('notfound.home')}</a>
        </p>
      </main>
    </>
  );
}
