// The booth page (/e2e/{election}/booth) and the board page's opening checker. Plain DOM, no framework: the
// page's HTML (booth.html.j2) holds every control with its label; this script fills the questions, runs the
// crypto on the device and talks to the JSON API (/api/e2e/{election}/...). Nothing secret leaves the device
// except the opening of a ballot the voter chose to challenge.
import { BoothError, bytesToHex, elementFromHex, randomBytes } from './group.js';
import { shortCode } from './hashing.js';
import * as b from './ballot.js';
import * as codec from './codec.js';
import { canon } from './canon.js';

function $(root, selector) {
  const el = root.querySelector(selector);
  if (!el) throw new Error(`the page lacks ${selector}`);
  return el;
}

function show(section, on = true) { section.hidden = !on; }

function focusHeading(section) {
  const heading = section.querySelector('h2, h3');
  if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus(); }
}

async function postJson(url, body) {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new BoothError(data.code || `http_${response.status}`, data.detail || `the server answered ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return data;
}

/** The election as the device needs it (GET /api/e2e/{election}), parsed strictly. */
export function parseElection(data) {
  const questions = data.manifest.questions.map((q, i) => codec.questionFromPlain(q, `manifest.questions[${i}]`));
  const key = data.joint_key === null ? null : elementFromHex(data.joint_key, 'joint_key');
  return { id: data.election, title: data.manifest.title, fingerprint: data.fingerprint, phase: data.phase, questions, key };
}

function buildQuestions(container, questions) {
  container.replaceChildren();
  questions.forEach((spec, qi) => {
    const fieldset = document.createElement('fieldset');
    fieldset.className = 'question';
    const legend = document.createElement('legend');
    const single = spec.max_selections === 1;
    legend.textContent = `${spec.question_id}: ${single ? 'choose one' : `choose ${spec.min_selections} to ${spec.max_selections}`}`;
    fieldset.append(legend);
    spec.options.forEach((option, oi) => {
      const id = `q${qi}-o${oi}`;
      const input = document.createElement('input');
      input.type = single ? 'radio' : 'checkbox';
      input.name = `q${qi}`;
      input.id = id;
      input.value = String(oi);
      const label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = option;
      const row = document.createElement('div');
      row.className = 'option';
      row.append(input, label);
      fieldset.append(row);
    });
    container.append(fieldset);
  });
}

function readChoices(container, questions) {
  return questions.map((spec, qi) => spec.options.map((_, oi) => (container.querySelector(`#q${qi}-o${oi}`).checked ? 1 : 0)));
}

/** Start the booth in `root` (the element with data-election and data-api). */
export function startBooth(root) {
  const api = root.dataset.api;
  const boardUrl = root.dataset.board;
  const status = $(root, '#booth-status');
  const steps = {
    credential: $(root, '#step-credential'),
    choose: $(root, '#step-choose'),
    review: $(root, '#step-review'),
    challenged: $(root, '#step-challenged'),
    receipt: $(root, '#step-receipt'),
  };
  const state = { election: null, key: null, ballot: null, secrets: null, busy: false };
  const say = (text, error = false) => { status.textContent = text; status.classList.toggle('error', error); };
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

  $(root, '#credential-file').addEventListener('change', async (event) => {
    const file = event.target.files[0];
    if (file) $(root, '#credential-text').value = await file.text();
  });

  $(root, '#credential-form').addEventListener('submit', guard(async () => {
    const election = state.election;
    const secret = codec.parseCredentialFile($(root, '#credential-text').value.trim(), election.id, election.fingerprint);
    state.key = b.signingKey(secret, election.fingerprint);
    $(root, '#credential-text').value = '';
    $(root, '#credential-file').value = '';
    $(root, '#voter-credential').textContent = shortCode(state.key.public.toHex());
    say('Credential loaded. Make your choice.');
    go('choose');
  }));

  $(root, '#choice-form').addEventListener('submit', guard(async () => {
    const election = state.election;
    const choices = readChoices($(root, '#questions'), election.questions);
    say('Encrypting and proving on this device…');
    await new Promise((resolve) => setTimeout(resolve, 0)); // let the status paint
    const ballotId = bytesToHex(randomBytes(16));
    const { ballot, secrets } = b.encryptBallot(election.questions, choices, election.key, election.fingerprint, ballotId, state.key);
    const failure = b.verifyBallot(ballot, election.questions, election.key, election.fingerprint);
    if (failure) throw new BoothError('self_check', `the device made a ballot that does not verify at ${failure.where}`);
    state.ballot = ballot;
    state.secrets = secrets;
    const digest = b.ballotHash(ballot, election.fingerprint);
    $(root, '#ballot-fingerprint').textContent = shortCode(digest);
    $(root, '#ballot-fingerprint-full').textContent = digest;
    say('Your ballot is encrypted. Cast it, or challenge it to check the encryption.');
    go('review');
  }));

  $(root, '#cast').addEventListener('click', guard(async () => {
    const receipt = await postJson(`${api}/ballots`, codec.ballotJson(state.ballot));
    state.ballot = null;
    state.secrets = null; // the nonces of a cast ballot are forgotten, and so is the credential key
    state.key = null;
    $(root, '#tracking-short').textContent = receipt.tracking_code.short;
    $(root, '#tracking-full').textContent = receipt.tracking_code.full;
    $(root, '#receipt-height').textContent = String(receipt.height);
    const link = $(root, '#board-link');
    link.href = `${boardUrl}?tracking=${encodeURIComponent(receipt.tracking_code.full)}`;
    say('Your ballot was cast. Keep your tracking code.');
    go('receipt');
  }));

  $(root, '#challenge').addEventListener('click', guard(async () => {
    const election = state.election;
    const opening = b.openSpoiled(state.ballot, state.secrets);
    const failure = b.checkOpening(state.ballot, opening, election.questions, election.key);
    const body = canon({ ballot: codec.ballotToPlain(state.ballot), opening: codec.openingToPlain(opening) });
    $(root, '#opening-json').value = body;
    $(root, '#opening-check').textContent = failure
      ? `This device's opening does NOT match its ballot (${failure.code} at ${failure.where}). Do not use this device.`
      : 'This device re-encrypted the revealed choices with the revealed nonces: they give exactly the ciphertexts shown.';
    $(root, '#opening-choices').textContent = election.questions
      .map((q, i) => `${q.question_id}: ${q.options.filter((_, o) => opening.choices[i][o] === 1).join(', ') || '(none)'}`)
      .join('; ');
    const answer = await postJson(`${api}/spoiled`, body);
    $(root, '#spoiled-height').textContent = String(answer.height);
    state.ballot = null;
    state.secrets = null;
    say('The challenged ballot was recorded as spoiled; it will never be counted. Vote again.');
    go('challenged');
  }));

  $(root, '#vote-again').addEventListener('click', (event) => {
    event.preventDefault();
    say('Make your choice again: the new ballot is encrypted with fresh randomness.');
    go('choose');
  });

  return (async () => {
    const response = await fetch(api);
    const data = await response.json();
    if (!response.ok) throw new BoothError(data.code || 'http', data.detail || 'cannot load the election');
    const election = parseElection(data);
    state.election = election;
    buildQuestions($(root, '#questions'), election.questions);
    if (election.phase !== 'voting' || election.key === null) {
      say(`This election is not open for voting (phase: ${election.phase}).`, true);
      return;
    }
    root.dataset.ready = 'true';
    say('Load your credential file to begin.');
    go('credential');
  })().catch((e) => say(`Cannot start the booth: ${e.message}`, true));
}

/** The board page: check a published opening (ballot + opening JSON) on this device. */
export function startChecker(root) {
  const api = root.dataset.api;
  const out = $(root, '#check-result');
  $(root, '#check-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const election = parseElection(await (await fetch(api)).json());
      const data = JSON.parse($(root, '#check-text').value);
      const ballot = codec.ballotFromPlain(data.ballot, 'ballot');
      const opening = codec.openingFromPlain(data.opening, 'opening');
      const proofs = b.verifyBallot(ballot, election.questions, election.key, election.fingerprint);
      const failure = proofs || b.checkOpening(ballot, opening, election.questions, election.key);
      const choices = election.questions.map((q, i) => `${q.question_id}: ${q.options.filter((_, o) => opening.choices[i]?.[o] === 1).join(', ') || '(none)'}`);
      out.textContent = failure
        ? `Does NOT check: ${failure.code} at ${failure.where}.`
        : `Checks: the ballot's proofs hold and its ciphertexts encrypt ${choices.join('; ')}.`;
      out.classList.toggle('error', Boolean(failure));
    } catch (e) {
      out.textContent = `Cannot check: ${e.message}`;
      out.classList.add('error');
    }
  });
}
