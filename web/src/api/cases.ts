// The cases API (issue 15): applications registered at the window, their cases, moves, printed
// forms and public tracking. Written from the contract of src/cases/routes.cpp.
import { request, type Staff } from './client';

export type CaseStatus =
  | 'registered'
  | 'handed_over'
  | 'in_review'
  | 'suspended'
  | 'result_ready'
  | 'refused'
  | 'at_center'
  | 'issued'
  | 'unclaimed'
  | 'returned_to_provider'
  | 'withdrawn'
  | 'returned_without_review';

export const CASE_STATUSES: readonly CaseStatus[] = [
  'registered',
  'handed_over',
  'in_review',
  'suspended',
  'result_ready',
  'refused',
  'at_center',
  'issued',
  'unclaimed',
  'returned_to_provider',
  'withdrawn',
  'returned_without_review',
];

export type MoveKind =
  | 'hand_over'
  | 'accept'
  | 'finish_stage'
  | 'suspend'
  | 'resume'
  | 'extend'
  | 'decide_ready'
  | 'refuse'
  | 'receive_result'
  | 'issue'
  | 'mark_unclaimed'
  | 'return_to_provider'
  | 'withdraw'
  | 'return_unreviewed';

export type DueState = 'on_track' | 'due_soon' | 'overdue' | 'done';
export type Channel = 'in_person' | 'post' | 'online' | 'mobile_office';
export type ApplicantKind = 'person' | 'legal_entity';
export type Consent = 'sms' | 'viber' | 'email';
export type DocumentForm = 'original' | 'copy';
export type DocumentMedium = 'paper' | 'electronic';
export type IssueMethod = 'in_person' | 'post' | 'electronic';
export type TermUnit = 'working_days' | 'calendar_days' | string;

export interface Term {
  days: number;
  unit: TermUnit;
  clock_stops_when_suspended?: boolean;
  storage_days?: number;
}

export interface InventoryLine {
  position?: number;
  name: string;
  from_card: boolean;
  form: DocumentForm;
  medium: DocumentMedium;
  pages: number;
  received: boolean;
  missing_reason: string;
}

export interface Stage {
  position?: number;
  name: string;
  responsible?: string;
  planned_on: string;
  finished_on: string;
}

export interface Move {
  id: string;
  kind: MoveKind | 'registered';
  kind_uk: string;
  from: string;
  to: string;
  at: string;
  on_date: string;
  actor: string;
  actor_name: string;
  reason: string;
  legal_basis: string;
  new_deadline: string;
  detail: string;
}

export interface MessageAttempt {
  at: string;
  ok: boolean;
  error: string;
}

export interface CaseMessage {
  id: string;
  channel: Consent;
  to: string;
  template: string;
  status: 'sent' | 'pending' | 'failed';
  attempts: MessageAttempt[];
}

export interface Applicant {
  kind: ApplicantKind;
  name: string;
  tax_id: string;
  address: string;
  phone: string;
  email: string;
  representative_name: string;
  representative_document: string;
  consent: Consent[];
}

export interface Case {
  id: string;
  application_id: string;
  center_id: number;
  number: string;
  public_token: string;
  tracking_url: string;
  service_id: number;
  service_version_id: number;
  service_title: string;
  provider_id: number;
  provider_name: string;
  status: CaseStatus;
  status_uk: string;
  status_en: string;
  current_stage: number;
  channel: Channel;
  ticket_id: number | null;
  registered_on: string;
  registered_at: string;
  hand_over_due: string;
  due_on: string;
  decided_on: string;
  closed_on: string;
  pickup_until: string;
  due_state: DueState;
  days_overdue: number;
  working_days_left: number;
  term: Term;
  fee_kopiykas: number;
  fee_paid: boolean;
  applicant_initials: string;
  inventory?: InventoryLine[];
  stages?: Stage[];
  moves?: Move[];
  allowed_moves?: MoveKind[];
  messages?: CaseMessage[];
  applicant?: Applicant;
  version: number;
}

export interface IntakeService {
  service_id: number;
  service_version_id: number;
  title_uk: string;
  title_en?: string;
  provider_id: number;
  provider_name: string;
  fee_kopiykas: number;
  term: Term;
  due_on: string;
  documents: { name: string; note?: string }[];
}

export interface Intake {
  life_situation: null | { id: number; name_uk: string; name_en?: string };
  services: IntakeService[];
}

export interface RegistrationBody {
  ticket_id: number | null;
  channel: Channel;
  life_situation_id: number | null;
  applicant: Applicant;
  services: { service_id: number; fee_paid: boolean; inventory: InventoryLine[] }[];
}

export interface Registered {
  application_id: string;
  cases: Case[];
}

export interface CaseList {
  cases: Case[];
  total: number;
}

export interface WorkList extends CaseList {
  provider_id?: number | null;
  provider?: { id: number; name: string };
}

export interface MoveBody {
  move: MoveKind;
  version: number;
  reason?: string;
  legal_basis?: string;
  new_deadline?: string;
  issue_method?: IssueMethod;
  identity_checked?: boolean;
  refusal_ground?: string;
  needed_documents?: string;
}

export interface RefusalGround {
  code: string;
  uk: string;
  en: string;
}

export interface PublicCase {
  number: string;
  service_title: string;
  provider_name: string;
  status: CaseStatus;
  status_uk: string;
  status_en: string;
  registered_on: string;
  due_on: string;
  due_state: DueState;
  applicant_initials: string;
  stages: { name: string; planned_on: string; finished_on: string }[];
  history: { kind: string; text_uk: string; text_en?: string; on_date: string; stage?: string; new_deadline?: string }[];
  needed_from_applicant: string;
  pickup: null | { center_name: string; address: string; phone?: string; from: string; until: string; hours?: string };
}

// The catalog (src/registry): what the registration form searches.
export interface CatalogHit {
  id: number;
  identifier: string;
  title_uk: string;
  title_en: string;
  group_id: number;
  provider_id: number;
  fee: { kopiykas: number; free: boolean };
  term: Term;
}

export interface LifeSituation {
  id: number;
  code: string;
  name_uk: string;
  name_en: string;
  description: string;
  service_ids: number[];
}

export interface Provider {
  id: number;
  name_uk: string;
  name_en: string;
}

export interface ListFilters {
  number?: string;
  phone?: string;
  status?: string;
  provider_id?: number | null;
  due?: '' | 'soon' | 'overdue';
  limit?: number;
  offset?: number;
}

const enc = encodeURIComponent;

export function listQuery(f: ListFilters): string {
  const q = new URLSearchParams();
  if (f.number?.trim()) q.set('number', f.number.trim());
  if (f.phone?.trim()) q.set('phone', f.phone.trim());
  if (f.status) q.set('status', f.status);
  if (f.provider_id) q.set('provider_id', String(f.provider_id));
  if (f.due) q.set('due', f.due);
  if (f.limit !== undefined) q.set('limit', String(f.limit));
  if (f.offset) q.set('offset', String(f.offset));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const casePaths = {
  document: (centerId: number, caseId: string, form: 'application' | 'receipt' | 'cover-letter') =>
    `/api/v1/centers/${centerId}/cases/${enc(caseId)}/documents/${form}.pdf`,
};

export const casesApi = {
  intakeForService: (centerId: number, serviceId: number) =>
    request<Intake>(`/centers/${centerId}/cases/intake?service_id=${serviceId}`),
  intakeForSituation: (centerId: number, lifeSituationId: number) =>
    request<Intake>(`/centers/${centerId}/cases/intake?life_situation_id=${lifeSituationId}`),
  register: (staff: Staff, centerId: number, body: RegistrationBody, key: string) =>
    request<Registered>(`/centers/${centerId}/cases`, { method: 'POST', body, csrf: staff.csrf, idempotencyKey: key }),
  get: (centerId: number, caseId: string) => request<Case>(`/centers/${centerId}/cases/${enc(caseId)}`),
  list: (centerId: number, filters: ListFilters) => request<CaseList>(`/centers/${centerId}/cases${listQuery(filters)}`),
  worklist: (centerId: number, filters: Pick<ListFilters, 'due' | 'status'>) =>
    request<WorkList>(`/centers/${centerId}/worklist${listQuery(filters)}`),
  move: (staff: Staff, centerId: number, caseId: string, body: MoveBody, key: string) =>
    request<Case>(`/centers/${centerId}/cases/${enc(caseId)}/moves`, { method: 'POST', body, csrf: staff.csrf, idempotencyKey: key }),
  refusalGrounds: () => request<{ grounds: RefusalGround[] }>('/cases/refusal-grounds'),
  track: (token: string) => request<PublicCase>(`/track/cases/${enc(token)}`),
  searchServices: (centerId: number, q: string) =>
    request<{ items: CatalogHit[]; total: number }>(`/catalog/services?center_id=${centerId}&per_page=20&q=${enc(q)}`),
  lifeSituations: () => request<{ life_situations: LifeSituation[] }>('/catalog/life-situations'),
  providers: () => request<{ providers: Provider[] }>('/catalog/providers'),
};
