// Keeps a served dashboard page current: asks /api/version every few seconds and, when the
// store has a newer snapshot, fetches the same page and swaps in its figures. No reload, so the
// scroll position, keyboard focus and open tables stay. The reader can pause it (WCAG 2.2.1):
// the choice is kept for the browser tab.
(function () {
  "use strict";
  var body = document.body;
  var box = document.getElementById("live");
  if (!box || !window.fetch) { return; }
  var button = document.getElementById("live-toggle");
  var state = document.getElementById("live-state");
  var announce = document.getElementById("live-announce");
  var every = parseInt(body.getAttribute("data-poll-ms") || "5000", 10);
  var paused = sessionStorage.getItem("kv-live-paused") === "1";
  var busy = false;

  function show() {
    button.setAttribute("aria-pressed", paused ? "true" : "false");
    button.textContent = paused ? box.getAttribute("data-resume") : box.getAttribute("data-pause");
    state.textContent = paused ? box.getAttribute("data-off") : box.getAttribute("data-on");
  }

  function openDetails() {
    return Array.prototype.map.call(document.querySelectorAll("#content details"),
                                    function (d) { return d.open; });
  }

  function swap(html) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var content = next.getElementById("content");
    if (!content) { return; }
    var open = openDetails();
    document.getElementById("content").replaceWith(content);
    Array.prototype.forEach.call(document.querySelectorAll("#content details"),
                                 function (d, i) { if (open[i]) { d.open = true; } });
    body.setAttribute("data-version", next.body.getAttribute("data-version") || "");
    var asOf = next.getElementById("as-of");
    if (asOf) { document.getElementById("as-of").replaceWith(asOf); }
    var now = new Date();
    announce.textContent = box.getAttribute("data-updated") + " " +
      String(now.getHours()).padStart(2, "0") + "." + String(now.getMinutes()).padStart(2, "0");
  }

  function poll() {
    if (paused || busy || document.hidden) { return; }
    busy = true;
    fetch("/api/version", { cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (v) {
        if (v && v.version && v.version !== body.getAttribute("data-version")) {
          return fetch(location.href, { cache: "no-store" })
            .then(function (r) { return r.ok ? r.text() : null; })
            .then(function (html) { if (html) { swap(html); } });
        }
      })
      .catch(function () { /* the server may be restarting; ask again next time */ })
      .then(function () { busy = false; });
  }

  button.addEventListener("click", function () {
    paused = !paused;
    sessionStorage.setItem("kv-live-paused", paused ? "1" : "0");
    show();
    if (!paused) { poll(); }
  });
  box.hidden = false;
  show();
  setInterval(poll, every);
})();
