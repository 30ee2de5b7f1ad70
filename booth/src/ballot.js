// The voter's side of spec/crypto.md: credential key (§6.1), exponential ElGamal (§3.1), the disjunctive
// Chaum–Pedersen range proof (§4.3), ballots in the compact (§7.2 b) and general (§7.2 a) forms, the Schnorr
// signature (§6.2, §7.3), the ballot hash (§7.6), ciphertext fingerprints (§7.5), the Benaloh opening and its
// check (§7.7), tracking codes (§9.1) and ballot verification (§7.4). It mirrors src/saylau/crypto/ballot.py,
// proofs.py and credentials.py step for step; nonces live only in the secrets object, never on the ballot.
import { BoothError, G, IDENTITY, Scalar, ZERO, baseMul, mul, randomScalar, sameElement } from './group.js';
import { hashHex, hashToScalar, shortCode } from './hashing.js';

const SELECTION = 'selection-0-1';
const COMPACT = 'compact-0-1';
const QUESTION = 'question-range';
const SIGNATURE = 'schnorr-signature';
const BALLOT_SIGNATURE = 'ballot';

/** C§7.1: exactly one of two options (min = max = 1) is sent in the compact form. */
const BALLOT_ID = /^[0-9a-z-]{1,64}$/;

/** C§7.9: a ballot id is 1 to 64 characters of a-z, 0-9 and '-' (the booth draws 32 hex digits). */
export function checkBallotId(ballotId, path = 'ballot_id') {
  if (typeof ballotId !== 'string' || !BALLOT_ID.test(ballotId)) {
    throw new BoothError('bad_ballot_id', `${path}: a ballot id is 1 to 64 characters of a-z, 0-9 and '-' (C§7.9)`);
  }
  return ballotId;
}

export function isCompact(spec) {
  return spec.options.length === 2 && spec.min_selections === 1 && spec.max_selections === 1;
}

/** A proof context (C§2.4): the election fingerprint and a binding list. */
function challenge(purpose, election, binding, ...parts) {
  return hashToScalar(purpose, election, binding, ...parts);
}

/** C§6.1: x = H_ℓ("credential-key", E, credential), X = x·G. */
export function signingKey(credential, election) {
  if (!(credential instanceof Uint8Array) || credential.length !== 32) throw new BoothError('bad_credential', 'a credential is 32 bytes');
  const secret = hashToScalar('credential-key', election, credential);
  return { secret, public: baseMul(secret) };
}

/** C§3.1: Enc_K(m; r) = (r·G, m·G + r·K). */
export function encryptWithNonce(m, r, key) {
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

/** C§4.3: prove that ct = Enc_K(m; r) with low ≤ m ≤ high (CDS OR-composition, strong Fiat–Shamir). */
export function proveRange(ct, m, r, key, low, high, election, binding, purpose) {
  if (!(low >= 0 && low <= m && m <= high)) throw new BoothError('plaintext_range', 'plaintext outside the range to prove');
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

/** C§4.3 verification: recompute every (a_v, b_v) and check Σ c_v = c. */
export function verifyRange(ct, key, low, high, proof, election, binding, purpose) {
  const count = high - low + 1;
  if (low < 0 || count < 1 || proof.challenges.length !== count || proof.responses.length !== count) return 'bad_shape';
  if (key.is0()) return 'identity';
  const shifted = shiftedBetas(ct.beta, low, count);
  const commitments = [];
  for (let v = 0; v < count; v++) {
    const c = proof.challenges[v];
    const u = proof.responses[v];
    commitments.push(baseMul(u).subtract(mul(ct.alpha, c)), mul(key, u).subtract(mul(shifted[v], c)));
  }
  const total = rangeChallenge(purpose, election, binding, key, ct, low, high, commitments);
  const sum = proof.challenges.reduce((acc, c) => acc.add(c), ZERO);
  return sum.equals(total) ? null : 'bad_challenge';
}

/** C§6.2: k random, R = k·G, c = H_ℓ("schnorr-signature", E, (), p, G, X, μ, R), s = k + c·x. */
export function sign(key, purpose, message, election) {
  const k = randomScalar();
  const c = challenge(SIGNATURE, election, [], purpose, G, key.public, message, baseMul(k));
  return { challenge: c, response: k.add(c.mul(key.secret)) };
}

export function verifySignature(pub, purpose, message, signature, election) {
  if (pub.is0()) return 'identity';
  const r = baseMul(signature.response).subtract(mul(pub, signature.challenge));
  const c = challenge(SIGNATURE, election, [], purpose, G, pub, message, r);
  return c.equals(signature.challenge) ? null : 'bad_signature';
}

/** C§7.3: the signed content (ballot_id, X, [(question_id, [(α, β, cs, us)…], range cs, range us)…]). */
export function ballotContent(ballot) {
  const questions = ballot.questions.map((q) => [
    q.question_id,
    q.selections.map((s) => [s.ciphertext.alpha, s.ciphertext.beta, s.proof.challenges, s.proof.responses]),
    q.range_proof.challenges,
    q.range_proof.responses,
  ]);
  return [ballot.ballot_id, ballot.credential, questions];
}

function ballotBinding(ballotId, credential) { return ['ballot', ballotId, credential]; }

function checkChoices(questions, choices) {
  if (!Array.isArray(choices) || choices.length !== questions.length) throw new BoothError('bad_choice', 'one choice list per question');
  questions.forEach((spec, i) => {
    const chosen = choices[i];
    if (!Array.isArray(chosen) || chosen.length !== spec.options.length || chosen.some((c) => c !== 0 && c !== 1)) {
      throw new BoothError('bad_choice', `question ${spec.question_id}: one 0/1 per option`);
    }
    const n = chosen.reduce((a, b) => a + b, 0);
    if (n < spec.min_selections || n > spec.max_selections) {
      throw new BoothError('bad_choice', `question ${spec.question_id}: choose between ${spec.min_selections} and ${spec.max_selections}`);
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

/**
 * Encrypt one 0/1 per option per question, prove, and sign with the voter's key (C§7.2, §7.3).
 * Returns { ballot, secrets }; secrets = { ballot_id, choices, nonces } stays on the device unless challenged.
 */
export function encryptBallot(questions, choices, publicKey, election, ballotId, key) {
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
  if (question.question_id !== spec.question_id || question.selections.length !== (compact ? 1 : spec.options.length)) return ['bad_shape', ''];
  if (compact && (question.range_proof.challenges.length || question.range_proof.responses.length)) return ['bad_shape', 'range'];
  const purpose = compact ? COMPACT : SELECTION;
  for (let p = 0; p < question.selections.length; p++) {
    const s = question.selections[p];
    if (s.ciphertext.alpha.is0() || s.ciphertext.beta.is0()) return ['identity', `option[${p}]`];
    const failure = verifyRange(s.ciphertext, key, 0, 1, s.proof, election, [...binding, p], purpose);
    if (failure) return [failure, `option[${p}]`];
  }
  if (compact) return null;
  const total = sumCiphertexts(question.selections.map((s) => s.ciphertext));
  const failure = verifyRange(total, key, spec.min_selections, spec.max_selections, question.range_proof, election, binding, QUESTION);
  return failure ? [failure, 'range'] : null;
}

/** C§7.4 in order; returns null when valid, otherwise { code, where }. */
export function verifyBallot(ballot, questions, publicKey, election) {
  if (ballot.questions.length !== questions.length) return { code: 'bad_shape', where: 'questions' };
  if (ballot.credential.is0()) return { code: 'identity', where: 'credential' };
  const sig = verifySignature(ballot.credential, BALLOT_SIGNATURE, ballotContent(ballot), ballot.signature, election);
  if (sig) return { code: sig, where: 'signature' };
  const binding = ballotBinding(ballot.ballot_id, ballot.credential);
  for (let i = 0; i < questions.length; i++) {
    const failure = verifyQuestion(questions[i], ballot.questions[i], publicKey, election, [...binding, i, questions[i].question_id]);
    if (failure) return { code: failure[0], where: `question[${i}]${failure[1] ? '.' + failure[1] : ''}` };
  }
  return null;
}

/** C§7.6: H_hex("ballot", E, content, signature c, signature s). */
export function ballotHash(ballot, election) {
  return hashHex('ballot', election, ballotContent(ballot), ballot.signature.challenge, ballot.signature.response);
}

/** C§7.5: H_hex("ciphertext", α, β) per sent ciphertext. */
export function ciphertextFingerprints(ballot) {
  return ballot.questions.flatMap((q) => q.selections.map((s) => hashHex('ciphertext', s.ciphertext.alpha, s.ciphertext.beta)));
}

/** C§7.7: a challenged ballot's opening (choices per option, nonces per sent ciphertext). */
export function openSpoiled(ballot, secrets) {
  if (secrets.ballot_id !== ballot.ballot_id) throw new BoothError('bad_opening', 'secrets of another ballot');
  return { ballot_id: ballot.ballot_id, choices: secrets.choices.map((c) => c.slice()), nonces: secrets.nonces.map((n) => n.slice()) };
}

/** C§7.7: re-encrypt every sent ciphertext from its (choice, nonce); null if it matches, else { code, where }. */
export function checkOpening(ballot, opening, questions, publicKey) {
  if (opening.ballot_id !== ballot.ballot_id || opening.choices.length !== ballot.questions.length) return { code: 'mismatch', where: 'ballot_id' };
  if (opening.nonces.length !== ballot.questions.length || questions.length !== ballot.questions.length) return { code: 'bad_shape', where: 'questions' };
  for (let i = 0; i < questions.length; i++) {
    const spec = questions[i];
    const question = ballot.questions[i];
    const chosen = opening.choices[i];
    const nonces = opening.nonces[i];
    const sent = isCompact(spec) ? 1 : spec.options.length;
    if (chosen.length !== spec.options.length || nonces.length !== sent || question.selections.length !== sent) return { code: 'bad_shape', where: `question[${i}]` };
    const n = chosen.reduce((a, b) => a + b, 0);
    if (chosen.some((c) => c !== 0 && c !== 1) || n < spec.min_selections || n > spec.max_selections) return { code: 'out_of_range', where: `question[${i}]` };
    for (let p = 0; p < sent; p++) {
      const ct = encryptWithNonce(chosen[p], nonces[p], publicKey);
      const got = question.selections[p].ciphertext;
      if (!sameElement(ct.alpha, got.alpha) || !sameElement(ct.beta, got.beta)) return { code: 'mismatch', where: `question[${i}].option[${p}]` };
    }
  }
  return null;
}

/** C§9.1: code₀ = H_hex("tracking-genesis", E); code_i = H_hex("tracking", E, bytes(code_{i−1}), bytes(h_i)). */
export function genesisCode(election) {
  const full = hashHex('tracking-genesis', election);
  return { full, short: shortCode(full) };
}

export function nextTrackingCode(election, previousFull, ballotHashHex) {
  const full = hashHex('tracking', election, hexBytes(previousFull), hexBytes(ballotHashHex));
  return { full, short: shortCode(full) };
}

function hexBytes(text) {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}
