/* The search box of a site's listings (cases.html): finds a missing child by name, place,
 * region, clothing or case number in the page's language, entirely in the visitor's browser,
 * with the site's Pagefind index (sitegen.search.pagefind) or, where the network has one, its
 * hosted index on Algolia (sitegen.search.hosted), falling back to Pagefind if Algolia cannot
 * be reached. A module script: browsers too old for modules never run it, and the box stays
 * hidden; the lists and their filters work without it. Results are built with textContent
 * (no markup from an index), and links keep only the path of what an index says. */
const form = document.querySelector("form.search");
const out = document.getElementById("search-results");
const MOST = 24;
const WAIT_MS = 250;  // after the last keystroke

function say(name, values) {  // a message of the page, its {words} filled in
  return form.getAttribute("data-" + name).replace(/\{(\w+)\}/g, (all, key) =>
    key in values ? values[key] : all);
}

function el(name, text, attrs) {
  const node = document.createElement(name);
  if (text) { node.textContent = text; }
  for (const [key, value] of Object.entries(attrs || {})) { node.setAttribute(key, value); }
  return node;
}

function fill(node, parts) {  // a node's children replaced, in browsers before 2020 too
  while (node.firstChild) { node.removeChild(node.firstChild); }
  node.append(...parts);
}

function path(address) {  // only this site's addresses: the path of an http(s) one, else null
  try {
    const url = new URL(address, location.href);
    return url.protocol === "https:" || url.protocol === "http:" ? url.pathname : null;
  } catch (problem) {
    return null;
  }
}

function card(found) {  // the same card as the listings' (_card.html)
  const item = el("li", "", { class: "card" });
  const image = found.image && path(found.image);
  if (image) { item.append(el("img", "", { src: image, alt: found.image_alt || "", loading: "lazy" })); }
  item.append(el("a", found.title, { href: path(found.url) || "#" }));
  if (found.age) { item.append(el("p", say("age", { age: found.age }))); }
  if (found.since) { item.append(el("p", say("since", { date: found.since }))); }
  if (found.place) { item.append(el("p", found.place)); }
  return item;
}

function showListing(shown) {  // the page's own list and pages, hidden while results show
  for (const node of document.querySelectorAll("ul.cards, nav.pages")) {
    if (!out.contains(node)) { node.hidden = !shown; }
  }
}

async function loadPagefind() {
  try {
    const pagefind = await import(form.getAttribute("data-index"));
    await pagefind.options({ excerptLength: 0 });
    await pagefind.init();
    return pagefind;
  } catch (problem) {
    return null;  // no index (a site with no case, or built without): no Pagefind
  }
}

// Accents and vowel marks, and what is not a letter or a digit; browsers before 2020 without
// Unicode classes in patterns keep the marks and split words at spaces and punctuation.
let MARKS = null;
let NOT_WORD = /[\s.,;:!?"'()\/-]+/;
try {
  MARKS = new RegExp("\\p{M}", "gu");
  NOT_WORD = new RegExp("[^\\p{L}\\p{N}]+", "u");
} catch (problem) { /* the plainer ones */ }

function folded(text) {  // lower case, without accents or vowel marks: "León" ~ "leon"
  const parts = text.normalize("NFD");
  return (MARKS ? parts.replace(MARKS, "") : parts).toLocaleLowerCase();
}

function holdsEveryWord(words, d) {
  // Pagefind answers a word no page holds with the pages of its longest prefix some page
  // holds ("Leónxyz" lists the children of León; a found child's name, a child with a word
  // alike): a page is shown only if its text holds every word typed, but for its last letter
  // (endings Pagefind's stemming ignores: capuchas, рюкзаки), words of three letters or fewer
  // whole.
  const text = folded(`${d.content || ""} ${d.meta.title || ""}`);  // the poster, its name
  return words.every((word) => text.includes(word.length > 3 ? word.slice(0, -1) : word));
}

function byPagefind(pagefind) {
  return async (query) => {
    const found = await pagefind.debouncedSearch(query, {}, WAIT_MS);
    if (found === null) { return null; }  // a later keystroke took over
    const data = await Promise.all(found.results.slice(0, MOST).map((r) => r.data()));
    const words = folded(query).split(NOT_WORD).filter(Boolean);
    const kept = data.filter((d) => holdsEveryWord(words, d));
    return {
      // Pages that only share a prefix come after those that hold the words: once one is
      // left out, the rest are too.
      total: kept.length < data.length ? kept.length : found.results.length,
      cards: kept.map((d) => ({ ...d.meta, title: d.meta.title || d.url, url: d.url })),
    };
  };
}

function byAlgolia(lang) {
  // Older browsers lack the "unit" style and dateStyle: a plain number, the long date spelt out.
  let years = new Intl.NumberFormat(lang);
  let dates = new Intl.DateTimeFormat(lang, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
  try {
    years = new Intl.NumberFormat(lang, { style: "unit", unit: "year", unitDisplay: "long" });
    dates = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" });
  } catch (problem) { /* the plainer ones */ }
  const comma = form.getAttribute("data-comma") || ", ";
  let latest = 0;
  return async (query) => {
    const mine = ++latest;
    await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
    if (mine !== latest) { return null; }
    const answer = await fetch(form.getAttribute("data-algolia"), {
      method: "POST",
      credentials: "omit",
      headers: {
        "x-algolia-application-id": form.getAttribute("data-algolia-app"),
        "x-algolia-api-key": form.getAttribute("data-algolia-key"),
        "content-type": "application/json",
      },
      body: JSON.stringify({ query, hitsPerPage: MOST }),
    });
    if (!answer.ok) { throw new Error("Algolia answered " + answer.status); }
    const found = await answer.json();
    if (mine !== latest) { return null; }
    return {
      total: found.nbHits,
      cards: found.hits.map((hit) => ({
        title: String(hit.name || ""),
        url: hit.url,
        image: hit.photo,
        image_alt: String(hit.name || ""),
        age: Number.isInteger(hit.age_now) ? years.format(hit.age_now) : "",
        since: /^\d{4}-\d\d-\d\d$/.test(hit.missing_since || "") ? dates.format(new Date(hit.missing_since + "T00:00:00Z")) : "",
        place: [hit.place, hit.region].filter((part) => typeof part === "string" && part).join(comma),
      })),
    };
  };
}

async function start() {
  if (!form || !out) { return; }
  const lang = document.documentElement.lang;
  const number = new Intl.NumberFormat(lang);
  const input = form.querySelector("input[type=search]");
  const pagefind = typeof WebAssembly === "object" ? await loadPagefind() : null;
  const fallback = pagefind && byPagefind(pagefind);
  let ask = form.hasAttribute("data-algolia") ? byAlgolia(lang) : fallback;
  if (!ask) { return; }
  form.hidden = false;

  async function search(query) {
    query = query.trim();
    if (!query) {
      fill(out, []);
      showListing(true);
      return;
    }
    let found;
    try {
      found = await ask(query);
    } catch (problem) {
      if (fallback && ask !== fallback) {  // Algolia out of reach: the site's own index from now on
        ask = fallback;
        return search(query);
      }
      fill(out, [el("p", say("failed", {}))]);
      return;
    }
    if (found === null || input.value.trim() !== query) { return; }
    const count = number.format(found.total);
    const parts = [el("p", say(found.cards.length ? "found" : "none", { query, count }))];
    if (found.cards.length) {
      const list = el("ul", "", { class: "cards" });
      list.append(...found.cards.map(card));
      parts.push(list);
      if (found.total > MOST) { parts.push(el("p", say("more", { shown: number.format(MOST) }))); }
    }
    fill(out, parts);
    showListing(false);
  }

  const asked = new URLSearchParams(location.search).get("q");
  if (asked) { input.value = asked; search(asked); }
  input.addEventListener("input", () => search(input.value));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const url = new URL(location.href);
    if (input.value.trim()) { url.searchParams.set("q", input.value.trim()); } else { url.searchParams.delete("q"); }
    history.replaceState(null, "", url);
    search(input.value);
  });
}

start();
