// An organisation's partners as a small graph (directory/partials/neighbourhood.html): the
// organisation in the middle, its partners around it. The list beside it says the same; this
// only adds the picture, and a click on a partner opens its page.
(function () {
  "use strict";
  var box = document.querySelector("[data-profile-network]");
  var source = document.getElementById("neighbourhood-data");
  if (!box || !source || typeof cytoscape !== "function") return;
  var data = JSON.parse(source.textContent);
  var elements = data.nodes.map(function (node) {
    return { data: { id: node.id, name: node.name, url: node.url || "", centre: node.centre ? 1 : 0 } };
  }).concat(data.edges.map(function (edge, i) {
    return { data: { id: "e" + i, source: edge.source, target: edge.target, weight: edge.weight } };
  }));
  box.hidden = false;
  var cy = cytoscape({
    container: box,
    elements: elements,
    layout: { name: "concentric", concentric: function (node) { return node.data("centre") ? 2 : 1; },
              levelWidth: function () { return 1; }, minNodeSpacing: 18, animate: false },
    style: [
      { selector: "node", style: { "background-color": "#1f5fa8", label: "data(name)", "font-size": 9,
        "text-wrap": "ellipsis", "text-max-width": 90, width: 14, height: 14, color: "#222" } },
      { selector: "node[centre = 1]", style: { "background-color": "#c05a00", width: 22, height: 22,
        "font-weight": "bold" } },
      { selector: "edge", style: { width: "mapData(weight, 1, 5, 1, 4)", "line-color": "#9aa7b5" } }
    ],
    wheelSensitivity: 0.2
  });
  cy.on("tap", "node", function (event) {
    var url = event.target.data("url");
    if (url) window.location.assign(url);
  });
  box.setAttribute("data-drawn", String(cy.nodes().length));
})();
