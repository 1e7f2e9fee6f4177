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
