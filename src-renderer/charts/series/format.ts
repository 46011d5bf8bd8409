/**
 * Unit formatting shared by charts, tables and the stats strip. Binary byte units (KiB, MiB)
 * because that is what Go's runtime and gctrace report; three significant digits because more
 * is noise at a glance and less hides a 10 % change.
 */
export const KiB = 1024;
export const MiB = 1024 * 1024;
export const NS_PER_MS = 1_000_000;

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

function threeDigits(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  // 1023.9 KiB would print as "1024 KiB": step up instead.
  if (Math.abs(Number(threeDigits(value))) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${threeDigits(value)} ${BYTE_UNITS[unit]}`;
}

/**
 * Bytes per second: "5.37 GiB/s". The CLI prints rates by the same rule
 * (src-main/services/byte-rate.ts); both are tested on the same cases.
 */
export function formatByteRate(bytesPerSec: number): string {
  if (!Number.isFinite(bytesPerSec)) return '—';
  // Below 1 KiB/s a fraction of a byte is noise: whole bytes, as below 1 KiB formatBytes prints.
  return `${formatBytes(Math.abs(bytesPerSec) < KiB ? Math.round(bytesPerSec) : bytesPerSec)}/s`;
}

/** Bytes as a bare MiB number for columns whose header names the unit. */
export function formatMiB(bytes: number, digits = 1): string {
  return Number.isFinite(bytes) ? (bytes / MiB).toFixed(digits) : '—';
}

export type ByteUnit = (typeof BYTE_UNITS)[number];

export interface ByteScale {
  unit: ByteUnit;
  bytesPerUnit: number;
}

/** The largest binary unit in which `bytes` is at least 1, so an axis reads 0–512 KiB, not 0–0.5 MiB. */
export function byteScale(bytes: number): ByteScale {
  const magnitude = Number.isFinite(bytes) ? Math.abs(bytes) : 0;
  let unit = 0;
  while (unit < BYTE_UNITS.length - 1 && magnitude >= 1024 ** (unit + 1)) unit++;
  return { unit: BYTE_UNITS[unit] as ByteUnit, bytesPerUnit: 1024 ** unit };
}

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });

/** An exact count, grouped: "12,345". */
export function formatCount(count: number): string {
  return Number.isFinite(count) ? countFormat.format(count) : '—';
}

/** A count or rate for an axis tick or a glance: "1.23M", "850". */
export function formatCompact(value: number): string {
  return Number.isFinite(value) ? compactFormat.format(value) : '—';
}

export type DurationUnit = 'ns' | 'µs' | 'ms' | 's';

export interface DurationScale {
  unit: DurationUnit;
  nsPerUnit: number;
}

const DURATION_SCALES: readonly DurationScale[] = [
  { unit: 's', nsPerUnit: 1e9 },
  { unit: 'ms', nsPerUnit: 1e6 },
  { unit: 'µs', nsPerUnit: 1e3 },
  { unit: 'ns', nsPerUnit: 1 },
];

/** The largest unit in which `ns` is at least 1, so an axis reads 0–850 µs rather than 0–0.85 ms. */
export function durationScale(ns: number): DurationScale {
  const magnitude = Math.abs(ns);
  return DURATION_SCALES.find((scale) => magnitude >= scale.nsPerUnit) ?? { unit: 'ns', nsPerUnit: 1 };
}

export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  if (ns === 0) return '0 ns';
  const scale = durationScale(ns);
  const value = ns / scale.nsPerUnit;
  const text = scale.unit === 'ns' ? Math.round(value).toString() : threeDigits(value);
  // 999.96 µs rounds to "1000 µs": say "1.00 ms" instead.
  if (Math.abs(Number(text)) >= 1000 && scale.unit !== 's')
    return formatNs(Math.sign(ns) * 1000 * scale.nsPerUnit);
  return `${text} ${scale.unit}`;
}

const msFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

/** Virtual time as milliseconds with one decimal, as the time axes show it: "1,234.5". */
export function formatMs(ns: number): string {
  return Number.isFinite(ns) ? msFormat.format(ns / NS_PER_MS) : '—';
}

export function formatPercent(fraction: number, digits = 1): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)}%` : '—';
}

/** Run progress, never rounded up (100% only when done); a tenth below 10% so a long run visibly moves. */
export function formatProgress(fraction: number): string {
  const percent = Math.max(0, Math.min(100, (Number.isFinite(fraction) ? fraction : 0) * 100));
  return percent < 10 ? `${(Math.floor(percent * 10) / 10).toFixed(1)}%` : `${Math.floor(percent)}%`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}
