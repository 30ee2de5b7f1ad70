// The ballot id format (spec/crypto.md §7.9), as the Python producer and the verifier check it.
// Run: cd booth && npm test
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as b from '../src/ballot.js';
import * as codec from '../src/codec.js';
import { bytesToHex, randomBytes } from '../src/group.js';

const MALFORMED = ['', 'a'.repeat(65), 'a\u0000b', '\ud800', 'bülletin', 'A1', 'a b', 'a_1', 'a\n', 1, null];
const WELL_FORMED = ['a', '0', '-', 'ballot-1', 'a'.repeat(64), '0123456789abcdef0123456789abcdef'];

test('well-formed ids pass, the booth draws one', () => {
  for (const id of WELL_FORMED) assert.equal(b.checkBallotId(id), id);
  assert.equal(b.checkBallotId(bytesToHex(randomBytes(16))).length, 32);
});

test('malformed ids are refused when built and when parsed', () => {
  for (const id of MALFORMED) {
    assert.throws(() => b.checkBallotId(id), (e) => e.code === 'bad_ballot_id', JSON.stringify(id));
    assert.throws(() => b.encryptBallot([], [], null, 'e', id, null), (e) => e.code === 'bad_ballot_id');
    const opening = { ballot_id: id, choices: [], nonces: [] };
    assert.throws(() => codec.openingFromPlain(opening), (e) => e.code === 'bad_ballot_id');
  }
});
