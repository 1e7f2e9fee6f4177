// The pages of applications (cases), their pure part: the registration form and the body it
// sends, the server's field errors put back at their fields, the due marks, which fields a move
// needs and the body it sends, the words for the server's refusals.
import { ApiError, NetworkError } from '../../api/client';
import type {
  Applicant,
  ApplicantKind,
  Case,
  Channel,
  Consent,
  DueState,
  InventoryLine,
  IntakeService,
  IssueMethod,
  MoveBody,
  MoveKind,
  RegistrationBody,
} from '../../api/cases';
import type { MessageKey } from '../../i18n';

// --- Registration -------------------------------------------------------------------------

export interface ServiceForm {
  service_id: number;
  title_uk: string;
  provider_name: string;
  fee_kopiykas: number;
  due_on: string;
  term_days: number;
  term_unit: string;
  fee_paid: boolean;
  inventory: InventoryLine[];
}

export interface RegistrationForm {
  channel: Channel;
  life_situation_id: number | null;
  kind: ApplicantKind;
  name: string;
  tax_id: string;
  address: string;
  phone: string;
  email: string;
  represented: boolean;
  representative_name: string;
  representative_document: string;
  consent: Consent[];
  services: ServiceForm[];
}

export function emptyForm(): RegistrationForm {
  return {
    channel: 'in_person',
    life_situation_id: null,
    kind: 'person',
    name: '',
    tax_id: '',
    address: '',
    phone: '',
    email: '',
    represented: false,
    representative_name: '',
    representative_document: '',
    consent: [],
    services: [],
  };
}

// The inventory of a service as its card lists the documents: each an original on paper, one
// page, received; the administrator corrects what differs.
export function serviceFromIntake(s: IntakeService): ServiceForm {
  return {
    service_id: s.service_id,
    title_uk: s.title_uk,
    provider_name: s.provider_name,
    fee_kopiykas: s.fee_kopiykas,
    due_on: s.due_on,
    term_days: s.term.days,
    term_unit: s.term.unit,
    fee_paid: s.fee_kopiykas === 0,
    inventory: s.documents.map((d) => ({
      name: d.name,
      from_card: true,
      form: 'original',
      medium: 'paper',
      pages: 1,
      received: true,
      missing_reason: '',
    })),
  };
}

export function extraLine(): InventoryLine {
  return { name: '', from_card: false, form: 'copy', medium: 'paper', pages: 1, received: true, missing_reason: '' };
}

// A Ukrainian phone as the server wants it (+380XXXXXXXXX) from what is usually typed
// ("067 123 45 67", "(067)1234567", "380671234567"); anything else is left for the server to refuse.
export function normalizePhone(typed: string): string {
  const t = typed.trim();
  if (!t) return '';
  const digits = t.replace(/[\s()\-.]/g, '');
  if (/^\+380\d{9}$/.test(digits)) return digits;
  if (/^380\d{9}$/.test(digits)) return `+${digits}`;
  if (/^0\d{9}$/.test(digits)) return `+38${digits}`;
  return t;
}

export function buildRegistrationBody(form: RegistrationForm, ticketId: number | null): RegistrationBody {
  const phone = normalizePhone(form.phone);
  const email = form.email.trim();
  // A consent to a channel without its address is no consent: nothing could be sent there.
  const consent = form.consent.filter((c) => (c === 'email' ? email !== '' : phone !== ''));
  const applicant: Applicant = {
    kind: form.kind,
    name: form.name.trim().replace(/\s+/g, ' '),
    tax_id: form.tax_id.trim(),
    address: form.address.trim(),
    phone,
    email,
    representative_name: form.represented ? form.representative_name.trim() : '',
    representative_document: form.represented ? form.representative_document.trim() : '',
    consent,
  };
  return {
    ticket_id: ticketId,
    channel: form.channel,
    life_situation_id: form.life_situation_id,
    applicant,
    services: form.services.map((s) => ({
      service_id: s.service_id,
      fee_paid: s.fee_kopiykas === 0 ? true : s.fee_paid,
      inventory: s.inventory
        .filter((l) => l.from_card || l.name.trim() !== '')
        .map((l) => ({
          name: l.name.trim(),
          from_card: l.from_card,
          form: l.form,
          medium: l.medium,
          pages: Math.max(0, Math.floor(Number(l.pages) || 0)),
          received: l.received,
          missing_reason: l.received ? '' : l.missing_reason.trim(),
        })),
    })),
  };
}

// Field errors, by the field's path in the body ("applicant.phone",
// "services[0].inventory[2].missing_reason"), in words the page shows beside the field.
export type FieldErrors = Record<string, string>;

// What the form can tell before sending (the server checks it all again).
export function checkForm(form: RegistrationForm, t: (key: MessageKey) => string): FieldErrors {
  const errors: FieldErrors = {};
  if (form.services.length === 0) errors.services = t('cases.error.no_service');
  if (!form.name.trim()) errors['applicant.name'] = t('cases.error.required');
  const phone = normalizePhone(form.phone);
  if (phone && !/^\+380\d{9}$/.test(phone)) errors['applicant.phone'] = t('cases.error.invalid_phone');
  const email = form.email.trim();
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors['applicant.email'] = t('cases.error.invalid_email');
  if (form.consent.includes('email') && !email) errors['applicant.email'] = t('cases.error.consent_without_email');
  if ((form.consent.includes('sms') || form.consent.includes('viber')) && !phone) {
    errors['applicant.phone'] = t('cases.error.consent_without_phone');
  }
  if (form.represented) {
    if (!form.representative_name.trim()) errors['applicant.representative_name'] = t('cases.error.required');
    if (!form.representative_document.trim()) errors['applicant.representative_document'] = t('cases.error.required');
  }
  form.services.forEach((s, i) => {
    s.inventory.forEach((l, j) => {
      if (!l.received && l.from_card && !l.missing_reason.trim()) {
        errors[`services[${i}].inventory[${j}].missing_reason`] = t('cases.error.missing_reason');
      }
    });
  });
  return errors;
}

interface ServerField {
  field?: unknown;
  message?: unknown;
  problem?: unknown;
}

// The fields an error names: details.problems [{field, problem}] as the server writes them
// (common/json.cpp error_body), details.fields [{field, message}] as the contract words it, or a
// lone details.field.
function namedFields(details: unknown): ServerField[] {
  const d = (details ?? {}) as { fields?: unknown; problems?: unknown; field?: unknown };
  const out: ServerField[] = [];
  for (const list of [d.problems, d.fields]) if (Array.isArray(list)) out.push(...(list as ServerField[]));
  if (out.length === 0 && typeof d.field === 'string') out.push({ field: d.field });
  return out;
}

// The server's refusal put at its fields: the fields its details name first, then the codes whose
// field is known without them. The rest of the error (no field to put it at) is the form's message.
export function serverFieldErrors(e: unknown, t: (key: MessageKey) => string): { fields: FieldErrors; message: MessageKey | null } {
  const fields: FieldErrors = {};
  if (!(e instanceof ApiError)) return { fields, message: caseErrorKey(e) };
  const byCode = CODE_WORDS[e.code];
  for (const f of namedFields(e.details)) {
    if (typeof f.field !== 'string' || !f.field || fields[f.field]) continue;
    const said = typeof f.message === 'string' && f.message ? f.message : typeof f.problem === 'string' && f.problem ? f.problem : '';
    fields[f.field] = byCode && e.code !== 'invalid_field' ? t(byCode) : said || t('cases.error.invalid_field');
  }
  if (Object.keys(fields).length === 0) {
    if (e.code === 'invalid_phone') fields['applicant.phone'] = t('cases.error.invalid_phone');
    if (e.code === 'invalid_email') fields['applicant.email'] = t('cases.error.invalid_email');
  }
  // A field not on the form (or none at all): the message says it above the button.
  return { fields, message: Object.keys(fields).length === 0 || e.code === 'inventory_mismatch' ? caseErrorKey(e) : 'cases.error.see_fields' };
}

// The first field (in the form's order) that has an error, to move the focus to.
export function firstErrorField(errors: FieldErrors): string | null {
  const order = (k: string) => {
    if (k === 'services' || k.startsWith('services[') === false) return k.startsWith('applicant.') ? 1 : 0;
    return 2;
  };
  const keys = Object.keys(errors).sort((a, b) => order(a) - order(b) || a.localeCompare(b, 'en', { numeric: true }));
  return keys[0] ?? null;
}

// An element id for a field path ("services[0].inventory[2].missing_reason" -> "f-services-0-inventory-2-missing_reason").
export function fieldId(path: string): string {
  return 'f-' + path.replace(/[[\].]+/g, '-').replace(/-+$/, '');
}

// --- The case: due marks, words -------------------------------------------------------------

export type DueMark = { kind: 'overdue'; days: number } | { kind: 'due_soon'; days: number } | { kind: 'on_track'; days: number } | { kind: 'done' };

export function dueMark(c: Pick<Case, 'due_state' | 'days_overdue' | 'working_days_left'>): DueMark {
  switch (c.due_state as DueState) {
    case 'overdue':
      return { kind: 'overdue', days: Math.max(1, c.days_overdue) };
    case 'due_soon':
      return { kind: 'due_soon', days: Math.max(0, c.working_days_left) };
    case 'done':
      return { kind: 'done' };
    default:
      return { kind: 'on_track', days: Math.max(0, c.working_days_left) };
  }
}

// Sorted as the work list reads: by the deadline, the overdue first among equal dates, then by number.
export function byDeadline<T extends Pick<Case, 'due_on' | 'due_state' | 'number'>>(cases: readonly T[]): T[] {
  const rank = (s: DueState) => (s === 'overdue' ? 0 : s === 'due_soon' ? 1 : s === 'on_track' ? 2 : 3);
  return [...cases].sort(
    (a, b) => (a.due_on || '9999').localeCompare(b.due_on || '9999') || rank(a.due_state) - rank(b.due_state) || a.number.localeCompare(b.number),
  );
}

// "2026-12-17" as the page reads it: 17.12.2026 (a date of the Kyiv calendar, no zone to apply).
export function formatDate(d: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : d;
}

export function formatMoney(kopiykas: number): string {
  const h = Math.floor(kopiykas / 100);
  const k = kopiykas % 100;
  return `${h.toLocaleString('uk-UA').replace(/\u00a0/g, ' ')},${String(k).padStart(2, '0')} грн`;
}

// --- Moves -------------------------------------------------------------------------------------

export type MoveField = 'reason' | 'needed_documents' | 'legal_basis' | 'new_deadline' | 'refusal_ground' | 'issue_method' | 'identity_checked';

export const MOVE_FIELDS: Record<MoveKind, readonly MoveField[]> = {
  hand_over: [],
  accept: [],
  finish_stage: [],
  suspend: ['needed_documents'],
  resume: [],
  extend: ['legal_basis', 'new_deadline', 'reason'],
  decide_ready: [],
  refuse: ['refusal_ground', 'reason', 'legal_basis'],
  receive_result: [],
  issue: ['issue_method', 'identity_checked'],
  mark_unclaimed: [],
  return_to_provider: ['reason'],
  withdraw: ['reason'],
  return_unreviewed: ['reason', 'legal_basis'],
};

// The order of the buttons: the usual next step first, what ends a case otherwise last.
export const MOVE_ORDER: readonly MoveKind[] = [
  'hand_over',
  'accept',
  'finish_stage',
  'decide_ready',
  'receive_result',
  'issue',
  'resume',
  'suspend',
  'extend',
  'refuse',
  'mark_unclaimed',
  'return_to_provider',
  'return_unreviewed',
  'withdraw',
];

export function orderedMoves(allowed: readonly MoveKind[] | undefined): MoveKind[] {
  const set = new Set(allowed ?? []);
  return MOVE_ORDER.filter((m) => set.has(m));
}

export interface MoveInput {
  reason: string;
  needed_documents: string;
  legal_basis: string;
  new_deadline: string;
  refusal_ground: string;
  issue_method: IssueMethod;
  identity_checked: boolean;
}

export function emptyMoveInput(): MoveInput {
  return { reason: '', needed_documents: '', legal_basis: '', new_deadline: '', refusal_ground: '', issue_method: 'in_person', identity_checked: false };
}

// Which fields must be filled for the move (the server says the same with its 400s).
export function checkMove(move: MoveKind, input: MoveInput, dueOn: string): Partial<Record<MoveField, MessageKey>> {
  const out: Partial<Record<MoveField, MessageKey>> = {};
  const fields = MOVE_FIELDS[move];
  const blank = (s: string) => s.trim() === '';
  if (move === 'suspend' && blank(input.needed_documents)) out.needed_documents = 'cases.error.required';
  if ((move === 'withdraw' || move === 'return_unreviewed') && blank(input.reason)) out.reason = 'cases.error.required';
  if ((move === 'extend' || move === 'refuse') && blank(input.legal_basis)) out.legal_basis = 'cases.error.legal_basis_required';
  if (move === 'extend') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.new_deadline)) out.new_deadline = 'cases.error.new_deadline_required';
    else if (dueOn && input.new_deadline <= dueOn) out.new_deadline = 'cases.error.new_deadline_not_later';
  }
  if (move === 'refuse' && blank(input.refusal_ground)) out.refusal_ground = 'cases.error.required';
  if (move === 'issue' && input.issue_method === 'in_person' && !input.identity_checked) out.identity_checked = 'cases.error.identity_not_checked';
  for (const k of Object.keys(out) as MoveField[]) if (!fields.includes(k)) delete out[k];
  return out;
}

export function buildMoveBody(move: MoveKind, version: number, input: MoveInput): MoveBody {
  const body: MoveBody = { move, version };
  const fields = MOVE_FIELDS[move];
  if (fields.includes('reason') && input.reason.trim()) body.reason = input.reason.trim();
  if (fields.includes('needed_documents')) {
    // The reason of a suspension is what is needed from the applicant (the server reads it so).
    body.needed_documents = input.needed_documents.trim();
    body.reason = body.needed_documents;
  }
  if (fields.includes('legal_basis')) body.legal_basis = input.legal_basis.trim();
  if (fields.includes('new_deadline')) body.new_deadline = input.new_deadline;
  if (fields.includes('refusal_ground')) body.refusal_ground = input.refusal_ground;
  if (fields.includes('issue_method')) {
    body.issue_method = input.issue_method;
    body.identity_checked = input.issue_method === 'in_person' ? input.identity_checked : false;
  }
  return body;
}

// A 409 after which the page reads the case again and says why.
export function shouldReload(e: unknown): boolean {
  return e instanceof ApiError && e.status === 409 && (e.code === 'move_not_allowed' || e.code === 'version_conflict');
}

const CODE_WORDS: Record<string, MessageKey> = {
  unknown_service: 'cases.error.unknown_service',
  service_not_offered: 'cases.error.service_not_offered',
  inventory_mismatch: 'cases.error.inventory_mismatch',
  missing_reason_required: 'cases.error.missing_reason',
  invalid_phone: 'cases.error.invalid_phone',
  invalid_email: 'cases.error.invalid_email',
  ticket_not_found: 'cases.error.ticket_not_found',
  move_not_allowed: 'cases.error.move_not_allowed',
  version_conflict: 'cases.error.version_conflict',
  legal_basis_required: 'cases.error.legal_basis_required',
  new_deadline_required: 'cases.error.new_deadline_required',
  new_deadline_not_later: 'cases.error.new_deadline_not_later',
  reason_required: 'cases.error.reason_required',
  identity_not_checked: 'cases.error.identity_not_checked',
  not_your_provider: 'cases.error.not_your_provider',
  disk_full: 'common.disk_full',
};

export function caseErrorKey(e: unknown): MessageKey {
  if (e instanceof NetworkError) return 'common.offline';
  if (e instanceof ApiError) {
    const known = CODE_WORDS[e.code];
    if (known) return known;
    if (e.status === 404) return 'cases.error.not_found';
    if (e.status === 403) return 'signin.forbidden';
    if (e.status === 401) return 'signin.expired';
    if (e.status === 400) return 'cases.error.invalid_field';
  }
  return 'common.error';
}

// Which move-dialog field a move's 400 is about.
export function moveErrorField(e: unknown): MoveField | null {
  if (!(e instanceof ApiError)) return null;
  switch (e.code) {
    case 'legal_basis_required':
      return 'legal_basis';
    case 'new_deadline_required':
    case 'new_deadline_not_later':
      return 'new_deadline';
    case 'reason_required':
      return 'reason';
    case 'identity_not_checked':
      return 'identity_checked';
    default:
      return null;
  }
}

// The register's one search box: a phone (any usual spelling) or a case number.
export function splitSearch(typed: string): { number?: string; phone?: string } {
  const s = typed.trim();
  if (!s) return {};
  const phone = normalizePhone(s);
  if (/^\+380\d{9}$/.test(phone)) return { phone };
  return { number: s };
}
