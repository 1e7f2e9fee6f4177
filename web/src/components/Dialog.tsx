// A modal dialog of the staff pages: the native <dialog> opened with showModal() (the page behind
// it is inert), Tab and Shift+Tab kept inside it, Escape closes it, and the focus goes back to
// where it was when it closes.
//
// The browser fires "close" a task after the dialog closed, and a key pressed meanwhile (Escape,
// then at once the key that opens it again) may run before that task, input coming first under
// load: a "close" that finds the dialog open again belongs to the closing before and is ignored,
// or it would close at once the dialog just opened.
import type { ComponentChildren, RefObject } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Dialog({
  open,
  onClose,
  labelledBy,
  initialFocus,
  onKeyDown,
  class: className,
  children,
}: {
  open: boolean;
  onClose: () => void;
  labelledBy: string;
  initialFocus?: RefObject<HTMLElement | null>;
  onKeyDown?: (e: KeyboardEvent) => void;
  class?: string;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);

  // In step with the render (a layout effect, not one after the paint): a key pressed just after
  // the dialog closed must find it closed, with the focus back where it was, and a dialog opened
  // again at once must open.
  useLayoutEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      returnTo.current = document.activeElement as HTMLElement | null;
      d.showModal();
      (initialFocus?.current ?? d.querySelector<HTMLElement>(FOCUSABLE))?.focus();
    } else if (!open && d.open) {
      d.close();
      restoreFocus();
    }
  }, [open]);

  const restoreFocus = () => {
    const back = returnTo.current;
    returnTo.current = null;
    if (back && back.isConnected && !(back as HTMLButtonElement).disabled) back.focus();
  };

  const keyDown = (e: KeyboardEvent) => {
    if (e.key === 'Tab') {
      const items = Array.from(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? []);
      const first = items[0];
      const last = items[items.length - 1];
      if (first && last) {
        if (e.shiftKey && document.activeElement === first) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault();
          first.focus();
        }
      }
      return;
    }
    onKeyDown?.(e);
  };

  return (
    <dialog
      ref={ref}
      class={className ? `dialog ${className}` : 'dialog'}
      aria-labelledby={labelledBy}
      onKeyDown={keyDown}
      onCancel={(e) => {
        e.preventDefault(); // Escape: closed by the owner, so its state stays true
        onClose();
      }}
      onClose={() => {
        if (ref.current?.open) return; // opened again since: not about this dialog
        restoreFocus(); // closed by the browser itself (or by the effect above: nothing left to do)
        if (open) onClose();
      }}
    >
      {open && children}
    </dialog>
  );
}
