// Rows: a view of a room as the wire sees it (docs/protocol.md, "Entities
// and quantization"): entities in ascending id order, each a row of `width`
// int32 values, the kind first.

import { crc32c } from "./crc32c.js";

/** MAX_FIELDS is the most fields an entity kind may declare. */
export const MAX_FIELDS = 32;
/** MAX_KIND is the highest entity kind number. */
export const MAX_KIND = 255;

/**
 * Layout is what rows need of a schema: the row width and each kind's field
 * count. Build one per schema ({@link Schema.layout}) or, for code without a
 * schema, {@link Layout.ofWidth}.
 */
export class Layout {
  /** width is the values per row: the kind, then the widest kind's fields. */
  readonly width: number;
  /** fieldCounts[k] is kind k's field count, -1 for an undeclared kind. */
  readonly #fields: Int8Array;

  /** Use {@link Layout.ofKinds} or {@link Layout.ofWidth}. */
  private constructor(width: number, fields: Int8Array) {
    this.width = width;
    this.#fields = fields;
  }

  /**
   * Layout.ofKinds returns the layout of kinds, each a kind number (1..255)
   * and its field count (0..32).
   */
  static ofKinds(kinds: Iterable<{ kind: number; fields: number }>): Layout {
    const f = new Int8Array(MAX_KIND + 1).fill(-1);
    let widest = 0;
    for (const k of kinds) {
      f[k.kind] = k.fields;
      widest = Math.max(widest, k.fields);
    }
    return new Layout(1 + widest, f);
  }

  /**
   * Layout.ofWidth returns a layout of width values per row that accepts
   * every kind 1..255 with width-1 fields, for tools that decode without a
   * schema. It throws unless 1 <= width <= 33.
   */
  static ofWidth(width: number): Layout {
    if (!Number.isInteger(width) || width < 1 || width > 1 + MAX_FIELDS) {
      throw new RangeError(`row width ${width} outside 1..${1 + MAX_FIELDS}`);
    }
    const f = new Int8Array(MAX_KIND + 1).fill(width - 1);
    f[0] = -1;
    return new Layout(width, f);
  }

  /** fieldCount returns how many fields kind declares, or -1 if it is not declared. */
  fieldCount(kind: number): number {
    return Number.isInteger(kind) && kind >= 0 && kind <= MAX_KIND ? this.#fields[kind] : -1;
  }

  /**
   * validRow reports whether row (width values, the kind first) is valid:
   * its kind is declared and every value past the kind's fields is 0.
   */
  validRow(row: ArrayLike<number>): boolean {
    const n = this.fieldCount(row[0]);
    if (n < 0) return false;
    for (let i = 1 + n; i < this.width; i++) {
      if (row[i] !== 0) return false;
    }
    return true;
  }
}

/**
 * Rows is a set of entities in ascending id order, each a row of
 * `layout.width` int32 values: its kind, then its fields. In memory each
 * entity is 1+width consecutive int32s, the id first (stored as int32, read
 * back unsigned), which is the canonical encoding the checksum covers.
 *
 * Rows a client hands out are its own: read them, don't modify them.
 */
export class Rows {
  /** layout gives the width and the kinds. */
  readonly layout: Layout;
  /** data holds length entities of 1+width int32s each. */
  readonly data: Int32Array;

  /** new Rows wraps data (length a multiple of 1+width) without copying. */
  constructor(layout: Layout, data: Int32Array = new Int32Array(0)) {
    this.layout = layout;
    this.data = data;
  }

  /**
   * Rows.from builds rows from [id, kind, ...fields] arrays in ascending id
   * order, each padded with zeros to the layout's width; for tools and tests.
   */
  static from(layout: Layout, entities: ArrayLike<number>[]): Rows {
    const s = 1 + layout.width;
    const data = new Int32Array(entities.length * s);
    entities.forEach((e, i) => {
      for (let k = 0; k < e.length && k < s; k++) data[i * s + k] = e[k];
    });
    return new Rows(layout, data);
  }

  /** width returns the values per row. */
  get width(): number {
    return this.layout.width;
  }

  /** length returns the number of entities. */
  get length(): number {
    return this.data.length / (1 + this.layout.width);
  }

  /** id returns entity i's id. */
  id(i: number): number {
    return this.data[i * (1 + this.layout.width)] >>> 0;
  }

  /** kind returns entity i's kind. */
  kind(i: number): number {
    return this.data[i * (1 + this.layout.width) + 1];
  }

  /** row returns entity i's whole row, the kind first, as a view into the rows. */
  row(i: number): Int32Array {
    const s = 1 + this.layout.width;
    return this.data.subarray(i * s + 1, (i + 1) * s);
  }

  /**
   * fields returns entity i's fields (as many as its kind declares, or all
   * width-1 for a kind the layout does not know) as a view into the rows.
   */
  fields(i: number): Int32Array {
    const s = 1 + this.layout.width;
    let n = this.layout.fieldCount(this.kind(i));
    if (n < 0) n = s - 2;
    return this.data.subarray(i * s + 2, i * s + 2 + n);
  }

  /** find returns the index of the entity with id, or -1. */
  find(id: number): number {
    const s = 1 + this.layout.width;
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (this.data[m * s] >>> 0 < id) lo = m + 1;
      else hi = m;
    }
    return lo < this.length && this.data[lo * s] >>> 0 === id ? lo : -1;
  }

  /** equals reports whether o holds the same entities with the same values. */
  equals(o: Rows): boolean {
    if (o.width !== this.width || o.data.length !== this.data.length) return false;
    for (let i = 0; i < this.data.length; i++) {
      if (this.data[i] !== o.data[i]) return false;
    }
    return true;
  }

  /** toArrays returns the entities as [id, ...row] arrays, for tests and tools. */
  toArrays(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.length; i++) out.push([this.id(i), ...this.row(i)]);
    return out;
  }
}

/** littleEndian is whether an Int32Array's memory already is the canonical encoding. */
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * checksum returns the CRC-32C of the canonical encoding of rows: for each
 * entity in id order, the id and then its width values, each 4 bytes
 * little-endian. Empty rows give 0.
 */
export function checksum(rows: Rows): number {
  const d = rows.data;
  if (littleEndian) {
    return crc32c(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  }
  const b = new Uint8Array(d.byteLength);
  const v = new DataView(b.buffer);
  for (let i = 0; i < d.length; i++) v.setInt32(4 * i, d[i], true);
  return crc32c(b);
}
