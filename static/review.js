// The intake review page: select a sentence in the document's text and press "Add as commitment" to append a
// candidate row filled from it — the quote, a short title, and the due phrase read by the due-window grammar
// (/commitments/parse-due, the same reading the save applies). Without this script the page still offers one
// blank row to fill in by hand (see templates/intake/review.html).
(function () {
  "use strict";

  var TITLE_WORDS = 14;
  var ROW_NAME = /candidates-\d+-/g;
  var RENAMED = ["id", "name", "for", "aria-describedby", "data-picker-name"];

  function squash(text) { return (text || "").replace(/\s+/g, " ").trim(); }

  function shortTitle(sentence, phrase) {
    var text = sentence;
    if (phrase) { text = text.split(phrase).join(" "); }
    text = squash(text).replace(/^[\s,.;:\-–]+|[\s,.;:\-–]+$/g, "");
    var words = text.split(" ");
    if (words.length > TITLE_WORDS) { text = words.slice(0, TITLE_WORDS).join(" ").replace(/[,;]$/, "") + "…"; }
    return (text.charAt(0).toUpperCase() + text.slice(1)) || sentence.slice(0, 300);
  }

  function start() {
    var tools = document.querySelector("[data-add-selection-tools]");
    var documentText = document.querySelector("[data-review-text]");
    var rows = document.querySelector("[data-added-rows]");
    if (!tools || !documentText || !rows) { return; }
    var blankRows = rows.querySelectorAll("[data-added-row]");
    if (!blankRows.length) { return; }
    var blank = blankRows[blankRows.length - 1];
    var template = blank.cloneNode(true);
    var form = rows.closest("form");
    var parseUrl = rows.getAttribute("data-parse-url");
    var button = tools.querySelector("[data-add-selection]");
    var message = tools.querySelector("[data-add-selection-message]");
    tools.hidden = false;

    function selectedSentence() {
      var selection = window.getSelection();
      if (!selection || !selection.rangeCount || selection.isCollapsed) { return ""; }
      var range = selection.getRangeAt(0);
      if (!documentText.contains(range.commonAncestorContainer)) { return ""; }
      // The candidate numbers set in the text (<sup>) are not part of what was written.
      var copy = document.createElement("div");
      copy.appendChild(range.cloneContents());
      var marks = copy.querySelectorAll("sup");
      for (var i = 0; i < marks.length; i++) { marks[i].parentNode.removeChild(marks[i]); }
      return squash(copy.textContent);
    }

    function nextIndex() {
      var highest = -1;
      var named = form.querySelectorAll("[name^='candidates-']");
      for (var i = 0; i < named.length; i++) {
        var found = /^candidates-(\d+)-/.exec(named[i].getAttribute("name"));
        if (found) { highest = Math.max(highest, parseInt(found[1], 10)); }
      }
      return highest + 1;
    }

    function renamed(row, index) {
      var nodes = [row].concat(Array.prototype.slice.call(row.querySelectorAll("*")));
      nodes.forEach(function (node) {
        RENAMED.forEach(function (attribute) {
          var value = node.getAttribute(attribute);
          if (value) { node.setAttribute(attribute, value.replace(ROW_NAME, "candidates-" + index + "-")); }
        });
      });
      row.id = "review-added-" + index;
      return row;
    }

    function field(row, name) { return row.querySelector("[name$='-" + name + "']"); }

    function describe(data) {
      if (!data.found) { return "No due phrase found in the selection: type one if the text gives it."; }
      if (data.earliest && data.latest && data.earliest !== data.latest) {
        return "Due “" + data.phrase + "”: " + data.earliest + " – " + data.latest + " (" + data.precision + ")";
      }
      if (data.latest) { return "Due “" + data.phrase + "”: " + data.latest; }
      return "Due “" + data.phrase + "”: no date yet (needs a decision)";
    }

    function readDue(row, sentence) {
      var sentOn = form.querySelector("[name='sent_on']");
      var url = parseUrl + "?phrase=" + encodeURIComponent(sentence);
      if (sentOn && /^\d{4}-\d{2}-\d{2}$/.test(sentOn.value.trim())) { url += "&written_on=" + sentOn.value.trim(); }
      var preview = row.querySelector("[data-due-preview]");
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          if (data.found) {
            field(row, "due_phrase").value = data.phrase;
            var title = field(row, "title");
            if (title.getAttribute("data-from-selection") === title.value) {
              title.value = shortTitle(sentence, data.phrase);
              title.setAttribute("data-from-selection", title.value);
            }
          }
          if (preview) { preview.textContent = describe(data); }
        })
        .catch(function () { /* the phrase can still be typed; the save reads it either way */ });
    }

    function add() {
      var sentence = selectedSentence();
      if (!sentence) {
        message.textContent = "Select a sentence in the text first.";
        return;
      }
      var row = renamed(template.cloneNode(true), nextIndex());
      field(row, "quote").value = sentence;
      var title = field(row, "title");
      title.value = shortTitle(sentence, "");
      title.setAttribute("data-from-selection", title.value);
      row.querySelector("legend").textContent = "Added: " + title.value;
      rows.insertBefore(row, blank);
      if (window.TrackerPickers) {
        var pickers = row.querySelectorAll("[data-picker]");
        for (var i = 0; i < pickers.length; i++) { window.TrackerPickers.setup(pickers[i]); }
      }
      message.textContent = "Added below the candidates: check it, then save.";
      readDue(row, sentence);
      row.scrollIntoView({ block: "nearest" });
      title.focus();
    }

    // Pressing the button must not take the selection away from the text.
    button.addEventListener("mousedown", function (event) { event.preventDefault(); });
    button.addEventListener("click", add);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
