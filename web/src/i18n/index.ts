// The language of the pages: Ukrainian by default, English on request. The choice is kept in
// localStorage (a kiosk resets it for the next visitor) and put on <html lang> for screen readers.
import { useEffect, useState } from 'preact/hooks';
import { en } from './en';
import type { Plural } from './types';
import { uk, type MessageKey } from './uk';

export type { MessageKey } from './uk';
export type Lang = 'uk' | 'en';
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export const LANGS: readonly Lang[] = ['uk', 'en'];
export const DEFAULT_LANG: Lang = 'uk';
const STORAGE_KEY = 'vikno.lang';

const dictionaries: Record<Lang, Record<MessageKey, string | Plural>> = { uk, en };
const pluralRules: Record<Lang, Intl.PluralRules> = {
  uk: new Intl.PluralRules('uk'),
  en: new Intl.PluralRules('en'),
};

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(uk, key);
}

function fill(text: string, params: Params | undefined): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

// The message in the language; a plural message picks its form by params.n.
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const message = dictionaries[lang][key] ?? uk[key];
  if (typeof message === 'string') return fill(message, params);
  const n = Number(params?.n ?? 0);
  const form = pluralRules[lang].select(n) as keyof Plural;
  return fill(message[form] ?? message.other, params);
}

// A code from the server (purpose, priority category) shown by its message when there is one.
export function label(lang: Lang, prefix: string, code: string): string {
  const key = `${prefix}.${code}`;
  return isMessageKey(key) ? translate(lang, key) : code;
}

function stored(): Lang {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v === 'en' || v === 'uk' ? v : DEFAULT_LANG;
  } catch {
    return DEFAULT_LANG; // storage disabled
  }
}

let current: Lang = stored();
const listeners = new Set<(lang: Lang) => void>();

function applyToDocument(lang: Lang): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}
applyToDocument(current);

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    /* storage disabled: the choice lasts until the page reloads */
  }
  if (lang === current) return;
  current = lang;
  applyToDocument(lang);
  for (const l of listeners) l(lang);
}

export function onLangChange(listener: (lang: Lang) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// The current language and its translate function; re-renders the component on a switch.
export function useI18n(): { lang: Lang; t: Translate } {
  const [lang, setState] = useState<Lang>(current);
  useEffect(() => onLangChange(setState), []);
  return { lang, t: (key, params) => translate(lang, key, params) };
}
