// CRC-32C (Castagnoli), the checksum of every snapshot (docs/protocol.md,
// "Checksum"). Table-driven, one byte at a time: a room's view is a few
// kilobytes, which this hashes in microseconds.

/** table[b] is the CRC of byte b under the reflected polynomial 0x82F63B78. */
const table: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    }
    t[b] = c >>> 0;
  }
  return t;
})();

/**
 * crc32c returns the CRC-32C of bytes, continuing from crc (the result of an
 * earlier call over the bytes before them; 0 to start). The CRC of no bytes
 * is 0, and of the ASCII bytes of "123456789" 0xE3069283.
 */
export function crc32c(bytes: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) {
    c = table[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  }
  return ~c >>> 0;
}
