// Parts of a form that matter only with one choice of another field: <div data-shown-when="status=superseded">
// is hidden while the form's `status` has another value. Without this script the part is simply always there
// (its hint says when it counts, and the server ignores it otherwise).
(function () {
  "use strict";

  function setup(part) {
    var rule = part.getAttribute("data-shown-when").split("=");
    var form = part.closest("form");
    var control = form && form.elements.namedItem(rule[0]);
    if (!control || rule.length !== 2) { return; }
    function update() { part.hidden = control.value !== rule[1]; }
    control.addEventListener("change", update);
    update();
  }

  function start() {
    var parts = document.querySelectorAll("[data-shown-when]");
    for (var i = 0; i < parts.length; i++) { setup(parts[i]); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
