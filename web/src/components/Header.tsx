// The top bar of the citizens' pages: the name, what page this is, the language switch.
import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n';
import { LangSwitch } from './LangSwitch';

export function Header({ children }: { children?: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <header class="site-header">
      <a class="brand" href="/">
        <span class="brand-mark" aria-hidden="true">
          В
        </span>
        {t('app.name')}
      </a>
      <div class="site-header__middle">{children}</div>
      <LangSwitch />
    </header>
  );
}
