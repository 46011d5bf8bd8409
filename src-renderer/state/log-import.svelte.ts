/**
 * Importing a file from the library — a gctrace log or a Heapscope session export: a file picked or
 * dropped is checked, then read and sent a piece at a time (`imports.start/append/finish`), so a
 * large log shows its progress, can be cancelled, and never blocks the page; the new session
 * opens, or the importer's refusal is kept to show in the library.
 */
import { api } from '../lib/api';
import { toApiCallError } from '../lib/api-error';
import {
  droppedFile,
  importProgressView,
  logFileProblem,
  pieceRanges,
  type ImportProgressView,
} from '../lib/log-import';
import { router } from '../lib/router.svelte';

export class LogImport {
  busy = $state(false);
  error = $state<string | null>(null);
  /** A file is being dragged over the drop zone. */
  dragging = $state(false);
  /** The running import's progress; null when none runs. */
  progress = $state<ImportProgressView | null>(null);
  /** The file being imported. */
  fileName = $state<string | null>(null);
  private cancelRequested = false;

  async importFile(file: File): Promise<void> {
    if (this.busy) return;
    this.error = logFileProblem(file);
    if (this.error !== null) return;
    this.busy = true;
    this.cancelRequested = false;
    this.fileName = file.name;
    this.progress = { fraction: 0, text: '' };
    try {
      const { importId } = await api.call('imports.start', { fileName: file.name, totalBytes: file.size });
      // One decoder across pieces: a character cut by a piece boundary is completed by the next.
      const decoder = new TextDecoder();
      for (const [start, end] of pieceRanges(file.size)) {
        if (this.cancelRequested) break;
        const text = decoder.decode(await file.slice(start, end).arrayBuffer(), { stream: end < file.size });
        const progress = await api.call('imports.append', { importId, text });
        this.progress = importProgressView(progress, file.size);
      }
      if (this.cancelRequested) {
        await api.call('imports.cancel', { importId });
        return;
      }
      const { sessionId } = await api.call('imports.finish', { importId });
      router.navigate({ name: 'session', id: sessionId });
    } catch (reason) {
      this.error = toApiCallError(reason).message;
    } finally {
      this.busy = false;
      this.progress = null;
      this.fileName = null;
    }
  }

  /** Stops the running import after the piece in flight; nothing of it is saved. */
  cancel(): void {
    if (this.busy) this.cancelRequested = true;
  }

  /** An attachment making `node` a drop zone for one log file. */
  readonly dropZone = (node: HTMLElement): (() => void) => {
    const carriesFiles = (event: DragEvent): boolean => event.dataTransfer?.types.includes('Files') ?? false;
    const over = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      this.dragging = true;
    };
    const leave = (event: DragEvent): void => {
      // Leaving for a child of the zone is not leaving the zone.
      if (event.relatedTarget instanceof Node && node.contains(event.relatedTarget)) return;
      this.dragging = false;
    };
    const drop = (event: DragEvent): void => {
      event.preventDefault();
      this.dragging = false;
      const file = droppedFile(event.dataTransfer);
      if (file === null) {
        this.error = 'Drop one file to import it: a gctrace log or a Heapscope session export.';
        return;
      }
      void this.importFile(file);
    };
    node.addEventListener('dragover', over);
    node.addEventListener('dragleave', leave);
    node.addEventListener('drop', drop);
    return () => {
      node.removeEventListener('dragover', over);
      node.removeEventListener('dragleave', leave);
      node.removeEventListener('drop', drop);
    };
  };
}
