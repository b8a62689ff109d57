// Pickers: suggest matches from the server as one types, and fill the chosen id. Without this script the text
// box still works: the server resolves what was typed (see tracker/pickers/forms.py).
(function () {
  "use strict";

  var DELAY_MS = 200;

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function setup(picker) {
    var text = picker.querySelector("[data-picker-text]");
    var hiddenId = picker.querySelector("[data-picker-id]");
    var list = picker.querySelector("[data-picker-suggestions]");
    var chosen = picker.querySelector("[data-picker-chosen]");
    var multiple = picker.hasAttribute("data-picker-multiple");
    var url = picker.getAttribute("data-picker-url");
    var timer = null, asked = 0;
    if (!text || !list) { return; }

    function hide() { list.hidden = true; clear(list); }

    function choose(result) {
      if (multiple) {
        var name = chosen.getAttribute("data-picker-name");
        var boxes = chosen.querySelectorAll("input[type=checkbox]");
        for (var i = 0; i < boxes.length; i++) {
          if (boxes[i].value === String(result.id)) { boxes[i].checked = true; text.value = ""; hide(); return; }
        }
        var label = document.createElement("label");
        label.className = "picker-chosen-item";
        var box = document.createElement("input");
        box.type = "checkbox"; box.name = name; box.value = String(result.id); box.checked = true;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + result.label));
        chosen.appendChild(label);
        text.value = "";
      } else {
        text.value = result.label;
        if (hiddenId) { hiddenId.value = String(result.id); }
      }
      picker.dispatchEvent(new CustomEvent("picker:chosen", { bubbles: true, detail: result }));
      hide();
      text.focus();
    }

    function show(results) {
      clear(list);
      if (!results.length) {
        var none = document.createElement("span");
        none.className = "picker-none";
        none.textContent = "no match";
        list.appendChild(none);
      }
      results.forEach(function (result) {
        var option = document.createElement("button");
        option.type = "button";
        option.className = "picker-option";
        option.setAttribute("role", "option");
        option.textContent = result.label;
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { choose(result); });
        list.appendChild(option);
      });
      list.hidden = false;
    }

    function ask() {
      var term = text.value.trim();
      if (multiple) { term = term.split(";").pop().trim(); }
      if (!term) { hide(); return; }
      var number = ++asked;
      fetch(url + "?q=" + encodeURIComponent(term), { credentials: "same-origin",
                                                       headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (number === asked) { show(data.results || []); } })
        .catch(function () { hide(); });
    }

    text.addEventListener("input", function () {
      if (hiddenId) { hiddenId.value = ""; }
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    });
    text.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { hide(); }
      if (event.key === "ArrowDown" && !list.hidden) {
        var first = list.querySelector(".picker-option");
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
    list.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key === "ArrowDown" && target.nextElementSibling) { event.preventDefault(); target.nextElementSibling.focus(); }
      if (event.key === "ArrowUp") {
        event.preventDefault();
        (target.previousElementSibling || text).focus();
      }
      if (event.key === "Escape") { hide(); text.focus(); }
    });
    text.addEventListener("blur", function () { setTimeout(function () {
      if (!picker.contains(document.activeElement)) { hide(); }
    }, 150); });
  }

  // Rows added on the page (the review page's "Add as commitment") set up their pickers through this.
  window.TrackerPickers = { setup: setup };

  function start() {
    var pickers = document.querySelectorAll("[data-picker]");
    for (var i = 0; i < pickers.length; i++) { setup(pickers[i]); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
