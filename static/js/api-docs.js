// Swagger UI's own markup, fitted into the API docs page (templates/api/docs.html) as Swagger UI
// draws and redraws it:
// - its headings skip a level (the API's title is an h1, each group of operations an h3): every
//   heading below the title is announced one level up (aria-level), so the outline has no gap
//   (axe heading-order);
// - the API's title and description sit outside the <main> it draws: they become a region named
//   by the title (axe region).
(function () {
  const root = document.getElementById("swagger-ui");
  if (!root || !window.MutationObserver) return;

  function fit() {
    for (const heading of root.querySelectorAll("h3, h4, h5, h6")) {
      if (!heading.hasAttribute("aria-level")) {
        heading.setAttribute("aria-level", String(Number(heading.tagName[1]) - 1));
      }
    }
    const info = root.querySelector(".information-container");
    const title = info && info.querySelector("h1");
    if (title && !info.hasAttribute("role")) {
      title.id = title.id || "api-docs-title";
      info.setAttribute("role", "region");
      info.setAttribute("aria-labelledby", title.id);
    }
  }

  new MutationObserver(fit).observe(root, { childList: true, subtree: true });
  fit();
})();
