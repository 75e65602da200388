/*
 * The explore map (progressive enhancement of /explore/map/).
 *
 * Without JavaScript the page shows an SVG of Europe by country and tables of countries and
 * cities, each linking to the filtered lists. This script shows the interactive map above the
 * tables: country boundaries from the world-atlas TopoJSON (1:110m; 1:50m fetched only once the
 * map is zoomed in; optional raster tiles when the page names a tile server), and for each view
 * the clusters or points the server counts (clusters.json: bbox, zoom, kinds and the lists' own
 * filters, taken from the page's address). A cluster zooms in on click; a point opens a card
 * with a link to the profile. The address keeps the view (lat, lng, z) and the kinds shown, so a
 * view can be shared.
 */
(function () {
  "use strict";

  var DELAY = 150;
  var VIEW_PARAMS = ["lat", "lng", "z", "kinds"];
  var MARKER = 44; // a cluster marker's width, in pixels

  function init(element) {
    if (!window.L || !window.fetch || !window.URLSearchParams) {
      return;
    }
    var data = element.dataset;
    var status = document.querySelector("[data-map-status]");
    var form = document.querySelector("[data-map-form]");
    var choropleth = document.querySelector("[data-choropleth]");
    element.hidden = false;
    if (choropleth) {
      choropleth.hidden = true;
    }
    var map = L.map(element, { worldCopyJump: false, minZoom: 2, maxZoom: 18 });
    map.setView([parseFloat(data.lat), parseFloat(data.lng)], parseInt(data.zoom, 10));
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { attribution: data.tileAttribution || "" }).addTo(map);
    }
    outlines(map, data, Boolean(data.tileUrl));
    var layer = L.layerGroup().addTo(map);
    var timer = null;
    var pending = null;
    var compact = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      notation: "compact",
      maximumFractionDigits: 1
    });

    function params() {
      return new URLSearchParams(window.location.search);
    }

    function kinds() {
      var boxes = document.querySelectorAll("[data-map-kind]");
      var chosen = [];
      boxes.forEach(function (box) {
        if (box.checked) {
          chosen.push(box.value);
        }
      });
      return chosen;
    }

    function keepState() {
      var query = params();
      var centre = map.getCenter();
      query.set("lat", centre.lat.toFixed(4));
      query.set("lng", centre.lng.toFixed(4));
      query.set("z", String(map.getZoom()));
      query.delete("kinds");
      kinds().forEach(function (kind) {
        query.append("kinds", kind);
      });
      window.history.replaceState(null, "", window.location.pathname + "?" + query.toString());
      if (form) {
        form.querySelector("[data-map-lat]").value = centre.lat.toFixed(4);
        form.querySelector("[data-map-lng]").value = centre.lng.toFixed(4);
        form.querySelector("[data-map-z]").value = String(map.getZoom());
      }
    }

    function load() {
      keepState();
      var chosen = kinds();
      layer.clearLayers();
      if (!chosen.length) {
        return;
      }
      var query = params();
      VIEW_PARAMS.forEach(function (name) {
        query.delete(name);
      });
      var bounds = map.getBounds();
      var clamp = function (value, low, high) {
        return Math.max(low, Math.min(high, value));
      };
      query.set(
        "bbox",
        [
          clamp(bounds.getWest(), -180, 180).toFixed(5),
          clamp(bounds.getSouth(), -90, 90).toFixed(5),
          clamp(bounds.getEast(), -180, 180).toFixed(5),
          clamp(bounds.getNorth(), -90, 90).toFixed(5)
        ].join(",")
      );
      query.set("zoom", String(map.getZoom()));
      chosen.forEach(function (kind) {
        query.append("kinds", kind);
      });
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      element.setAttribute("aria-busy", "true");
      fetch(data.clustersUrl + "?" + query.toString(), { signal: pending.signal })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (answer) {
          element.removeAttribute("aria-busy");
          draw(answer);
        })
        .catch(function (error) {
          if (error.name === "AbortError") {
            return;
          }
          element.removeAttribute("aria-busy");
          if (status) {
            status.textContent = data.textError;
          }
        });
    }

    // Clusters drawn closer than a marker's width are shown as one, their counts added and
    // their bounds joined: two cells' mean positions can lie a few pixels apart, either side of
    // the boundary between them, and one marker would hide the other.
    function merged(clusters) {
      var buckets = {};
      var placed = [];
      clusters
        .slice()
        .sort(function (a, b) { return b.count - a.count; })
        .forEach(function (cluster) {
          var point = map.latLngToLayerPoint([cluster.lat, cluster.lng]);
          var bx = Math.floor(point.x / MARKER), by = Math.floor(point.y / MARKER);
          var near = null;
          for (var dx = -1; dx <= 1 && !near; dx++) {
            for (var dy = -1; dy <= 1 && !near; dy++) {
              (buckets[(bx + dx) + ":" + (by + dy)] || []).some(function (each) {
                if (each.point.distanceTo(point) < MARKER) {
                  near = each;
                }
                return near;
              });
            }
          }
          if (!near) {
            var kept = { point: point, cluster: Object.assign({}, cluster) };
            (buckets[bx + ":" + by] = buckets[bx + ":" + by] || []).push(kept);
            placed.push(kept);
            return;
          }
          var into = near.cluster, b = into.bounds, c = cluster.bounds;
          into.count += cluster.count;
          into.bounds = [
            Math.min(b[0], c[0]), Math.min(b[1], c[1]), Math.max(b[2], c[2]), Math.max(b[3], c[3])
          ];
        });
      return placed.map(function (each) { return each.cluster; });
    }

    function draw(answer) {
      layer.clearLayers();
      merged(answer.clusters).forEach(function (cluster) {
        var size = cluster.count < 10 ? "s" : cluster.count < 1000 ? "m" : "l";
        var marker = L.marker([cluster.lat, cluster.lng], {
          icon: L.divIcon({
            className: "map-cluster map-cluster-" + size,
            html: "<span>" + compact.format(cluster.count) + "</span>",
            iconSize: [MARKER, MARKER]
          }),
          title: data.textZoom + " (" + cluster.count.toLocaleString() + ")",
          alt: data.textZoom,
          riseOnHover: true
        });
        marker.on("click", function () {
          var b = cluster.bounds;
          var before = map.getZoom();
          map.fitBounds([[b[0], b[1]], [b[2], b[3]]]);
          if (map.getZoom() <= before) {
            map.setView([cluster.lat, cluster.lng], Math.min(before + 2, 18));
          }
        });
        layer.addLayer(marker);
      });
      answer.points.forEach(function (point) {
        var marker = L.marker([point.lat, point.lng], {
          icon: L.divIcon({ className: "map-point map-point-" + point.kind, iconSize: [16, 16] }),
          title: point.name,
          alt: point.name
        });
        marker.bindPopup(function () {
          return card(point);
        });
        layer.addLayer(marker);
      });
      if (status) {
        status.textContent = "";
      }
    }

    function card(point) {
      var box = document.createElement("div");
      box.className = "map-card";
      var kind = document.createElement("p");
      kind.className = "map-card-kind";
      kind.textContent = data["kind" + point.kind.charAt(0).toUpperCase() + point.kind.slice(1)];
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.name;
      var title = document.createElement("p");
      title.className = "map-card-name";
      title.appendChild(link);
      box.appendChild(kind);
      box.appendChild(title);
      return box;
    }

    map.on("moveend", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, DELAY);
    });
    document.querySelectorAll("[data-map-kind]").forEach(function (box) {
      box.addEventListener("change", load);
    });
    load();
  }

  /*
   * The countries' outlines: the 110m file at once; the 50m one (data-fine-atlas-url) fetched
   * once, only when the map is first zoomed to data-fine-atlas-zoom or closer, and shown from
   * that zoom on. Both are kept: zoomed out, the coarser one is drawn again (the same look at
   * that scale, a tenth of the points). If the 50m file fails, the 110m one simply stays.
   */
  function outlines(map, data, withTiles) {
    if (!data.atlasUrl || !window.topojson) {
      return;
    }
    var fineZoom = parseInt(data.fineAtlasZoom, 10);
    var coarse = null;
    var fine = null;
    var fineAsked = false;

    function layer(topology) {
      return L.geoJSON(window.topojson.feature(topology, topology.objects.countries), {
        interactive: false,
        style: {
          color: "#6b7280",
          weight: 1,
          fillColor: "#e5e7eb",
          fillOpacity: withTiles ? 0 : 1
        }
      });
    }

    function read(url) {
      return fetch(url).then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      });
    }

    function show() {
      var close = fine && (map.getZoom() >= fineZoom || !coarse);
      var shown = close ? fine : coarse;
      var hidden = close ? coarse : fine;
      if (hidden && map.hasLayer(hidden)) {
        map.removeLayer(hidden);
      }
      if (shown && !map.hasLayer(shown)) {
        shown.addTo(map);
      }
    }

    function zoomed() {
      if (!fineAsked && data.fineAtlasUrl && map.getZoom() >= fineZoom) {
        fineAsked = true;
        read(data.fineAtlasUrl)
          .then(function (topology) {
            fine = layer(topology);
            show();
          })
          .catch(function () {});
      }
      show();
    }

    read(data.atlasUrl)
      .then(function (topology) {
        coarse = layer(topology);
        show();
      })
      .catch(function () {});
    map.on("zoomend", zoomed);
    zoomed();
  }

  document.querySelectorAll("[data-explore-map]").forEach(init);
})();
