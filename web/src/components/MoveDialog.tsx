// Sending a ticket on: to a service group, and optionally to a colleague by name. The desk's
// transfer of the ticket at hand and the head's reassignment of a waiting one. Only colleagues who
// work at a window here and serve the chosen group are offered (the server refuses anyone else).
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { type Colleague, type GroupLoad } from '../api/types';
import { useI18n } from '../i18n';
import { localName } from '../lib/format';
import { colleaguesFor } from '../lib/colleagues';
import { Dialog } from './Dialog';

export function MoveDialog({
  open,
  title,
  confirm,
  groups,
  fromGroup,
  colleagues,
  onClose,
  onMove,
}: {
  open: boolean;
  title: string;
  confirm: string;
  groups: GroupLoad[];
  fromGroup: number | null; // the ticket's group now: another one is offered first
  colleagues: Colleague[];
  onClose: () => void;
  onMove: (groupId: number, userId: number | null) => void;
}) {
  const { lang, t } = useI18n();
  const defaultGroup = groups.find((g) => g.group_id !== fromGroup) ?? groups[0];
  const [groupId, setGroupId] = useState<number>(defaultGroup?.group_id ?? 0);
  const [userId, setUserId] = useState<number>(0);
  const select = useRef<HTMLSelectElement>(null);
  // Reset as the dialog opens, in step with the render: an effect after the paint would wipe out
  // what a quick administrator already chose or typed.
  useLayoutEffect(() => {
    if (open) {
      setGroupId(defaultGroup?.group_id ?? 0);
      setUserId(0);
    }
  }, [open]);
  // Another group drops a colleague who does not serve it.
  const named = colleaguesFor(colleagues, groupId);
  const chosen = named.some((c) => c.user_id === userId) ? userId : 0;
  return (
    <Dialog open={open} onClose={onClose} labelledBy="transfer-title" initialFocus={select}>
      <h2 id="transfer-title">{title}</h2>
      <form
        class="dialog-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (groupId) onMove(groupId, chosen || null);
        }}
      >
        <label for="transfer-group">{t('desk.transfer_group')}</label>
        <select id="transfer-group" ref={select} value={groupId} onChange={(e) => setGroupId(Number((e.target as HTMLSelectElement).value))}>
          {groups.map((g) => (
            <option key={g.group_id} value={g.group_id}>
              {g.letter} · {localName(lang, g)} ({t('people.waiting', { n: g.waiting })})
            </option>
          ))}
        </select>
        <label for="transfer-user">{t('desk.transfer_user')}</label>
        <select id="transfer-user" value={chosen} onChange={(e) => setUserId(Number((e.target as HTMLSelectElement).value))}>
          <option value={0}>{t('desk.transfer_anyone')}</option>
          {named.map((c) => (
            <option key={c.user_id} value={c.user_id}>
              {c.name}
              {c.status === 'signed_out' ? ` (${t('desk.colleague_away')})` : ''}
            </option>
          ))}
        </select>
        {named.length === 0 && <p class="dialog-hint">{t('desk.transfer_nobody')}</p>}
        <div class="dialog-buttons">
          <button type="button" class="button" onClick={onClose}>
            {t('desk.cancel')}
          </button>
          <button type="submit" class="button button--primary" disabled={!groupId}>
            {confirm}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
