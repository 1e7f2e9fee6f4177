// The typed client of the Vikno API. Two kinds of failure: ApiError (the server answered with an
// error) and NetworkError (it could not be reached, timed out, or a proxy said it is down), which
// the pages show as "no connection" and may retry.
import type {
  AdministratorAnswer,
  CentersResponse,
  Desk,
  DeviceInfo,
  LoginResponse,
  Me,
  Outcome,
  QueueState,
  TicketAnswer,
  DisplaySnapshot,
  IssueRequest,
  IssueResponse,
  LoadResponse,
  Menu,
  TicketResponse,
  ErrorBody,
} from './types';

const API = '/api/v1';
const DEFAULT_TIMEOUT_MS = 10_000;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    // The error's details as the server sent them (e.g. {fields: [{field, message}]}).
    readonly details: unknown = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class NetworkError extends Error {
  constructor(message = 'the server cannot be reached') {
    super(message);
    this.name = 'NetworkError';
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE' | 'PUT';
  body?: unknown;
  // A device token (kiosk, display board), sent as Authorization: Bearer.
  bearer?: string;
  idempotencyKey?: string;
  // A staff session's CSRF token (the session itself is the HttpOnly cookie the browser sends).
  csrf?: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

// Statuses of a gateway or a server that is starting or stopping: as good as no connection.
const UNREACHABLE = new Set([502, 503, 504]);

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  if (options.csrf) headers['x-csrf-token'] = options.csrf;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const doFetch = options.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await doFetch(API + path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: controller.signal,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new NetworkError();
  } finally {
    clearTimeout(timer);
  }
  let parsed: unknown = null;
  try {
    const text = await res.text();
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!res.ok) {
    const err = (parsed as ErrorBody | null)?.error;
    // The server itself says why it cannot answer now (its disk is full; too many sign-ins at once,
    // code busy): worth telling staff as it is, not as "no connection".
    if (res.status === 503 && (err?.code === 'disk_full' || err?.code === 'busy')) throw new ApiError(res.status, err.code, err.message ?? '');
    if (UNREACHABLE.has(res.status)) throw new NetworkError(`the server answered ${res.status}`);
    throw new ApiError(res.status, err?.code ?? 'http_' + res.status, err?.message ?? res.statusText, err?.details);
  }
  return parsed as T;
}

const enc = encodeURIComponent;

export const api = {
  device: (bearer: string) => request<DeviceInfo>('/device', { bearer }),
  menu: (centerId: number) => request<Menu>(`/centers/${centerId}/queue/menu`),
  issue: (centerId: number, bearer: string, body: IssueRequest, idempotencyKey: string) =>
    request<IssueResponse>(`/centers/${centerId}/queue/tickets`, {
      method: 'POST',
      body,
      bearer,
      idempotencyKey,
    }),
  ticket: (token: string) => request<TicketResponse>(`/queue/tickets/${enc(token)}`),
  cancelTicket: (token: string) => request<TicketResponse>(`/queue/tickets/${enc(token)}`, { method: 'DELETE' }),
  loadAll: () => request<LoadResponse>('/queue/load'),
  display: (centerId: number, bearer: string) => request<DisplaySnapshot>(`/centers/${centerId}/queue/display`, { bearer }),
};

// A staff member's requests: the session is the cookie; every state-changing one carries the CSRF
// token and, for the queue's commands, an Idempotency-Key (the same on a retry).
export interface Staff {
  csrf: string;
}

const post = <T>(path: string, staff: Staff, body: unknown, idempotencyKey?: string) =>
  request<T>(path, { method: 'POST', body, csrf: staff.csrf, idempotencyKey });

export const staffApi = {
  login: (login: string, password: string) =>
    request<LoginResponse>('/auth/login', { method: 'POST', body: { login, password } }),
  me: () => request<Me>('/auth/me'),
  logout: (staff: Staff) => request<null>('/auth/logout', { method: 'POST', csrf: staff.csrf }),
  centers: () => request<CentersResponse>('/centers'),
  desk: (centerId: number) => request<Desk>(`/centers/${centerId}/queue/desk`),
  state: (centerId: number) => request<QueueState>(`/centers/${centerId}/queue/state`),
  signIn: (staff: Staff, centerId: number, windowId: number, key: string) =>
    post<AdministratorAnswer>(`/centers/${centerId}/queue/desk/sign-in`, staff, { window_id: windowId }, key),
  pause: (staff: Staff, centerId: number, reason: string, key: string) =>
    post<AdministratorAnswer>(`/centers/${centerId}/queue/desk/pause`, staff, { reason }, key),
  resume: (staff: Staff, centerId: number, key: string) =>
    post<AdministratorAnswer>(`/centers/${centerId}/queue/desk/resume`, staff, undefined, key),
  signOut: (staff: Staff, centerId: number, key: string) =>
    post<AdministratorAnswer>(`/centers/${centerId}/queue/desk/sign-out`, staff, undefined, key),
  next: (staff: Staff, centerId: number, key: string) =>
    post<TicketAnswer>(`/centers/${centerId}/queue/desk/next`, staff, undefined, key),
  // recall, start, no-show: no body.
  onTicket: (staff: Staff, centerId: number, ticketId: number, action: 'recall' | 'start' | 'no-show', key: string) =>
    post<TicketAnswer>(`/centers/${centerId}/queue/tickets/${ticketId}/${action}`, staff, undefined, key),
  finish: (staff: Staff, centerId: number, ticketId: number, outcome: Outcome, key: string) =>
    post<TicketAnswer>(`/centers/${centerId}/queue/tickets/${ticketId}/finish`, staff, { outcome }, key),
  // The outcome of the visit just finished, corrected (within 5 minutes).
  correctOutcome: (staff: Staff, centerId: number, ticketId: number, outcome: Outcome, key: string) =>
    post<TicketAnswer>(`/centers/${centerId}/queue/tickets/${ticketId}/outcome`, staff, { outcome }, key),
  // An administrator's transfer of the ticket held; the head's reassignment of a waiting one.
  transfer: (staff: Staff, centerId: number, ticketId: number, toGroupId: number, toUserId: number | null, key: string) =>
    move('transfer', staff, centerId, ticketId, toGroupId, toUserId, key),
  reassign: (staff: Staff, centerId: number, ticketId: number, toGroupId: number, toUserId: number | null, key: string) =>
    move('reassign', staff, centerId, ticketId, toGroupId, toUserId, key),
};

function move(
  how: 'transfer' | 'reassign',
  staff: Staff,
  centerId: number,
  ticketId: number,
  toGroupId: number,
  toUserId: number | null,
  key: string,
) {
  return post<TicketAnswer>(
    `/centers/${centerId}/queue/tickets/${ticketId}/${how}`,
    staff,
    toUserId ? { to_group_id: toGroupId, to_user_id: toUserId } : { to_group_id: toGroupId },
    key,
  );
}

// URLs for what cannot send headers (EventSource, <audio>): a device passes its token in the query.
export const urls = {
  centerEvents: (centerId: number, deviceToken: string) =>
    `${API}/centers/${centerId}/queue/events?access_token=${enc(deviceToken)}`,
  // A staff member's EventSource: the session cookie goes with it (same origin).
  staffCenterEvents: (centerId: number) => `${API}/centers/${centerId}/queue/events`,
  ticketEvents: (token: string) => `${API}/queue/tickets/${enc(token)}/events`,
  announcement: (centerId: number, deviceToken: string, number: string, window: number) =>
    `${API}/centers/${centerId}/queue/announcement?number=${enc(number)}&window=${window}&access_token=${enc(deviceToken)}`,
};
