// The start of a device page (kiosk, display board): which center the device token in the address
// belongs to, then what the page needs of that center. Retried while the server cannot be reached;
// a refused token (401/403) is final and said as such.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';

// The device token comes once in the address (/kiosk?device=TOKEN, as the system administrator
// set the kiosk up); it is then kept in the browser's localStorage (a kiosk restarts its browser)
// and taken out of the address bar with history.replaceState, so it is not on the screen, in the
// history or in a photo of the kiosk. A later load without ?device= uses the stored token; a new
// ?device= replaces it. Storage refused (a private window): the token from the address still works.
export function rememberDevice(
  page: 'kiosk' | 'display',
  fromUrl: string | null,
  storage: Pick<Storage, 'getItem' | 'setItem'> | null = safeLocalStorage(),
  loc: { href: string } = location,
  hist: Pick<History, 'replaceState' | 'state'> = history,
): string | null {
  const key = `vikno.device.${page}`;
  if (fromUrl) {
    try {
      storage?.setItem(key, fromUrl);
    } catch {
      // kept only for this load
    }
    const url = new URL(loc.href);
    url.searchParams.delete('device');
    hist.replaceState(hist.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  try {
    return storage?.getItem(key) || null;
  } catch {
    return null;
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export type DeviceBoot<T> =
  | { kind: 'loading' }
  | { kind: 'ready'; centerId: number; data: T }
  | { kind: 'error'; reason: 'no_device' | 'bad_device' | 'offline' };

export function useDeviceBoot<T>(
  device: string | null,
  load: (centerId: number) => Promise<T>,
  retryMs: number,
): [DeviceBoot<T>, (boot: DeviceBoot<T>) => void] {
  const [boot, setBoot] = useState<DeviceBoot<T>>(device ? { kind: 'loading' } : { kind: 'error', reason: 'no_device' });
  useEffect(() => {
    if (!device) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const start = async () => {
      try {
        const me = await api.device(device);
        const data = await load(me.center_id);
        if (!stopped) setBoot({ kind: 'ready', centerId: me.center_id, data });
      } catch (e) {
        if (stopped) return;
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
          setBoot({ kind: 'error', reason: 'bad_device' });
          return;
        }
        setBoot({ kind: 'error', reason: 'offline' });
        timer = setTimeout(start, retryMs);
      }
    };
    void start();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [device]);
  return [boot, setBoot];
}
