// Varints and zigzag as the packed delta uses them (docs/protocol.md,
// "Varints and zigzag"). Values are JavaScript numbers: exact below 2^53,
// and any varint above that is refused by every rule that reads one (no
// count, gap, mask or value may be that large), so rounding never changes
// a verdict.

/** What a varint read gives: its value and the offset past it, or why not. */
export type VarintRead =
  | { ok: true; value: number; next: number }
  | { ok: false; problem: "truncated" | "varint" };

/**
 * readVarint reads the unsigned LEB128 varint at b[off]. As Go's
 * binary.Uvarint: the end of b inside it is "truncated"; an 11th byte, or a
 * 10th byte above 1, is "varint" (it would not fit 64 bits).
 */
export function readVarint(b: Uint8Array, off: number): VarintRead {
  let value = 0;
  let mul = 1;
  for (let i = 0; off + i < b.length; i++) {
    if (i === 10) return { ok: false, problem: "varint" };
    const byte = b[off + i];
    if (byte < 0x80) {
      if (i === 9 && byte > 1) return { ok: false, problem: "varint" };
      return { ok: true, value: value + byte * mul, next: off + i + 1 };
    }
    value += (byte & 0x7f) * mul;
    mul *= 128;
  }
  return { ok: false, problem: "truncated" };
}

/** writeVarint appends v (an integer 0..2^53-1) to out as a minimal varint. */
export function writeVarint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** zigzag maps a signed 32-bit delta to an unsigned one: 0, -1, 1, -2 → 0, 1, 2, 3. */
export function zigzag(d: number): number {
  return ((d << 1) ^ (d >> 31)) >>> 0;
}

/** unzigzag inverts zigzag for z in 0..2^32-1, giving an int32. */
export function unzigzag(z: number): number {
  return (z >>> 1) ^ -(z & 1);
}
