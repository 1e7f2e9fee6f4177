// Pieces the pages of cases share: the due mark, the status, a field's error line, an instant in Kyiv.
import type { Case, CaseStatus, DueState } from '../../api/cases';
import { useI18n, type Lang, type Translate } from '../../i18n';
import { TIME_ZONE } from '../../lib/format';
import { dueMark, fieldId, formatDate } from './state';

export function dueText(t: Translate, c: Pick<Case, 'due_state' | 'days_overdue' | 'working_days_left'>): string {
  const m = dueMark(c);
  switch (m.kind) {
    case 'overdue':
      return t('cases.due.overdue', { n: m.days });
    case 'due_soon':
      return m.days === 0 ? t('cases.due.due_today') : t('cases.due.due_soon', { n: m.days });
    case 'on_track':
      return t('cases.due.on_track', { n: m.days });
    case 'done':
      return t('cases.due.done');
  }
}

export function DueBadge({ c }: { c: Pick<Case, 'due_state' | 'days_overdue' | 'working_days_left'> }) {
  const { t } = useI18n();
  return (
    <span class={`due due--${c.due_state as DueState}`} data-testid="due-mark">
      {c.due_state === 'overdue' && <span aria-hidden="true">⚠ </span>}
      {dueText(t, c)}
    </span>
  );
}

export function statusText(lang: Lang, c: { status: CaseStatus; status_uk: string; status_en: string }): string {
  return (lang === 'en' ? c.status_en : c.status_uk) || c.status_uk || c.status;
}

export function StatusBadge({ c }: { c: { status: CaseStatus; status_uk: string; status_en: string } }) {
  const { lang } = useI18n();
  return (
    <span class={`case-status case-status--${c.status}`} data-testid="case-status">
      {statusText(lang, c)}
    </span>
  );
}

export function FieldError({ path, errors }: { path: string; errors: Record<string, string> }) {
  const text = errors[path];
  if (!text) return null;
  return (
    <p class="field-error" id={`${fieldId(path)}-error`}>
      {text}
    </p>
  );
}

// The attributes a field with a possible error carries.
export function fieldProps(path: string, errors: Record<string, string>) {
  const bad = !!errors[path];
  return { id: fieldId(path), 'aria-invalid': bad ? ('true' as const) : undefined, 'aria-describedby': bad ? `${fieldId(path)}-error` : undefined };
}

export function formatInstant(lang: Lang, at: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'uk-UA', {
    timeZone: TIME_ZONE,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d);
}

export { formatDate };
