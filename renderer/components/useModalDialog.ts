import { useEffect, type RefObject } from 'react';

/**
 * Shows `dialog` as a modal once mounted (the page behind inert), puts the focus on `first`,
 * and gives it back on unmount to what held it before, if that is still in the page. Escape
 * inside it is the dialog's own (its `cancel` event), not the app's Back: App.tsx leaves keys
 * pressed inside an open dialog alone.
 */
export function useModalDialog(
  dialog: RefObject<HTMLDialogElement | null>,
  first: RefObject<HTMLElement | null>,
): void {
  useEffect(() => {
    const el = dialog.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (el && !el.open) el.showModal();
    first.current?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
    // Refs are stable objects: this runs once, on mount.
  }, [dialog, first]);
}
