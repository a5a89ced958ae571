/* The alerts page (alerts.html): "use my location" adds the visitor's position to the places of
 * the sign-up form, asked only on a click; it goes nowhere but into the form they send. */
(function () {
  "use strict";
  var script = document.currentScript, button = document.getElementById("alerts-locate");
  var places = document.getElementById("alerts-at");
  if (!script || !button || !places || !navigator.geolocation) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (p) {
      var option = document.getElementById("alerts-here") || document.createElement("option");
      option.id = "alerts-here";
      option.value = p.coords.latitude.toFixed(2) + "," + p.coords.longitude.toFixed(2);
      option.textContent = script.getAttribute("data-here");
      places.insertBefore(option, places.firstChild);
      places.value = option.value;
      document.getElementById("alerts-point").checked = true;
    }, function () { /* refused: the places stay */ }, { maximumAge: 600000, timeout: 15000 });
  });
})();
