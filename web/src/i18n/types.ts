// A message with plural forms, chosen by Intl.PluralRules of the language ('other' is the fallback).
export interface Plural {
  one: string;
  few?: string;
  many?: string;
  other: string;
}
