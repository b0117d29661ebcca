/* Live reload for `builder serve`: waits for the next build, then reloads this page.
   Pages shown inside the simulated LMS page are relaunched by that page instead. */
(function () {
  "use strict";
  var script = document.currentScript;
  var generation = parseInt(script && script.getAttribute("data-generation"), 10) || 0;
  try {
    if (window.top !== window && window.top.BuilderLMSPage) { return; }
  } catch (e) { /* another origin above us: act alone */ }
  function poll() {
    fetch("/__reload__?since=" + generation, {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (d.generation > generation) { window.location.reload(); } else { poll(); }
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
