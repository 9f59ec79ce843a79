import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { useI18n } from '../../i18n/I18nContext';

/**
 * Files dropped on the children are handed to `onFiles`, in the order dropped, the same function
 * the file input uses. Without `onFiles` (Electron: a File dropped in a sandboxed renderer has no path we could read
 * without webUtils in the preload) the children render as they are and a drop does nothing.
 */
export function DropZone(props: {
  onFiles: ((files: File[]) => void) | undefined;
  children: ReactNode;
}): ReactNode {
  const { t } = useI18n();
  const [over, setOver] = useState(false);
  // dragenter/dragleave fire for every child crossed; count them so the highlight stays steady.
  const depth = useRef(0);
  const { onFiles } = props;
  if (!onFiles) return props.children;

  const hasFiles = (e: DragEvent): boolean =>
    Array.from(e.dataTransfer?.types ?? []).includes('Files') ||
    (e.dataTransfer?.files?.length ?? 0) > 0;

  return (
    <div
      className={over ? 'drop-zone drop-over' : 'drop-zone'}
      data-testid="import-drop"
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current++;
        setOver(true);
      }}
      onDragOver={(e) => {
        // Without preventDefault the browser opens the file instead of dropping it here.
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        const files = Array.from(e.dataTransfer?.files ?? []);
        if (files.length > 0) onFiles(files);
      }}
    >
      {props.children}
      {over ? (
        <div className="drop-hint" aria-hidden="true">
          {t('import.dropHere')}
        </div>
      ) : null}
    </div>
  );
}
