// Live updates: reload the page when the server says the national figures changed (server-sent events).
(function () {
  "use strict";
  var el = document.getElementById("live");
  if (!el || !window.EventSource) { return; }
  var source = new EventSource(el.getAttribute("data-stream"));
  source.addEventListener("results", function (e) {
    var data = JSON.parse(e.data);
    if (data.fingerprint !== el.getAttribute("data-fingerprint")) { window.location.reload(); }
  });
}());
