// Online signature of a petition (spec/petitions.md §3): the browser makes a key pair with WebCrypto
// (ECDSA P-256 with SHA-256), signs the statement's canonical JSON bytes and posts the statement, the raw
// public key and the signature (IEEE P1363 r||s) to /api/petitions/{code}/signatures. A browser key proves
// only that one key signed; a national eID signature would replace it where available.
"use strict";

(function () {
  const form = document.querySelector("form[data-sign]");
  if (!form) return;
  const out = document.querySelector("[data-sign-result]");
  const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");

  // The statement with its keys in sorted order: JSON.stringify then gives the canonical bytes.
  function statement(petition, identifier, name, birthDate, signedOn) {
    return {
      birth_date: birthDate,
      identifier: identifier,
      name: name,
      petition: petition,
      purpose: "saylau/petitions/statement/v1",
      signed_on: signedOn,
    };
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    out.textContent = "…";
    const petition = form.dataset.sign;
    const identifier = form.elements.identifier.value.trim();
    const name = form.elements.name.value.trim();
    const birthDate = form.elements.birth_date.value;
    const signedOn = new Date().toISOString().slice(0, 10); // the server's day is UTC's
    const stmt = statement(petition, identifier, name, birthDate, signedOn);
    try {
      const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
      const bytes = new TextEncoder().encode(JSON.stringify(stmt));
      const sig = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, bytes);
      const pub = await crypto.subtle.exportKey("raw", keys.publicKey);
      const body = {
        statement: { petition, identifier, name, birth_date: birthDate, signed_on: signedOn },
        algorithm: "ecdsa-p256",
        public_key: hex(pub),
        signature: hex(sig),
      };
      const response = await fetch(form.action, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      const answer = await response.json();
      out.dataset.status = String(response.status);
      out.textContent = response.ok ? form.dataset.ok + " " + answer.signature : answer.detail || String(response.status);
    } catch (err) {
      out.dataset.status = "error";
      out.textContent = String(err);
    }
  });
})();
