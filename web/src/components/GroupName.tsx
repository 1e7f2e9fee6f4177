// A service group as the staff pages name it: its ticket letter in a badge (hidden from screen
// readers, which read the name), then its name in the page's language.
import { useI18n } from '../i18n';
import { localName } from '../lib/format';

export function GroupName({ group }: { group: { letter: string; name_uk?: string; name_en?: string } }) {
  const { lang } = useI18n();
  return (
    <span class="group-name">
      <span class="letter" aria-hidden="true">
        {group.letter}
      </span>
      <span>{localName(lang, group)}</span>
    </span>
  );
}
