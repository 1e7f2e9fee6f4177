// "/": what this server is and where a visitor can look.
import { Header } from '../components/Header';
import { useI18n } from '../i18n';
import { useTitle } from '../lib/title';

export default function Home() {
  const { t } = useI18n();
  useTitle(t('home.title'));
  return (
    <>
      <Header />
      <main class="page">
        <h1>{t('home.title')}</h1>
        <p>{t('app.tagline')}</p>
        <p>
          <a class="button button--primary" href="/load">
            {t('home.load')}
          </a>
        </p>
        <p>{t('home.track_hint')}</p>
        <h2>{t('home.staff')}</h2>
        <ul class="home-staff">
          <li>
            <a href="/desk">{t('home.desk')}</a>
          </li>
          <li>
            <a href="/head">{t('home.head')}</a>
          </li>
          <li>
            <a href="/map">{t('home.map')}</a>
          </li>
        </ul>
      </main>
    </>
  );
}
