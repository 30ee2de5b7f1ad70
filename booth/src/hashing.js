// Unambiguous, purpose-tagged hashing (spec/crypto.md §2), byte for byte as src/saylau/crypto/hashing.py.
// enc(x) = type ‖ u64be(len(payload)) ‖ payload: bytes 0x01, str 0x02 (UTF-8), int ≥ 0 0x03 (minimal
// big-endian, 0 = empty), Element 0x04, Scalar 0x05 (32 bytes LE), sequence 0x06. Booleans, floats and
// negative integers are refused. A hash input is enc(["saylau-crypto-v1", purpose, ...parts]).
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { BoothError, Point, Scalar, bytesToHex } from './group.js';

export const DOMAIN = 'saylau-crypto-v1';
const UTF8 = new TextEncoder();

function intBytes(n) {
  const out = [];
  while (n > 0n) { out.unshift(Number(n & 0xffn)); n >>= 8n; }
  return out;
}

function encodeInto(part, chunks) {
  // returns the payload length written after its 9-byte header, which it back-fills
  const header = new Uint8Array(9);
  chunks.push(header);
  let kind;
  let length;
  if (part instanceof Uint8Array) {
    kind = 0x01; chunks.push(part); length = part.length;
  } else if (typeof part === 'string') {
    if (/[\uD800-\uDFFF]/.test(part.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) {
      throw new BoothError('hash_part', 'a string with a lone surrogate is not UTF-8');
    }
    const data = UTF8.encode(part); kind = 0x02; chunks.push(data); length = data.length;
  } else if (typeof part === 'number' || typeof part === 'bigint') {
    if (typeof part === 'number' && !Number.isSafeInteger(part)) throw new BoothError('hash_part', 'integers only (no floats)');
    const n = BigInt(part);
    if (n < 0n) throw new BoothError('hash_part', 'negative integers are not hashable parts');
    const data = Uint8Array.from(intBytes(n)); kind = 0x03; chunks.push(data); length = data.length;
  } else if (part instanceof Point) {
    kind = 0x04; chunks.push(part.toBytes()); length = 32;
  } else if (part instanceof Scalar) {
    kind = 0x05; chunks.push(part.toBytes()); length = 32;
  } else if (Array.isArray(part)) {
    kind = 0x06; length = 0;
    for (const item of part) length += encodeInto(item, chunks) + 9;
  } else {
    throw new BoothError('hash_part', `unsupported hash part of type ${typeof part}`);
  }
  header[0] = kind;
  new DataView(header.buffer).setBigUint64(1, BigInt(length), false);
  return length;
}

/** The canonical self-delimiting encoding of one part (C§2.1). */
export function encodePart(part) {
  const chunks = [];
  const length = encodeInto(part, chunks) + 9;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

function input(purpose, parts) { return encodePart([DOMAIN, purpose, ...parts]); }

/** H_ℓ (C§2.3): SHA-512 of the input read little-endian mod ℓ. */
export function hashToScalar(purpose, ...parts) { return Scalar.fromDigest(sha512(input(purpose, parts))); }

/** H_hex (C§2.3): SHA-256 of the input as 64 lowercase hex digits. */
export function hashHex(purpose, ...parts) { return bytesToHex(sha256(input(purpose, parts))); }

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 of the first 10 bytes of a hex digest, 16 characters in 4 groups of 4 (C§9.1). */
export function shortCode(hexDigest) {
  let bits = 0;
  let value = 0;
  let text = '';
  for (let i = 0; i < 10; i++) {
    value = (value << 8) | parseInt(hexDigest.slice(2 * i, 2 * i + 2), 16);
    bits += 8;
    while (bits >= 5) { text += BASE32[(value >>> (bits - 5)) & 31]; bits -= 5; }
    value &= (1 << bits) - 1;
  }
  return text.match(/.{4}/g).join('-');
}
