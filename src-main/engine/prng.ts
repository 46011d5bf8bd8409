/**
 * The engine's only source of randomness: sfc32 (Chris Doty-Humphrey's "small fast counting"
 * generator, 128-bit state, passes PractRand to 2^40+ bytes), seeded from a uint32 through
 * splitmix32 so that nearby seeds give unrelated streams.
 *
 *  1. Seeding: splitmix32(seed) fills a, b, c; d = 1 (the counter); 12 outputs are discarded so
 *     the first value already depends on every seed bit.
 *  2. Each output mixes the state with 32-bit adds, xors, shifts and rotates; every operation is
 *     exact 32-bit integer arithmetic in JavaScript, so a session replays bit for bit anywhere.
 *
 * Changing this algorithm changes every recorded session's replay: prng.test.ts pins the first
 * outputs of a seed.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
      throw new RangeError(`seed must be a uint32, got ${seed}`);
    }
    let state = seed >>> 0;
    const splitmix32 = (): number => {
      state = (state + 0x9e37_79b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85eb_ca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2_ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Uniform in [0, 2^32). */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1), with 32 bits of resolution. */
  nextFloat(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /**
   * Uniform integer in [lo, hi], both inclusive. Multiply-and-floor of a 32-bit draw: the bias is
   * below (hi − lo + 1) / 2^32, far under anything a scenario's size distribution can show.
   */
  nextInt(lo: number, hi: number): number {
    return lo + Math.floor(this.nextFloat() * (hi - lo + 1));
  }
}
