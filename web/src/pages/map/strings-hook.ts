// The map's strings: the "map.*" keys of the shared dictionaries (src/i18n/uk.ts and en.ts).
// `s` is the page's translate narrowed to them; `t` is the whole one (common.retry, ...).
import { useI18n, type Lang, type MessageKey, type Params, type Translate } from '../../i18n';

export type MapKey = Extract<MessageKey, `map.${string}`>;
export type MapTranslate = (key: MapKey, params?: Params) => string;

export function useMapStrings(): { lang: Lang; s: MapTranslate; t: Translate } {
  const { lang, t } = useI18n();
  return { lang, s: t, t };
}
