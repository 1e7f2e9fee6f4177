// The JSON the Vikno server sends, written from docs/openapi.yaml and src/queue/service.cpp
// (public_ticket_json, loads_json, display_json, menu) and src/auth/routes.cpp (GET /device).

export type TicketState = 'waiting' | 'called' | 'serving' | 'done' | 'no_show' | 'cancelled' | 'closed';
export const FINAL_STATES: readonly TicketState[] = ['done', 'no_show', 'cancelled', 'closed'];
export type Purpose = 'consultation' | 'submit_documents' | 'receive_result';

export interface Named {
  name_uk: string;
  name_en: string;
}

export interface CenterRef extends Named {
  id: number;
}

// A ticket as its holder sees it (no internal ids): public_ticket_json.
export interface PublicTicket {
  number: string;
  state: TicketState;
  purpose: Purpose;
  issued_at: string;
  group: { id: number; letter?: string; name_uk?: string; name_en?: string };
  priority: string | null;
  window_number: number | null;
  called_at: string | null;
  recalls: number;
  ahead: number | null;
  expected_wait_ms: number | null;
  // Why `ahead` may grow while one waits: these administrators serve other groups too; priority
  // visitors go first. Whether it was transferred (and to a person by name).
  shared_administrators?: boolean;
  priority_ahead?: number;
  transferred?: boolean;
  named_administrator?: boolean;
  center: Named;
}

// One service group's queue: loads_json.
export interface GroupLoad extends Named {
  group_id: number;
  letter: string;
  waiting: number;
  administrators: number;
  expected_wait_ms: number | null;
  longest_wait_ms: number;
}

// GET /centers/{id}/queue/menu
export interface Menu {
  center: CenterRef;
  groups: GroupLoad[];
  purposes: Purpose[];
  priority_categories: string[];
}

export interface IssueRequest {
  group_id: number;
  purpose?: Purpose;
  service_id?: number;
  priority?: string;
}

// 201 of POST /centers/{id}/queue/tickets
export interface IssueResponse {
  ticket: PublicTicket & { token: string };
  tracking_url: string;
  qr_svg: string | null;
}

// GET /queue/tickets/{token}, DELETE /queue/tickets/{token}
export interface TicketResponse {
  ticket: PublicTicket;
}

// One center in GET /queue/load
export interface CenterLoad extends Named {
  center_id: number;
  at: string;
  waiting: number;
  groups: GroupLoad[];
}

export interface LoadResponse {
  centers: CenterLoad[];
}

// GET /device
export interface DeviceInfo {
  id: number;
  label: string;
  center_id: number;
  purpose: 'kiosk' | 'display';
}

export interface DisplayCall {
  number: string;
  window_number: number;
  called_at: string;
  recalls: number;
}

export interface RecentCall {
  number: string;
  window_number: number;
  called_at: string;
}

// GET /centers/{id}/queue/display, and the "snapshot" event of the center's stream: display_json.
export interface DisplaySnapshot {
  center: CenterRef;
  at: string;
  calls: DisplayCall[];
  recent_calls: RecentCall[];
  groups: GroupLoad[];
  last_event_id: number;
}

// Every other event of the center's stream (its type is the SSE event name, e.g. ticket_called).
export interface CenterEvent {
  at: string;
  queues: GroupLoad[];
  ticket?: PublicTicket;
  details: { number?: string; window_number?: number; recalls?: number; [key: string]: unknown };
}

export type CenterEventType =
  | 'ticket_issued'
  | 'ticket_called'
  | 'ticket_recalled'
  | 'service_started'
  | 'ticket_finished'
  | 'ticket_no_show'
  | 'ticket_transferred'
  | 'ticket_reassigned'
  | 'ticket_cancelled'
  | 'administrator_signed_in'
  | 'administrator_paused'
  | 'administrator_resumed'
  | 'administrator_signed_out'
  | 'day_closed'
  | 'settings_changed';

export const CENTER_EVENT_TYPES: readonly CenterEventType[] = [
  'ticket_issued',
  'ticket_called',
  'ticket_recalled',
  'service_started',
  'ticket_finished',
  'ticket_no_show',
  'ticket_transferred',
  'ticket_reassigned',
  'ticket_cancelled',
  'administrator_signed_in',
  'administrator_paused',
  'administrator_resumed',
  'administrator_signed_out',
  'day_closed',
  'settings_changed',
];

// The one error shape of the API.
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

// --- Staff: src/auth/routes.cpp (login, me) and src/queue/service.cpp (desk, state, ticket_json,
// administrator_json). A staff session is the HttpOnly cookie; state-changing requests carry the
// CSRF token that the login and GET /auth/me return.

export type Role = 'system_admin' | 'regional_analyst' | 'center_head' | 'administrator' | 'provider_employee';

// GET /auth/me
export interface Me {
  kind: 'user' | 'api_token' | 'device';
  id: number;
  login: string;
  centers: number[];
  role?: Role;
  name?: string;
  must_change_password?: boolean;
  csrf_token?: string;
}

// POST /auth/login
export interface LoginResponse {
  user: { id: number; login: string; name: string; role: Role; centers: number[]; must_change_password: boolean };
  csrf_token: string;
  expires_at: string;
}

// GET /centers
export interface CentersResponse {
  centers: CenterRef[];
}

export type Outcome = 'consultation_given' | 'application_registered' | 'result_issued' | 'refused' | 'other';
export const OUTCOMES: readonly Outcome[] = ['consultation_given', 'application_registered', 'result_issued', 'refused', 'other'];

export interface Transfer {
  at: string;
  from_user_id: number;
  to_group_id: number;
  to_user_id: number | null;
}

// A ticket as staff see it: ticket_json.
export interface StaffTicket extends PublicTicket {
  id: number;
  service_id: number | null;
  source: string;
  booked_for: string | null;
  user_id: number | null;
  target_user_id: number | null;
  // Named in a transfer: who, and whether they are at work to call it.
  target_user?: { id: number; name: string; status: AdministratorStatus } | null;
  started_at: string | null;
  finished_at: string | null;
  rule: string | null;
  outcome: Outcome | null;
  close_reason: string;
  waited_ms: number;
  transfers: Transfer[];
  // On the ticket an administrator holds: how long since the call.
  with_ms?: number;
}

export type AdministratorStatus = 'available' | 'paused' | 'signed_out';

// administrator_json
export interface AdministratorInfo {
  user_id: number;
  name: string;
  status: AdministratorStatus;
  pause_reason: string;
  window_id: number | null;
  window_number: number | null;
  since: string | null;
  primary_groups: number[];
  secondary_groups: number[];
  ticket: StaffTicket | null;
}

export interface DeskWindow {
  id: number;
  number: number;
  label: string;
  taken_by: { user_id: number; name: string } | null;
}

// GET /centers/{id}/queue/desk
export interface Desk {
  at: string; // the server's time of the answer
  administrator: AdministratorInfo | null;
  groups: GroupLoad[];
  today: { served: number; average_ms: number }; // 0 when none served yet
  windows: DeskWindow[];
  // Colleagues who work at a window here: a ticket may be transferred to them by name.
  colleagues: Colleague[];
  // The visit finished last while its outcome may still be corrected.
  correctable?: { ticket_id: number; number: string; outcome: Outcome | null; until: string } | null;
}

export interface Colleague {
  user_id: number;
  name: string;
  group_ids?: number[];
  status?: AdministratorStatus;
}

// GET /centers/{id}/queue/state
export interface QueueState {
  center: CenterRef;
  at: string;
  day: string;
  wait_target_ms: number;
  longest_wait_ms: number;
  administrators: AdministratorInfo[];
  groups: GroupLoad[];
  waiting: StaffTicket[];
  colleagues?: Colleague[]; // the staff at windows, for a reassignment by name
  warnings?: { code: string; public_url?: string }[]; // what the head should fix
  alerts?: Alert[]; // the center's open alerts (a kiosk flooding, a login under attack, ...)
}

// An alert on the board (GET /queue/state `alerts`, GET /alerts): shown by its message, whatever
// its code.
export interface Alert {
  id: number;
  code: string;
  subject: string;
  message_uk: string;
  message_en: string;
  first_at: string;
  last_at: string;
  count: number;
  centers: number[];
}

// The answers of the desk's commands.
export interface TicketAnswer {
  ticket: StaffTicket | null;
}
export interface AdministratorAnswer {
  administrator: AdministratorInfo;
}
