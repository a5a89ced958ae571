// The case editor's map picker for where the child was last seen. The latitude and longitude
// fields stay the source of truth and always work alone: a click on the map writes them, and
// typing in them moves the marker. Tiles come from the server HOMEWARD_MAP_TILES names
// (OpenStreetMap's by default); without them (none set, or no internet) the map is blank but
// clicks and typing still work.
(function () {
  "use strict";

  function setUp(lat, lon) {
    if (!window.L || lat.dataset.mapPicker) return;
    lat.dataset.mapPicker = "on";
    var box = document.createElement("div");
    box.className = "homeward-map-picker";
    box.setAttribute("role", "application");
    box.setAttribute("aria-label", lat.dataset.mapLabel || "Map");
    box.style.height = "320px";
    box.style.marginBlock = "0.5rem 1rem";
    // Under the row of the region, latitude and longitude, as wide as the form (not in the
    // longitude's column, where it was too narrow to aim at a street).
    var row = lon.closest(".w-field-row") || lon.closest(".w-field__wrapper") || lon.parentNode;
    row.parentNode.insertBefore(box, row.nextSibling);

    var start = [parseFloat(lat.value), parseFloat(lon.value)];
    var known = isFinite(start[0]) && isFinite(start[1]);
    var map = L.map(box, { zoomControl: false }).setView(known ? start : [20, 0], known ? 13 : 2);
    // Leaflet's zoom buttons say "Zoom in" in every language unless told otherwise.
    L.control.zoom({
      zoomInTitle: lat.dataset.mapZoomIn || "Zoom in",
      zoomOutTitle: lat.dataset.mapZoomOut || "Zoom out"
    }).addTo(map);
    if (lat.dataset.mapTiles) {
      // The attribution is a setting shown as it is written: text, escaped for Leaflet's HTML.
      var credit = document.createElement("span");
      credit.textContent = lat.dataset.mapAttribution || "";
      L.tileLayer(lat.dataset.mapTiles, { maxZoom: 19, attribution: credit.innerHTML }).addTo(map);
    }
    var marker = known ? L.marker(start).addTo(map) : null;

    function place(latlng) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.marker(latlng).addTo(map);
    }
    map.on("click", function (event) {
      var point = event.latlng.wrap();
      lat.value = point.lat.toFixed(6);
      lon.value = point.lng.toFixed(6);
      place(point);
      lat.dispatchEvent(new Event("change", { bubbles: true }));
      lon.dispatchEvent(new Event("change", { bubbles: true }));
    });
    function typed() {
      var point = [parseFloat(lat.value), parseFloat(lon.value)];
      if (!isFinite(point[0]) || !isFinite(point[1])) return;
      if (Math.abs(point[0]) > 90 || Math.abs(point[1]) > 180) return;
      place(point);
      map.panTo(point);
    }
    lat.addEventListener("input", typed);
    lon.addEventListener("input", typed);
  }

  function scan() {
    var lat = document.querySelector("input[name=last_seen_latitude]");
    var lon = document.querySelector("input[name=last_seen_longitude]");
    if (lat && lon) setUp(lat, lon);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();
