// The executive discipline report page's logic (звіт про стан виконавської дисципліни), kept apart
// from the view so it can be tested: the default date, checking the inputs, the API and download
// addresses, the drill-down link to the register of cases, and which rows are open.
import type { Lang } from '../../i18n';

export interface DisciplineCounts {
  in_work: number;
  due_soon: number;
  overdue: number;
  overdue_days_max: number;
  overdue_days_sum?: number;
  finished_on_time: number;
  finished_late: number;
  late_share: number;
}

export interface DisciplineService extends DisciplineCounts {
  service_id: number;
  service_title: string;
}

export interface DisciplineProvider extends DisciplineCounts {
  provider_id: number;
  provider_name: string;
  services: DisciplineService[];
}

export interface DisciplineReport {
  as_of: string;
  within: number;
  month_from: string;
  due_soon_until?: string;
  providers: DisciplineProvider[];
  total: DisciplineCounts;
}

export const DEFAULT_WITHIN = 2;
export const MAX_WITHIN = 60;

// Today's date in Kyiv as YYYY-MM-DD (the report's dates are Kyiv dates).
export function kyivToday(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Kyiv', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

// The report is drawn up as of the 21st of the month; before the 21st, as of today.
export function defaultAsOf(today: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!m) return today;
  return Number(m[3]) >= 21 ? `${m[1]}-${m[2]}-21` : today;
}

function isRealDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export type InputCheck =
  | { ok: true; asOf: string; within: number }
  | { ok: false; field: 'as_of' | 'within'; error: 'discipline.error.as_of' | 'discipline.error.within' };

// What the form says, checked before anything is asked of the server.
export function checkInputs(asOf: string, within: string): InputCheck {
  if (!isRealDate(asOf)) return { ok: false, field: 'as_of', error: 'discipline.error.as_of' };
  if (!/^\d{1,2}$/.test(within.trim()) || Number(within) > MAX_WITHIN) {
    return { ok: false, field: 'within', error: 'discipline.error.within' };
  }
  return { ok: true, asOf, within: Number(within) };
}

const query = (asOf: string, within: number) => `as_of=${encodeURIComponent(asOf)}&within=${within}`;

// The API path (under /api/v1) of the report of one center.
export function reportPath(center: number, asOf: string, within: number): string {
  return `/centers/${center}/reports/discipline?${query(asOf, within)}`;
}

// The file to download: the same report as CSV or XLSX.
export function downloadUrl(center: number, asOf: string, within: number, format: 'csv' | 'xlsx'): string {
  return `/api/v1/centers/${center}/reports/discipline.${format}?${query(asOf, within)}`;
}

export type CountKind = 'in_work' | 'due_soon' | 'overdue';

// A count opens the register of cases (the /cases page) filtered to the cases behind it.
export function drillDownHref(
  center: number,
  providerId: number,
  serviceId: number | null,
  kind: CountKind,
  asOf: string,
): string {
  const p = new URLSearchParams({ center: String(center), provider_id: String(providerId) });
  if (serviceId !== null) p.set('service_id', String(serviceId));
  if (kind === 'overdue') p.set('due', 'overdue');
  if (kind === 'due_soon') p.set('due', 'soon');
  p.set('as_of', asOf);
  return `/cases?${p.toString()}`;
}

// Which providers are expanded to their services.
export function toggled(open: ReadonlySet<number>, providerId: number): Set<number> {
  const next = new Set(open);
  if (next.has(providerId)) next.delete(providerId);
  else next.add(providerId);
  return next;
}

export function allOpen(report: DisciplineReport): Set<number> {
  return new Set(report.providers.map((p) => p.provider_id));
}

// A row with overdue cases is marked (colour and a word, not colour alone).
export function isOverdue(c: DisciplineCounts): boolean {
  return c.overdue > 0;
}

// The share finished late, as people write it: "3,23 %" / "3.23%".
export function formatShare(lang: Lang, share: number): string {
  const n = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'uk-UA', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(share);
  return lang === 'en' ? `${n}%` : `${n} %`;
}

// The finished count of a line (on time + late): "0" means the share is not meaningful.
export function finished(c: DisciplineCounts): number {
  return c.finished_on_time + c.finished_late;
}
