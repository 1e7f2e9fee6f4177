// УКР / ENG: a visible switch on every page; the pressed one is the current language.
import { LANGS, setLang, translate, useI18n, type Lang } from '../i18n';

export function LangSwitch({ onSwitch }: { onSwitch?: (lang: Lang) => void }) {
  const { lang, t } = useI18n();
  return (
    <div class="lang-switch" role="group" aria-label={t('lang.switch')}>
      {LANGS.map((l) => (
        <button
          type="button"
          key={l}
          lang={l}
          aria-pressed={l === lang}
          onClick={() => {
            setLang(l);
            onSwitch?.(l);
          }}
        >
          {translate(l, l === 'uk' ? 'lang.uk' : 'lang.en')}
          <span class="visually-hidden"> — {translate(l, l === 'uk' ? 'lang.uk.full' : 'lang.en.full')}</span>
        </button>
      ))}
    </div>
  );
}
