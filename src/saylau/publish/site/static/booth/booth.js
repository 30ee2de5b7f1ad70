var SaylauBooth = (() => {
  var __defProp = Object.defineProperty;
  var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
  var __getOwnPropNames = Object.getOwnPropertyNames;
  var __hasOwnProp = Object.prototype.hasOwnProperty;
  var __defNormalProp = (obj, key, value) => key in obj ? __defProp(obj, key, { enumerable: true, configurable: true, writable: true, value }) : obj[key] = value;
  var __export = (target, all) => {
    for (var name in all)
      __defProp(target, name, { get: all[name], enumerable: true });
  };
  var __copyProps = (to, from, except, desc) => {
    if (from && typeof from === "object" || typeof from === "function") {
      for (let key of __getOwnPropNames(from))
        if (!__hasOwnProp.call(to, key) && key !== except)
          __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
    }
    return to;
  };
  var __toCommonJS = (mod2) => __copyProps(__defProp({}, "__esModule", { value: true }), mod2);
  var __publicField = (obj, key, value) => __defNormalProp(obj, typeof key !== "symbol" ? key + "" : key, value);

  // src/booth.js
  var booth_exports = {};
  __export(booth_exports, {
    ballot: () => ballot_exports,
    canon: () => canon,
    codec: () => codec_exports,
    group: () => group_exports,
    hashing: () => hashing_exports,
    parseElection: () => parseElection,
    startBooth: () => startBooth,
    startChecker: () => startChecker
  });

  // src/group.js
  var group_exports = {};
  __export(group_exports, {
    BoothError: () => BoothError,
    G: () => G,
    IDENTITY: () => IDENTITY,
    L: () => L,
    Point: () => Point,
    Scalar: () => Scalar,
    ZERO: () => ZERO,
    baseMul: () => baseMul,
    bytesToHex: () => bytesToHex3,
    elementFromHex: () => elementFromHex,
    elementHex: () => elementHex,
    hexToBytes: () => hexToBytes3,
    mul: () => mul,
    randomBytes: () => randomBytes3,
    randomScalar: () => randomScalar,
    sameElement: () => sameElement
  });

  // node_modules/@noble/hashes/_u64.js
  var U32_MASK64 = /* @__PURE__ */ (() => BigInt(2 ** 32 - 1))();
  var _32n = /* @__PURE__ */ BigInt(32);
  function fromBig(n, le = false) {
    if (le)
      return { h: Number(n & U32_MASK64), l: Number(n >> _32n & U32_MASK64) };
    return { h: Number(n >> _32n & U32_MASK64) | 0, l: Number(n & U32_MASK64) | 0 };
  }
  function split(lst, le = false) {
    const len = lst.length;
    let Ah = new Uint32Array(len);
    let Al = new Uint32Array(len);
    for (let i = 0; i < len; i++) {
      const { h, l } = fromBig(lst[i], le);
      [Ah[i], Al[i]] = [h, l];
    }
    return [Ah, Al];
  }
  var fromNumH = (n) => n / 2 ** 32 | 0;
  var fromNumL = (n) => n >>> 0;
  function setU64FromNum(view, byteOffset, n, isLE) {
    const h = fromNumH(n);
    const l = fromNumL(n);
    view.setUint32(byteOffset, isLE ? l : h, isLE);
    view.setUint32(byteOffset + 4, isLE ? h : l, isLE);
  }
  var shrSH = (h, _l, s) => h >>> s;
  var shrSL = (h, l, s) => h << 32 - s | l >>> s;
  var rotrSH = (h, l, s) => h >>> s | l << 32 - s;
  var rotrSL = (h, l, s) => h << 32 - s | l >>> s;
  var rotrBH = (h, l, s) => h << 64 - s | l >>> s - 32;
  var rotrBL = (h, l, s) => h >>> s - 32 | l << 64 - s;
  function add(Ah, Al, Bh, Bl) {
    const l = (Al >>> 0) + (Bl >>> 0);
    return { h: Ah + Bh + (l / 2 ** 32 | 0) | 0, l: l | 0 };
  }
  var add3L = (Al, Bl, Cl) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0);
  var add3H = (low, Ah, Bh, Ch) => Ah + Bh + Ch + (low / 2 ** 32 | 0) | 0;
  var add4L = (Al, Bl, Cl, Dl) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0) + (Dl >>> 0);
  var add4H = (low, Ah, Bh, Ch, Dh) => Ah + Bh + Ch + Dh + (low / 2 ** 32 | 0) | 0;
  var add5L = (Al, Bl, Cl, Dl, El) => (Al >>> 0) + (Bl >>> 0) + (Cl >>> 0) + (Dl >>> 0) + (El >>> 0);
  var add5H = (low, Ah, Bh, Ch, Dh, Eh) => Ah + Bh + Ch + Dh + Eh + (low / 2 ** 32 | 0) | 0;

  // node_modules/@noble/hashes/utils.js
  function isBytes(a) {
    return a instanceof Uint8Array || ArrayBuffer.isView(a) && a.constructor.name === "Uint8Array" && "BYTES_PER_ELEMENT" in a && a.BYTES_PER_ELEMENT === 1;
  }
  var atitle = (title) => title ? `"${title}" ` : "";
  function anumber(n, title = "") {
    if (typeof n !== "number")
      throw new TypeError(atitle(title) + "expected number, got " + typeof n);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new RangeError(atitle(title) + "expected integer >= 0, got " + n);
    return n;
  }
  function abytes(value, length, title = "") {
    if (isBytes(value) && (length === void 0 || value.length === length))
      return value;
    if (length !== void 0)
      anumber(length, "length");
    const bytes = isBytes(value);
    const ofLen = length !== void 0 ? ` of length ${length}` : "";
    const got = bytes ? `length=${value.length}` : `type=${typeof value}`;
    const message = atitle(title) + "expected Uint8Array" + ofLen + ", got " + got;
    if (!bytes)
      throw new TypeError(message);
    throw new RangeError(message);
  }
  var aobject = (value, label) => {
    if (value === null || typeof value !== "object" || Array.isArray(value))
      throw new TypeError((label === "object" ? "" : `"${label}" `) + "expected object, got type=" + typeof value);
  };
  var aopts = (value, label) => {
    aobject(value, label);
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null)
      throw new TypeError(`"${label}" expected plain object`);
    if (Object.hasOwn(value, "__proto__"))
      throw new TypeError(`"${label}.__proto__" is not allowed`);
  };
  function aexists(instance, checkFinished = true) {
    if (instance.destroyed)
      throw new Error("hash was destroyed");
    if (checkFinished && instance.finished)
      throw new Error("digest() was already called");
  }
  function aoutput(out, instance) {
    abytes(out, void 0, "output");
    const min = instance.outputLen;
    if (!(out.length >= min)) {
      throw new RangeError('"output" expected length >= ' + min);
    }
  }
  function clean(...arrays) {
    for (let i = 0; i < arrays.length; i++) {
      arrays[i].fill(0);
    }
  }
  function createView(arr) {
    return new DataView(arr.buffer, arr.byteOffset, arr.byteLength);
  }
  function rotr(word, shift) {
    return word << 32 - shift | word >>> shift;
  }
  var hasHexBuiltin = /* @__PURE__ */ (() => (
    // @ts-ignore
    typeof Uint8Array.from([]).toHex === "function" && typeof Uint8Array.fromHex === "function"
  ))();
  var hexes = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
  function bytesToHex(bytes) {
    abytes(bytes);
    if (hasHexBuiltin)
      return bytes.toHex();
    let hex = "";
    for (let i = 0; i < bytes.length; i++) {
      hex += hexes[bytes[i]];
    }
    return hex;
  }
  function asciiToBase16(ch) {
    return ch >= 48 && ch <= 57 ? ch - 48 : ch >= 65 && ch <= 70 ? ch - (65 - 10) : ch >= 97 && ch <= 102 ? ch - (97 - 10) : void 0;
  }
  function hexToBytes(hex) {
    if (typeof hex !== "string")
      throw new TypeError("hex string expected, got " + typeof hex);
    if (hasHexBuiltin) {
      try {
        return Uint8Array.fromHex(hex);
      } catch (error) {
        if (error instanceof SyntaxError)
          throw new RangeError(error.message);
        throw error;
      }
    }
    const hl = hex.length;
    const al = hl / 2;
    if (hl % 2)
      throw new RangeError("hex string expected, got unpadded hex of length " + hl);
    const array2 = new Uint8Array(al);
    for (let ai = 0, hi = 0; ai < al; ai++, hi += 2) {
      const n1 = asciiToBase16(hex.charCodeAt(hi));
      const n2 = asciiToBase16(hex.charCodeAt(hi + 1));
      if (n1 === void 0 || n2 === void 0) {
        const char = hex[hi] + hex[hi + 1];
        throw new RangeError('hex string expected, got non-hex character "' + char + '" at index ' + hi);
      }
      array2[ai] = n1 * 16 + n2;
    }
    return array2;
  }
  function checkOpts(defaults, opts, title = "opts") {
    aopts(defaults, "defaults");
    if (opts !== void 0)
      aopts(opts, title);
    const merged = Object.assign(/* @__PURE__ */ Object.create(null), defaults, opts);
    return merged;
  }
  function createHasher(hashCons, info = {}) {
    if (typeof hashCons !== "function")
      throw new TypeError('"hashCons" expected function, got type=' + typeof hashCons);
    info = checkOpts({}, info, "info");
    const hashC = (msg, opts) => hashCons(opts).update(msg).digest();
    const tmp = hashCons(void 0);
    hashC.outputLen = tmp.outputLen;
    hashC.blockLen = tmp.blockLen;
    hashC.canXOF = tmp.canXOF;
    hashC.create = (opts) => hashCons(opts);
    Object.assign(hashC, info);
    return Object.freeze(hashC);
  }
  function randomBytes(bytesLength = 32) {
    anumber(bytesLength, "bytesLength");
    const cr = typeof globalThis === "object" ? globalThis.crypto : null;
    if (typeof cr?.getRandomValues !== "function")
      throw new Error("crypto.getRandomValues must be defined");
    if (bytesLength > 65536)
      throw new RangeError(`"bytesLength" expected <= 65536, got ${bytesLength}`);
    return cr.getRandomValues(new Uint8Array(bytesLength));
  }
  var oidNist = (suffix) => ({
    // Current NIST hashAlgs suffixes used here fit in one DER subidentifier octet.
    // Larger suffix values would need base-128 OID encoding and a different length byte.
    oid: Uint8Array.from([6, 9, 96, 134, 72, 1, 101, 3, 4, 2, suffix])
  });

  // node_modules/@noble/hashes/_md.js
  function Chi(a, b, c) {
    return a & b ^ ~a & c;
  }
  function Maj(a, b, c) {
    return a & b ^ a & c ^ b & c;
  }
  var HashMD = class {
    constructor(blockLen, outputLen, padOffset, isLE) {
      __publicField(this, "blockLen");
      __publicField(this, "outputLen");
      __publicField(this, "canXOF", false);
      __publicField(this, "padOffset");
      __publicField(this, "isLE");
      // For partial updates less than block size
      __publicField(this, "buffer");
      __publicField(this, "view");
      __publicField(this, "finished", false);
      __publicField(this, "length", 0);
      __publicField(this, "pos", 0);
      __publicField(this, "destroyed", false);
      this.blockLen = blockLen;
      this.outputLen = outputLen;
      this.padOffset = padOffset;
      this.isLE = isLE;
      this.buffer = new Uint8Array(blockLen);
      this.view = createView(this.buffer);
    }
    update(data) {
      aexists(this);
      abytes(data);
      const { view, buffer, blockLen } = this;
      const len = data.length;
      let processed = false;
      for (let pos = 0; pos < len; ) {
        const take = Math.min(blockLen - this.pos, len - pos);
        if (take === blockLen) {
          const dataView = createView(data);
          for (; blockLen <= len - pos; pos += blockLen)
            this.process(dataView, pos);
          processed = true;
          continue;
        }
        buffer.set(pos === 0 && take === len ? data : data.subarray(pos, pos + take), this.pos);
        this.pos += take;
        pos += take;
        if (this.pos === blockLen) {
          this.process(view, 0);
          this.pos = 0;
          processed = true;
        }
      }
      this.length += data.length;
      if (processed)
        this.roundClean();
      return this;
    }
    digestInto(out) {
      aexists(this);
      aoutput(out, this);
      this.finished = true;
      const { buffer, view, blockLen, isLE } = this;
      let { pos } = this;
      buffer[pos++] = 128;
      buffer.fill(0, pos);
      if (this.padOffset > blockLen - pos) {
        this.process(view, 0);
        buffer.fill(0);
      }
      setU64FromNum(view, blockLen - 8, this.length * 8, isLE);
      this.process(view, 0);
      this.roundClean();
      const oview = out === buffer ? view : createView(out);
      const len = this.outputLen;
      const outLen = len / 4;
      const state = this.get();
      if (len % 4 || outLen > state.length)
        throw new Error("invalid outputLen");
      for (let i = 0; i < outLen; i++)
        oview.setUint32(4 * i, state[i], isLE);
    }
    digest() {
      const { buffer, outputLen } = this;
      this.digestInto(buffer);
      const res = buffer.slice(0, outputLen);
      this.destroy();
      return res;
    }
    _cloneIntoMeta(to) {
      const { buffer, length, finished, destroyed, pos } = this;
      to.destroyed = destroyed;
      to.finished = finished;
      to.length = length;
      to.pos = pos;
      if (pos)
        to.buffer.set(buffer);
      return to;
    }
    clone() {
      return this._cloneInto();
    }
  };
  var SHA256_IV = /* @__PURE__ */ Uint32Array.from([
    1779033703,
    3144134277,
    1013904242,
    2773480762,
    1359893119,
    2600822924,
    528734635,
    1541459225
  ]);
  var SHA512_IV = /* @__PURE__ */ Uint32Array.from([
    1779033703,
    4089235720,
    3144134277,
    2227873595,
    1013904242,
    4271175723,
    2773480762,
    1595750129,
    1359893119,
    2917565137,
    2600822924,
    725511199,
    528734635,
    4215389547,
    1541459225,
    327033209
  ]);

  // node_modules/@noble/hashes/sha2.js
  var SHA256_K = /* @__PURE__ */ Uint32Array.from([
    1116352408,
    1899447441,
    3049323471,
    3921009573,
    961987163,
    1508970993,
    2453635748,
    2870763221,
    3624381080,
    310598401,
    607225278,
    1426881987,
    1925078388,
    2162078206,
    2614888103,
    3248222580,
    3835390401,
    4022224774,
    264347078,
    604807628,
    770255983,
    1249150122,
    1555081692,
    1996064986,
    2554220882,
    2821834349,
    2952996808,
    3210313671,
    3336571891,
    3584528711,
    113926993,
    338241895,
    666307205,
    773529912,
    1294757372,
    1396182291,
    1695183700,
    1986661051,
    2177026350,
    2456956037,
    2730485921,
    2820302411,
    3259730800,
    3345764771,
    3516065817,
    3600352804,
    4094571909,
    275423344,
    430227734,
    506948616,
    659060556,
    883997877,
    958139571,
    1322822218,
    1537002063,
    1747873779,
    1955562222,
    2024104815,
    2227730452,
    2361852424,
    2428436474,
    2756734187,
    3204031479,
    3329325298
  ]);
  var SHA256_W = /* @__PURE__ */ new Uint32Array(64);
  var SHA2_32B = class extends HashMD {
    constructor(outputLen, IV) {
      super(64, outputLen, 8, false);
      // We cannot use array here since array allows indexing by variable
      // which means optimizer/compiler cannot use registers.
      // Numeric initializers matter: starting the fields as `undefined` changes
      // V8's field representation and makes sha256 3x slower (measured).
      __publicField(this, "A", 0);
      __publicField(this, "B", 0);
      __publicField(this, "C", 0);
      __publicField(this, "D", 0);
      __publicField(this, "E", 0);
      __publicField(this, "F", 0);
      __publicField(this, "G", 0);
      __publicField(this, "H", 0);
      this.A = IV[0] | 0;
      this.B = IV[1] | 0;
      this.C = IV[2] | 0;
      this.D = IV[3] | 0;
      this.E = IV[4] | 0;
      this.F = IV[5] | 0;
      this.G = IV[6] | 0;
      this.H = IV[7] | 0;
    }
    get() {
      const { A, B, C, D, E, F, G: G2, H } = this;
      return [A, B, C, D, E, F, G2, H];
    }
    // prettier-ignore
    set(A, B, C, D, E, F, G2, H) {
      this.A = A | 0;
      this.B = B | 0;
      this.C = C | 0;
      this.D = D | 0;
      this.E = E | 0;
      this.F = F | 0;
      this.G = G2 | 0;
      this.H = H | 0;
    }
    _cloneInto(to) {
      (to || (to = new this.constructor())).set(...this.get());
      return this._cloneIntoMeta(to);
    }
    process(view, offset) {
      for (let i = 0; i < 16; i++, offset += 4)
        SHA256_W[i] = view.getUint32(offset, false);
      for (let i = 16; i < 64; i++) {
        const W15 = SHA256_W[i - 15];
        const W2 = SHA256_W[i - 2];
        const s0 = rotr(W15, 7) ^ rotr(W15, 18) ^ W15 >>> 3;
        const s1 = rotr(W2, 17) ^ rotr(W2, 19) ^ W2 >>> 10;
        SHA256_W[i] = s1 + SHA256_W[i - 7] + s0 + SHA256_W[i - 16] | 0;
      }
      let { A, B, C, D, E, F, G: G2, H } = this;
      for (let i = 0; i < 64; i++) {
        const sigma1 = rotr(E, 6) ^ rotr(E, 11) ^ rotr(E, 25);
        const T1 = H + sigma1 + Chi(E, F, G2) + SHA256_K[i] + SHA256_W[i] | 0;
        const sigma0 = rotr(A, 2) ^ rotr(A, 13) ^ rotr(A, 22);
        const T2 = sigma0 + Maj(A, B, C) | 0;
        H = G2;
        G2 = F;
        F = E;
        E = D + T1 | 0;
        D = C;
        C = B;
        B = A;
        A = T1 + T2 | 0;
      }
      A = A + this.A | 0;
      B = B + this.B | 0;
      C = C + this.C | 0;
      D = D + this.D | 0;
      E = E + this.E | 0;
      F = F + this.F | 0;
      G2 = G2 + this.G | 0;
      H = H + this.H | 0;
      this.set(A, B, C, D, E, F, G2, H);
    }
    roundClean() {
      clean(SHA256_W);
    }
    destroy() {
      this.destroyed = true;
      this.set(0, 0, 0, 0, 0, 0, 0, 0);
      clean(this.buffer);
    }
  };
  var _SHA256 = class extends SHA2_32B {
    constructor() {
      super(32, SHA256_IV);
    }
  };
  var K512 = /* @__PURE__ */ (() => split([
    "0x428a2f98d728ae22",
    "0x7137449123ef65cd",
    "0xb5c0fbcfec4d3b2f",
    "0xe9b5dba58189dbbc",
    "0x3956c25bf348b538",
    "0x59f111f1b605d019",
    "0x923f82a4af194f9b",
    "0xab1c5ed5da6d8118",
    "0xd807aa98a3030242",
    "0x12835b0145706fbe",
    "0x243185be4ee4b28c",
    "0x550c7dc3d5ffb4e2",
    "0x72be5d74f27b896f",
    "0x80deb1fe3b1696b1",
    "0x9bdc06a725c71235",
    "0xc19bf174cf692694",
    "0xe49b69c19ef14ad2",
    "0xefbe4786384f25e3",
    "0x0fc19dc68b8cd5b5",
    "0x240ca1cc77ac9c65",
    "0x2de92c6f592b0275",
    "0x4a7484aa6ea6e483",
    "0x5cb0a9dcbd41fbd4",
    "0x76f988da831153b5",
    "0x983e5152ee66dfab",
    "0xa831c66d2db43210",
    "0xb00327c898fb213f",
    "0xbf597fc7beef0ee4",
    "0xc6e00bf33da88fc2",
    "0xd5a79147930aa725",
    "0x06ca6351e003826f",
    "0x142929670a0e6e70",
    "0x27b70a8546d22ffc",
    "0x2e1b21385c26c926",
    "0x4d2c6dfc5ac42aed",
    "0x53380d139d95b3df",
    "0x650a73548baf63de",
    "0x766a0abb3c77b2a8",
    "0x81c2c92e47edaee6",
    "0x92722c851482353b",
    "0xa2bfe8a14cf10364",
    "0xa81a664bbc423001",
    "0xc24b8b70d0f89791",
    "0xc76c51a30654be30",
    "0xd192e819d6ef5218",
    "0xd69906245565a910",
    "0xf40e35855771202a",
    "0x106aa07032bbd1b8",
    "0x19a4c116b8d2d0c8",
    "0x1e376c085141ab53",
    "0x2748774cdf8eeb99",
    "0x34b0bcb5e19b48a8",
    "0x391c0cb3c5c95a63",
    "0x4ed8aa4ae3418acb",
    "0x5b9cca4f7763e373",
    "0x682e6ff3d6b2b8a3",
    "0x748f82ee5defb2fc",
    "0x78a5636f43172f60",
    "0x84c87814a1f0ab72",
    "0x8cc702081a6439ec",
    "0x90befffa23631e28",
    "0xa4506cebde82bde9",
    "0xbef9a3f7b2c67915",
    "0xc67178f2e372532b",
    "0xca273eceea26619c",
    "0xd186b8c721c0c207",
    "0xeada7dd6cde0eb1e",
    "0xf57d4f7fee6ed178",
    "0x06f067aa72176fba",
    "0x0a637dc5a2c898a6",
    "0x113f9804bef90dae",
    "0x1b710b35131c471b",
    "0x28db77f523047d84",
    "0x32caab7b40c72493",
    "0x3c9ebe0a15c9bebc",
    "0x431d67c49c100d4c",
    "0x4cc5d4becb3e42b6",
    "0x597f299cfc657e2a",
    "0x5fcb6fab3ad6faec",
    "0x6c44198c4a475817"
  ].map((n) => BigInt(n))))();
  var SHA512_Kh = /* @__PURE__ */ (() => K512[0])();
  var SHA512_Kl = /* @__PURE__ */ (() => K512[1])();
  var SHA512_W_H = /* @__PURE__ */ new Uint32Array(80);
  var SHA512_W_L = /* @__PURE__ */ new Uint32Array(80);
  var SHA2_64B = class extends HashMD {
    constructor(outputLen, IV) {
      super(128, outputLen, 16, false);
      // We cannot use array here since array allows indexing by variable
      // which means optimizer/compiler cannot use registers.
      // h -- high 32 bits, l -- low 32 bits
      // Numeric initializers matter: starting the fields as `undefined` changes
      // V8's field representation and slows hashing down (measured on sha256).
      __publicField(this, "Ah", 0);
      __publicField(this, "Al", 0);
      __publicField(this, "Bh", 0);
      __publicField(this, "Bl", 0);
      __publicField(this, "Ch", 0);
      __publicField(this, "Cl", 0);
      __publicField(this, "Dh", 0);
      __publicField(this, "Dl", 0);
      __publicField(this, "Eh", 0);
      __publicField(this, "El", 0);
      __publicField(this, "Fh", 0);
      __publicField(this, "Fl", 0);
      __publicField(this, "Gh", 0);
      __publicField(this, "Gl", 0);
      __publicField(this, "Hh", 0);
      __publicField(this, "Hl", 0);
      this.Ah = IV[0] | 0;
      this.Al = IV[1] | 0;
      this.Bh = IV[2] | 0;
      this.Bl = IV[3] | 0;
      this.Ch = IV[4] | 0;
      this.Cl = IV[5] | 0;
      this.Dh = IV[6] | 0;
      this.Dl = IV[7] | 0;
      this.Eh = IV[8] | 0;
      this.El = IV[9] | 0;
      this.Fh = IV[10] | 0;
      this.Fl = IV[11] | 0;
      this.Gh = IV[12] | 0;
      this.Gl = IV[13] | 0;
      this.Hh = IV[14] | 0;
      this.Hl = IV[15] | 0;
    }
    // prettier-ignore
    get() {
      const { Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl } = this;
      return [Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl];
    }
    // prettier-ignore
    set(Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl) {
      this.Ah = Ah | 0;
      this.Al = Al | 0;
      this.Bh = Bh | 0;
      this.Bl = Bl | 0;
      this.Ch = Ch | 0;
      this.Cl = Cl | 0;
      this.Dh = Dh | 0;
      this.Dl = Dl | 0;
      this.Eh = Eh | 0;
      this.El = El | 0;
      this.Fh = Fh | 0;
      this.Fl = Fl | 0;
      this.Gh = Gh | 0;
      this.Gl = Gl | 0;
      this.Hh = Hh | 0;
      this.Hl = Hl | 0;
    }
    _cloneInto(to) {
      (to || (to = new this.constructor())).set(...this.get());
      return this._cloneIntoMeta(to);
    }
    process(view, offset) {
      for (let i = 0; i < 16; i++, offset += 4) {
        SHA512_W_H[i] = view.getUint32(offset);
        SHA512_W_L[i] = view.getUint32(offset += 4);
      }
      for (let i = 16; i < 80; i++) {
        const W15h = SHA512_W_H[i - 15] | 0;
        const W15l = SHA512_W_L[i - 15] | 0;
        const s0h = rotrSH(W15h, W15l, 1) ^ rotrSH(W15h, W15l, 8) ^ shrSH(W15h, W15l, 7);
        const s0l = rotrSL(W15h, W15l, 1) ^ rotrSL(W15h, W15l, 8) ^ shrSL(W15h, W15l, 7);
        const W2h = SHA512_W_H[i - 2] | 0;
        const W2l = SHA512_W_L[i - 2] | 0;
        const s1h = rotrSH(W2h, W2l, 19) ^ rotrBH(W2h, W2l, 61) ^ shrSH(W2h, W2l, 6);
        const s1l = rotrSL(W2h, W2l, 19) ^ rotrBL(W2h, W2l, 61) ^ shrSL(W2h, W2l, 6);
        const SUMl = add4L(s0l, s1l, SHA512_W_L[i - 7], SHA512_W_L[i - 16]);
        const SUMh = add4H(SUMl, s0h, s1h, SHA512_W_H[i - 7], SHA512_W_H[i - 16]);
        SHA512_W_H[i] = SUMh | 0;
        SHA512_W_L[i] = SUMl | 0;
      }
      let { Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl } = this;
      for (let i = 0; i < 80; i++) {
        const sigma1h = rotrSH(Eh, El, 14) ^ rotrSH(Eh, El, 18) ^ rotrBH(Eh, El, 41);
        const sigma1l = rotrSL(Eh, El, 14) ^ rotrSL(Eh, El, 18) ^ rotrBL(Eh, El, 41);
        const CHIh = Eh & Fh ^ ~Eh & Gh;
        const CHIl = El & Fl ^ ~El & Gl;
        const T1ll = add5L(Hl, sigma1l, CHIl, SHA512_Kl[i], SHA512_W_L[i]);
        const T1h = add5H(T1ll, Hh, sigma1h, CHIh, SHA512_Kh[i], SHA512_W_H[i]);
        const T1l = T1ll | 0;
        const sigma0h = rotrSH(Ah, Al, 28) ^ rotrBH(Ah, Al, 34) ^ rotrBH(Ah, Al, 39);
        const sigma0l = rotrSL(Ah, Al, 28) ^ rotrBL(Ah, Al, 34) ^ rotrBL(Ah, Al, 39);
        const MAJh = Ah & Bh ^ Ah & Ch ^ Bh & Ch;
        const MAJl = Al & Bl ^ Al & Cl ^ Bl & Cl;
        Hh = Gh | 0;
        Hl = Gl | 0;
        Gh = Fh | 0;
        Gl = Fl | 0;
        Fh = Eh | 0;
        Fl = El | 0;
        ({ h: Eh, l: El } = add(Dh | 0, Dl | 0, T1h | 0, T1l | 0));
        Dh = Ch | 0;
        Dl = Cl | 0;
        Ch = Bh | 0;
        Cl = Bl | 0;
        Bh = Ah | 0;
        Bl = Al | 0;
        const All = add3L(T1l, sigma0l, MAJl);
        Ah = add3H(All, T1h, sigma0h, MAJh);
        Al = All | 0;
      }
      ({ h: Ah, l: Al } = add(this.Ah | 0, this.Al | 0, Ah | 0, Al | 0));
      ({ h: Bh, l: Bl } = add(this.Bh | 0, this.Bl | 0, Bh | 0, Bl | 0));
      ({ h: Ch, l: Cl } = add(this.Ch | 0, this.Cl | 0, Ch | 0, Cl | 0));
      ({ h: Dh, l: Dl } = add(this.Dh | 0, this.Dl | 0, Dh | 0, Dl | 0));
      ({ h: Eh, l: El } = add(this.Eh | 0, this.El | 0, Eh | 0, El | 0));
      ({ h: Fh, l: Fl } = add(this.Fh | 0, this.Fl | 0, Fh | 0, Fl | 0));
      ({ h: Gh, l: Gl } = add(this.Gh | 0, this.Gl | 0, Gh | 0, Gl | 0));
      ({ h: Hh, l: Hl } = add(this.Hh | 0, this.Hl | 0, Hh | 0, Hl | 0));
      this.set(Ah, Al, Bh, Bl, Ch, Cl, Dh, Dl, Eh, El, Fh, Fl, Gh, Gl, Hh, Hl);
    }
    roundClean() {
      clean(SHA512_W_H, SHA512_W_L);
    }
    destroy() {
      this.destroyed = true;
      clean(this.buffer);
      this.set(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
  };
  var _SHA512 = class extends SHA2_64B {
    constructor() {
      super(64, SHA512_IV);
    }
  };
  var sha256 = /* @__PURE__ */ createHasher(
    () => new _SHA256(),
    /* @__PURE__ */ oidNist(1)
  );
  var sha512 = /* @__PURE__ */ createHasher(
    () => new _SHA512(),
    /* @__PURE__ */ oidNist(3)
  );

  // node_modules/@noble/curves/utils.js
  /*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
  function aarray(item, title, inner = () => {
  }) {
    if (!Array.isArray(item))
      throw new TypeError(`"${title}" expected array, got type=${typeof item}`);
    for (let i = 0; i < item.length; i++)
      inner(item[i], `${title}[${i}]`);
    return item;
  }
  var abytes2 = (value, length, title) => abytes(value, length, title);
  var anumber2 = anumber;
  function aobject2(value, title = "object") {
    if (value === null || typeof value !== "object" || Array.isArray(value))
      throw new TypeError(title === "object" ? "expected valid options object" : `"${title}" expected object, got type=${typeof value}`);
    return value;
  }
  function afunction(value, title) {
    if (typeof value !== "function")
      throw new TypeError(`"${title}" is invalid: expected function, got ${typeof value}`);
    return value;
  }
  var bytesToHex2 = bytesToHex;
  var hexToBytes2 = (hex) => hexToBytes(hex);
  var isBytes2 = isBytes;
  var randomBytes2 = (bytesLength) => randomBytes(bytesLength);
  var _0n = /* @__PURE__ */ BigInt(0);
  var _1n = /* @__PURE__ */ BigInt(1);
  var atitle2 = (title) => title ? `"${title}" ` : "";
  function abool(value, title = "") {
    if (typeof value !== "boolean")
      throw new TypeError(atitle2(title) + "expected boolean, got type=" + typeof value);
    return value;
  }
  function abignumber(n) {
    if (typeof n === "bigint") {
      if (!isPosBig(n))
        throw new RangeError("positive bigint expected, got " + n);
    } else
      anumber2(n);
    return n;
  }
  function asafenumber(value, title = "") {
    if (typeof value !== "number") {
      const prefix = title && `"${title}" `;
      throw new TypeError(prefix + "expected number, got type=" + typeof value);
    }
    if (!Number.isSafeInteger(value)) {
      const prefix = title && `"${title}" `;
      throw new RangeError(prefix + "expected safe integer, got " + value);
    }
  }
  function hexToNumber(hex) {
    if (typeof hex !== "string")
      throw new TypeError("hex string expected, got " + typeof hex);
    return hex === "" ? _0n : BigInt("0x" + hex);
  }
  function bytesToNumberBE(bytes) {
    return hexToNumber(bytesToHex(bytes));
  }
  function bytesToNumberLE(bytes) {
    return hexToNumber(bytesToHex(copyBytes(abytes(bytes)).reverse()));
  }
  function numberToBytesBE(n, len) {
    anumber(len);
    if (len === 0)
      throw new Error("zero output length is invalid");
    n = abignumber(n);
    const expectedLen = len * 2;
    const hex = n.toString(16);
    if (hex.length > expectedLen)
      throw new RangeError("number is too large");
    return hexToBytes(hex.padStart(expectedLen, "0"));
  }
  function numberToBytesLE(n, len) {
    return numberToBytesBE(n, len).reverse();
  }
  function equalBytes(a, b) {
    a = abytes2(a);
    b = abytes2(b);
    if (a.length !== b.length)
      return false;
    let diff = 0;
    for (let i = 0; i < a.length; i++)
      diff |= a[i] ^ b[i];
    return diff === 0;
  }
  function copyBytes(bytes) {
    return Uint8Array.from(abytes2(bytes));
  }
  function isPosBig(n) {
    return typeof n === "bigint" && _0n <= n;
  }
  function inRange(n, min, max) {
    return isPosBig(n) && isPosBig(min) && isPosBig(max) && min <= n && n < max;
  }
  function aInRange(title, n, min, max) {
    if (!inRange(n, min, max))
      throw new RangeError("expected valid " + title + ": " + min + " <= n < " + max + ", got " + n);
  }
  function bitLen(n) {
    if (n < _0n)
      throw new Error("expected non-negative bigint, got " + n);
    return n === _0n ? 0 : n.toString(2).length;
  }
  var bitMask = (n) => {
    asafenumber(n, "n");
    return (_1n << BigInt(n)) - _1n;
  };
  function validateObject(object2, fields = {}, optFields = {}, title = "object") {
    aobject2(object2, title);
    aobject2(fields, "fields");
    aobject2(optFields, "optFields");
    function checkField(fieldName, expectedType, isOpt) {
      const label = title === "object" ? `param "${String(fieldName)}"` : `"${title}.${String(fieldName)}"`;
      const val = object2[fieldName];
      if (!Object.hasOwn(object2, fieldName) && (isOpt ? val !== void 0 : expectedType !== "function")) {
        throw new TypeError(`${label} is invalid: expected own property`);
      }
      if (isOpt && val === void 0)
        return;
      const current = typeof val;
      if (current !== expectedType || val === null)
        throw new TypeError(`${label} is invalid: expected ${expectedType}, got ${current}`);
    }
    const iter = (f, isOpt) => Object.entries(f).forEach(([k, v]) => checkField(k, v, isOpt));
    iter(fields, false);
    iter(optFields, true);
  }
  var notImplemented = () => {
    throw new Error("not implemented");
  };

  // node_modules/@noble/curves/abstract/modular.js
  /*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
  var _0n2 = /* @__PURE__ */ BigInt(0);
  var _1n2 = /* @__PURE__ */ BigInt(1);
  var _2n = /* @__PURE__ */ BigInt(2);
  var _3n = /* @__PURE__ */ BigInt(3);
  var _4n = /* @__PURE__ */ BigInt(4);
  var _5n = /* @__PURE__ */ BigInt(5);
  var _7n = /* @__PURE__ */ BigInt(7);
  var _8n = /* @__PURE__ */ BigInt(8);
  var _9n = /* @__PURE__ */ BigInt(9);
  var _15n = /* @__PURE__ */ BigInt(15);
  var _16n = /* @__PURE__ */ BigInt(16);
  var POW_WINDOWED_MIN = /* @__PURE__ */ BigInt("0x10000000000000000");
  function mod(a, b) {
    if (b <= _0n2)
      throw new Error("mod: expected positive modulus, got " + b);
    const result = a % b;
    return result >= _0n2 ? result : b + result;
  }
  function pow(num, power, modulo) {
    if (modulo <= _1n2)
      throw new Error("pow: expected modulus > 1, got " + modulo);
    if (typeof power !== "bigint")
      throw new TypeError("invalid exponent: expected bigint, got " + typeof power);
    if (power < _0n2)
      throw new Error("invalid exponent, negatives unsupported");
    if (power === _0n2)
      return _1n2;
    if (power === _1n2)
      return num;
    let d = num % modulo;
    if (d < _0n2)
      d += modulo;
    if (power < POW_WINDOWED_MIN) {
      let p2 = _1n2;
      while (power > _0n2) {
        if (power & _1n2)
          p2 = p2 * d % modulo;
        d = d * d % modulo;
        power >>= _1n2;
      }
      return p2;
    }
    const digits = [];
    while (power > _0n2) {
      digits.push(Number(power & _15n));
      power >>= _4n;
    }
    const table = new Array(16);
    table[0] = _1n2;
    table[1] = d;
    for (let i = 2; i < 16; i++)
      table[i] = table[i - 1] * d % modulo;
    let p = table[digits[digits.length - 1]];
    for (let w = digits.length - 2; w >= 0; w--) {
      p = p * p % modulo;
      p = p * p % modulo;
      p = p * p % modulo;
      p = p * p % modulo;
      const digit = digits[w];
      if (digit !== 0)
        p = p * table[digit] % modulo;
    }
    return p;
  }
  function pow2(x, power, modulo) {
    if (modulo <= _1n2)
      throw new Error("pow2: expected modulus > 1, got " + modulo);
    if (power < _0n2)
      throw new Error("pow2: expected non-negative exponent, got " + power);
    let res = x;
    while (power-- > _0n2) {
      res *= res;
      res %= modulo;
    }
    return res;
  }
  function invert(number, modulo) {
    if (number === _0n2)
      throw new Error("invert: expected non-zero number");
    if (modulo <= _1n2)
      throw new Error("invert: expected modulus > 1, got " + modulo);
    let a = mod(number, modulo);
    let b = modulo;
    let x = _0n2, u = _1n2;
    while (a !== _0n2) {
      const q = b / a;
      const r = b - a * q;
      const m = x - u * q;
      b = a, a = r, x = u, u = m;
    }
    const gcd = b;
    if (gcd !== _1n2)
      throw new Error("invert: does not exist");
    return mod(x, modulo);
  }
  function assertIsSquare(Fp2, root, n) {
    const F = Fp2;
    if (!F.eql(F.sqr(root), n))
      throw new Error("Cannot find square root");
  }
  function aoddModulus(order, fnName) {
    if ((order & _1n2) === _0n2)
      throw new Error(fnName + ": expected odd modulus, got " + order);
  }
  function sqrt3mod4(Fp2, n) {
    const F = Fp2;
    const p1div4 = (F.ORDER + _1n2) / _4n;
    const root = F.pow(n, p1div4);
    assertIsSquare(F, root, n);
    return root;
  }
  function sqrt5mod8(Fp2, n) {
    const F = Fp2;
    const p5div8 = (F.ORDER - _5n) / _8n;
    const n2 = F.mul(n, _2n);
    const v = F.pow(n2, p5div8);
    const nv = F.mul(n, v);
    const i = F.mul(F.mul(nv, _2n), v);
    const root = F.mul(nv, F.sub(i, F.ONE));
    assertIsSquare(F, root, n);
    return root;
  }
  function sqrt9mod16(P) {
    const Fp_ = Field(P);
    const tn = tonelliShanks(P);
    const c1 = tn(Fp_, Fp_.neg(Fp_.ONE));
    const c2 = tn(Fp_, c1);
    const c3 = tn(Fp_, Fp_.neg(c1));
    const c4 = (P + _7n) / _16n;
    return ((Fp2, n) => {
      const F = Fp2;
      let tv1 = F.pow(n, c4);
      let tv2 = F.mul(tv1, c1);
      const tv3 = F.mul(tv1, c2);
      const tv4 = F.mul(tv1, c3);
      const e1 = F.eql(F.sqr(tv2), n);
      const e2 = F.eql(F.sqr(tv3), n);
      tv1 = F.cmov(tv1, tv2, e1);
      tv2 = F.cmov(tv4, tv3, e2);
      const e3 = F.eql(F.sqr(tv2), n);
      const root = F.cmov(tv1, tv2, e3);
      assertIsSquare(F, root, n);
      return root;
    });
  }
  function tonelliShanks(P) {
    if (P < _3n)
      throw new Error("sqrt is not defined for small field");
    aoddModulus(P, "tonelliShanks");
    let Q = P - _1n2;
    let S = 0;
    while (Q % _2n === _0n2) {
      Q /= _2n;
      S++;
    }
    let Z = _2n;
    const _Fp = Field(P);
    while (FpLegendre(_Fp, Z) === 1) {
      if (Z++ > 1e3)
        throw new Error("Cannot find square root: probably non-prime P");
    }
    if (S === 1)
      return sqrt3mod4;
    let cc = _Fp.pow(Z, Q);
    const Q1div2 = (Q + _1n2) / _2n;
    return function tonelliSlow(Fp2, n) {
      const F = Fp2;
      if (F.is0(n))
        return n;
      if (FpLegendre(F, n) !== 1)
        throw new Error("Cannot find square root");
      let M = S;
      let c = F.mul(F.ONE, cc);
      let t = F.pow(n, Q);
      let R = F.pow(n, Q1div2);
      while (!F.eql(t, F.ONE)) {
        if (F.is0(t))
          throw new Error("Cannot find square root: probably non-prime P");
        let i = 1;
        let t_tmp = F.sqr(t);
        while (!F.eql(t_tmp, F.ONE)) {
          i++;
          t_tmp = F.sqr(t_tmp);
          if (i === M)
            throw new Error("Cannot find square root");
        }
        const exponent = _1n2 << BigInt(M - i - 1);
        const b = F.pow(c, exponent);
        M = i;
        c = F.sqr(b);
        t = F.mul(t, c);
        R = F.mul(R, b);
      }
      return R;
    };
  }
  function FpSqrt(P) {
    aoddModulus(P, "Fp.sqrt");
    if (P % _4n === _3n)
      return sqrt3mod4;
    if (P % _8n === _5n)
      return sqrt5mod8;
    if (P % _16n === _9n)
      return sqrt9mod16(P);
    return tonelliShanks(P);
  }
  var isNegativeLE = (num, modulo) => (mod(num, modulo) & _1n2) === _1n2;
  var FIELD_FIELDS = [
    "create",
    "isValid",
    "is0",
    "neg",
    "inv",
    "sqrt",
    "sqr",
    "eql",
    "add",
    "sub",
    "mul",
    "pow",
    "div",
    "addN",
    "subN",
    "mulN",
    "sqrN"
  ];
  function validateField(field) {
    aobject2(field, "field");
    if (typeof field.ORDER !== "bigint")
      throw new TypeError('param "ORDER" is invalid: expected bigint, got ' + typeof field.ORDER);
    asafenumber(field.BYTES, "BYTES");
    asafenumber(field.BITS, "BITS");
    for (const name of FIELD_FIELDS)
      afunction(field[name], "field." + name);
    if (field.BYTES < 1 || field.BITS < 1)
      throw new Error("invalid field: expected BYTES/BITS > 0");
    if (field.ORDER <= _1n2)
      throw new Error("invalid field: expected ORDER > 1, got " + field.ORDER);
    return field;
  }
  function FpInvertBatch(Fp2, nums, passZero = false) {
    validateField(Fp2);
    aarray(nums, "nums");
    abool(passZero, "passZero");
    const F = Fp2;
    const inverted = new Array(nums.length).fill(passZero ? F.ZERO : void 0);
    const multipliedAcc = nums.reduce((acc, num, i) => {
      if (F.is0(num))
        return acc;
      inverted[i] = acc;
      return F.mul(acc, num);
    }, F.ONE);
    const invertedAcc = F.inv(multipliedAcc);
    nums.reduceRight((acc, num, i) => {
      if (F.is0(num))
        return acc;
      inverted[i] = F.mul(acc, inverted[i]);
      return F.mul(acc, num);
    }, invertedAcc);
    return inverted;
  }
  function FpLegendre(Fp2, n) {
    validateField(Fp2);
    const F = Fp2;
    aoddModulus(F.ORDER, "FpLegendre");
    const p1mod2 = (F.ORDER - _1n2) / _2n;
    const powered = F.pow(n, p1mod2);
    const yes = F.eql(powered, F.ONE);
    const zero = F.eql(powered, F.ZERO);
    const no = F.eql(powered, F.neg(F.ONE));
    if (!yes && !zero && !no)
      throw new Error("invalid Legendre symbol result");
    return yes ? 1 : zero ? 0 : -1;
  }
  function nLength(n, nBitLength) {
    if (nBitLength !== void 0)
      anumber2(nBitLength);
    if (n <= _0n2)
      throw new Error("invalid n length: expected positive n, got " + n);
    if (nBitLength !== void 0 && nBitLength < 1)
      throw new Error("invalid n length: expected positive bit length, got " + nBitLength);
    const bits = bitLen(n);
    if (nBitLength !== void 0 && nBitLength < bits)
      throw new Error(`invalid n length: expected nBitLength (${nBitLength}) >= bitLen(n) (${bits})`);
    const _nBitLength = nBitLength !== void 0 ? nBitLength : bits;
    const nByteLength = Math.ceil(_nBitLength / 8);
    return { nBitLength: _nBitLength, nByteLength };
  }
  var FIELD_SQRT = /* @__PURE__ */ new WeakMap();
  var _Field = class {
    constructor(ORDER, opts = {}) {
      __publicField(this, "ORDER");
      __publicField(this, "BITS");
      __publicField(this, "BYTES");
      __publicField(this, "isLE");
      __publicField(this, "ZERO", _0n2);
      __publicField(this, "ONE", _1n2);
      __publicField(this, "_lengths");
      __publicField(this, "_mod");
      if (ORDER <= _1n2)
        throw new Error("invalid field: expected ORDER > 1, got " + ORDER);
      let _nbitLength = void 0;
      this.isLE = false;
      if (opts != null && typeof opts === "object") {
        if (typeof opts.BITS === "number")
          _nbitLength = opts.BITS;
        if (typeof opts.sqrt === "function")
          Object.defineProperty(this, "sqrt", { value: opts.sqrt, enumerable: true });
        if (typeof opts.isLE === "boolean")
          this.isLE = opts.isLE;
        if (opts.allowedLengths)
          this._lengths = Object.freeze(opts.allowedLengths.slice());
        if (typeof opts.modFromBytes === "boolean")
          this._mod = opts.modFromBytes;
      }
      const { nBitLength, nByteLength } = nLength(ORDER, _nbitLength);
      if (nByteLength > 2048)
        throw new Error("invalid field: expected ORDER of <= 2048 bytes");
      this.ORDER = ORDER;
      this.BITS = nBitLength;
      this.BYTES = nByteLength;
      Object.freeze(this);
    }
    create(num) {
      return mod(num, this.ORDER);
    }
    isValid(num) {
      if (typeof num !== "bigint")
        throw new TypeError("invalid field element: expected bigint, got " + typeof num);
      return _0n2 <= num && num < this.ORDER;
    }
    is0(num) {
      return num === _0n2;
    }
    // is valid and invertible
    isValidNot0(num) {
      return !this.is0(num) && this.isValid(num);
    }
    isOdd(num) {
      return (num & _1n2) === _1n2;
    }
    neg(num) {
      return mod(-num, this.ORDER);
    }
    eql(lhs, rhs) {
      return lhs === rhs;
    }
    sqr(num) {
      return mod(num * num, this.ORDER);
    }
    add(lhs, rhs) {
      return mod(lhs + rhs, this.ORDER);
    }
    sub(lhs, rhs) {
      return mod(lhs - rhs, this.ORDER);
    }
    mul(lhs, rhs) {
      return mod(lhs * rhs, this.ORDER);
    }
    pow(num, power) {
      return pow(num, power, this.ORDER);
    }
    div(lhs, rhs) {
      return mod(lhs * invert(rhs, this.ORDER), this.ORDER);
    }
    // Same as above, but doesn't normalize
    sqrN(num) {
      return num * num;
    }
    addN(lhs, rhs) {
      return lhs + rhs;
    }
    subN(lhs, rhs) {
      return lhs - rhs;
    }
    mulN(lhs, rhs) {
      return lhs * rhs;
    }
    inv(num) {
      return invert(num, this.ORDER);
    }
    sqrt(num) {
      let sqrt = FIELD_SQRT.get(this);
      if (!sqrt)
        FIELD_SQRT.set(this, sqrt = FpSqrt(this.ORDER));
      return sqrt(this, num);
    }
    toBytes(num) {
      return this.isLE ? numberToBytesLE(num, this.BYTES) : numberToBytesBE(num, this.BYTES);
    }
    fromBytes(bytes, skipValidation = false) {
      abytes2(bytes);
      const { _lengths: allowedLengths, BYTES, isLE, ORDER, _mod: modFromBytes } = this;
      if (allowedLengths) {
        if (bytes.length < 1 || !allowedLengths.includes(bytes.length) || bytes.length > BYTES) {
          throw new Error("Field.fromBytes: expected " + allowedLengths + " bytes, got " + bytes.length);
        }
        const padded = new Uint8Array(BYTES);
        padded.set(bytes, isLE ? 0 : padded.length - bytes.length);
        bytes = padded;
      }
      if (bytes.length !== BYTES)
        throw new Error("Field.fromBytes: expected " + BYTES + " bytes, got " + bytes.length);
      let scalar = isLE ? bytesToNumberLE(bytes) : bytesToNumberBE(bytes);
      if (modFromBytes)
        scalar = mod(scalar, ORDER);
      if (!skipValidation) {
        if (!this.isValid(scalar))
          throw new Error("invalid field element: outside of range 0..ORDER");
      }
      return scalar;
    }
    // TODO: we don't need it here, move out to separate fn
    invertBatch(lst) {
      return FpInvertBatch(this, lst, true);
    }
    // We can't move this out because Fp6, Fp12 implement it
    // and it's unclear what to return in there.
    cmov(a, b, condition) {
      abool(condition, "condition");
      return condition ? b : a;
    }
  };
  function Field(ORDER, opts = {}) {
    Object.freeze(_Field.prototype);
    return new _Field(ORDER, opts);
  }

  // node_modules/@noble/curves/abstract/curve.js
  /*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
  var _0n3 = /* @__PURE__ */ BigInt(0);
  var _1n3 = /* @__PURE__ */ BigInt(1);
  var _4n2 = /* @__PURE__ */ BigInt(4);
  var BLIND_BYTES = 16;
  var BLIND_BITS = 128;
  var FW_WINDOW = 5;
  var TABLE_BYTES_MAX = /* @__PURE__ */ (() => 2 ** 31)();
  function validatePointCons(Point2) {
    const pc = Point2;
    if (typeof pc !== "function")
      throw new TypeError('"Point" expected constructor, got type=' + typeof Point2);
    afunction(pc.fromAffine, "Point.fromAffine");
    afunction(pc.fromBytes, "Point.fromBytes");
    afunction(pc.fromHex, "Point.fromHex");
    aobject2(pc.BASE, "Point.BASE");
    aobject2(pc.ZERO, "Point.ZERO");
    validateField(pc.Fp);
    validateField(pc.Fn);
  }
  function normalizeZ(c, points) {
    validatePointCons(c);
    validateMSMPoints(points, c);
    const invertedZs = FpInvertBatch(c.Fp, points.map((p) => p.Z));
    return points.map((p, i) => c.fromAffine(p.toAffine(invertedZs[i])));
  }
  function validateW(W, bits, min = 1) {
    if (!Number.isSafeInteger(W) || W < min || W > bits)
      throw new Error("invalid window size, expected [" + min + ".." + bits + "], got W=" + W);
  }
  function validateTableBytes(numPoints, fpBytes) {
    const bytes = numPoints * (4 * fpBytes + 128);
    if (bytes > TABLE_BYTES_MAX)
      throw new Error("invalid window size: table would need ~" + Math.ceil(bytes / 2 ** 20) + " MiB, max " + TABLE_BYTES_MAX / 2 ** 20 + " MiB");
  }
  function probeRandomBytes(randomBytes4, length) {
    if (randomBytes4 === void 0)
      return void 0;
    afunction(randomBytes4, "randomBytes");
    try {
      const probe = randomBytes4(length);
      if (!isBytes2(probe) || probe.length !== length)
        return void 0;
    } catch {
      return void 0;
    }
    return randomBytes4;
  }
  function validateMSMPoints(points, c) {
    aarray(points, "points");
    points.forEach((p, i) => {
      if (!(p instanceof c))
        throw new Error("invalid point at index " + i);
    });
  }
  function validateMSMScalars(scalars2, field, maxScalar) {
    if (!Array.isArray(scalars2))
      throw new Error("array of scalars expected");
    scalars2.forEach((s, i) => {
      const ok = maxScalar === void 0 ? field.isValid(s) : isPosBig(s) && s < maxScalar;
      if (!ok)
        throw new Error("invalid scalar at index " + i);
    });
  }
  var pointWindowSizes = /* @__PURE__ */ new WeakMap();
  function getWindowSize(P) {
    return pointWindowSizes.get(P) || 1;
  }
  function oddMultiples(p, size) {
    const dbl = p.double();
    const t = [p];
    for (let j = 1; j < size; j++)
      t.push(t[j - 1].add(dbl));
    return t;
  }
  function wnafDigits(n, W) {
    const size = 2 ** W;
    const half = size / 2;
    const mask = BigInt(size - 1);
    const d = [];
    while (n > _0n3) {
      let w = 0;
      if (n & _1n3) {
        w = Number(n & mask);
        if (w >= half)
          w -= size;
        n -= BigInt(w);
      }
      d.push(w);
      n >>= _1n3;
    }
    return d;
  }
  function signedWindowDigits(n, W, windows) {
    const size = 2 ** W;
    const half = size / 2;
    const mask = BigInt(size - 1);
    const shiftBy = BigInt(W);
    const d = [];
    for (let w = 0; w < windows; w++) {
      let v = Number(n & mask);
      n >>= shiftBy;
      if (v > half) {
        v -= size;
        n += _1n3;
      }
      d.push(v);
    }
    if (n !== _0n3)
      throw new Error("invalid wnaf");
    return d;
  }
  function wnafWalk(zero, tables, digits) {
    let max = 0;
    for (const d of digits)
      max = Math.max(max, d.length);
    let acc = zero;
    for (let bit = max - 1; bit >= 0; bit--) {
      if (bit !== max - 1)
        acc = acc.double();
      for (let i = 0; i < digits.length; i++) {
        const w = digits[i][bit];
        if (w) {
          const item = tables[i][Math.abs(w) - 1 >> 1];
          acc = acc.add(w < 0 ? item.negate() : item);
        }
      }
    }
    return acc;
  }
  var ScalarMultiplier = class {
    // Parametrized with a given Point class (not individual point)
    constructor(Point2, randomBytes4) {
      __publicField(this, "Point");
      __publicField(this, "BASE");
      __publicField(this, "ZERO");
      __publicField(this, "randomBytes");
      __publicField(this, "wnafPrecomputes", /* @__PURE__ */ new WeakMap());
      __publicField(this, "baseCanBeBlinded");
      __publicField(this, "bits");
      validatePointCons(Point2);
      this.randomBytes = probeRandomBytes(randomBytes4, BLIND_BYTES);
      this.Point = Point2;
      this.BASE = Point2.BASE;
      this.ZERO = Point2.ZERO;
      this.bits = Point2.Fn.BITS;
    }
    /**
     * Creates a signed fixed-window wNAF precomputation table: for every window w, the
     * multiples `[1..2^(W−1)]⋅2^(w⋅W)⋅P`, flattened. All doublings are baked into the table,
     * so cached multiplication is additions-only. `windows = ceil(bits/W) + 1`: the extra
     * window absorbs the final carry of signed-digit recoding.
     * For a 256-bit curve and W=6, the table is 44⋅32 = 1408 points.
     * @param point - Point instance
     * @param W - window size
     * @param bits - scalar bitlength the table must cover
     */
    buildWnafTable(point, W, bits) {
      const windows = Math.ceil(bits / W) + 1;
      const half = 2 ** (W - 1);
      const comp = [];
      let base = point;
      for (let w = 0; w < windows; w++) {
        let acc = base;
        for (let i = 0; i < half; i++) {
          comp.push(acc);
          acc = acc.add(base);
        }
        base = comp[comp.length - 1].double();
      }
      return { W, bits, windows, comp };
    }
    /**
     * Implements ec multiplication using precomputed signed fixed-window wNAF tables.
     * Constant-time: fixed window count with one table addition per window — zero digits feed
     * the fake accumulator — and no doublings; the lookup scans the whole window slice.
     * Scalar bounds are validated by the public entry points ({@link ScalarMultiplier.mulCT},
     * {@link ScalarMultiplier.mulCTBlinded}, {@link ScalarMultiplier.mulUnsafe});
     * signedWindowDigits throws if `n` exceeds the table.
     * @returns real and fake (for const-time) points
     */
    wnafCachedCT(precomputes, n) {
      const { W, windows, comp } = precomputes;
      const half = 2 ** (W - 1);
      const digits = signedWindowDigits(n, W, windows);
      let p = this.ZERO;
      let f = this.BASE;
      for (let w = 0; w < windows; w++) {
        const digit = digits[w];
        const start = w * half;
        const idx = Math.abs(digit) - 1;
        let sel = comp[start];
        for (let i = 1; i < half; i++)
          sel = i === idx ? comp[start + i] : sel;
        const neg = sel.negate();
        if (digit === 0)
          f = f.add(comp[start]);
        else
          p = p.add(digit < 0 ? neg : sel);
      }
      return { p, f };
    }
    // Cache key is point identity plus (W, bits); at most two entries exist per point (public-width
    // `Fn.BITS` and blinded `Fn.BITS + BLIND_BITS`). Callers must not reuse the same point with
    // incompatible `transform(...)` layouts and expect a separate cache entry.
    getWnafPrecomputes(W, point, bits, transform) {
      let entries = this.wnafPrecomputes.get(point);
      let comp = entries?.find((entry) => entry.W === W && entry.bits === bits);
      if (!comp) {
        comp = this.buildWnafTable(point, W, bits);
        if (typeof transform === "function")
          comp = { ...comp, comp: transform(comp.comp) };
        if (!entries) {
          entries = [];
          this.wnafPrecomputes.set(point, entries);
        }
        entries.push(comp);
      }
      return comp;
    }
    assertPoint(point) {
      if (!(point instanceof this.Point))
        throw new TypeError('"point" expected Point instance, got type=' + typeof point);
    }
    // Shared prologue of the constant-time entry points. Rejects scalar 0: in key/signature-style
    // callers a zero scalar means broken upstream plumbing, and concrete Points already reject it.
    // Uses inRange instead of Fn.isValidNot0: validateField() only certifies the arithmetic subset.
    validateMulInput(point, scalar) {
      this.assertPoint(point);
      if (!inRange(scalar, _1n3, this.Point.Fn.ORDER))
        throw new Error("invalid scalar");
    }
    // Constant-time dispatch shared by mulCT / mulCTBlinded. Un-precomputed points (W===1, e.g.
    // ECDH peer keys) skip building a throwaway cached table in favor of a small fixed-window
    // multiply. `n` must be < 2^bits.
    runCT(point, n, bits, transform) {
      const W = getWindowSize(point);
      if (W === 1)
        return this.fixedWindowCT(point, n, bits);
      return this.wnafCachedCT(this.getWnafPrecomputes(W, point, bits, transform), n);
    }
    mulCT(point, scalar, transform) {
      this.validateMulInput(point, scalar);
      return this.runCT(point, scalar, this.bits, transform);
    }
    mulCTBlinded(point, scalar, transform) {
      this.validateMulInput(point, scalar);
      if (this.randomBytes === void 0)
        throw new Error("randomBytes is required for scalar blinding");
      const bits = this.Point.Fn.BITS + BLIND_BITS;
      const blind = this.randomBytes(BLIND_BYTES);
      if (!isBytes2(blind) || blind.length !== BLIND_BYTES)
        throw new Error("randomBytes returned invalid byte array");
      blind[0] = blind[0] & 63 | 128;
      const n = scalar + bytesToNumberBE(blind) * this.Point.Fn.ORDER;
      return this.runCT(point, n, bits, transform);
    }
    /**
     * Constant-time multiplication `n*point` for an un-precomputed point, via a small fixed window.
     * A cached wNAF table only pays off when reused; a flat 2^FW_WINDOW table (`size-1` adds) is
     * far cheaper to build for a single use. The point-operation sequence is independent of `n`:
     * build the table, then per window exactly FW_WINDOW doublings, a data-oblivious scan over
     * every table entry, and one addition (adds the identity when the window digit is 0 — never
     * skipped).
     *
     * `n` must be `< 2^bits`. Assumes complete addition (adding the identity costs the same as any
     * add), which holds for the Weierstrass/Edwards point types used here. The table is left in
     * projective form (no normalizeZ): normalizing this small a table costs more than the
     * mixed-add savings it would buy for a single multiply.
     * @returns real point `p`; `f` duplicates it only to match {@link wnafCachedCT}'s return shape
     * (this path needs no fake accumulator — its op-count is already scalar-independent).
     */
    fixedWindowCT(point, n, bits) {
      const W = FW_WINDOW;
      const size = 1 << W;
      const mask = bitMask(W);
      const table = new Array(size);
      table[0] = this.ZERO;
      for (let i = 1; i < size; i++)
        table[i] = table[i - 1].add(point);
      const windows = Math.ceil(bits / W);
      let acc = this.ZERO;
      for (let window = windows - 1; window >= 0; window--) {
        if (window !== windows - 1)
          for (let d = 0; d < W; d++)
            acc = acc.double();
        const digit = Number(n >> BigInt(window * W) & mask);
        let sel = table[0];
        for (let i = 1; i < size; i++)
          sel = i === digit ? table[i] : sel;
        acc = acc.add(sel);
      }
      return { p: acc, f: acc };
    }
    shouldBlind(point, cofactor) {
      if (this.randomBytes === void 0)
        return false;
      if (cofactor === _1n3)
        return true;
      if (point !== this.BASE)
        return false;
      if (this.baseCanBeBlinded === void 0)
        this.baseCanBeBlinded = this.mulUnsafe(this.BASE, this.Point.Fn.ORDER).is0();
      return this.baseCanBeBlinded;
    }
    mulSecret(point, scalar, cofactor, transform) {
      return this.shouldBlind(point, cofactor) ? this.mulCTBlinded(point, scalar, transform) : this.mulCT(point, scalar, transform);
    }
    mulUnsafe(point, scalar, transform) {
      this.assertPoint(point);
      if (!isPosBig(scalar))
        throw new Error("invalid scalar");
      const W = getWindowSize(point);
      if (W === 1 || scalar >= this.Point.Fn.ORDER)
        return mulAddUnsafe(this.Point, [point], [scalar], true);
      const precomputes = this.getWnafPrecomputes(W, point, this.bits, transform);
      return this.wnafCachedCT(precomputes, scalar).p;
    }
    // Remembers the window size used for precomputed wNAF multiplication of the given point
    // and drops any previously built tables. Usually only the base point is precomputed.
    // W=1 resets the point to the un-precomputed (table-less) paths.
    // W is additionally capped so tables stay under ~2 GiB ({@link TABLE_BYTES_MAX}).
    setWindowSize(point, W) {
      this.assertPoint(point);
      validateW(W, this.bits);
      const windows = Math.ceil((this.bits + BLIND_BITS) / W) + 1;
      validateTableBytes(windows * 2 ** (W - 1), this.Point.Fp.BYTES);
      pointWindowSizes.set(point, W);
      this.wnafPrecomputes.delete(point);
    }
    // True when a window size is set: tables themselves are built lazily on first multiply.
    hasWindowSize(point) {
      return getWindowSize(point) !== 1;
    }
  };
  function mulAddUnsafe(c, points, scalars2, allowOversized = false) {
    validatePointCons(c);
    validateMSMPoints(points, c);
    abool(allowOversized, "allowOversized");
    validateMSMScalars(scalars2, c.Fn, allowOversized ? c.Fn.ORDER ** _4n2 : void 0);
    if (points.length !== scalars2.length)
      throw new Error("arrays of points and scalars must have equal length");
    const tables = points.map((p) => oddMultiples(p, 4));
    const digits = scalars2.map((n) => wnafDigits(n, 4));
    return wnafWalk(c.ZERO, tables, digits);
  }
  function createField(order, field, isLE) {
    if (field) {
      if (field.ORDER !== order)
        throw new Error("Field.ORDER must match order: Fp == p, Fn == n");
      validateField(field);
      return field;
    } else {
      return Field(order, { isLE });
    }
  }
  function createCurveFields(type, CURVE, curveOpts = {}, FpFnLE) {
    if (type !== "weierstrass" && type !== "edwards")
      throw new Error('expected curve type "weierstrass" or "edwards"');
    if (FpFnLE === void 0)
      FpFnLE = type === "edwards";
    if (!CURVE || typeof CURVE !== "object")
      throw new Error(`expected valid ${type} CURVE object`);
    validateObject(curveOpts);
    for (const p of ["p", "n", "h"]) {
      const val = CURVE[p];
      if (!(isPosBig(val) && val !== _0n3))
        throw new Error(`CURVE.${p} must be positive bigint`);
    }
    const Fp2 = createField(CURVE.p, curveOpts.Fp, FpFnLE);
    const Fn2 = createField(CURVE.n, curveOpts.Fn, FpFnLE);
    const _b = type === "weierstrass" ? "b" : "d";
    const params = ["Gx", "Gy", "a", _b];
    for (const p of params) {
      if (!Fp2.isValid(CURVE[p]))
        throw new Error(`CURVE.${p} must be valid field element of CURVE.Fp`);
    }
    CURVE = Object.freeze(Object.assign({}, CURVE));
    return { CURVE, Fp: Fp2, Fn: Fn2 };
  }

  // node_modules/@noble/curves/abstract/edwards.js
  /*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
  var _0n4 = /* @__PURE__ */ BigInt(0);
  var _1n4 = /* @__PURE__ */ BigInt(1);
  var _2n2 = /* @__PURE__ */ BigInt(2);
  var _4n3 = /* @__PURE__ */ BigInt(4);
  var _8n2 = /* @__PURE__ */ BigInt(8);
  function isEdValidXY(Fp2, CURVE, x, y) {
    const x2 = Fp2.sqr(x);
    const y2 = Fp2.sqr(y);
    const left = Fp2.add(Fp2.mul(CURVE.a, x2), y2);
    const right = Fp2.add(Fp2.ONE, Fp2.mul(CURVE.d, Fp2.mul(x2, y2)));
    return Fp2.eql(left, right);
  }
  function edwards(params, extraOpts = {}) {
    validateObject(extraOpts, {}, {}, "extraOpts");
    const opts = extraOpts;
    const validated = createCurveFields("edwards", params, opts, opts.FpFnLE);
    const { Fp: Fp2, Fn: Fn2 } = validated;
    let CURVE = validated.CURVE;
    const { h: cofactor } = CURVE;
    if (FpLegendre(Fp2, CURVE.a) !== 1)
      throw new Error("edwards: CURVE.a must be a square in Fp for complete addition formulas");
    if (FpLegendre(Fp2, CURVE.d) !== -1)
      throw new Error("edwards: CURVE.d must be a non-square in Fp for complete addition formulas");
    validateObject(opts, {}, { uvRatio: "function", randomBytes: "function" });
    const randomBytes4 = opts.randomBytes === void 0 ? randomBytes2 : opts.randomBytes;
    const MASK = _2n2 << BigInt(Fp2.BYTES * 8) - _1n4;
    function isOdd(n) {
      if (!Fp2.isOdd)
        throw new Error("Field does not have .isOdd()");
      return Fp2.isOdd(n);
    }
    const uvRatio2 = opts.uvRatio === void 0 ? (u, v) => {
      try {
        return { isValid: true, value: Fp2.sqrt(Fp2.div(u, v)) };
      } catch (e) {
        return { isValid: false, value: _0n4 };
      }
    } : opts.uvRatio;
    if (!isEdValidXY(Fp2, CURVE, CURVE.Gx, CURVE.Gy))
      throw new Error("bad curve params: generator point");
    const mulA = Fp2.eql(CURVE.a, Fp2.neg(Fp2.ONE)) ? (x) => Fp2.neg(x) : Fp2.eql(CURVE.a, Fp2.ONE) ? (x) => x : (x) => Fp2.mul(CURVE.a, x);
    function acoord(title, n, banZero = false) {
      const min = banZero ? _1n4 : _0n4;
      aInRange("coordinate " + title, n, min, MASK);
      return n;
    }
    function aedpoint(other) {
      if (!(other instanceof Point2))
        throw new Error("EdwardsPoint expected");
    }
    const _Point = class _Point {
      constructor(X, Y, Z, T) {
        __publicField(this, "X");
        __publicField(this, "Y");
        __publicField(this, "Z");
        __publicField(this, "T");
        this.X = acoord("x", X);
        this.Y = acoord("y", Y);
        this.Z = acoord("z", Z, true);
        this.T = acoord("t", T);
        Object.freeze(this);
      }
      static CURVE() {
        return CURVE;
      }
      /**
       * Create one extended Edwards point from affine coordinates.
       * Does NOT validate that the point is on-curve or torsion-free.
       * Use `.assertValidity()` on adversarial inputs.
       */
      static fromAffine(p) {
        if (p instanceof _Point)
          throw new Error("extended point not allowed");
        const { x, y } = p || {};
        acoord("x", x);
        acoord("y", y);
        return new _Point(x, y, Fp2.ONE, Fp2.mul(x, y));
      }
      // Uses algo from RFC8032 5.1.3.
      static fromBytes(bytes, zip215 = false) {
        const len = Fp2.BYTES;
        const { a, d } = CURVE;
        bytes = copyBytes(abytes2(bytes, len, "point"));
        abool(zip215, "zip215");
        const normed = copyBytes(bytes);
        const lastByte = bytes[len - 1];
        normed[len - 1] = lastByte & ~128;
        const y = bytesToNumberLE(normed);
        const max = zip215 ? MASK : Fp2.ORDER;
        aInRange("point.y", y, _0n4, max);
        const y2 = Fp2.sqr(y);
        const u = Fp2.sub(y2, Fp2.ONE);
        const v = Fp2.sub(Fp2.mulN(d, y2), a);
        let { isValid, value: x } = uvRatio2(u, v);
        if (!isValid)
          throw new Error("bad point: invalid y coordinate");
        const isXOdd = isOdd(x);
        const isLastByteOdd = (lastByte & 128) !== 0;
        if (!zip215 && Fp2.is0(x) && isLastByteOdd)
          throw new Error("bad point: x=0 and x_0=1");
        if (isLastByteOdd !== isXOdd)
          x = Fp2.neg(x);
        return _Point.fromAffine({ x, y });
      }
      static fromHex(hex, zip215 = false) {
        return _Point.fromBytes(hexToBytes2(hex), zip215);
      }
      get x() {
        return this.toAffine().x;
      }
      get y() {
        return this.toAffine().y;
      }
      precompute(windowSize = 6, isLazy = true) {
        wnaf.setWindowSize(this, windowSize);
        if (!isLazy)
          this.multiply(_2n2);
        return this;
      }
      // Useful in fromAffine() - not for fromBytes(), which always created valid points.
      assertValidity() {
        const p = this;
        const { a, d } = CURVE;
        if (p.is0())
          throw new Error("bad point: ZERO");
        const { X, Y, Z, T } = p;
        const X2 = Fp2.sqr(X);
        const Y2 = Fp2.sqr(Y);
        const Z2 = Fp2.sqr(Z);
        const Z4 = Fp2.sqr(Z2);
        const aX2 = Fp2.mul(X2, a);
        const left = Fp2.mul(Fp2.add(aX2, Y2), Z2);
        const right = Fp2.add(Z4, Fp2.mul(d, Fp2.mul(X2, Y2)));
        if (!Fp2.eql(left, right))
          throw new Error("bad point: equation left != right (1)");
        const XY = Fp2.mul(X, Y);
        const ZT = Fp2.mul(Z, T);
        if (!Fp2.eql(XY, ZT))
          throw new Error("bad point: equation left != right (2)");
      }
      // Compare one point to another.
      equals(other) {
        aedpoint(other);
        const { X: X1, Y: Y1, Z: Z1 } = this;
        const { X: X2, Y: Y2, Z: Z2 } = other;
        const X1Z2 = Fp2.mul(X1, Z2);
        const X2Z1 = Fp2.mul(X2, Z1);
        const Y1Z2 = Fp2.mul(Y1, Z2);
        const Y2Z1 = Fp2.mul(Y2, Z1);
        return Fp2.eql(X1Z2, X2Z1) && Fp2.eql(Y1Z2, Y2Z1);
      }
      is0() {
        return this.equals(_Point.ZERO);
      }
      negate() {
        return new _Point(Fp2.neg(this.X), this.Y, this.Z, Fp2.neg(this.T));
      }
      // Fast algo for doubling Extended Point.
      // https://hyperelliptic.org/EFD/g1p/auto-twisted-extended.html#doubling-dbl-2008-hwcd
      // Cost: 4M + 4S + 1*a + 6add + 1*2.
      double() {
        const { X: X1, Y: Y1, Z: Z1 } = this;
        const A = Fp2.sqr(X1);
        const B = Fp2.sqr(Y1);
        const C = Fp2.mul(Fp2.sqr(Z1), _2n2);
        const D = mulA(A);
        const x1y1 = Fp2.addN(X1, Y1);
        const E = Fp2.sub(Fp2.subN(Fp2.sqr(x1y1), A), B);
        const G2 = Fp2.addN(D, B);
        const F = Fp2.subN(G2, C);
        const H = Fp2.subN(D, B);
        const X3 = Fp2.mul(E, F);
        const Y3 = Fp2.mul(G2, H);
        const T3 = Fp2.mul(E, H);
        const Z3 = Fp2.mul(F, G2);
        return new _Point(X3, Y3, Z3, T3);
      }
      // Fast algo for adding 2 Extended Points.
      // https://hyperelliptic.org/EFD/g1p/auto-twisted-extended.html#addition-add-2008-hwcd
      // Cost: 9M + 1*a + 1*d + 7add.
      add(other) {
        aedpoint(other);
        const { d } = CURVE;
        const { X: X1, Y: Y1, Z: Z1, T: T1 } = this;
        const { X: X2, Y: Y2, Z: Z2, T: T2 } = other;
        const A = Fp2.mul(X1, X2);
        const B = Fp2.mul(Y1, Y2);
        const C = Fp2.mul(Fp2.mulN(T1, d), T2);
        const D = Fp2.mul(Z1, Z2);
        const E = Fp2.sub(Fp2.subN(Fp2.mulN(Fp2.addN(X1, Y1), Fp2.addN(X2, Y2)), A), B);
        const F = Fp2.subN(D, C);
        const G2 = Fp2.addN(D, C);
        const H = Fp2.sub(B, mulA(A));
        const X3 = Fp2.mul(E, F);
        const Y3 = Fp2.mul(G2, H);
        const T3 = Fp2.mul(E, H);
        const Z3 = Fp2.mul(F, G2);
        return new _Point(X3, Y3, Z3, T3);
      }
      subtract(other) {
        aedpoint(other);
        return this.add(other.negate());
      }
      // Constant-time multiplication.
      multiply(scalar) {
        if (!Fn2.isValidNot0(scalar))
          throw new RangeError("invalid scalar: expected 1 <= sc < curve.n");
        const { p, f } = wnaf.mulSecret(this, scalar, cofactor, normalize);
        return normalize([p, f])[0];
      }
      // Non-constant-time multiplication. Uses double-and-add algorithm.
      // It's faster, but should only be used when you don't care about
      // an exposed private key e.g. sig verification.
      // Keeps the same subgroup-scalar contract: 0 is allowed for public-scalar callers, but
      // n and larger values are rejected instead of being reduced mod n to the identity point.
      multiplyUnsafe(scalar) {
        if (!Fn2.isValid(scalar))
          throw new RangeError("invalid scalar: expected 0 <= sc < curve.n");
        if (scalar === _0n4)
          return _Point.ZERO;
        if (this.is0() || scalar === _1n4)
          return this;
        return wnaf.mulUnsafe(this, scalar, normalize);
      }
      // Checks if point is of small order.
      // If you add something to small order point, you will have "dirty"
      // point with torsion component.
      // Clears cofactor and checks if the result is 0.
      isSmallOrder() {
        return this.clearCofactor().is0();
      }
      // Multiplies point by curve order and checks if the result is 0.
      // Returns `false` is the point is dirty.
      isTorsionFree() {
        return wnaf.mulUnsafe(this, CURVE.n).is0();
      }
      // Converts Extended point to default (x, y) coordinates.
      // Can accept precomputed Z^-1 - for example, from invertBatch.
      toAffine(invertedZ) {
        const p = this;
        let iz = invertedZ;
        if (iz != null && typeof iz !== "bigint")
          throw new TypeError('"invertedZ" expected bigint, got type=' + typeof iz);
        const { X, Y, Z } = p;
        const is0 = p.is0();
        if (iz == null)
          iz = is0 ? Fp2.create(_8n2) : Fp2.inv(Z);
        const x = Fp2.mul(X, iz);
        const y = Fp2.mul(Y, iz);
        const zz = Fp2.mul(Z, iz);
        if (is0)
          return { x: Fp2.ZERO, y: Fp2.ONE };
        if (!Fp2.eql(zz, Fp2.ONE))
          throw new Error("invZ was invalid");
        return { x, y };
      }
      clearCofactor() {
        if (cofactor === _1n4)
          return this;
        if (cofactor === _2n2)
          return this.double();
        if (cofactor === _4n3)
          return this.double().double();
        if (cofactor === _8n2)
          return this.double().double().double();
        return this.multiplyUnsafe(cofactor);
      }
      toBytes() {
        const { x, y } = this.toAffine();
        const bytes = Fp2.toBytes(y);
        bytes[bytes.length - 1] |= isOdd(x) ? 128 : 0;
        return bytes;
      }
      toHex() {
        return bytesToHex2(this.toBytes());
      }
      toString() {
        return `<Point ${this.is0() ? "ZERO" : this.toHex()}>`;
      }
    };
    __publicField(_Point, "BASE", new _Point(CURVE.Gx, CURVE.Gy, Fp2.ONE, Fp2.mul(CURVE.Gx, CURVE.Gy)));
    __publicField(_Point, "ZERO", new _Point(Fp2.ZERO, Fp2.ONE, Fp2.ONE, Fp2.ZERO));
    __publicField(_Point, "Fp", Fp2);
    __publicField(_Point, "Fn", Fn2);
    let Point2 = _Point;
    const normalize = (points) => normalizeZ(Point2, points);
    const wnaf = new ScalarMultiplier(Point2, randomBytes4);
    if (wnaf.bits >= 6)
      Point2.BASE.precompute(6);
    Object.freeze(Point2.prototype);
    Object.freeze(Point2);
    return Point2;
  }
  var PrimeEdwardsPoint = class {
    /**
     * Wrap one internal Edwards representative directly.
     * This is not a canonical encoding boundary: alternate Edwards
     * representatives may still describe the same abstract wrapper element.
     */
    constructor(ep) {
      __publicField(this, "ep");
      this.ep = ep;
    }
    // Static methods that must be implemented by subclasses
    static fromBytes(_bytes) {
      notImplemented();
    }
    static fromHex(_hex) {
      notImplemented();
    }
    get x() {
      return this.toAffine().x;
    }
    get y() {
      return this.toAffine().y;
    }
    // Common implementations
    clearCofactor() {
      return this;
    }
    assertValidity() {
      this.ep.assertValidity();
    }
    /**
     * Return affine coordinates of the current internal Edwards representative.
     * This is a convenience helper, not a canonical Ristretto/Decaf encoding.
     * Equal abstract elements may expose different `x` / `y`; use
     * `toBytes()` / `fromBytes()` for canonical roundtrips.
     */
    toAffine(invertedZ) {
      return this.ep.toAffine(invertedZ);
    }
    toHex() {
      return bytesToHex2(this.toBytes());
    }
    toString() {
      return this.toHex();
    }
    isTorsionFree() {
      return true;
    }
    isSmallOrder() {
      return false;
    }
    add(other) {
      this.assertSame(other);
      return this.init(this.ep.add(other.ep));
    }
    subtract(other) {
      this.assertSame(other);
      return this.init(this.ep.subtract(other.ep));
    }
    multiply(scalar) {
      return this.init(this.ep.multiply(scalar));
    }
    multiplyUnsafe(scalar) {
      return this.init(this.ep.multiplyUnsafe(scalar));
    }
    double() {
      return this.init(this.ep.double());
    }
    negate() {
      return this.init(this.ep.negate());
    }
    precompute(windowSize, isLazy) {
      this.ep.precompute(windowSize, isLazy);
      return this;
    }
  };
  __publicField(PrimeEdwardsPoint, "BASE");
  __publicField(PrimeEdwardsPoint, "ZERO");
  __publicField(PrimeEdwardsPoint, "Fp");
  __publicField(PrimeEdwardsPoint, "Fn");

  // node_modules/@noble/curves/ed25519.js
  /*! noble-curves - MIT License (c) 2022 Paul Miller (paulmillr.com) */
  var _1n5 = /* @__PURE__ */ BigInt(1);
  var _2n3 = /* @__PURE__ */ BigInt(2);
  var _5n2 = /* @__PURE__ */ BigInt(5);
  var _8n3 = /* @__PURE__ */ BigInt(8);
  var ed25519_CURVE_p = /* @__PURE__ */ BigInt("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed");
  var ed25519_CURVE = /* @__PURE__ */ (() => ({
    p: ed25519_CURVE_p,
    n: BigInt("0x1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed"),
    h: _8n3,
    a: BigInt("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec"),
    d: BigInt("0x52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3"),
    Gx: BigInt("0x216936d3cd6e53fec0a4e231fdd6dc5c692cc7609525a7b2c9562d608f25d51a"),
    Gy: BigInt("0x6666666666666666666666666666666666666666666666666666666666666658")
  }))();
  function ed25519_pow_2_252_3(x) {
    const _10n = BigInt(10), _20n = BigInt(20), _40n = BigInt(40), _80n = BigInt(80);
    const P = ed25519_CURVE_p;
    const x2 = x * x % P;
    const b2 = x2 * x % P;
    const b4 = pow2(b2, _2n3, P) * b2 % P;
    const b5 = pow2(b4, _1n5, P) * x % P;
    const b10 = pow2(b5, _5n2, P) * b5 % P;
    const b20 = pow2(b10, _10n, P) * b10 % P;
    const b40 = pow2(b20, _20n, P) * b20 % P;
    const b80 = pow2(b40, _40n, P) * b40 % P;
    const b160 = pow2(b80, _80n, P) * b80 % P;
    const b240 = pow2(b160, _80n, P) * b80 % P;
    const b250 = pow2(b240, _10n, P) * b10 % P;
    const pow_p_5_8 = pow2(b250, _2n3, P) * x % P;
    return { pow_p_5_8, b2 };
  }
  var ED25519_SQRT_M1 = /* @__PURE__ */ BigInt("19681161376707505956807079304988542015446066515923890162744021073123829784752");
  function uvRatio(u, v) {
    const P = ed25519_CURVE_p;
    const v3 = mod(v * v * v, P);
    const v7 = mod(v3 * v3 * v, P);
    const pow3 = ed25519_pow_2_252_3(u * v7).pow_p_5_8;
    let x = mod(u * v3 * pow3, P);
    const vx2 = mod(v * x * x, P);
    const root1 = x;
    const root2 = mod(x * ED25519_SQRT_M1, P);
    const useRoot1 = vx2 === u;
    const useRoot2 = vx2 === mod(-u, P);
    const noRoot = vx2 === mod(-u * ED25519_SQRT_M1, P);
    if (useRoot1)
      x = root1;
    if (useRoot2 || noRoot)
      x = root2;
    if (isNegativeLE(x, P))
      x = mod(-x, P);
    return { isValid: useRoot1 || useRoot2, value: x };
  }
  var ed25519_Point = /* @__PURE__ */ edwards(ed25519_CURVE, { uvRatio });
  var Fp = /* @__PURE__ */ (() => ed25519_Point.Fp)();
  var Fn = /* @__PURE__ */ (() => ed25519_Point.Fn)();
  var SQRT_M1 = ED25519_SQRT_M1;
  var INVSQRT_A_MINUS_D = /* @__PURE__ */ BigInt("54469307008909316920995813868745141605393597292927456921205312896311721017578");
  var invertSqrt = (number) => uvRatio(_1n5, number);
  var MAX_255B = /* @__PURE__ */ BigInt("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
  var bytes255ToNumberLE = (bytes) => Fp.create(bytesToNumberLE(bytes) & MAX_255B);
  var __RistrettoPoint = class __RistrettoPoint extends PrimeEdwardsPoint {
    constructor(ep) {
      super(ep);
    }
    /**
     * Create one Ristretto255 point from affine Edwards coordinates.
     * This wraps the internal Edwards representative directly and is not a
     * canonical ristretto255 decoding path.
     * Use `toBytes()` / `fromBytes()` if canonical ristretto255 bytes matter.
     */
    static fromAffine(ap) {
      return new __RistrettoPoint(ed25519_Point.fromAffine(ap));
    }
    assertSame(other) {
      if (!(other instanceof __RistrettoPoint))
        throw new Error("RistrettoPoint expected");
    }
    init(ep) {
      return new __RistrettoPoint(ep);
    }
    static fromBytes(bytes) {
      abytes(bytes, 32);
      const { a, d } = ed25519_CURVE;
      const s = bytes255ToNumberLE(bytes);
      if (!equalBytes(Fp.toBytes(s), bytes) || Fp.isOdd(s))
        throw new Error("invalid ristretto255 encoding 1");
      const s2 = Fp.sqr(s);
      const u1 = Fp.add(_1n5, Fp.mulN(a, s2));
      const u2 = Fp.sub(_1n5, Fp.mulN(a, s2));
      const u1_2 = Fp.sqr(u1);
      const u2_2 = Fp.sqr(u2);
      const v = Fp.sub(Fp.mulN(Fp.mulN(a, d), u1_2), u2_2);
      const { isValid, value: I } = invertSqrt(Fp.mul(v, u2_2));
      const Dx = Fp.mul(I, u2);
      const Dy = Fp.mul(Fp.mulN(I, Dx), v);
      let x = Fp.mul(Fp.addN(s, s), Dx);
      if (Fp.isOdd(x))
        x = Fp.neg(x);
      const y = Fp.mul(u1, Dy);
      const t = Fp.mul(x, y);
      if (!isValid || Fp.isOdd(t) || Fp.is0(y))
        throw new Error("invalid ristretto255 encoding 2");
      return new __RistrettoPoint(new ed25519_Point(x, y, Fp.ONE, t));
    }
    /**
     * Converts ristretto-encoded string to ristretto point.
     * Described in [RFC9496](https://www.rfc-editor.org/rfc/rfc9496#name-decode).
     * @param hex - Ristretto-encoded 32 bytes. Not every 32-byte string is valid ristretto encoding
     */
    static fromHex(hex) {
      return __RistrettoPoint.fromBytes(hexToBytes(hex));
    }
    /**
     * Encodes ristretto point to Uint8Array.
     * Described in [RFC9496](https://www.rfc-editor.org/rfc/rfc9496#name-encode).
     */
    toBytes() {
      let { X, Y, Z, T } = this.ep;
      const u1 = Fp.mul(Fp.add(Z, Y), Fp.sub(Z, Y));
      const u2 = Fp.mul(X, Y);
      const u2sq = Fp.sqr(u2);
      const { value: invsqrt } = invertSqrt(Fp.mul(u1, u2sq));
      const D1 = Fp.mul(invsqrt, u1);
      const D2 = Fp.mul(invsqrt, u2);
      const zInv = Fp.mul(Fp.mulN(D1, D2), T);
      let D;
      if (Fp.isOdd(Fp.mul(T, zInv))) {
        let _x = Fp.mul(Y, SQRT_M1);
        let _y = Fp.mul(X, SQRT_M1);
        X = _x;
        Y = _y;
        D = Fp.mul(D1, INVSQRT_A_MINUS_D);
      } else {
        D = D2;
      }
      if (Fp.isOdd(Fp.mul(X, zInv)))
        Y = Fp.neg(Y);
      let s = Fp.mul(Fp.subN(Z, Y), D);
      if (Fp.isOdd(s))
        s = Fp.neg(s);
      return Fp.toBytes(s);
    }
    /**
     * Compares two Ristretto points.
     * Described in [RFC9496](https://www.rfc-editor.org/rfc/rfc9496#name-equals).
     */
    equals(other) {
      this.assertSame(other);
      const { X: X1, Y: Y1 } = this.ep;
      const { X: X2, Y: Y2 } = other.ep;
      const one = Fp.eql(Fp.mul(X1, Y2), Fp.mul(Y1, X2));
      const two = Fp.eql(Fp.mul(Y1, Y2), Fp.mul(X1, X2));
      return one || two;
    }
    is0() {
      return this.equals(__RistrettoPoint.ZERO);
    }
  };
  // Do NOT change syntax: the following gymnastics is done,
  // because typescript strips comments, which makes bundlers disable tree-shaking.
  // prettier-ignore
  __publicField(__RistrettoPoint, "BASE", /* @__PURE__ */ (() => new __RistrettoPoint(ed25519_Point.BASE))());
  // prettier-ignore
  __publicField(__RistrettoPoint, "ZERO", /* @__PURE__ */ (() => new __RistrettoPoint(ed25519_Point.ZERO))());
  // prettier-ignore
  __publicField(__RistrettoPoint, "Fp", /* @__PURE__ */ (() => Fp)());
  // prettier-ignore
  __publicField(__RistrettoPoint, "Fn", /* @__PURE__ */ (() => Fn)());
  var _RistrettoPoint = __RistrettoPoint;
  var ristretto255 = /* @__PURE__ */ (() => {
    Object.freeze(_RistrettoPoint.BASE);
    Object.freeze(_RistrettoPoint.ZERO);
    Object.freeze(_RistrettoPoint.prototype);
    Object.freeze(_RistrettoPoint);
    return Object.freeze({ Point: _RistrettoPoint });
  })();

  // src/group.js
  var Point = ristretto255.Point;
  var L = 2n ** 252n + 27742317777372353535851937790883648493n;
  var G = Point.BASE;
  var IDENTITY = Point.ZERO;
  var HEX64 = /^[0-9a-f]{64}$/;
  var BoothError = class extends Error {
    /** An expected failure with a stable code (the booth shows the message; tests read the code). */
    constructor(code, message) {
      super(message);
      this.code = code;
    }
  };
  var Scalar = class _Scalar {
    /** An integer in [0, ℓ). */
    constructor(value) {
      if (typeof value !== "bigint" || value < 0n || value >= L) throw new BoothError("scalar_range", "scalar out of range [0, l)");
      this.value = value;
    }
    static of(n) {
      const v = BigInt(n) % L;
      return new _Scalar(v < 0n ? v + L : v);
    }
    add(o) {
      return _Scalar.of(this.value + o.value);
    }
    sub(o) {
      return _Scalar.of(this.value - o.value);
    }
    mul(o) {
      return _Scalar.of(this.value * o.value);
    }
    neg() {
      return _Scalar.of(-this.value);
    }
    equals(o) {
      return o instanceof _Scalar && o.value === this.value;
    }
    /** 32 bytes little-endian (C§1.1). */
    toBytes() {
      const out = new Uint8Array(32);
      let v = this.value;
      for (let i = 0; i < 32; i++) {
        out[i] = Number(v & 0xffn);
        v >>= 8n;
      }
      return out;
    }
    hex() {
      return bytesToHex3(this.toBytes());
    }
    static fromHex(text, where = "scalar") {
      if (typeof text !== "string" || !HEX64.test(text)) throw new BoothError("bad_json", `${where}: expected 64 lowercase hex digits`);
      const value = leToBigint(hexToBytes3(text));
      if (value >= L) throw new BoothError("bad_json", `${where}: non-canonical scalar (>= l)`);
      return new _Scalar(value);
    }
    /** Reduce 64 bytes (little-endian) mod ℓ, as crypto_core_ristretto255_scalar_reduce (C§2.3). */
    static fromDigest(bytes) {
      if (bytes.length !== 64) throw new BoothError("digest_length", "scalar reduction takes 64 bytes");
      return new _Scalar(leToBigint(bytes) % L);
    }
  };
  var ZERO = new Scalar(0n);
  function mul(point, scalar) {
    if (scalar.value === 0n || point.is0()) return IDENTITY;
    return point.multiply(scalar.value);
  }
  function baseMul(scalar) {
    return mul(G, scalar);
  }
  function elementHex(point) {
    return point.toHex();
  }
  function sameElement(a, b) {
    return a.toHex() === b.toHex();
  }
  function elementFromHex(text, where = "element", allowIdentity = false) {
    if (typeof text !== "string" || !HEX64.test(text)) throw new BoothError("bad_json", `${where}: expected 64 lowercase hex digits`);
    let point;
    try {
      point = Point.fromHex(text);
    } catch (e) {
      throw new BoothError("bad_json", `${where}: not a canonical ristretto255 encoding`);
    }
    if (point.toHex() !== text) throw new BoothError("bad_json", `${where}: not a canonical ristretto255 encoding`);
    if (!allowIdentity && point.is0()) throw new BoothError("bad_json", `${where}: the identity element is not allowed here`);
    return point;
  }
  function randomBytes3(n) {
    const out = new Uint8Array(n);
    globalThis.crypto.getRandomValues(out);
    return out;
  }
  function randomScalar() {
    return Scalar.fromDigest(randomBytes3(64));
  }
  function bytesToHex3(bytes) {
    let s = "";
    for (const b of bytes) s += b.toString(16).padStart(2, "0");
    return s;
  }
  function hexToBytes3(text) {
    if (typeof text !== "string" || text.length % 2 !== 0 || !/^[0-9a-f]*$/.test(text)) throw new BoothError("bad_hex", "expected lowercase hex");
    const out = new Uint8Array(text.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
    return out;
  }
  function leToBigint(bytes) {
    let v = 0n;
    for (let i = bytes.length - 1; i >= 0; i--) v = v << 8n | BigInt(bytes[i]);
    return v;
  }

  // src/hashing.js
  var hashing_exports = {};
  __export(hashing_exports, {
    DOMAIN: () => DOMAIN,
    encodePart: () => encodePart,
    hashHex: () => hashHex,
    hashToScalar: () => hashToScalar,
    shortCode: () => shortCode
  });
  var DOMAIN = "saylau-crypto-v1";
  var UTF8 = new TextEncoder();
  function intBytes(n) {
    const out = [];
    while (n > 0n) {
      out.unshift(Number(n & 0xffn));
      n >>= 8n;
    }
    return out;
  }
  function encodeInto(part, chunks) {
    const header = new Uint8Array(9);
    chunks.push(header);
    let kind;
    let length;
    if (part instanceof Uint8Array) {
      kind = 1;
      chunks.push(part);
      length = part.length;
    } else if (typeof part === "string") {
      if (/[\uD800-\uDFFF]/.test(part.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ""))) {
        throw new BoothError("hash_part", "a string with a lone surrogate is not UTF-8");
      }
      const data = UTF8.encode(part);
      kind = 2;
      chunks.push(data);
      length = data.length;
    } else if (typeof part === "number" || typeof part === "bigint") {
      if (typeof part === "number" && !Number.isSafeInteger(part)) throw new BoothError("hash_part", "integers only (no floats)");
      const n = BigInt(part);
      if (n < 0n) throw new BoothError("hash_part", "negative integers are not hashable parts");
      const data = Uint8Array.from(intBytes(n));
      kind = 3;
      chunks.push(data);
      length = data.length;
    } else if (part instanceof Point) {
      kind = 4;
      chunks.push(part.toBytes());
      length = 32;
    } else if (part instanceof Scalar) {
      kind = 5;
      chunks.push(part.toBytes());
      length = 32;
    } else if (Array.isArray(part)) {
      kind = 6;
      length = 0;
      for (const item of part) length += encodeInto(item, chunks) + 9;
    } else {
      throw new BoothError("hash_part", `unsupported hash part of type ${typeof part}`);
    }
    header[0] = kind;
    new DataView(header.buffer).setBigUint64(1, BigInt(length), false);
    return length;
  }
  function encodePart(part) {
    const chunks = [];
    const length = encodeInto(part, chunks) + 9;
    const out = new Uint8Array(length);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
  function input(purpose, parts) {
    return encodePart([DOMAIN, purpose, ...parts]);
  }
  function hashToScalar(purpose, ...parts) {
    return Scalar.fromDigest(sha512(input(purpose, parts)));
  }
  function hashHex(purpose, ...parts) {
    return bytesToHex3(sha256(input(purpose, parts)));
  }
  var BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  function shortCode(hexDigest) {
    let bits = 0;
    let value = 0;
    let text = "";
    for (let i = 0; i < 10; i++) {
      value = value << 8 | parseInt(hexDigest.slice(2 * i, 2 * i + 2), 16);
      bits += 8;
      while (bits >= 5) {
        text += BASE32[value >>> bits - 5 & 31];
        bits -= 5;
      }
      value &= (1 << bits) - 1;
    }
    return text.match(/.{4}/g).join("-");
  }

  // src/ballot.js
  var ballot_exports = {};
  __export(ballot_exports, {
    ballotContent: () => ballotContent,
    ballotHash: () => ballotHash,
    checkBallotId: () => checkBallotId,
    checkOpening: () => checkOpening,
    ciphertextFingerprints: () => ciphertextFingerprints,
    encryptBallot: () => encryptBallot,
    encryptWithNonce: () => encryptWithNonce,
    genesisCode: () => genesisCode,
    isCompact: () => isCompact,
    nextTrackingCode: () => nextTrackingCode,
    openSpoiled: () => openSpoiled,
    proveRange: () => proveRange,
    sign: () => sign,
    signingKey: () => signingKey,
    verifyBallot: () => verifyBallot,
    verifyRange: () => verifyRange,
    verifySignature: () => verifySignature
  });
  var SELECTION = "selection-0-1";
  var COMPACT = "compact-0-1";
  var QUESTION = "question-range";
  var SIGNATURE = "schnorr-signature";
  var BALLOT_SIGNATURE = "ballot";
  var BALLOT_ID = /^[0-9a-z-]{1,64}$/;
  function checkBallotId(ballotId, path = "ballot_id") {
    if (typeof ballotId !== "string" || !BALLOT_ID.test(ballotId)) {
      throw new BoothError("bad_ballot_id", `${path}: a ballot id is 1 to 64 characters of a-z, 0-9 and '-' (C\xA77.9)`);
    }
    return ballotId;
  }
  function isCompact(spec) {
    return spec.options.length === 2 && spec.min_selections === 1 && spec.max_selections === 1;
  }
  function challenge(purpose, election, binding, ...parts) {
    return hashToScalar(purpose, election, binding, ...parts);
  }
  function signingKey(credential, election) {
    if (!(credential instanceof Uint8Array) || credential.length !== 32) throw new BoothError("bad_credential", "a credential is 32 bytes");
    const secret = hashToScalar("credential-key", election, credential);
    return { secret, public: baseMul(secret) };
  }
  function encryptWithNonce(m, r, key) {
    const pad = mul(key, r);
    return { alpha: baseMul(r), beta: m === 0 ? pad : baseMul(Scalar.of(m)).add(pad) };
  }
  function shiftedBetas(beta, low, count) {
    let current = low ? beta.subtract(baseMul(Scalar.of(low))) : beta;
    const shifted = [current];
    for (let v = 1; v < count; v++) {
      current = current.subtract(G);
      shifted.push(current);
    }
    return shifted;
  }
  function rangeChallenge(purpose, election, binding, key, ct, low, high, commitments) {
    return challenge(purpose, election, binding, G, key, ct.alpha, ct.beta, low, high, commitments);
  }
  function proveRange(ct, m, r, key, low, high, election, binding, purpose) {
    if (!(low >= 0 && low <= m && m <= high)) throw new BoothError("plaintext_range", "plaintext outside the range to prove");
    const count = high - low + 1;
    const real = m - low;
    const shifted = shiftedBetas(ct.beta, low, count);
    const challenges = [];
    const responses = [];
    const commitments = [];
    const w = randomScalar();
    for (let v = 0; v < count; v++) {
      if (v === real) {
        challenges.push(ZERO);
        responses.push(ZERO);
        commitments.push(baseMul(w), mul(key, w));
        continue;
      }
      const c = randomScalar();
      const u = randomScalar();
      challenges.push(c);
      responses.push(u);
      commitments.push(baseMul(u).subtract(mul(ct.alpha, c)), mul(key, u).subtract(mul(shifted[v], c)));
    }
    const total = rangeChallenge(purpose, election, binding, key, ct, low, high, commitments);
    const cReal = challenges.reduce((acc, c) => acc.sub(c), total);
    challenges[real] = cReal;
    responses[real] = w.add(cReal.mul(r));
    return { challenges, responses };
  }
  function verifyRange(ct, key, low, high, proof, election, binding, purpose) {
    const count = high - low + 1;
    if (low < 0 || count < 1 || proof.challenges.length !== count || proof.responses.length !== count) return "bad_shape";
    if (key.is0()) return "identity";
    const shifted = shiftedBetas(ct.beta, low, count);
    const commitments = [];
    for (let v = 0; v < count; v++) {
      const c = proof.challenges[v];
      const u = proof.responses[v];
      commitments.push(baseMul(u).subtract(mul(ct.alpha, c)), mul(key, u).subtract(mul(shifted[v], c)));
    }
    const total = rangeChallenge(purpose, election, binding, key, ct, low, high, commitments);
    const sum = proof.challenges.reduce((acc, c) => acc.add(c), ZERO);
    return sum.equals(total) ? null : "bad_challenge";
  }
  function sign(key, purpose, message, election) {
    const k = randomScalar();
    const c = challenge(SIGNATURE, election, [], purpose, G, key.public, message, baseMul(k));
    return { challenge: c, response: k.add(c.mul(key.secret)) };
  }
  function verifySignature(pub, purpose, message, signature, election) {
    if (pub.is0()) return "identity";
    const r = baseMul(signature.response).subtract(mul(pub, signature.challenge));
    const c = challenge(SIGNATURE, election, [], purpose, G, pub, message, r);
    return c.equals(signature.challenge) ? null : "bad_signature";
  }
  function ballotContent(ballot) {
    const questions = ballot.questions.map((q) => [
      q.question_id,
      q.selections.map((s) => [s.ciphertext.alpha, s.ciphertext.beta, s.proof.challenges, s.proof.responses]),
      q.range_proof.challenges,
      q.range_proof.responses
    ]);
    return [ballot.ballot_id, ballot.credential, questions];
  }
  function ballotBinding(ballotId, credential) {
    return ["ballot", ballotId, credential];
  }
  function checkChoices(questions, choices) {
    if (!Array.isArray(choices) || choices.length !== questions.length) throw new BoothError("bad_choice", "one choice list per question");
    questions.forEach((spec, i) => {
      const chosen = choices[i];
      if (!Array.isArray(chosen) || chosen.length !== spec.options.length || chosen.some((c) => c !== 0 && c !== 1)) {
        throw new BoothError("bad_choice", `question ${spec.question_id}: one 0/1 per option`);
      }
      const n = chosen.reduce((a, b) => a + b, 0);
      if (n < spec.min_selections || n > spec.max_selections) {
        throw new BoothError("bad_choice", `question ${spec.question_id}: choose between ${spec.min_selections} and ${spec.max_selections}`);
      }
    });
  }
  function encryptQuestion(spec, chosen, key, election, binding) {
    if (isCompact(spec)) {
      const r = randomScalar();
      const ct = encryptWithNonce(chosen[0], r, key);
      const proof = proveRange(ct, chosen[0], r, key, 0, 1, election, [...binding, 0], COMPACT);
      return [{ question_id: spec.question_id, selections: [{ ciphertext: ct, proof }], range_proof: { challenges: [], responses: [] } }, [r]];
    }
    const selections = [];
    const nonces = [];
    chosen.forEach((m, position) => {
      const r = randomScalar();
      const ct = encryptWithNonce(m, r, key);
      selections.push({ ciphertext: ct, proof: proveRange(ct, m, r, key, 0, 1, election, [...binding, position], SELECTION) });
      nonces.push(r);
    });
    const total = sumCiphertexts(selections.map((s) => s.ciphertext));
    const totalNonce = nonces.reduce((a, r) => a.add(r), ZERO);
    const count = chosen.reduce((a, b) => a + b, 0);
    const rangeProof = proveRange(total, count, totalNonce, key, spec.min_selections, spec.max_selections, election, binding, QUESTION);
    return [{ question_id: spec.question_id, selections, range_proof: rangeProof }, nonces];
  }
  function sumCiphertexts(cts) {
    return cts.reduce((acc, ct) => ({ alpha: acc.alpha.add(ct.alpha), beta: acc.beta.add(ct.beta) }), { alpha: IDENTITY, beta: IDENTITY });
  }
  function encryptBallot(questions, choices, publicKey, election, ballotId, key) {
    checkBallotId(ballotId);
    checkChoices(questions, choices);
    const binding = ballotBinding(ballotId, key.public);
    const encrypted = [];
    const nonces = [];
    questions.forEach((spec, index) => {
      const [question, qNonces] = encryptQuestion(spec, choices[index], publicKey, election, [...binding, index, spec.question_id]);
      encrypted.push(question);
      nonces.push(qNonces);
    });
    const unsigned = { ballot_id: ballotId, credential: key.public, questions: encrypted };
    const signature = sign(key, BALLOT_SIGNATURE, ballotContent(unsigned), election);
    const ballot = { ...unsigned, signature };
    return { ballot, secrets: { ballot_id: ballotId, choices: choices.map((c) => c.slice()), nonces } };
  }
  function verifyQuestion(spec, question, key, election, binding) {
    const compact = isCompact(spec);
    if (question.question_id !== spec.question_id || question.selections.length !== (compact ? 1 : spec.options.length)) return ["bad_shape", ""];
    if (compact && (question.range_proof.challenges.length || question.range_proof.responses.length)) return ["bad_shape", "range"];
    const purpose = compact ? COMPACT : SELECTION;
    for (let p = 0; p < question.selections.length; p++) {
      const s = question.selections[p];
      if (s.ciphertext.alpha.is0() || s.ciphertext.beta.is0()) return ["identity", `option[${p}]`];
      const failure2 = verifyRange(s.ciphertext, key, 0, 1, s.proof, election, [...binding, p], purpose);
      if (failure2) return [failure2, `option[${p}]`];
    }
    if (compact) return null;
    const total = sumCiphertexts(question.selections.map((s) => s.ciphertext));
    const failure = verifyRange(total, key, spec.min_selections, spec.max_selections, question.range_proof, election, binding, QUESTION);
    return failure ? [failure, "range"] : null;
  }
  function verifyBallot(ballot, questions, publicKey, election) {
    if (ballot.questions.length !== questions.length) return { code: "bad_shape", where: "questions" };
    if (ballot.credential.is0()) return { code: "identity", where: "credential" };
    const sig = verifySignature(ballot.credential, BALLOT_SIGNATURE, ballotContent(ballot), ballot.signature, election);
    if (sig) return { code: sig, where: "signature" };
    const binding = ballotBinding(ballot.ballot_id, ballot.credential);
    for (let i = 0; i < questions.length; i++) {
      const failure = verifyQuestion(questions[i], ballot.questions[i], publicKey, election, [...binding, i, questions[i].question_id]);
      if (failure) return { code: failure[0], where: `question[${i}]${failure[1] ? "." + failure[1] : ""}` };
    }
    return null;
  }
  function ballotHash(ballot, election) {
    return hashHex("ballot", election, ballotContent(ballot), ballot.signature.challenge, ballot.signature.response);
  }
  function ciphertextFingerprints(ballot) {
    return ballot.questions.flatMap((q) => q.selections.map((s) => hashHex("ciphertext", s.ciphertext.alpha, s.ciphertext.beta)));
  }
  function openSpoiled(ballot, secrets) {
    if (secrets.ballot_id !== ballot.ballot_id) throw new BoothError("bad_opening", "secrets of another ballot");
    return { ballot_id: ballot.ballot_id, choices: secrets.choices.map((c) => c.slice()), nonces: secrets.nonces.map((n) => n.slice()) };
  }
  function checkOpening(ballot, opening, questions, publicKey) {
    if (opening.ballot_id !== ballot.ballot_id || opening.choices.length !== ballot.questions.length) return { code: "mismatch", where: "ballot_id" };
    if (opening.nonces.length !== ballot.questions.length || questions.length !== ballot.questions.length) return { code: "bad_shape", where: "questions" };
    for (let i = 0; i < questions.length; i++) {
      const spec = questions[i];
      const question = ballot.questions[i];
      const chosen = opening.choices[i];
      const nonces = opening.nonces[i];
      const sent = isCompact(spec) ? 1 : spec.options.length;
      if (chosen.length !== spec.options.length || nonces.length !== sent || question.selections.length !== sent) return { code: "bad_shape", where: `question[${i}]` };
      const n = chosen.reduce((a, b) => a + b, 0);
      if (chosen.some((c) => c !== 0 && c !== 1) || n < spec.min_selections || n > spec.max_selections) return { code: "out_of_range", where: `question[${i}]` };
      for (let p = 0; p < sent; p++) {
        const ct = encryptWithNonce(chosen[p], nonces[p], publicKey);
        const got = question.selections[p].ciphertext;
        if (!sameElement(ct.alpha, got.alpha) || !sameElement(ct.beta, got.beta)) return { code: "mismatch", where: `question[${i}].option[${p}]` };
      }
    }
    return null;
  }
  function genesisCode(election) {
    const full = hashHex("tracking-genesis", election);
    return { full, short: shortCode(full) };
  }
  function nextTrackingCode(election, previousFull, ballotHashHex) {
    const full = hashHex("tracking", election, hexBytes(previousFull), hexBytes(ballotHashHex));
    return { full, short: shortCode(full) };
  }
  function hexBytes(text) {
    const out = new Uint8Array(text.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
    return out;
  }

  // src/codec.js
  var codec_exports = {};
  __export(codec_exports, {
    ballotFromPlain: () => ballotFromPlain,
    ballotJson: () => ballotJson,
    ballotToPlain: () => ballotToPlain,
    openingFromPlain: () => openingFromPlain,
    openingToPlain: () => openingToPlain,
    parseCredentialFile: () => parseCredentialFile,
    questionFromPlain: () => questionFromPlain
  });

  // src/canon.js
  function codePointCompare(a, b) {
    const x = Array.from(a);
    const y = Array.from(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d !== 0) return d;
    }
    return x.length - y.length;
  }
  function string(text) {
    if (/[\uD800-\uDFFF]/.test(text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ""))) {
      throw new BoothError("canon", "a string with a lone surrogate has no UTF-8 encoding");
    }
    return JSON.stringify(text);
  }
  function canon(value) {
    if (typeof value === "string") return string(value);
    if (typeof value === "number") {
      if (!Number.isSafeInteger(value)) throw new BoothError("canon", "no floats in canonical JSON");
      return String(value);
    }
    if (typeof value === "bigint") return value.toString();
    if (Array.isArray(value)) return `[${value.map(canon).join(",")}]`;
    if (value !== null && typeof value === "object") {
      const keys = Object.keys(value).sort(codePointCompare);
      return `{${keys.map((k) => `${string(k)}:${canon(value[k])}`).join(",")}}`;
    }
    throw new BoothError("canon", `${value === null ? "null" : typeof value} is not allowed in canonical JSON`);
  }

  // src/codec.js
  function fail(path, message) {
    return new BoothError("bad_json", `${path || "$"}: ${message}`);
  }
  function object(data, keys, path) {
    if (data === null || typeof data !== "object" || Array.isArray(data)) throw fail(path, "expected an object");
    const got = Object.keys(data).sort();
    const want = [...keys].sort();
    if (got.length !== want.length || got.some((k, i) => k !== want[i])) throw fail(path, `keys must be exactly ${JSON.stringify(want)}`);
    return data;
  }
  function array(data, path) {
    if (!Array.isArray(data)) throw fail(path, "expected an array");
    return data;
  }
  function int(data, path) {
    if (typeof data !== "number" || !Number.isSafeInteger(data)) throw fail(path, "expected an integer");
    return data;
  }
  function str(data, path) {
    if (typeof data !== "string") throw fail(path, "expected a string");
    return data;
  }
  var scalars = (data, path) => array(data, path).map((s, i) => Scalar.fromHex(s, `${path}[${i}]`));
  var hexes2 = (list) => list.map((s) => s.hex());
  function questionFromPlain(data, path = "$") {
    const q = object(data, ["max_selections", "min_selections", "options", "question_id"], path);
    const options = array(q.options, `${path}.options`).map((o, i) => str(o, `${path}.options[${i}]`));
    const spec = {
      question_id: str(q.question_id, `${path}.question_id`),
      options,
      min_selections: int(q.min_selections, `${path}.min_selections`),
      max_selections: int(q.max_selections, `${path}.max_selections`)
    };
    const ok = options.length >= 1 && new Set(options).size === options.length;
    if (!ok || !(spec.min_selections >= 0 && spec.min_selections <= spec.max_selections && spec.max_selections <= options.length)) {
      throw fail(path, "bad question spec");
    }
    return spec;
  }
  function rangeToPlain(p) {
    return { challenges: hexes2(p.challenges), responses: hexes2(p.responses) };
  }
  function rangeFromPlain(data, path) {
    const p = object(data, ["challenges", "responses"], path);
    return { challenges: scalars(p.challenges, `${path}.challenges`), responses: scalars(p.responses, `${path}.responses`) };
  }
  function ballotToPlain(ballot) {
    return {
      ballot_id: ballot.ballot_id,
      credential: elementHex(ballot.credential),
      questions: ballot.questions.map((q) => ({
        question_id: q.question_id,
        range_proof: rangeToPlain(q.range_proof),
        selections: q.selections.map((s) => ({
          ciphertext: { alpha: elementHex(s.ciphertext.alpha), beta: elementHex(s.ciphertext.beta) },
          proof: rangeToPlain(s.proof)
        }))
      })),
      signature: { challenge: ballot.signature.challenge.hex(), response: ballot.signature.response.hex() }
    };
  }
  function ballotFromPlain(data, path = "$") {
    const b = object(data, ["ballot_id", "credential", "questions", "signature"], path);
    const questions = array(b.questions, `${path}.questions`).map((qd, i) => {
      const qp = `${path}.questions[${i}]`;
      const q = object(qd, ["question_id", "range_proof", "selections"], qp);
      const selections = array(q.selections, `${qp}.selections`).map((sd, j) => {
        const sp = `${qp}.selections[${j}]`;
        const s = object(sd, ["ciphertext", "proof"], sp);
        const c = object(s.ciphertext, ["alpha", "beta"], `${sp}.ciphertext`);
        return {
          ciphertext: { alpha: elementFromHex(c.alpha, `${sp}.ciphertext.alpha`), beta: elementFromHex(c.beta, `${sp}.ciphertext.beta`) },
          proof: rangeFromPlain(s.proof, `${sp}.proof`)
        };
      });
      return { question_id: str(q.question_id, `${qp}.question_id`), selections, range_proof: rangeFromPlain(q.range_proof, `${qp}.range_proof`) };
    });
    const sig = object(b.signature, ["challenge", "response"], `${path}.signature`);
    return {
      ballot_id: checkBallotId(b.ballot_id, `${path}.ballot_id`),
      credential: elementFromHex(b.credential, `${path}.credential`),
      questions,
      signature: { challenge: Scalar.fromHex(sig.challenge, `${path}.signature.challenge`), response: Scalar.fromHex(sig.response, `${path}.signature.response`) }
    };
  }
  function openingToPlain(opening) {
    return { ballot_id: opening.ballot_id, choices: opening.choices.map((c) => c.slice()), nonces: opening.nonces.map(hexes2) };
  }
  function openingFromPlain(data, path = "$") {
    const o = object(data, ["ballot_id", "choices", "nonces"], path);
    return {
      ballot_id: checkBallotId(o.ballot_id, `${path}.ballot_id`),
      choices: array(o.choices, `${path}.choices`).map((c, i) => array(c, `${path}.choices[${i}]`).map((v, j) => int(v, `${path}.choices[${i}][${j}]`))),
      nonces: array(o.nonces, `${path}.nonces`).map((n, i) => scalars(n, `${path}.nonces[${i}]`))
    };
  }
  function ballotJson(ballot) {
    return canon(ballotToPlain(ballot));
  }
  var CREDENTIAL_KEYS = ["credential", "election", "fingerprint", "format", "purpose"];
  function parseCredentialFile(text, electionId, fingerprint) {
    let data;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new BoothError("credential_file", "this is not a credential file (not JSON)");
    }
    if (data === null || typeof data !== "object" || Array.isArray(data)) throw new BoothError("credential_file", "this is not a credential file");
    const keys = Object.keys(data).sort();
    if (keys.join(",") !== CREDENTIAL_KEYS.join(",")) throw new BoothError("credential_file", `a credential file has exactly the keys ${CREDENTIAL_KEYS.join(", ")}`);
    if (data.format !== "saylau-secret-v1" || data.purpose !== "voter-credential") throw new BoothError("credential_file", "this is not a voter credential file (format or purpose)");
    if (data.fingerprint !== fingerprint || data.election !== electionId) {
      throw new BoothError("credential_file", `this credential belongs to another election (${String(data.election)})`);
    }
    if (typeof data.credential !== "string" || !/^[0-9a-f]{64}$/.test(data.credential)) throw new BoothError("credential_file", "the credential is not 32 bytes of lowercase hex");
    return hexToBytes3(data.credential);
  }

  // src/ui.js
  function $(root, selector) {
    const el = root.querySelector(selector);
    if (!el) throw new Error(`the page lacks ${selector}`);
    return el;
  }
  function show(section, on = true) {
    section.hidden = !on;
  }
  function focusHeading(section) {
    const heading = section.querySelector("h2, h3");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }
  async function postJson(url, body) {
    const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new BoothError(data.code || `http_${response.status}`, data.detail || `the server answered ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return data;
  }
  function parseElection(data) {
    const questions = data.manifest.questions.map((q, i) => questionFromPlain(q, `manifest.questions[${i}]`));
    const key = data.joint_key === null ? null : elementFromHex(data.joint_key, "joint_key");
    return { id: data.election, title: data.manifest.title, fingerprint: data.fingerprint, phase: data.phase, questions, key };
  }
  function buildQuestions(container, questions) {
    container.replaceChildren();
    questions.forEach((spec, qi) => {
      const fieldset = document.createElement("fieldset");
      fieldset.className = "question";
      const legend = document.createElement("legend");
      const single = spec.max_selections === 1;
      legend.textContent = `${spec.question_id}: ${single ? "choose one" : `choose ${spec.min_selections} to ${spec.max_selections}`}`;
      fieldset.append(legend);
      spec.options.forEach((option, oi) => {
        const id = `q${qi}-o${oi}`;
        const input2 = document.createElement("input");
        input2.type = single ? "radio" : "checkbox";
        input2.name = `q${qi}`;
        input2.id = id;
        input2.value = String(oi);
        const label = document.createElement("label");
        label.htmlFor = id;
        label.textContent = option;
        const row = document.createElement("div");
        row.className = "option";
        row.append(input2, label);
        fieldset.append(row);
      });
      container.append(fieldset);
    });
  }
  function readChoices(container, questions) {
    return questions.map((spec, qi) => spec.options.map((_, oi) => container.querySelector(`#q${qi}-o${oi}`).checked ? 1 : 0));
  }
  function startBooth(root) {
    const api = root.dataset.api;
    const boardUrl = root.dataset.board;
    const status = $(root, "#booth-status");
    const steps = {
      credential: $(root, "#step-credential"),
      choose: $(root, "#step-choose"),
      review: $(root, "#step-review"),
      challenged: $(root, "#step-challenged"),
      receipt: $(root, "#step-receipt")
    };
    const state = { election: null, key: null, ballot: null, secrets: null, busy: false };
    const say = (text, error = false) => {
      status.textContent = text;
      status.classList.toggle("error", error);
    };
    const go = (name) => {
      for (const [k, section] of Object.entries(steps)) show(section, k === name);
      focusHeading(steps[name]);
    };
    const guard = (fn) => async (event) => {
      if (event) event.preventDefault();
      if (state.busy) return;
      state.busy = true;
      try {
        await fn();
      } catch (e) {
        say(e instanceof BoothError ? `${e.message} (${e.code})` : `Unexpected error: ${e.message}`, true);
      } finally {
        state.busy = false;
      }
    };
    $(root, "#credential-file").addEventListener("change", async (event) => {
      const file = event.target.files[0];
      if (file) $(root, "#credential-text").value = await file.text();
    });
    $(root, "#credential-form").addEventListener("submit", guard(async () => {
      const election = state.election;
      const secret = parseCredentialFile($(root, "#credential-text").value.trim(), election.id, election.fingerprint);
      state.key = signingKey(secret, election.fingerprint);
      $(root, "#credential-text").value = "";
      $(root, "#credential-file").value = "";
      $(root, "#voter-credential").textContent = shortCode(state.key.public.toHex());
      say("Credential loaded. Make your choice.");
      go("choose");
    }));
    $(root, "#choice-form").addEventListener("submit", guard(async () => {
      const election = state.election;
      const choices = readChoices($(root, "#questions"), election.questions);
      say("Encrypting and proving on this device\u2026");
      await new Promise((resolve) => setTimeout(resolve, 0));
      const ballotId = bytesToHex3(randomBytes3(16));
      const { ballot, secrets } = encryptBallot(election.questions, choices, election.key, election.fingerprint, ballotId, state.key);
      const failure = verifyBallot(ballot, election.questions, election.key, election.fingerprint);
      if (failure) throw new BoothError("self_check", `the device made a ballot that does not verify at ${failure.where}`);
      state.ballot = ballot;
      state.secrets = secrets;
      const digest = ballotHash(ballot, election.fingerprint);
      $(root, "#ballot-fingerprint").textContent = shortCode(digest);
      $(root, "#ballot-fingerprint-full").textContent = digest;
      say("Your ballot is encrypted. Cast it, or challenge it to check the encryption.");
      go("review");
    }));
    $(root, "#cast").addEventListener("click", guard(async () => {
      const receipt = await postJson(`${api}/ballots`, ballotJson(state.ballot));
      state.ballot = null;
      state.secrets = null;
      state.key = null;
      $(root, "#tracking-short").textContent = receipt.tracking_code.short;
      $(root, "#tracking-full").textContent = receipt.tracking_code.full;
      $(root, "#receipt-height").textContent = String(receipt.height);
      const link = $(root, "#board-link");
      link.href = `${boardUrl}?tracking=${encodeURIComponent(receipt.tracking_code.full)}`;
      say("Your ballot was cast. Keep your tracking code.");
      go("receipt");
    }));
    $(root, "#challenge").addEventListener("click", guard(async () => {
      const election = state.election;
      const opening = openSpoiled(state.ballot, state.secrets);
      const failure = checkOpening(state.ballot, opening, election.questions, election.key);
      const body = canon({ ballot: ballotToPlain(state.ballot), opening: openingToPlain(opening) });
      $(root, "#opening-json").value = body;
      $(root, "#opening-check").textContent = failure ? `This device's opening does NOT match its ballot (${failure.code} at ${failure.where}). Do not use this device.` : "This device re-encrypted the revealed choices with the revealed nonces: they give exactly the ciphertexts shown.";
      $(root, "#opening-choices").textContent = election.questions.map((q, i) => `${q.question_id}: ${q.options.filter((_, o) => opening.choices[i][o] === 1).join(", ") || "(none)"}`).join("; ");
      const answer = await postJson(`${api}/spoiled`, body);
      $(root, "#spoiled-height").textContent = String(answer.height);
      state.ballot = null;
      state.secrets = null;
      say("The challenged ballot was recorded as spoiled; it will never be counted. Vote again.");
      go("challenged");
    }));
    $(root, "#vote-again").addEventListener("click", (event) => {
      event.preventDefault();
      say("Make your choice again: the new ballot is encrypted with fresh randomness.");
      go("choose");
    });
    return (async () => {
      const response = await fetch(api);
      const data = await response.json();
      if (!response.ok) throw new BoothError(data.code || "http", data.detail || "cannot load the election");
      const election = parseElection(data);
      state.election = election;
      buildQuestions($(root, "#questions"), election.questions);
      if (election.phase !== "voting" || election.key === null) {
        say(`This election is not open for voting (phase: ${election.phase}).`, true);
        return;
      }
      root.dataset.ready = "true";
      say("Load your credential file to begin.");
      go("credential");
    })().catch((e) => say(`Cannot start the booth: ${e.message}`, true));
  }
  function startChecker(root) {
    const api = root.dataset.api;
    const out = $(root, "#check-result");
    $(root, "#check-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const election = parseElection(await (await fetch(api)).json());
        const data = JSON.parse($(root, "#check-text").value);
        const ballot = ballotFromPlain(data.ballot, "ballot");
        const opening = openingFromPlain(data.opening, "opening");
        const proofs = verifyBallot(ballot, election.questions, election.key, election.fingerprint);
        const failure = proofs || checkOpening(ballot, opening, election.questions, election.key);
        const choices = election.questions.map((q, i) => `${q.question_id}: ${q.options.filter((_, o) => opening.choices[i]?.[o] === 1).join(", ") || "(none)"}`);
        out.textContent = failure ? `Does NOT check: ${failure.code} at ${failure.where}.` : `Checks: the ballot's proofs hold and its ciphertexts encrypt ${choices.join("; ")}.`;
        out.classList.toggle("error", Boolean(failure));
      } catch (e) {
        out.textContent = `Cannot check: ${e.message}`;
        out.classList.add("error");
      }
    });
  }

  // src/booth.js
  if (typeof document !== "undefined") {
    const start = () => {
      const booth = document.getElementById("booth");
      if (booth) startBooth(booth);
      const checker = document.getElementById("checker");
      if (checker) startChecker(checker);
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
  return __toCommonJS(booth_exports);
})();
