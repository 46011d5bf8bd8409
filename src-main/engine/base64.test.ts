import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeInt32, decodeUint16, encodeBase64, encodeInt32, encodeUint16 } from './base64';

describe('base64', () => {
  it('encodes like RFC 4648 (the test vectors)', () => {
    const text = (s: string) => encodeBase64(Uint8Array.from(s, (c) => c.charCodeAt(0)));

    expect(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map(text)).toEqual([
      '',
      'Zg==',
      'Zm8=',
      'Zm9v',
      'Zm9vYg==',
      'Zm9vYmE=',
      'Zm9vYmFy',
    ]);
  });

  it('round-trips bytes, Int32 and Uint16 arrays', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20_000 }), fc.array(fc.integer()), (bytes, ints) => {
        expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes);
        const int32 = Int32Array.from(ints);
        expect(decodeInt32(encodeInt32(int32))).toEqual(int32);
        const uint16 = Uint16Array.from(ints, (i) => i & 0xffff);
        expect(decodeUint16(encodeUint16(uint16))).toEqual(uint16);
      }),
    );
  });

  it('rejects text that is not base64', () => {
    expect(() => decodeBase64('ab$d')).toThrow(/invalid base64 character/);
    expect(() => decodeBase64('abc')).toThrow(/multiple of 4/);
  });
});
