/* The widget page (widget.html): writes the snippets for the partner's choices in the address. */
(function () {
  "use strict";
  var box = document.getElementById("snippet"), frame = document.getElementById("snippet-frame");
  if (!box || !frame) { return; }
  var params = new URLSearchParams(location.search), form = document.querySelector(".widget-form");
  var attrs = ["data-site=\"" + box.getAttribute("data-site") + "\"", "data-lang=\"" + box.getAttribute("data-lang") + "\""];
  var query = [];
  // Only what the widget accepts (as widget.js reads it) goes into a partner's page.
  function between(min, max) {
    return function (v) { var n = +v; return /^-?\d+(\.\d+)?$/.test(v) && n >= min && n <= max; };
  }
  var valid = {
    at: function (v) { var p = v.split(","); return p.length === 2 && between(-90, 90)(p[0]) && between(-180, 180)(p[1]); },
    radius: between(1, 200),
    count: between(1, 12),
    layout: function (v) { return v === "grid" || v === "sidebar" || v === "banner"; },
    variant: function (v) { return v === "404"; }
  };
  ["at", "radius", "count", "layout", "variant"].forEach(function (name) {
    var value = params.get(name);
    if (!value || !valid[name](value)) { return; }
    var field = form && form.elements[name];
    if (field && field.type === "checkbox") { field.checked = true; } else if (field) { field.value = value; }
    attrs.push("data-" + name + "=\"" + value + "\"");
    query.push(name + "=" + encodeURIComponent(value));
  });
  box.value = "<script src=\"" + box.getAttribute("data-widget") + "\" async " + attrs.join(" ") + "></" + "script>";
  frame.value = "<iframe src=\"" + box.getAttribute("data-embed") + (query.length ? "?" + query.join("&") : "") +
    "\" title=\"" + box.getAttribute("data-title").replace(/"/g, "&quot;") + "\" width=\"100%\" height=\"480\" loading=\"lazy\" style=\"border:0\"></iframe>";
})();
