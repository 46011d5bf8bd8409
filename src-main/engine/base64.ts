/**
 * Base64 (RFC 4648, with padding) for typed arrays, so heap snapshots carry their columns as
 * JSON-safe strings: the engine may use neither Node's Buffer nor the DOM's btoa.
 *
 *  1. A typed array is encoded as its bytes in little-endian order (the order of every machine
 *     Heapscope runs on; a big-endian host is refused rather than silently writing other bytes).
 *  2. decode* functions give back the typed array; they are used by tests and by readers of a
 *     stored snapshot.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function assertLittleEndian(): void {
  if (!LITTLE_ENDIAN) throw new Error('heap snapshots are little-endian; this host is big-endian');
}

export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  // Strings are built in chunks: one concatenation per byte would be quadratic on some engines.
  const CHUNK = 3 * 4096;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    let out = '';
    let i = start;
    for (; i + 2 < end; i += 3) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
      out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
    }
    if (i < end) {
      const rest = end - i;
      const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
      out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]!;
      out += rest === 2 ? `${ALPHABET[(n >>> 6) & 63]!}=` : '==';
    }
    parts.push(out);
  }
  return parts.join('');
}

export function decodeBase64(text: string): Uint8Array {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  if (text.length % 4 !== 0) throw new Error('base64 length is not a multiple of 4');
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = text.charCodeAt(i + j);
      const v = c === 61 ? 0 : c < 128 ? DECODE[c]! : -1;
      if (v < 0) throw new Error(`invalid base64 character at ${i + j}`);
      n = (n << 6) | v;
    }
    if (o < bytes.length) bytes[o++] = n >>> 16;
    if (o < bytes.length) bytes[o++] = (n >>> 8) & 255;
    if (o < bytes.length) bytes[o++] = n & 255;
  }
  return bytes;
}

export function encodeInt32(values: Int32Array): string {
  assertLittleEndian();
  return encodeBase64(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

export function decodeInt32(text: string): Int32Array {
  assertLittleEndian();
  const bytes = decodeBase64(text);
  return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

export function encodeUint16(values: Uint16Array): string {
  assertLittleEndian();
  return encodeBase64(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

export function decodeUint16(text: string): Uint16Array {
  assertLittleEndian();
  const bytes = decodeBase64(text);
  return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
}

export function encodeUint8(values: Uint8Array): string {
  return encodeBase64(values);
}

export function decodeUint8(text: string): Uint8Array {
  return decodeBase64(text);
}
