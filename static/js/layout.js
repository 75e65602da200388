// The layout on small screens (the mobile block of static/css/site.css). Without JavaScript
// the header's menu is simply shown and the lists' filter panels are <details> one opens.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48rem)");

  // The header's menu button (templates/partials/header.html): shown, it folds the menu away on
  // small screens; it opens and closes it, and Escape closes it and gives the button focus back.
  var header = document.querySelector("[data-site-header]");
  var button = header && header.querySelector("[data-menu-toggle]");
  if (button) {
    var setOpen = function (open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-open", open);
    };
    header.classList.add("menu-enhanced");
    button.hidden = false;
    setOpen(false);
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  // A list's filters (data-filter-panel): open on wide screens, closed on small ones, where the
  // results come first and the panel's summary opens it.
  var panels = document.querySelectorAll("details[data-filter-panel]");
  var fit = function () {
    for (var i = 0; i < panels.length; i++) {
      panels[i].open = wide.matches;
    }
  };
  fit();
  if (wide.addEventListener) {
    wide.addEventListener("change", fit);
  }
})();
