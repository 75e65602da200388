/*
 * The location step's map (progressive enhancement; directory/places.py).
 *
 * The latitude and longitude inputs stay the way to give a place: by keyboard, with a screen
 * reader and without JavaScript. This script adds a small map above them, for pointing
 * devices: it shows a pin at their coordinates, a click on the map or a drag of the pin fills
 * them in, typing in them moves the pin, and a city typed (or a country chosen after it) is
 * looked up on the hub, which answers with the coordinates the form itself would use. The map
 * is hidden from assistive technologies and holds nothing to reach by keyboard; a status line
 * says when the city's coordinates were filled in.
 *
 * The latitude input carries what the map needs in data- attributes: the lookup's address, the
 * countries' outlines (world-atlas TopoJSON, read with topojson-client), optional raster tiles
 * and the texts, in the page's language. Nothing is inline: the Content-Security-Policy allows
 * no inline script or style (Leaflet sets its positions through the style properties, which
 * the policy allows).
 */
(function () {
  "use strict";

  var DECIMALS = 5;
  var EUROPE = [50, 10];
  var DELAY = 400;

  function number(input, limit) {
    var text = (input.value || "").trim().replace(",", ".");
    if (text === "") {
      return null;
    }
    var value = Number(text);
    return isFinite(value) && Math.abs(value) <= limit ? value : undefined;
  }

  function rounded(value) {
    return String(Math.round(value * Math.pow(10, DECIMALS)) / Math.pow(10, DECIMALS));
  }

  function chosenCountries(form, name) {
    var element = name ? form.elements.namedItem(name) : null;
    var values = [];
    if (!element) {
      return values;
    }
    if (element.tagName === "SELECT") {
      for (var i = 0; i < element.options.length; i++) {
        if (element.options[i].selected && element.options[i].value) {
          values.push(element.options[i].value);
        }
      }
      return values;
    }
    var boxes = element.length !== undefined ? element : [element];
    for (var j = 0; j < boxes.length; j++) {
      if (boxes[j].checked && boxes[j].value) {
        values.push(boxes[j].value);
      }
    }
    return values;
  }

  function unreachable(element) {
    // Inside a region hidden from assistive technologies nothing may take the focus.
    var focusable = element.querySelectorAll("a, button, input, [tabindex]");
    for (var i = 0; i < focusable.length; i++) {
      focusable[i].setAttribute("tabindex", "-1");
    }
  }

  function init(latitude) {
    var form = latitude.form;
    var longitude = form ? form.elements.namedItem("longitude") : null;
    var field = latitude.closest(".field");
    if (!form || !longitude || !field || !window.L || !window.topojson) {
      return;
    }
    var city = form.elements.namedItem("city");
    var countriesName = latitude.getAttribute("data-countries-field");
    var lookupUrl = latitude.getAttribute("data-lookup-url");
    var tileUrl = latitude.getAttribute("data-tile-url");
    var texts = {
      help: latitude.getAttribute("data-text-help") || "",
      found: latitude.getAttribute("data-text-found") || "",
      map: latitude.getAttribute("data-text-map") || ""
    };

    var picker = document.createElement("div");
    picker.className = "location-picker";
    var help = document.createElement("p");
    help.className = "help location-picker-help";
    help.setAttribute("aria-hidden", "true");
    help.textContent = texts.help;
    var element = document.createElement("div");
    element.className = "location-map";
    element.setAttribute("aria-hidden", "true");
    element.setAttribute("title", texts.map);
    element.setAttribute("data-location-map", "");
    var status = document.createElement("p");
    status.className = "location-picker-status";
    status.setAttribute("role", "status");
    picker.appendChild(help);
    picker.appendChild(element);
    picker.appendChild(status);
    field.parentNode.insertBefore(picker, field);

    var map = L.map(element, {
      keyboard: false,
      attributionControl: false,
      worldCopyJump: true,
      minZoom: 1,
      maxZoom: tileUrl ? 18 : 10
    });
    if (tileUrl) {
      L.tileLayer(tileUrl, { attribution: latitude.getAttribute("data-tile-attribution") || "" })
        .addTo(map);
      L.control.attribution({ prefix: false }).addTo(map);
    }
    var placeZoom = tileUrl ? 12 : 6;
    var marker = null;
    // Whether the coordinates are those a lookup gave (a new country may then move them).
    var fromLookup = false;

    function current() {
      var lat = number(latitude, 90);
      var lng = number(longitude, 180);
      return typeof lat === "number" && typeof lng === "number" ? L.latLng(lat, lng) : null;
    }

    function pin(latlng, zoom) {
      if (marker === null) {
        marker = L.marker(latlng, { draggable: true, keyboard: false, autoPan: true });
        marker.on("dragend", function () {
          fill(marker.getLatLng(), false);
        });
        marker.addTo(map);
        unreachable(element);
      } else {
        marker.setLatLng(latlng);
      }
      if (zoom) {
        map.setView(latlng, zoom);
      } else if (!map.getBounds().contains(latlng)) {
        map.panTo(latlng);
      }
    }

    function fill(latlng, zoom) {
      var wrapped = latlng.wrap();
      latitude.value = rounded(wrapped.lat);
      longitude.value = rounded(wrapped.lng);
      status.textContent = "";
      fromLookup = false;
      pin(wrapped, zoom);
    }

    var start = current();
    map.setView(start || EUROPE, start ? placeZoom : 3);
    if (start) {
      pin(start);
    }
    unreachable(element);

    fetch(latitude.getAttribute("data-outlines-url"), { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (atlas) {
        if (!atlas) {
          return;
        }
        L.geoJSON(topojson.feature(atlas, atlas.objects.countries), {
          interactive: false,
          style: { color: "#5f6b7a", weight: 0.6, fillColor: "#eef0f2", fillOpacity: 1 }
        }).addTo(map);
      })
      .catch(function () {
        // The map still places pins on a plain background.
      });

    map.on("click", function (event) {
      fill(event.latlng, false);
    });

    function typed() {
      var latlng = current();
      fromLookup = false;
      if (latlng) {
        pin(latlng);
      } else if (marker !== null && number(latitude, 90) === null && number(longitude, 180) === null) {
        map.removeLayer(marker);
        marker = null;
      }
    }
    latitude.addEventListener("input", typed);
    longitude.addEventListener("input", typed);

    var controller = null;
    var timer = null;

    function lookUp() {
      var name = city ? (city.value || "").trim() : "";
      if (!lookupUrl || name.length < 2 || !window.fetch) {
        return;
      }
      var query = new URLSearchParams();
      query.append("city", name);
      chosenCountries(form, countriesName).forEach(function (value) {
        query.append("country", value);
      });
      if (controller !== null) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      fetch(lookupUrl + "?" + query.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (place) {
          if (place && typeof place.latitude === "number") {
            fill(L.latLng(place.latitude, place.longitude), placeZoom);
            status.textContent = texts.found;
            fromLookup = true;
          }
        })
        .catch(function () {
          // Unknown city, or offline: the coordinates stay as they are.
        });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, DELAY);
    }

    if (city) {
      city.addEventListener("change", later);
    }
    // Another country moves the pin only if it was not placed by hand.
    function countryChosen() {
      if (current() === null || fromLookup) {
        later();
      }
    }
    var countries = countriesName ? form.elements.namedItem(countriesName) : null;
    if (countries && countries.addEventListener) {
      countries.addEventListener("change", countryChosen);
    } else if (countries && countries.length) {
      for (var i = 0; i < countries.length; i++) {
        countries[i].addEventListener("change", countryChosen);
      }
    }
  }

  function start() {
    var inputs = document.querySelectorAll("input[data-location-picker]");
    for (var i = 0; i < inputs.length; i++) {
      init(inputs[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
