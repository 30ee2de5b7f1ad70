// The commission pages' scripts (a file of this origin: the Content-Security-Policy allows no inline script).
// Entry form (#entry): the control relations of the values typed so far, checked by the server (nothing
// stored) and shown in #checks. Upload form (#csvfile): a chosen CSV file is pasted into the text area.
(() => {
  "use strict";
  const form = document.getElementById("entry"), out = document.getElementById("checks");
  if (form && out) {
    const url = form.action.split("?")[0] + "/check", csrf = form.elements.csrf.value;
    let timer = null;
    form.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const body = new URLSearchParams();
        for (const [k, v] of new FormData(form)) { if (typeof v === "string") body.append(k, v); }
        fetch(url, {method: "POST", body, headers: {"X-CSRF-Token": csrf}, credentials: "same-origin"})
          .then(r => r.json()).then(j => {
            out.textContent = "";
            const lines = j.ok ? [form.dataset.ok].concat(j.warnings.map(w => form.dataset.warning + ": " + w)) : j.problems;
            for (const l of lines) { const p = document.createElement("p"); p.textContent = l; out.appendChild(p); }
          });
      }, 300);
    });
  }
  const file = document.getElementById("csvfile"), csv = document.getElementById("csv");
  if (file && csv) {
    file.addEventListener("change", e => {
      const f = e.target.files[0]; if (f) f.text().then(t => { csv.value = t; });
    });
  }
})();
