// Known-answer tests of the booth's crypto against the committed Python vectors (spec/vectors/crypto/*.json),
// plus round trips: a ballot the booth makes verifies in the booth, its opening checks, a changed byte fails.
// Run: cd booth && npm test   (node ≥ 20; no network).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { G, Point, Scalar, elementFromHex, hexToBytes } from '../src/group.js';
import { encodePart, hashHex, hashToScalar, shortCode } from '../src/hashing.js';
import { canon } from '../src/canon.js';
import * as b from '../src/ballot.js';
import * as codec from '../src/codec.js';

const vector = (name) => JSON.parse(readFileSync(new URL(`../../spec/vectors/crypto/${name}.json`, import.meta.url), 'utf8'));

test('generator G is RFC 9496 base point', () => {
  assert.equal(G.toHex(), 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76');
});

test('hash encoding, challenges and digests match the Python vectors', () => {
  const parts = {
    '[]': [],
    "['a|b']": ['a|b'],
    "['a', 'b']": ['a', 'b'],
    "[b'\\x00\\x01', 0, 255, 18446744073709551616]": [Uint8Array.of(0, 1), 0, 255, 18446744073709551616n],
    "[['nested', [1, 2]], 'x']": [['nested', [1, 2]], 'x'],
  };
  const cases = vector('hashing').cases;
  assert.equal(cases.length, Object.keys(parts).length);
  for (const c of cases) {
    const p = parts[c.parts];
    assert.ok(p, c.parts);
    const enc = Buffer.from(encodePart(['saylau-crypto-v1', c.purpose, ...p])).toString('hex');
    assert.equal(enc, c.encoding);
    assert.equal(hashHex(c.purpose, ...p), c.sha256);
    assert.equal(hashToScalar(c.purpose, ...p).hex(), c.challenge);
  }
  assert.throws(() => encodePart([true]));
  assert.throws(() => encodePart([-1]));
  assert.throws(() => encodePart([1.5]));
});

test('range and Schnorr vectors verify', () => {
  const r = vector('range');
  const ct = { alpha: elementFromHex(r.ciphertext.alpha), beta: elementFromHex(r.ciphertext.beta) };
  const proof = { challenges: r.proof.challenges.map((s) => Scalar.fromHex(s)), responses: r.proof.responses.map((s) => Scalar.fromHex(s)) };
  const key = elementFromHex(r.public_key);
  assert.equal(b.verifyRange(ct, key, r.low, r.high, proof, r.election, r.binding, 'elgamal-range'), null);
  assert.equal(b.verifyRange(ct, key, r.low, r.high, proof, r.election, ['other'], 'elgamal-range'), 'bad_challenge');
  const s = vector('schnorr'); // C§4.1: c = H_ℓ("schnorr-pok", E, B, G, X, u·G − c·X)
  const x = elementFromHex(s.public);
  const c = Scalar.fromHex(s.proof.challenge);
  const u = Scalar.fromHex(s.proof.response);
  const commitment = G.multiply(u.value).subtract(x.multiply(c.value));
  assert.equal(hashToScalar('schnorr-pok', s.election, s.binding, G, x, commitment).hex(), s.proof.challenge);
});

test('the ballot vector: key derivation, verification, hash, tracking code, option ciphertexts', () => {
  const v = vector('ballot');
  const questions = v.questions.map((q) => codec.questionFromPlain(q));
  const key = b.signingKey(hexToBytes(v.credential_secret), v.election);
  assert.equal(key.public.toHex(), v.ballot.credential);
  const ballot = codec.ballotFromPlain(v.ballot);
  const pk = elementFromHex(v.public_key);
  assert.equal(b.verifyBallot(ballot, questions, pk, v.election), null);
  assert.equal(b.ballotHash(ballot, v.election), v.ballot_hash);
  const tracking = b.nextTrackingCode(v.election, b.genesisCode(v.election).full, v.ballot_hash);
  assert.deepEqual(tracking, v.tracking_code);
  assert.equal(shortCode(v.tracking_code.full), v.tracking_code.short);
  assert.deepEqual(JSON.parse(codec.ballotJson(ballot)), v.ballot);
});

test('a booth ballot verifies, opens and checks; a changed proof byte fails', () => {
  const v = vector('ballot');
  const questions = v.questions.map((q) => codec.questionFromPlain(q));
  const pk = elementFromHex(v.public_key);
  const key = b.signingKey(hexToBytes(v.credential_secret), v.election);
  const { ballot, secrets } = b.encryptBallot(questions, v.choices, pk, v.election, 'js-1', key);
  assert.equal(b.verifyBallot(ballot, questions, pk, v.election), null);
  const opening = b.openSpoiled(ballot, secrets);
  assert.equal(b.checkOpening(ballot, opening, questions, pk), null);
  const plainOpening = codec.openingToPlain(opening);
  assert.equal(b.checkOpening(ballot, codec.openingFromPlain(JSON.parse(canon(plainOpening))), questions, pk), null);
  const lie = { ...opening, choices: [[0, 1], opening.choices[1]] };
  assert.equal(b.checkOpening(ballot, lie, questions, pk).code, 'mismatch');
  const plain = codec.ballotToPlain(ballot);
  const response = plain.questions[0].selections[0].proof.responses[0];
  plain.questions[0].selections[0].proof.responses[0] = (response[0] === '0' ? '1' : '0') + response.slice(1);
  const altered = codec.ballotFromPlain(plain);
  assert.notEqual(b.verifyBallot(altered, questions, pk, v.election), null);
  assert.throws(() => b.encryptBallot(questions, [[1, 1], [0, 0, 0]], pk, v.election, 'js-2', key), /choose between/);
});

test('canonical JSON is Python json.dumps(sort_keys, compact, ensure_ascii=False)', () => {
  assert.equal(canon({ b: 1, a: ['x', { d: 'é\n"\\\u0001', c: 0 }] }), '{"a":["x",{"c":0,"d":"é\\n\\"\\\\\\u0001"}],"b":1}');
  assert.equal(canon({ '\u{1F600}': 1, '\uFFFF': 2 }), '{"\uFFFF":2,"\u{1F600}":1}');
  assert.throws(() => canon({ a: 1.5 }));
  assert.throws(() => canon({ a: true }));
  assert.throws(() => canon({ a: null }));
  assert.ok(Point);
});
