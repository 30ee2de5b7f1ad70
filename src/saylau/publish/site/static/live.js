// Live updates in place (server-sent events). When the server says the national figures changed, the
// page fetches its unit's JSON (/api/events/<event>/units/<unit>) and rewrites the figures marked
// data-live (text), data-live-bar (bar widths), data-live-status, data-live-verdict and data-live-lines
// (the outcome, from the event itself), keeping focus and scroll, and says so politely (aria-live).
// The page reloads only when its structure changed: a contest or a subdivision it does not show yet,
// or someone elected. The maps of the national page are swapped from the page re-rendered by the server.
// Figures are written exactly as the server writes them: integers with "," thousands, shares from
// their 4-place decimal as a percentage with 2 places (no floating point).
(function () {
  "use strict";
  var el = document.getElementById("live");
  if (!el || !window.EventSource || !el.getAttribute("data-stream")) { return; }
  var labels = JSON.parse(el.getAttribute("data-labels") || "{}");
  var busy = false;
  var again = null;

  function list(name) {
    var raw = el.getAttribute(name) || "";
    return raw ? raw.split(",") : [];
  }

  function count(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function pct(s) { // {"decimal": "0.7718", ...} -> "77.18"; null -> ""
    if (!s || typeof s.decimal !== "string") { return ""; }
    var parts = s.decimal.split(".");
    var frac = ((parts[1] || "") + "0000").slice(0, 4);
    return String(parseInt(parts[0], 10) * 100 + parseInt(frac.slice(0, 2), 10)) + "." + frac.slice(2);
  }

  function share(part, whole) { // as the server's share(): exact, rounded half-even to 2 places of %
    if (!whole) { return ""; }
    var scaled = part * 10000; // hundredths of a percent, times whole
    var q = Math.floor(scaled / whole);
    var r = scaled - q * whole;
    if (2 * r > whole || (2 * r === whole && q % 2 === 1)) { q += 1; }
    return String(Math.floor(q / 100)) + "." + String(100 + (q % 100)).slice(1);
  }

  function contestFigures(out, prefix, c) { // one contest's figures at one unit, keyed as the page
    var counts = c.counts || {};
    var shares = c.shares || {};
    ["registered", "participated", "yes", "no", "not_counted", "invalid"].forEach(function (f) {
      if (f in counts) { out[prefix + f] = count(counts[f]); }
    });
    ["turnout", "yes", "no", "not_counted", "invalid"].forEach(function (f) {
      if (f in shares) { out[prefix + (f === "turnout" ? f : f + "_pct")] = pct(shares[f]); }
    });
    var options = c.option_shares || {};
    Object.keys(options).forEach(function (o) {
      out[prefix.slice(0, -1) + ":" + o + ".votes"] = count(counts[o] || 0);
      out[prefix.slice(0, -1) + ":" + o + ".pct"] = pct(options[o]);
    });
  }

  function figures(doc) {
    var out = {};
    var u = doc.unit;
    out.reported = count(u.reported);
    out.expected = count(u.expected);
    var r = share(u.reported, u.expected);
    out.reporting_pct = r ? " (" + r + "%)" : "";
    Object.keys(u.questions || {}).forEach(function (q) { contestFigures(out, q + ".", u.questions[q]); });
    (doc.children || []).forEach(function (child) {
      out[child.code + ".reported"] = count(child.reported);
      out[child.code + ".expected"] = count(child.expected);
      out[child.code + ".reporting_pct"] = share(child.reported, child.expected);
      Object.keys(child.questions || {}).forEach(function (q) {
        contestFigures(out, q + "@" + child.code + ".", child.questions[q]);
      });
    });
    return out;
  }

  function changedStructure(doc, payload) {
    if (payload.decided !== el.getAttribute("data-decided")) { return true; }
    var contests = list("data-contests");
    var children = list("data-children");
    var extraContest = Object.keys(doc.unit.questions || {}).some(function (q) { return contests.indexOf(q) < 0; });
    var extraChild = (doc.children || []).some(function (c) { return children.indexOf(c.code) < 0; });
    return extraContest || extraChild;
  }

  function write(values) {
    document.querySelectorAll("[data-live]").forEach(function (node) {
      var key = node.getAttribute("data-live");
      if (key in values && node.textContent !== values[key]) { node.textContent = values[key]; }
    });
    document.querySelectorAll("[data-live-bar]").forEach(function (node) {
      var key = node.getAttribute("data-live-bar");
      if (key in values) { node.style.width = (values[key] || "0") + "%"; }
    });
  }

  function writeOutcomes(payload) {
    var status = document.querySelector("[data-live-status]");
    if (status && labels[payload.status]) {
      status.textContent = labels[payload.status];
      status.className = "status status-" + payload.status;
    }
    document.querySelectorAll("[data-live-verdict]").forEach(function (node) {
      var verdict = (payload.verdicts || {})[node.getAttribute("data-live-verdict")];
      if (!verdict) { return; }
      node.className = "outcome outcome-" + verdict;
      var strong = node.querySelector(".verdict strong");
      if (strong) { strong.textContent = labels.outcome + ": " + labels[verdict]; }
    });
    document.querySelectorAll("[data-live-lines]").forEach(function (ul) {
      var lines = (payload.explanations || {})[ul.getAttribute("data-live-lines")];
      if (!lines) { return; }
      var items = ul.querySelectorAll("li");
      if (items.length === lines.length) {
        lines.forEach(function (line, i) { if (items[i].textContent !== line) { items[i].textContent = line; } });
        return;
      }
      while (ul.firstChild) { ul.removeChild(ul.firstChild); }
      lines.forEach(function (line) { var li = document.createElement("li"); li.textContent = line; ul.appendChild(li); });
    });
  }

  function swapMaps() { // the colours depend on every unit: the server draws them
    if (!document.querySelector("figure.map")) { return Promise.resolve(); }
    return fetch(window.location.href, { headers: { accept: "text/html" } }).then(function (response) {
      if (!response.ok) { throw new Error("page " + response.status); }
      return response.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html");
      document.querySelectorAll("figure.map").forEach(function (old) {
        var next = fresh.getElementById(old.id);
        if (!next || old.contains(document.activeElement)) { return; }
        var open = old.querySelector("details") && old.querySelector("details").open;
        if (open && next.querySelector("details")) { next.querySelector("details").open = true; }
        old.replaceWith(document.importNode(next, true));
      });
    });
  }

  function readable(iso) { // "2026-12-03 16:50 UTC", as the page says it (publish/times.py)
    var at = new Date(iso);
    return isNaN(at.getTime()) ? iso : at.toISOString().slice(0, 16).replace("T", " ") + " UTC";
  }

  function announce(payload) {
    var note = document.getElementById("live-note");
    if (note) { note.textContent = (labels.live_updated || "") + " · " + readable(payload.generated_at); }
  }

  function update(payload) {
    if (busy) { again = payload; return; }
    busy = true;
    fetch(el.getAttribute("data-unit-api"), { headers: { accept: "application/json" } }).then(function (response) {
      if (!response.ok) { throw new Error("unit " + response.status); }
      return response.json();
    }).then(function (doc) {
      if (!doc.unit && !list("data-contests").length) { // no figures here yet, none shown: nothing to do
        el.setAttribute("data-fingerprint", payload.fingerprint);
        return null;
      }
      if (!doc.unit || changedStructure(doc, payload)) { window.location.reload(); return null; }
      write(figures(doc));
      writeOutcomes(payload);
      el.setAttribute("data-fingerprint", payload.fingerprint);
      return swapMaps().then(function () { announce(payload); });
    }).catch(function () {
      // not reachable now (or under embargo): the page stays as it is; the next event tries again
    }).then(function () {
      busy = false;
      if (again) { var next = again; again = null; update(next); }
    });
  }

  var source = new EventSource(el.getAttribute("data-stream"));
  source.addEventListener("results", function (e) {
    var payload = JSON.parse(e.data);
    if (payload.fingerprint !== el.getAttribute("data-fingerprint")) { update(payload); }
  });
}());
