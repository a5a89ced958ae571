/* The print page (print.html): one PDF of the posters around a place the visitor picks, or
 * where they are (asked only on a click; the position stays in the page): every tile of the geo
 * index has the posters of its cell and of the eight around it joined (sitegen.bundles). */
(function () {
  "use strict";
  var form = document.querySelector(".print-near");
  if (!form || !window.fetch) { return; }
  var out = document.getElementById("print-result"), at = document.getElementById("print-at");
  var locate = document.getElementById("print-locate"), most = +form.getAttribute("data-most");
  function cell(lat, lon) {  // as sitegen.geo.tile_of
    return Math.min(Math.floor(lat), 89) + "/" + ((((Math.floor(lon) + 180) % 360) + 360) % 360 - 180);
  }
  fetch(form.getAttribute("data-index"), { credentials: "omit" }).then(function (r) { return r.json(); }).then(function (index) {
    function show(lat, lon, place) {
      var tile = cell(lat, lon), count = index.tiles[tile];
      while (out.firstChild) { out.removeChild(out.firstChild); }
      if (!count) {
        out.textContent = form.getAttribute("data-none").replace("{place}", place);
        return;
      }
      var link = document.createElement("a");
      link.href = form.getAttribute("data-root") + tile + "/posters.pdf";
      link.type = "application/pdf";
      link.textContent = form.getAttribute("data-link").replace("{place}", place).replace("{count}", Math.min(count, most));
      out.appendChild(link);
    }
    function chosen() {
      var option = at.options[at.selectedIndex];
      if (!option) { return; }
      var parts = option.value.split(",");
      show(+parts[0], +parts[1], option.textContent);
    }
    at.addEventListener("change", chosen);
    if (navigator.geolocation) {
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (p) {
          show(p.coords.latitude, p.coords.longitude, form.getAttribute("data-here"));
        }, function () { /* refused: the places stay */ });
      });
    } else {
      locate.hidden = true;
    }
    form.hidden = false;
    chosen();
  }).catch(function () { /* the regions' PDFs stay */ });
})();
