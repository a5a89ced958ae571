/* The print page (print.html): one PDF of every active poster within the radius the visitor
 * picks around a place, or around where they are (asked only on a click; the position stays in
 * the page). The cases come from the geo tiles through widget.js (its tag has data-api); their
 * posters, already published beside each case page, are joined here in the browser by pdf-lib
 * (vendor/, loaded only when the visitor asks for the PDF). Without JavaScript, or where the
 * join fails, each region's PDF (sitegen.bundles) stays on the page. */
(function () {
  "use strict";
  var form = document.querySelector(".print-near");
  var widget = document.querySelector("script[data-api]");
  if (!form || !widget || !widget.homewardNear || !window.fetch || !window.Blob || !window.URL) { return; }
  var at = document.getElementById("print-at"), radius = document.getElementById("print-radius");
  var locate = document.getElementById("print-locate"), out = document.getElementById("print-result");
  var most = +form.getAttribute("data-most"), lang = document.documentElement.lang;
  var format = window.Intl ? new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }) : { format: String };
  var here = null, asked = 0;

  function say(name, values) {  // a message of the page, its {words} filled in
    return form.getAttribute("data-" + name).replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? values[key] : all;
    });
  }
  function el(name, text, attrs) {
    var node = document.createElement(name);
    if (text) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function clear() {
    while (out.firstChild) { out.removeChild(out.firstChild); }
  }
  function area() {
    if (here) { return { point: here, place: form.getAttribute("data-here") }; }
    var option = at.options[at.selectedIndex];
    if (!option) { return null; }
    var parts = option.value.split(",");
    return { point: [+parts[0], +parts[1]], place: option.textContent };
  }
  function posterOf(c) {  // beside the case page, on this host
    return new URL(new URL(c.url, location.href).pathname + form.getAttribute("data-poster"), location.href).href;
  }
  function pdfLib() {
    if (window.PDFLib) { return Promise.resolve(window.PDFLib); }
    return new Promise(function (resolve, reject) {
      var tag = el("script", "", { src: form.getAttribute("data-pdflib") });
      tag.onload = function () { return window.PDFLib ? resolve(window.PDFLib) : reject(new Error("pdf-lib")); };
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }
  // Fetch each poster in turn and add its pages; a poster that cannot be had is counted, not fatal.
  function join(cases, progress) {
    return pdfLib().then(function (lib) {
      return lib.PDFDocument.create().then(function (bundle) {
        var missed = 0;
        var chain = Promise.resolve();
        cases.forEach(function (c, i) {
          chain = chain.then(function () {
            progress(i);
            return fetch(posterOf(c), { credentials: "omit" }).then(function (r) {
              if (!r.ok) { throw new Error(r.status); }
              return r.arrayBuffer();
            }).then(function (data) {
              return lib.PDFDocument.load(data);
            }).then(function (poster) {
              return bundle.copyPages(poster, poster.getPageIndices());
            }).then(function (pages) {
              pages.forEach(function (page) { bundle.addPage(page); });
            }).catch(function () { missed += 1; });
          });
        });
        return chain.then(function () {
          if (missed === cases.length) { throw new Error("no poster"); }
          return bundle.save().then(function (bytes) { return { bytes: bytes, missed: missed }; });
        });
      });
    });
  }
  function offer(cases, where, km, button) {
    var status = el("p", "", { role: "status" });
    out.appendChild(status);
    button.disabled = true;
    var ask = asked;
    join(cases, function (i) {
      status.textContent = say("making", { done: format.format(i + 1), count: format.format(cases.length) });
    }).then(function (made) {
      if (ask !== asked) { return; }  // the visitor chose another area meanwhile
      var blob = new Blob([made.bytes], { type: "application/pdf" });
      var link = el("a", say("ready", { km: format.format(km), place: where }), {
        href: URL.createObjectURL(blob), download: say("file", { km: km }), type: "application/pdf"
      });
      status.textContent = made.missed ? say("missed", { count: format.format(made.missed) }) : "";
      out.appendChild(el("p")).appendChild(link);
      link.focus();
    }).catch(function () {
      if (ask === asked) { status.textContent = say("failed", {}); }
    }).then(function () { button.disabled = false; });
  }
  function show() {
    var chosen = area(), km = +radius.value;
    asked += 1;
    var ask = asked;
    clear();
    if (!chosen) { return; }
    widget.homewardNear(chosen.point, km, lang).then(function (found) {
      if (ask !== asked) { return; }
      var cases = found.cases.slice(0, most), words = { km: format.format(km), place: chosen.place };
      if (!cases.length) {
        out.appendChild(el("p", say("none", words)));
        return;
      }
      words.count = format.format(found.cases.length);
      out.appendChild(el("p", say("found", words)));
      if (found.cases.length > most) { out.appendChild(el("p", say("more", { most: format.format(most) }))); }
      var list = el("ol");
      cases.forEach(function (c) {
        var away = found.labels.km.replace("{km}", format.format(Math.max(1, c.km)));
        var item = el("li");
        item.appendChild(el("a", c.name, { href: c.url }));
        item.appendChild(document.createTextNode(" · " + found.labels.away.replace("{distance}", away)));
        list.appendChild(item);
      });
      out.appendChild(list);
      var button = el("button", say("make", {}), { type: "button" });
      button.addEventListener("click", function () { offer(cases, chosen.place, km, button); });
      out.appendChild(el("p")).appendChild(button);
    }).catch(function () {
      if (ask === asked) { out.appendChild(el("p", say("failed", {}))); }
    });
  }
  at.addEventListener("change", function () { here = null; show(); });
  radius.addEventListener("change", show);
  if (navigator.geolocation) {
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (p) {
        here = [p.coords.latitude, p.coords.longitude];
        show();
      }, function () { /* refused: the places stay */ }, { maximumAge: 600000, timeout: 15000 });
    });
  } else {
    locate.hidden = true;
  }
  form.hidden = false;
  show();
})();
