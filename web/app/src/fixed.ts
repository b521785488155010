// Integer math of game/fixed, in TypeScript numbers: every value the
// arena's movement rule handles stays far below 2^53, so plain numbers
// are exact as long as each division truncates as Go's does.

/** quo divides truncating toward zero, as Go's / on integers (|a|, |b| < 2^53). */
export function quo(a: number, b: number): number {
  let q = Math.trunc(a / b);
  // The float quotient may round across an integer; the remainder, exact
  // in doubles, says which way to step back.
  const r = a - q * b;
  if (r !== 0 && Math.sign(r) !== Math.sign(a)) q -= Math.sign(a) * Math.sign(b);
  else if (Math.abs(r) >= Math.abs(b)) q += Math.sign(a) * Math.sign(b);
  return q;
}

/** isqrt returns floor(sqrt(v)) for v >= 0 and 0 below (fixed.Isqrt). */
export function isqrt(v: number): number {
  if (v <= 0) return 0;
  let r = Math.floor(Math.sqrt(v));
  // The float root can be one off for large v; settle it exactly.
  while (r * r > v) r--;
  while ((r + 1) * (r + 1) <= v) r++;
  return r;
}

/** ceilSqrt returns ceil(sqrt(v)) for v >= 0 (fixed.CeilSqrt). */
export function ceilSqrt(v: number): number {
  const r = isqrt(v);
  return r * r < v ? r + 1 : r;
}

/** floorDiv divides rounding toward negative infinity, b > 0 (fixed.FloorDiv). */
export function floorDiv(a: number, b: number): number {
  let q = quo(a, b);
  if (a % b !== 0 && a < 0) q--;
  return q;
}

/** roundDiv divides rounding to nearest, halves up, b > 0 (fixed.RoundDiv). */
export function roundDiv(a: number, b: number): number {
  return floorDiv(2 * a + b, 2 * b);
}

/** clamp returns v limited to lo..hi. */
export function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}
