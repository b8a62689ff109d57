// Live preview of a due phrase: asks the server which window "in early May" means and fills the
// date fields, unless the person has typed dates by hand (then their dates are kept).
(function () {
  "use strict";

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"];
  var DELAY_MS = 300;

  function parseIso(text) {
    var parts = (text || "").split("-");
    return { year: +parts[0], month: MONTHS[+parts[1] - 1], day: +parts[2] };
  }

  // "1 May – 10 May 2010", "30 April 2010", "20 December 2010 – 10 January 2011"
  function describeWindow(earliest, latest) {
    if (!latest && !earliest) { return "no date"; }
    if (!earliest || earliest === latest) {
      var only = parseIso(latest || earliest);
      return (earliest ? "" : "by ") + only.day + " " + only.month + " " + only.year;
    }
    var a = parseIso(earliest), b = parseIso(latest || earliest);
    var start = a.day + " " + a.month + (a.year !== b.year ? " " + a.year : "");
    return start + " – " + b.day + " " + b.month + " " + b.year;
  }

  function setup(form) {
    var phrase = form.elements.namedItem("due_phrase");
    var preview = form.querySelector("[data-due-preview]");
    if (!phrase || !preview) { return; }
    var earliest = form.elements.namedItem("due_earliest");
    var latest = form.elements.namedItem("due_latest");
    var precision = form.elements.namedItem("due_precision");
    // Pickers (static/picker.js): the chosen id is in "<name>-id", the text in "<name>".
    var anchorText = form.elements.namedItem("due_anchor_meeting_id");
    var anchor = form.elements.namedItem("due_anchor_meeting_id-id");
    var letter = form.elements.namedItem("source_letter_id-id");
    var meeting = form.elements.namedItem("source_meeting_id-id");
    var handEdited = false;
    var timer = null;
    var latestRequest = 0;

    // Only a person's input fires these events; values set below by script do not.
    [earliest, latest, precision].forEach(function (input) {
      if (!input) { return; }
      input.addEventListener("input", function () { handEdited = true; });
      input.addEventListener("change", function () { handEdited = true; });
    });

    function show(text, state) {
      preview.textContent = text;
      preview.dataset.state = state;
    }

    function fill(result) {
      if (earliest) { earliest.value = result.earliest || ""; }
      if (latest) { latest.value = result.latest || ""; }
      if (precision) { precision.value = result.precision || ""; }
      if (anchor && anchorText) {
        // "#12" names the meeting by id; the server resolves it like any typed id.
        anchor.value = result.anchor_meeting_id ? String(result.anchor_meeting_id) : "";
        anchorText.value = result.anchor_meeting_id ? "#" + result.anchor_meeting_id : "";
      }
    }

    function lookUp() {
      var text = phrase.value.trim();
      if (!text) { show("", "empty"); return; }
      var params = new URLSearchParams({ phrase: text });
      if (form.dataset.writtenOn) { params.set("written_on", form.dataset.writtenOn); }
      if (letter && letter.value) { params.set("source_letter_id", letter.value); }
      if (meeting && meeting.value) { params.set("source_meeting_id", meeting.value); }
      var requestNumber = ++latestRequest;
      show("working out the dates…", "pending");
      fetch(form.dataset.parseUrl + "?" + params.toString(), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (answer) {
        if (requestNumber !== latestRequest) { return; }  // a newer keystroke has its own request
        var result = answer.body;
        if (!answer.ok) { show(result.error || "could not read the phrase", "error"); return; }
        if (!result.found && result.impossible) { show(result.impossible, "error"); return; }
        if (!result.found) { show("no date found in this phrase: it will be recorded as vague", "none"); return; }
        var text = describeWindow(result.earliest, result.latest) + " · " + result.precision;
        if (result.precision === "vague") { text = "no date · vague: someone has to decide when it is due"; }
        if (result.precision === "unresolved") {
          text = "relative to “" + (result.anchor || "a meeting") + "”, which is not recorded yet · unresolved";
        }
        if (handEdited) {
          show(text + " · your dates are kept", "kept");
        } else {
          fill(result);
          show(text, "filled");
        }
      }).catch(function () {
        if (requestNumber === latestRequest) { show("could not reach the server to read the phrase", "error"); }
      });
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, DELAY_MS);
    }

    phrase.addEventListener("input", schedule);
    form.addEventListener("picker:chosen", schedule);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-due-window]"), setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
