// The tab's title follows the page and the language.
import { useEffect } from 'preact/hooks';
import { translate, getLang } from '../i18n';

export function useTitle(title: string): void {
  useEffect(() => {
    const app = translate(getLang(), 'app.name');
    document.title = title && title !== app ? `${title} — ${app}` : app;
  }, [title]);
}
