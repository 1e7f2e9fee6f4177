// A staff member's session on the console and the head's view: who is signed in (GET /auth/me,
// which also gives the CSRF token again after a reload, so nothing is kept in the browser's
// storage), and which center the page works for.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, staffApi, type Staff } from '../api/client';
import type { CenterRef, Me } from '../api/types';

export type Session =
  | { kind: 'loading' }
  | { kind: 'signed_out'; expired: boolean }
  | { kind: 'offline' }
  | { kind: 'no_center' }
  | { kind: 'choose_center'; me: Me; centers: CenterRef[] }
  | { kind: 'ready'; me: Me; staff: Staff; centerId: number };

// The center of the page: the one asked for (?center=ID), else the only one the person belongs to;
// 'choose' when they belong to several (or to all, as a system administrator), null for none.
export function pickCenter(me: Pick<Me, 'centers' | 'role'>, asked: number | null): number | 'choose' | null {
  if (asked !== null) return asked;
  if (me.centers.length === 1) return me.centers[0]!;
  if (me.centers.length > 1 || me.role === 'system_admin') return 'choose';
  return null;
}

export interface SessionControl {
  session: Session;
  // After a successful login form: read /auth/me again.
  refresh: () => void;
  // A request answered 401: the session ended (expired, signed out elsewhere).
  expire: () => void;
  signOut: () => Promise<void>;
}

export function useStaffSession(askedCenter: number | null): SessionControl {
  const [session, setSession] = useState<Session>({ kind: 'loading' });
  const [round, setRound] = useState(0);

  useEffect(() => {
    let stopped = false;
    (async () => {
      try {
        const me = await staffApi.me();
        if (stopped) return;
        if (me.kind !== 'user' || !me.csrf_token) {
          setSession({ kind: 'signed_out', expired: false });
          return;
        }
        const center = pickCenter(me, askedCenter);
        if (center === null) setSession({ kind: 'no_center' });
        else if (center === 'choose') {
          const list = await staffApi.centers();
          if (!stopped) setSession({ kind: 'choose_center', me, centers: list.centers });
        } else setSession({ kind: 'ready', me, staff: { csrf: me.csrf_token }, centerId: center });
      } catch (e) {
        if (stopped) return;
        if (e instanceof ApiError && e.status === 401) setSession((s) => ({ kind: 'signed_out', expired: s.kind === 'ready' }));
        else setSession({ kind: 'offline' });
      }
    })();
    return () => {
      stopped = true;
    };
  }, [askedCenter, round]);

  const refresh = useCallback(() => setRound((n) => n + 1), []);
  const expire = useCallback(() => setSession({ kind: 'signed_out', expired: true }), []);
  const signOut = useCallback(async () => {
    if (session.kind === 'ready' || session.kind === 'choose_center') {
      const csrf = session.kind === 'ready' ? session.staff.csrf : (session.me.csrf_token ?? '');
      await staffApi.logout({ csrf }).catch(() => undefined);
    }
    setSession({ kind: 'signed_out', expired: false });
  }, [session]);
  return { session, refresh, expire, signOut };
}
