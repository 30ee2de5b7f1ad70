// The ristretto255 group (RFC 9496) of spec/crypto.md §1 with @noble/curves, and scalars mod ℓ as bigints.
// Elements are noble RistrettoPoint objects; scalars are wrapped in Scalar so the hash encoding (§2.1) can
// tell a scalar (type 0x05, 32 bytes little-endian) from an integer (type 0x03, minimal big-endian).
import { ristretto255 } from '@noble/curves/ed25519.js';

export const Point = ristretto255.Point;
/** ℓ, the prime order of ristretto255 (C§1.1). */
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;
/** G, the standard base point (RFC 9496 §4.4); C§1.4 gives its encoding e2f2ae0a…e08d2d76. */
export const G = Point.BASE;
export const IDENTITY = Point.ZERO;

const HEX64 = /^[0-9a-f]{64}$/;

export class BoothError extends Error {
  /** An expected failure with a stable code (the booth shows the message; tests read the code). */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

export class Scalar {
  /** An integer in [0, ℓ). */
  constructor(value) {
    if (typeof value !== 'bigint' || value < 0n || value >= L) throw new BoothError('scalar_range', 'scalar out of range [0, l)');
    this.value = value;
  }
  static of(n) {
    const v = BigInt(n) % L;
    return new Scalar(v < 0n ? v + L : v);
  }
  add(o) { return Scalar.of(this.value + o.value); }
  sub(o) { return Scalar.of(this.value - o.value); }
  mul(o) { return Scalar.of(this.value * o.value); }
  neg() { return Scalar.of(-this.value); }
  equals(o) { return o instanceof Scalar && o.value === this.value; }
  /** 32 bytes little-endian (C§1.1). */
  toBytes() {
    const out = new Uint8Array(32);
    let v = this.value;
    for (let i = 0; i < 32; i++) { out[i] = Number(v & 0xffn); v >>= 8n; }
    return out;
  }
  hex() { return bytesToHex(this.toBytes()); }
  static fromHex(text, where = 'scalar') {
    if (typeof text !== 'string' || !HEX64.test(text)) throw new BoothError('bad_json', `${where}: expected 64 lowercase hex digits`);
    const value = leToBigint(hexToBytes(text));
    if (value >= L) throw new BoothError('bad_json', `${where}: non-canonical scalar (>= l)`);
    return new Scalar(value);
  }
  /** Reduce 64 bytes (little-endian) mod ℓ, as crypto_core_ristretto255_scalar_reduce (C§2.3). */
  static fromDigest(bytes) {
    if (bytes.length !== 64) throw new BoothError('digest_length', 'scalar reduction takes 64 bytes');
    return new Scalar(leToBigint(bytes) % L);
  }
}

export const ZERO = new Scalar(0n);

/** s·P; 0·P and s·identity are the identity (C§1.3). noble's multiply refuses 0, hence the guard. */
export function mul(point, scalar) {
  if (scalar.value === 0n || point.is0()) return IDENTITY;
  return point.multiply(scalar.value);
}

export function baseMul(scalar) { return mul(G, scalar); }

export function elementHex(point) { return point.toHex(); }

export function sameElement(a, b) { return a.toHex() === b.toHex(); }

/** A canonical encoding (C§1.2): valid ristretto255 bytes, 64 lowercase hex digits, the identity only if allowed. */
export function elementFromHex(text, where = 'element', allowIdentity = false) {
  if (typeof text !== 'string' || !HEX64.test(text)) throw new BoothError('bad_json', `${where}: expected 64 lowercase hex digits`);
  let point;
  try {
    point = Point.fromHex(text);
  } catch (e) {
    throw new BoothError('bad_json', `${where}: not a canonical ristretto255 encoding`);
  }
  if (point.toHex() !== text) throw new BoothError('bad_json', `${where}: not a canonical ristretto255 encoding`);
  if (!allowIdentity && point.is0()) throw new BoothError('bad_json', `${where}: the identity element is not allowed here`);
  return point;
}

/** n bytes from crypto.getRandomValues, the booth's only source of randomness (C§1.5). */
export function randomBytes(n) {
  const out = new Uint8Array(n);
  globalThis.crypto.getRandomValues(out);
  return out;
}

/** A uniform scalar: 64 random bytes reduced mod ℓ (C§1.5). */
export function randomScalar() { return Scalar.fromDigest(randomBytes(64)); }

export function bytesToHex(bytes) {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function hexToBytes(text) {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-f]*$/.test(text)) throw new BoothError('bad_hex', 'expected lowercase hex');
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function leToBigint(bytes) {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}
