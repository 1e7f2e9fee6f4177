// The map's strings in the page's language (the УКР/ENG switch of the header), until they are merged
// into the shared dictionaries.
import { useI18n, type Lang, type Translate } from '../../i18n';
import { mapEn, mapUk, type MapKey } from './strings';

export type MapParams = Record<string, string | number>;
export type MapTranslate = (key: MapKey, params?: MapParams) => string;

export function mapText(lang: Lang, key: MapKey, params?: MapParams): string {
  const text: string = (lang === 'en' ? mapEn : mapUk)[key] ?? mapUk[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

// s: the map's own strings; t: the shared ones (common.retry, common.offline...).
export function useMapStrings(): { lang: Lang; s: MapTranslate; t: Translate } {
  const { lang, t } = useI18n();
  return { lang, s: (key, params) => mapText(lang, key, params), t };
}
