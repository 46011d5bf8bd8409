/**
 * A byte rate as people read one: binary units (B, KiB, MiB, GiB, TiB) scaled so the number is
 * below 1024, three significant digits. The app shows rates by the same rule (the renderer's
 * formatByteRate in src-renderer/charts/series/format.ts: the layer rules keep the renderer to the
 * API's types, so the rule is written twice and both are tested on the same cases); "5500.0 MiB/s"
 * in the terminal next to "5.37 GiB/s" in the app read as two different rates.
 */
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Three significant digits: more is noise at a glance, less hides a 10 % change. */
function threeDigits(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Bytes in binary units at three significant digits ("27.5 MiB"); "—" for a non-finite value. */
export function formatBytesSig(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(bytes)} B`;
  // 1023.9 KiB would print as "1024 KiB": step up instead.
  if (Math.abs(Number(threeDigits(value))) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${threeDigits(value)} ${BYTE_UNITS[unit]}`;
}

/** Bytes per second: "5.37 GiB/s". */
export function formatByteRate(bytesPerSec: number): string {
  return `${formatBytesSig(bytesPerSec)}/s`;
}
