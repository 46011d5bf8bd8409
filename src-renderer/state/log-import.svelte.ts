/**
 * Importing a gctrace log from the library: a file picked or dropped is checked, read and sent to
 * `sessions.import`; the new session opens, or the importer's refusal is kept to show in the library.
 */
import { api } from '../lib/api';
import { toApiCallError } from '../lib/api-error';
import { droppedFile, logFileProblem } from '../lib/log-import';
import { router } from '../lib/router.svelte';

export class LogImport {
  busy = $state(false);
  error = $state<string | null>(null);
  /** A file is being dragged over the drop zone. */
  dragging = $state(false);

  async importFile(file: File): Promise<void> {
    if (this.busy) return;
    this.error = logFileProblem(file);
    if (this.error !== null) return;
    this.busy = true;
    try {
      const text = await file.text();
      const { sessionId } = await api.call('sessions.import', { text, fileName: file.name });
      router.navigate({ name: 'session', id: sessionId });
    } catch (reason) {
      this.error = toApiCallError(reason).message;
    } finally {
      this.busy = false;
    }
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
        this.error = 'Drop one gctrace log file to import it.';
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
