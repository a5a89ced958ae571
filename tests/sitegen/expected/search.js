/* The search box of a site's listings (cases.html): finds a missing child by name, place,
 * region, clothing or case number in the page's language, with the site's Pagefind index
 * (sitegen.search.pagefind), entirely in the visitor's browser. A module script: browsers too
 * old for modules or WebAssembly never run it, and the box stays hidden; the lists and their
 * filters work without it. Results are built with textContent (no markup from the index). */
const form = document.querySelector("form.search");
const out = document.getElementById("search-results");
const MOST = 24;

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

function local(url) {  // only addresses of this site, never javascript: or another host
  return typeof url === "string" && url.startsWith("/") && !url.startsWith("//");
}

function card(result) {  // the same card as the listings' (_card.html)
  const meta = result.meta || {};
  const item = el("li", "", { class: "card" });
  if (local(meta.image)) {
    item.append(el("img", "", { src: meta.image, alt: meta.image_alt || "", loading: "lazy" }));
  }
  item.append(el("a", meta.title || result.url, { href: local(result.url) ? result.url : "#" }));
  if (meta.age) { item.append(el("p", say("age", { age: meta.age }))); }
  if (meta.since) { item.append(el("p", say("since", { date: meta.since }))); }
  if (meta.place) { item.append(el("p", meta.place)); }
  return item;
}

function showListing(shown) {  // the page's own list and pages, hidden while results show
  for (const node of document.querySelectorAll("ul.cards, nav.pages")) {
    if (!out.contains(node)) { node.hidden = !shown; }
  }
}

async function start() {
  if (!form || !out || typeof WebAssembly !== "object") { return; }
  const lang = document.documentElement.lang;
  const number = new Intl.NumberFormat(lang);
  const input = form.querySelector("input[type=search]");
  let pagefind;
  try {
    pagefind = await import(form.getAttribute("data-index"));
    await pagefind.options({ excerptLength: 0 });
    await pagefind.init();
  } catch (problem) {
    return;  // no index (a site with no case, or not built): no box
  }
  form.hidden = false;

  async function search(query) {
    query = query.trim();
    if (!query) {
      out.replaceChildren();
      showListing(true);
      return;
    }
    let found;
    try {
      found = await pagefind.debouncedSearch(query, {}, 250);
    } catch (problem) {
      out.replaceChildren(el("p", say("failed", {})));
      return;
    }
    if (found === null) { return; }  // a later keystroke took over
    const results = await Promise.all(found.results.slice(0, MOST).map((r) => r.data()));
    if (input.value.trim() !== query) { return; }
    const count = number.format(found.results.length);
    const heading = el("p", say(results.length ? "found" : "none", { query, count }));
    const parts = [heading];
    if (results.length) {
      const list = el("ul", "", { class: "cards" });
      list.append(...results.map(card));
      parts.push(list);
      if (found.results.length > MOST) { parts.push(el("p", say("more", { shown: number.format(MOST) }))); }
    }
    out.replaceChildren(...parts);
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
