/** What the library checks of a log file before sending it to `sessions.import`. */
import { IMPORT_TEXT_MAX_BYTES } from './contract';

const MIB = 2 ** 20;

/** Why `file` cannot be imported from the UI, or null when it may be sent. */
export function logFileProblem(file: { name: string; size: number }): string | null {
  if (file.size === 0) return `${file.name} is empty: a gctrace log holds lines like "gc 1 @0.004s 2%: …"`;
  if (file.size > IMPORT_TEXT_MAX_BYTES)
    return (
      `${file.name} is ${(file.size / MIB).toFixed(1)} MiB; the app imports logs of up to ` +
      `${IMPORT_TEXT_MAX_BYTES / MIB} MiB. Import it with: heapscope import ${file.name}`
    );
  return null;
}

/** The file a drag carries, if it carries exactly one. */
export function droppedFile(transfer: DataTransfer | null): File | null {
  const files = transfer?.files;
  return files && files.length === 1 ? (files[0] ?? null) : null;
}
