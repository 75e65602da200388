// The network page (templates/explore/network.html): the graph drawn with cytoscape from the
// JSON at data-src, at the positions the server computed (explore/network_layout.py: the
// "preset" layout, instant at thousands of nodes). Selecting a node shows its name and a link
// to its page. Once drawn, the canvas says how many nodes it holds in data-drawn.
(function () {
  "use strict";
  var box = document.querySelector("[data-network-canvas]");
  var card = document.querySelector("[data-network-card]");
  if (!box || typeof cytoscape !== "function" || !window.fetch) return;

  function showCard(node) {
    card.textContent = "";
    var name = document.createElement("strong");
    name.textContent = node.data("name");
    var link = document.createElement("a");
    link.href = node.data("url");
    link.textContent = box.getAttribute("data-open-label") || node.data("url");
    link.setAttribute("data-network-link", "");
    card.appendChild(name);
    card.appendChild(document.createTextNode(" · "));
    card.appendChild(link);
  }

  fetch(box.getAttribute("data-src"), { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(function (graph) {
      var elements = [];
      // nodes: [id, name, slug, x, y, degree], "o12" an organisation, "p7" a project;
      // edges: [source, target, weight]; urls: the profile addresses with {} for the slug.
      graph.nodes.forEach(function (node) {
        var kind = node[0].charAt(0);
        elements.push({
          group: "nodes",
          data: { id: node[0], name: node[1], url: graph.urls[kind].replace("{}", node[2]),
                  kind: kind === "o" ? "organisation" : "project", degree: node[5] },
          position: { x: node[3], y: node[4] }
        });
      });
      graph.edges.forEach(function (edge, i) {
        elements.push({ group: "edges", data: { id: "e" + i, source: edge[0], target: edge[1], weight: edge[2] } });
      });
      box.hidden = false;
      var help = document.querySelector("[data-network-help]");
      if (help) help.hidden = false;
      var cy = cytoscape({
        container: box,
        elements: elements,
        layout: { name: "preset", fit: true, padding: 20 },
        textureOnViewport: true,
        hideEdgesOnViewport: graph.nodes.length > 1500,
        minZoom: 0.02,
        maxZoom: 4,
        wheelSensitivity: 0.2,
        style: [
          { selector: "node", style: { width: "mapData(degree, 0, 20, 10, 30)", height: "mapData(degree, 0, 20, 10, 30)",
            "background-color": "#1f5fa8", "border-width": 0 } },
          { selector: "node[kind = 'project']", style: { shape: "rectangle", "background-color": "#c05a00" } },
          { selector: "node:selected", style: { "border-width": 3, "border-color": "#111", label: "data(name)",
            "font-size": 14, "text-background-color": "#fff", "text-background-opacity": 0.9 } },
          { selector: "edge", style: { width: "mapData(weight, 1, 5, 1, 4)", "line-color": "#9aa7b5", opacity: 0.7 } }
        ]
      });
      cy.on("tap", "node", function (event) { showCard(event.target); });
      box.setAttribute("data-drawn", String(cy.nodes().length));
    })
    .catch(function () {
      box.hidden = true;
    });
})();
