// The start of a device page (kiosk, display board): which center the device token in the address
// belongs to, then what the page needs of that center. Retried while the server cannot be reached;
// a refused token (401/403) is final and said as such.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';

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
