/*
 * Organisation picker: search as you type (progressive enhancement).
 *
 * Without JavaScript the "Find" button posts the form and the page lists matches as checkboxes
 * named "add". This script keeps that contract: it fetches matches from the lookup endpoint
 * (JSON [{id, name, city, country}]) and renders the same checkboxes, keeping those already
 * ticked. If anything fails, the "Find" button still works.
 */
(function () {
  "use strict";

  var DELAY = 250;
  var MIN_LENGTH = 2;

  function init(picker) {
    var url = picker.getAttribute("data-lookup-url");
    var form = picker.closest("form");
    var input = picker.querySelector("input[name='q']");
    var results = picker.querySelector("[data-picker-results]");
    var findButton = picker.querySelector("[data-picker-find]");
    if (!url || !form || !input || !results || !window.fetch) {
      return;
    }
    var texts = {
      found: results.getAttribute("data-text-found") || "",
      none: results.getAttribute("data-text-none") || "",
      error: results.getAttribute("data-text-error") || "",
      searching: results.getAttribute("data-text-searching") || ""
    };
    var timer = null;
    var controller = null;
    var lastQuery = null;
    // Organisations ticked so far, by id: they stay in the list whatever is searched next.
    var ticked = {};

    function rememberTicked() {
      var boxes = results.querySelectorAll("input[type='checkbox'][name='add']");
      for (var i = 0; i < boxes.length; i++) {
        var box = boxes[i];
        if (box.checked) {
          var item = box.closest("li");
          ticked[box.value] = {
            id: box.value,
            label: item ? item.querySelector("label").textContent.trim() : box.value,
            meta: item && item.querySelector(".meta") ? item.querySelector(".meta").textContent.trim() : ""
          };
        } else {
          delete ticked[box.value];
        }
      }
    }

    function status(text) {
      var paragraph = document.createElement("p");
      paragraph.className = "picker-status";
      paragraph.textContent = text;
      return paragraph;
    }

    function row(id, label, meta, checked) {
      var item = document.createElement("li");
      item.className = "field-checkbox";
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = "add";
      box.value = String(id);
      box.id = "add-" + id;
      box.checked = checked;
      var labelElement = document.createElement("label");
      labelElement.htmlFor = box.id;
      labelElement.textContent = label;
      item.appendChild(box);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(labelElement);
      if (meta) {
        var metaElement = document.createElement("span");
        metaElement.className = "meta";
        metaElement.textContent = " " + meta;
        item.appendChild(metaElement);
      }
      return item;
    }

    function render(items) {
      rememberTicked();
      var list = document.createElement("ul");
      list.className = "picker-list";
      var shown = {};
      Object.keys(ticked).forEach(function (id) {
        list.appendChild(row(id, ticked[id].label, ticked[id].meta, true));
        shown[id] = true;
      });
      items.forEach(function (organisation) {
        var id = String(organisation.id);
        if (shown[id]) {
          return;
        }
        shown[id] = true;
        var place = [organisation.city, organisation.country].filter(Boolean).join(", ");
        list.appendChild(row(id, organisation.name, place, false));
      });
      results.textContent = "";
      results.appendChild(status(items.length ? texts.found : texts.none));
      if (list.children.length) {
        results.appendChild(list);
      }
    }

    function search(query) {
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      var address = url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
      results.setAttribute("aria-busy", "true");
      fetch(address, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("lookup failed: " + response.status);
          }
          return response.json();
        })
        .then(function (items) {
          if (query !== input.value.trim() || !Array.isArray(items)) {
            return; // a newer search is on its way
          }
          render(items);
        })
        .catch(function (error) {
          if (error && error.name === "AbortError") {
            return;
          }
          rememberTicked();
          results.textContent = "";
          results.appendChild(status(texts.error));
          // Keep what was ticked, so saving still adds it.
          var list = document.createElement("ul");
          list.className = "picker-list";
          Object.keys(ticked).forEach(function (id) {
            list.appendChild(row(id, ticked[id].label, ticked[id].meta, true));
          });
          if (list.children.length) {
            results.appendChild(list);
          }
        })
        .then(function () {
          results.removeAttribute("aria-busy");
        });
    }

    function scheduleSearch() {
      var query = input.value.trim();
      if (timer) {
        window.clearTimeout(timer);
      }
      if (query === lastQuery) {
        return;
      }
      if (query.length < MIN_LENGTH) {
        lastQuery = null;
        return;
      }
      timer = window.setTimeout(function () {
        lastQuery = query;
        search(query);
      }, DELAY);
    }

    input.setAttribute("autocomplete", "off");
    input.setAttribute("aria-controls", results.id);
    input.addEventListener("input", scheduleSearch);
    input.addEventListener("keydown", function (event) {
      // Enter searches at once instead of submitting the whole step.
      if (event.key === "Enter") {
        event.preventDefault();
        var query = input.value.trim();
        if (query.length) {
          if (timer) {
            window.clearTimeout(timer);
          }
          lastQuery = query;
          search(query);
        }
      }
    });
    if (findButton) {
      findButton.addEventListener("click", function (event) {
        var query = input.value.trim();
        if (!query.length) {
          return; // let the server say what is wrong
        }
        event.preventDefault();
        lastQuery = query;
        search(query);
      });
    }
  }

  function start() {
    var pickers = document.querySelectorAll("[data-picker]");
    for (var i = 0; i < pickers.length; i++) {
      init(pickers[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
