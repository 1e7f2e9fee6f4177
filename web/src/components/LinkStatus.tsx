// The plain words for a lost connection, announced politely to screen readers.
import { useI18n } from '../i18n';
import type { LinkState } from '../lib/sse';

export function LinkStatus({ state }: { state: LinkState | 'offline' | null }) {
  const { t } = useI18n();
  const text = state === 'reconnecting' ? t('common.reconnecting') : state === 'offline' ? t('common.offline') : '';
  return (
    <div class={text ? 'link-status link-status--down' : 'link-status'} role="status" aria-live="polite">
      {text}
    </div>
  );
}
