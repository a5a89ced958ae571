/* Homeward: missing children near a place, for a partner's page, the 404 page, an iframe and the
 * sites' own "near me" page. One script, no library, no cookie; it fetches only from the host it
 * was loaded from (the network's static files: sitegen.geo's tiles) and sends nobody a location.
 *
 *   <script src="https://HOST/widget.js" async data-lang="es" data-lat="19.43" data-lon="-99.13"
 *           data-radius="50" data-count="3" data-layout="grid"></script>
 *
 * Area: data-lat + data-lon (+ data-radius, km), or data-site (+ data-region), else the visitor's
 * location when they click (data-locate="button") or the site's newest cases. data-layout:
 * banner, sidebar or grid. data-variant="404": a partner's "page not found". Anything nonsense
 * falls back to the defaults; nothing here throws at the host page. data-api: draw nothing, and
 * give the tag a homewardNear(point, radius, lang) (for the sites' own print page).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var base = script.src.replace(/\/widget\.js(\?.*)?$/, "/");
  var LAYOUTS = { banner: 1, sidebar: 1, grid: 1 };
  var CSS = ":host{all:initial;display:block;font:15px/1.4 system-ui,sans-serif;color:#1a1a1a}" +
    "section{border:2px solid #b00020;border-radius:8px;padding:12px;background:#fff}" +
    "h1,h2{font-size:17px;margin:0 0 8px;color:#b00020}ul{list-style:none;margin:0;padding:0;display:grid;gap:10px}" +
    ".grid ul{grid-template-columns:repeat(auto-fill,minmax(150px,1fr))}.banner ul{grid-auto-flow:column;grid-auto-columns:minmax(220px,1fr);overflow-x:auto}" +
    "li{display:flex;gap:8px}.grid li{flex-direction:column}img{width:72px;height:90px;object-fit:cover;border-radius:4px;background:#eee}" +
    ".grid img{width:100%;height:auto;aspect-ratio:4/5}a{color:#0b57d0;font-weight:700}a:focus{outline:3px solid #b00020;outline-offset:2px}" +
    "p{margin:2px 0;font-size:13px}button{font:inherit;margin-top:8px;padding:6px 10px;border:1px solid #b00020;border-radius:4px;background:#fff;color:#b00020;cursor:pointer}" +
    ".none{font-size:14px}";

  function number(value, min, max, fallback) {
    var n = parseFloat(value);
    return isFinite(n) && n >= min && n <= max ? n : fallback;
  }
  function word(value) {
    return /^[a-z0-9][a-z0-9-]{0,79}$/.test(value || "") ? value : "";
  }
  function slug(value) {  // a region's slug: letters of any script, digits and dashes
    return value && value.length < 120 && !/[\/?#%\\.<>"']/.test(value) ? value : "";
  }
  function options(el, params) {
    // The page's address (?at=lat,lon&radius=..., an iframe's or the near-me form's) over the tag's data-*.
    function get(name) {
      var value = params ? params.get(name) : null;
      return value !== null && value !== "" ? value : el.getAttribute("data-" + name);
    }
    var at = (get("at") || "").split(",");
    var lat = number(at.length === 2 ? at[0] : get("lat"), -90, 90, null);
    var lon = number(at.length === 2 ? at[1] : get("lon"), -180, 180, null);
    var lang = word(get("lang")) || word((document.documentElement.lang || "").toLowerCase().split("-")[0]) || "en";
    return {
      point: lat !== null && lon !== null ? [lat, lon] : null,
      radius: number(get("radius"), 1, 200, 50),
      site: word(get("site")),
      region: slug(get("region")),
      lang: lang,
      count: Math.round(number(get("count"), 1, 12, 3)),
      layout: LAYOUTS[get("layout")] ? get("layout") : "grid",
      variant: get("variant") === "404" ? "404" : "",
      locate: get("locate") === "button",
      heading: get("heading") !== "none",  // "none": the page around it has its own
      level: get("level") === "1" ? "h1" : "h2"  // "1": the widget is the whole page (iframe)
    };
  }
  function json(path) {
    return fetch(base + path, { credentials: "omit", referrerPolicy: "no-referrer" }).then(function (r) {
      if (!r.ok) { throw new Error(path + ": " + r.status); }
      return r.json();
    });
  }
  function km(a, b) {  // haversine, as sitegen.geo.distance_km
    var rad = Math.PI / 180, dLat = (b[0] - a[0]) * rad, dLon = (b[1] - a[1]) * rad;
    var h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * 6371.0088 * Math.asin(Math.sqrt(Math.min(1, h)));
  }
  function tilesNear(p, radius) {  // as sitegen.geo.tiles_near
    var dLat = radius / 111.195, dLon = radius / Math.max(111.195 * Math.cos(p[0] * Math.PI / 180), 1e-6);
    var found = [];
    for (var y = Math.floor(Math.max(-90, p[0] - dLat)); y <= Math.floor(Math.min(89.999999, p[0] + dLat)); y++) {
      for (var x = Math.floor(p[1] - dLon); x <= Math.floor(p[1] + dLon); x++) {
        found.push(y + "/" + ((((x + 180) % 360) + 360) % 360 - 180));
      }
    }
    return found;
  }
  // The files to fetch: each tile's file holds its cell and the eight around it (sitegen.geo),
  // so the point's own cell answers a circle up to 55 km; a wider one takes cells three apart.
  function filesNear(p, radius) {
    var own = Math.min(Math.floor(p[0]), 89) + "/" + ((((Math.floor(p[1]) + 180) % 360) + 360) % 360 - 180), covered = {}, files = [];
    [own].concat(tilesNear(p, radius)).forEach(function (tile) {
      if (covered[tile]) { return; }
      files.push(tile);
      var parts = tile.split("/"), y = +parts[0], x = +parts[1];
      for (var dy = -1; dy <= 1; dy++) {
        for (var dx = -1; dx <= 1; dx++) { covered[(y + dy) + "/" + ((((x + dx + 180) % 360) + 360) % 360 - 180)] = 1; }
      }
    });
    return files;
  }
  function language(site, wanted) {
    return site.languages.indexOf(wanted) >= 0 ? wanted : site.languages[0];
  }
  // Cases within the radius of a point, nearest first, from every site's tiles around it.
  function near(opts) {
    return json("geo/index.json").then(function (index) {
      var asks = [], seen = {};
      filesNear(opts.point, opts.radius).forEach(function (tile) {
        var sites = index.tiles[tile] || {};
        Object.keys(sites).forEach(function (code) {
          if (opts.site && code !== opts.site) { return; }
          var lang = language(index.sites[code], opts.lang);
          asks.push(json(code + "/" + lang + "/geo/" + tile + ".json"));
        });
      });
      if (!asks.length) {
        var code = opts.site || Object.keys(index.sites)[0];
        return code ? json(code + "/" + language(index.sites[code], opts.lang) + "/geo/latest.json").then(function (latest) {
          return { labels: latest.labels, cases: [] };
        }) : { labels: null, cases: [] };
      }
      return Promise.all(asks).then(function (tiles) {
        var cases = [];
        tiles.forEach(function (t) {
          t.cases.forEach(function (c) {
            var key = t.site + "/" + c.id;
            if (seen[key]) { return; }  // neighbouring files share cases
            seen[key] = 1;
            c.km = km(opts.point, [c.lat, c.lon]);
            if (c.km <= opts.radius) { cases.push(c); }
          });
        });
        cases.sort(function (a, b) { return a.km - b.km; });
        return { labels: tiles[0].labels, cases: cases };
      });
    });
  }
  function newest(opts) {  // a country's (or one region's) newest cases
    return json("geo/index.json").then(function (index) {
      var code = opts.site && index.sites[opts.site] ? opts.site : Object.keys(index.sites)[0];
      if (!code) { return { labels: null, cases: [] }; }
      return json(code + "/" + language(index.sites[code], opts.lang) + "/geo/latest.json").then(function (latest) {
        var cases = latest.cases;
        if (opts.region) { cases = cases.filter(function (c) { return c.region === opts.region; }); }
        return { labels: latest.labels, cases: cases };
      });
    });
  }
  function el(name, attrs, text) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }
  function render(root, opts, found, onLocate) {
    var labels = found.labels || { title: "Missing children", none: "", away: "{distance}", km: "{km} km", dir: "ltr" };
    var heading = (opts.variant === "404" ? labels.notfound : opts.point ? labels.near : labels.title) || labels.title;
    var section = el("section", { "class": opts.layout, lang: labels.lang || opts.lang, dir: labels.dir || "ltr", "aria-label": heading });
    if (opts.heading) { section.appendChild(el(opts.level, {}, heading)); }
    var shown = found.cases.slice(0, opts.count);
    if (!shown.length) {
      section.appendChild(el("p", { "class": "none" }, (labels.none || "").replace("{km}", opts.radius)));
    }
    var list = el("ul");
    var format = window.Intl ? new Intl.NumberFormat(labels.lang || opts.lang, { maximumFractionDigits: 0 }) : null;
    shown.forEach(function (c) {
      var item = el("li");
      if (c.photo) {
        item.appendChild(el("img", { src: c.photo.src, alt: c.photo.alt, width: c.photo.width, height: c.photo.height, loading: "lazy", referrerpolicy: "no-referrer" }));
      }
      var text = el("div");
      var link = el("a", { href: c.url, target: "_blank", rel: "noopener" }, c.name);
      text.appendChild(link);
      text.appendChild(el("p", {}, c.age));
      text.appendChild(el("p", {}, c.missing));
      text.appendChild(el("p", {}, c.place));
      if (c.km !== undefined) {
        var distance = labels.km.replace("{km}", format ? format.format(Math.max(1, c.km)) : Math.round(c.km));
        text.appendChild(el("p", { "class": "km" }, labels.away.replace("{distance}", distance)));
      }
      item.appendChild(text);
      list.appendChild(item);
    });
    if (shown.length) { section.appendChild(list); }
    if (onLocate && labels.locate) {
      var button = el("button", { type: "button" }, labels.locate);
      button.addEventListener("click", onLocate);
      section.appendChild(button);
    }
    while (root.firstChild) { root.removeChild(root.firstChild); }
    root.appendChild(section);
  }
  function mount(host) {
    if (host.attachShadow && window.CSSStyleSheet && "adoptedStyleSheets" in Document.prototype) {
      var shadow = host.attachShadow({ mode: "open" });
      try {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        shadow.adoptedStyleSheets = [sheet];
      } catch (e) { /* unstyled, still readable */ }
      return shadow;
    }
    return host;
  }
  function show(root, opts) {
    var find = opts.point ? near(opts) : newest(opts);
    var locate = opts.locate && navigator.geolocation ? function () {
      // Asked only now, on the visitor's click; the position stays in this page.
      navigator.geolocation.getCurrentPosition(function (position) {
        opts.point = [position.coords.latitude, position.coords.longitude];
        show(root, opts);
      }, function () { /* refused: keep what is shown */ }, { maximumAge: 600000, timeout: 15000 });
    } : null;
    return find.then(function (found) { render(root, opts, found, locate); }).catch(function () { /* nothing to show */ });
  }
  if (script.hasAttribute("data-api")) {  // the print page (print-near.js): the lookup, drawn by it
    script.homewardNear = function (point, radius, lang) {
      return near({ point: point, radius: radius, lang: lang, site: "" });
    };
    return;
  }
  var params = script.hasAttribute("data-from-url") ? new URLSearchParams(location.search) : null;
  var opts = options(script, params);
  var target = document.getElementById(script.getAttribute("data-target") || "");
  var host = target || el("div", { "class": "homeward-widget" });
  if (!target) { script.parentNode.insertBefore(host, script.nextSibling); }
  show(mount(host), opts);
})();
