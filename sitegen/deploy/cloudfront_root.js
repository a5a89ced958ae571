// The network root's country and language redirect on CloudFront: what Netlify does with the
// `_redirects` file sitegen writes (Country= and Language= conditions), as a CloudFront Function
// (runtime cloudfront-js-2.0) on the distribution's viewer requests.
//
// `python -m sitegen cloudfront-function OUTPUT` prints this file with SITES filled in from the
// output's `_redirects`; create or update the function with it (aws cloudfront
// create-function / update-function + publish-function), associate it with the default cache
// behaviour's viewer-request, and add CloudFront-Viewer-Country to the behaviour's origin
// request policy so that the function sees the header. Tested with Node in
// tests/sitegen/test_cloudfront_function.py.
//
// A visitor of `/` (or `/index.html`) from a member country goes to that country's site, in
// the first of their browser's languages the site has, else in the site's default language.
// Anyone else, and every other address, gets what the bucket holds (the list of every site).

var SITES = {}; // SITES: filled in by sitegen

function languages(header) {
  // Accept-Language: "uk-UA,uk;q=0.9,en;q=0.8" -> ["uk-ua", "uk", "en"], by preference.
  var found = [];
  var items = (header || "").split(",");
  for (var i = 0; i < items.length; i++) {
    var parts = items[i].trim().split(";");
    var tag = parts[0].trim().toLowerCase();
    var weight = 1;
    for (var j = 1; j < parts.length; j++) {
      var pair = parts[j].trim().split("=");
      if (pair[0] === "q") {
        weight = parseFloat(pair[1]);
        if (isNaN(weight)) weight = 0;
      }
    }
    if (tag && tag !== "*" && weight > 0) found.push({ tag: tag, weight: weight, order: i });
  }
  found.sort(function (a, b) {
    return b.weight - a.weight || a.order - b.order;
  });
  return found.map(function (item) {
    return item.tag;
  });
}

function target(country, acceptLanguage) {
  var site = SITES[(country || "").toUpperCase()];
  if (!site) return null;
  var wanted = languages(acceptLanguage);
  for (var i = 0; i < wanted.length; i++) {
    var tag = wanted[i];
    if (site.languages[tag]) return site.languages[tag];
    var primary = tag.split("-")[0];
    if (site.languages[primary]) return site.languages[primary];
  }
  return site.fallback;
}

function header(request, name) {
  var found = request.headers[name];
  return found ? found.value : "";
}

function handler(event) {
  var request = event.request;
  if (request.uri !== "/" && request.uri !== "/index.html") return request;
  var location = target(
    header(request, "cloudfront-viewer-country"),
    header(request, "accept-language")
  );
  if (!location) return request;
  return {
    statusCode: 302,
    statusDescription: "Found",
    headers: {
      location: { value: location },
      "cache-control": { value: "private, no-store" },
      vary: { value: "Accept-Language" },
    },
  };
}
