// JSON forms of the public types (spec/record.md §2, spec/crypto.md §10) and the voter's credential file
// (spec/record.md §8). Parsing is strict like src/saylau/crypto/codec.py: exactly the keys, 64 lowercase hex
// digits, canonical non-identity elements, scalars < ℓ, integers (never booleans or floats).
import { checkBallotId } from './ballot.js';
import { canon } from './canon.js';
import { BoothError, Scalar, elementFromHex, elementHex, hexToBytes } from './group.js';

function fail(path, message) { return new BoothError('bad_json', `${path || '$'}: ${message}`); }

function object(data, keys, path) {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw fail(path, 'expected an object');
  const got = Object.keys(data).sort();
  const want = [...keys].sort();
  if (got.length !== want.length || got.some((k, i) => k !== want[i])) throw fail(path, `keys must be exactly ${JSON.stringify(want)}`);
  return data;
}

function array(data, path) {
  if (!Array.isArray(data)) throw fail(path, 'expected an array');
  return data;
}

function int(data, path) {
  if (typeof data !== 'number' || !Number.isSafeInteger(data)) throw fail(path, 'expected an integer');
  return data;
}

function str(data, path) {
  if (typeof data !== 'string') throw fail(path, 'expected a string');
  return data;
}

const scalars = (data, path) => array(data, path).map((s, i) => Scalar.fromHex(s, `${path}[${i}]`));
const hexes = (list) => list.map((s) => s.hex());

/** QuestionSpec (record §2), validated as C§7.1. */
export function questionFromPlain(data, path = '$') {
  const q = object(data, ['max_selections', 'min_selections', 'options', 'question_id'], path);
  const options = array(q.options, `${path}.options`).map((o, i) => str(o, `${path}.options[${i}]`));
  const spec = {
    question_id: str(q.question_id, `${path}.question_id`),
    options,
    min_selections: int(q.min_selections, `${path}.min_selections`),
    max_selections: int(q.max_selections, `${path}.max_selections`),
  };
  const ok = options.length >= 1 && new Set(options).size === options.length;
  if (!ok || !(spec.min_selections >= 0 && spec.min_selections <= spec.max_selections && spec.max_selections <= options.length)) {
    throw fail(path, 'bad question spec');
  }
  return spec;
}

function rangeToPlain(p) { return { challenges: hexes(p.challenges), responses: hexes(p.responses) }; }

function rangeFromPlain(data, path) {
  const p = object(data, ['challenges', 'responses'], path);
  return { challenges: scalars(p.challenges, `${path}.challenges`), responses: scalars(p.responses, `${path}.responses`) };
}

/** EncryptedBallot → its plain JSON value (record §2). */
export function ballotToPlain(ballot) {
  return {
    ballot_id: ballot.ballot_id,
    credential: elementHex(ballot.credential),
    questions: ballot.questions.map((q) => ({
      question_id: q.question_id,
      range_proof: rangeToPlain(q.range_proof),
      selections: q.selections.map((s) => ({
        ciphertext: { alpha: elementHex(s.ciphertext.alpha), beta: elementHex(s.ciphertext.beta) },
        proof: rangeToPlain(s.proof),
      })),
    })),
    signature: { challenge: ballot.signature.challenge.hex(), response: ballot.signature.response.hex() },
  };
}

export function ballotFromPlain(data, path = '$') {
  const b = object(data, ['ballot_id', 'credential', 'questions', 'signature'], path);
  const questions = array(b.questions, `${path}.questions`).map((qd, i) => {
    const qp = `${path}.questions[${i}]`;
    const q = object(qd, ['question_id', 'range_proof', 'selections'], qp);
    const selections = array(q.selections, `${qp}.selections`).map((sd, j) => {
      const sp = `${qp}.selections[${j}]`;
      const s = object(sd, ['ciphertext', 'proof'], sp);
      const c = object(s.ciphertext, ['alpha', 'beta'], `${sp}.ciphertext`);
      return {
        ciphertext: { alpha: elementFromHex(c.alpha, `${sp}.ciphertext.alpha`), beta: elementFromHex(c.beta, `${sp}.ciphertext.beta`) },
        proof: rangeFromPlain(s.proof, `${sp}.proof`),
      };
    });
    return { question_id: str(q.question_id, `${qp}.question_id`), selections, range_proof: rangeFromPlain(q.range_proof, `${qp}.range_proof`) };
  });
  const sig = object(b.signature, ['challenge', 'response'], `${path}.signature`);
  return {
    ballot_id: checkBallotId(b.ballot_id, `${path}.ballot_id`),
    credential: elementFromHex(b.credential, `${path}.credential`),
    questions,
    signature: { challenge: Scalar.fromHex(sig.challenge, `${path}.signature.challenge`), response: Scalar.fromHex(sig.response, `${path}.signature.response`) },
  };
}

/** SpoiledOpening (record §2): {ballot_id, choices: [[int]], nonces: [[scalar]]}. */
export function openingToPlain(opening) {
  return { ballot_id: opening.ballot_id, choices: opening.choices.map((c) => c.slice()), nonces: opening.nonces.map(hexes) };
}

export function openingFromPlain(data, path = '$') {
  const o = object(data, ['ballot_id', 'choices', 'nonces'], path);
  return {
    ballot_id: checkBallotId(o.ballot_id, `${path}.ballot_id`),
    choices: array(o.choices, `${path}.choices`).map((c, i) => array(c, `${path}.choices[${i}]`).map((v, j) => int(v, `${path}.choices[${i}][${j}]`))),
    nonces: array(o.nonces, `${path}.nonces`).map((n, i) => scalars(n, `${path}.nonces[${i}]`)),
  };
}

export function ballotJson(ballot) { return canon(ballotToPlain(ballot)); }

const CREDENTIAL_KEYS = ['credential', 'election', 'fingerprint', 'format', 'purpose'];

/**
 * A voter-NNNNN.json file as written by `saylau e2e credentials` (spec/record.md §8): format saylau-secret-v1,
 * purpose voter-credential, this election's id and fingerprint, and the 32-byte credential as 64 hex digits.
 */
export function parseCredentialFile(text, electionId, fingerprint) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BoothError('credential_file', 'this is not a credential file (not JSON)');
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new BoothError('credential_file', 'this is not a credential file');
  const keys = Object.keys(data).sort();
  if (keys.join(',') !== CREDENTIAL_KEYS.join(',')) throw new BoothError('credential_file', `a credential file has exactly the keys ${CREDENTIAL_KEYS.join(', ')}`);
  if (data.format !== 'saylau-secret-v1' || data.purpose !== 'voter-credential') throw new BoothError('credential_file', 'this is not a voter credential file (format or purpose)');
  if (data.fingerprint !== fingerprint || data.election !== electionId) {
    throw new BoothError('credential_file', `this credential belongs to another election (${String(data.election)})`);
  }
  if (typeof data.credential !== 'string' || !/^[0-9a-f]{64}$/.test(data.credential)) throw new BoothError('credential_file', 'the credential is not 32 bytes of lowercase hex');
  return hexToBytes(data.credential);
}
