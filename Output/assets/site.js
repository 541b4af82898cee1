// Search (lunr.js over the index files in assets/search/, loaded on first
// use as scripts so that it works from file://), the current section in the
// side bar, and "/" to search.
"use strict";
(function () {
  var S = window.LecternSearch = { lectures: null, loaded: 0, docs: [], index: null, waiting: [] };
  function script(src, onerror) {
    var el = document.createElement("script");
    el.src = src;
    if (onerror) el.onerror = onerror;
    document.head.appendChild(el);
  }
  S.course = function (list) {
    S.lectures = list;
    if (list.length === 0) ready();
    list.forEach(function (l) { script("assets/search/" + encodeURIComponent(l.slug) + ".js"); });
  };
  S.add = function (lecture) {
    lecture.sections.forEach(function (sec) {
      S.docs.push({ id: String(S.docs.length), slug: lecture.slug, lecture: lecture.title,
                    anchor: sec.a, heading: sec.h, text: sec.t });
    });
    S.loaded += 1;
    if (S.lectures && S.loaded === S.lectures.length) ready();
  };
  function ready() {
    if (!window.lunr) return;
    S.index = lunr(function () {
      this.ref("id");
      this.field("lecture", { boost: 2 });
      this.field("heading", { boost: 4 });
      this.field("text");
      this.metadataWhitelist = ["position"];
      S.docs.forEach(function (d) { this.add(d); }, this);
    });
    S.waiting.splice(0).forEach(function (f) { f(); });
  }
  var started = false;
  function load(then) {
    if (S.index) { then(); return; }
    S.waiting.push(then);
    if (started) return;
    started = true;
    var failed = function () { status("The search index could not be loaded."); };
    script("assets/lunr.min.js", failed);
    script("assets/search/index.js", failed);
  }
  // lunr may arrive after the index files.
  var wait = setInterval(function () {
    if (S.index) { clearInterval(wait); return; }
    if (window.lunr && S.lectures && S.loaded === S.lectures.length) { clearInterval(wait); ready(); }
  }, 50);

  var box, list, statusEl, active = -1, results = [];
  function status(text) { if (statusEl) statusEl.textContent = text; }

  function search(q) {
    var terms = lunr.tokenizer(q).map(function (t) { return t.toString(); }).filter(Boolean);
    if (terms.length === 0) return [];
    return S.index.query(function (query) {
      terms.forEach(function (t) {
        query.term(t, { boost: 10 });
        query.term(t, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 1 });
      });
    }).slice(0, 20);
  }

  // lunr's tokens keep the punctuation next to a word: mark the word only.
  var wordChar = /[\p{L}\p{N}]/u;
  function trim(text, p) {
    var a = p[0], b = p[0] + p[1];
    while (a < b && !wordChar.test(text[a])) a++;
    while (b > a && !wordChar.test(text[b - 1])) b--;
    return [a, b - a];
  }

  // A piece of the section's text around the first match, matches marked.
  function snippet(doc, match) {
    var spans = [];
    Object.keys(match.metadata).forEach(function (term) {
      var f = match.metadata[term].text;
      if (f && f.position) f.position.forEach(function (p) { spans.push(trim(doc.text, p)); });
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var text = doc.text, from = 0, to = Math.min(text.length, 160);
    if (spans.length) {
      from = Math.max(0, spans[0][0] - 60);
      to = Math.min(text.length, spans[0][0] + spans[0][1] + 100);
    }
    var out = document.createDocumentFragment(), pos = from;
    if (from > 0) out.appendChild(document.createTextNode("… "));
    spans.forEach(function (p) {
      if (p[0] < pos || p[0] + p[1] > to) return;
      out.appendChild(document.createTextNode(text.slice(pos, p[0])));
      var m = document.createElement("mark");
      m.textContent = text.slice(p[0], p[0] + p[1]);
      out.appendChild(m);
      pos = p[0] + p[1];
    });
    out.appendChild(document.createTextNode(text.slice(pos, to) + (to < text.length ? " …" : "")));
    return out;
  }

  function show(q) {
    list.textContent = "";
    active = -1;
    box.removeAttribute("aria-activedescendant");
    if (!q.trim()) { close(); status(""); return; }
    results = search(q);
    results.forEach(function (r, k) {
      var doc = S.docs[Number(r.ref)];
      var li = document.createElement("li");
      li.id = "search-result-" + k;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var a = document.createElement("a");
      a.href = encodeURIComponent(doc.slug) + ".html" + (doc.anchor ? "#" + encodeURIComponent(doc.anchor) : "");
      a.tabIndex = -1;
      var where = document.createElement("span");
      where.className = "search-where";
      where.textContent = doc.lecture + (doc.heading ? " › " + doc.heading : "");
      var snip = document.createElement("span");
      snip.className = "search-snippet";
      snip.appendChild(snippet(doc, r.matchData));
      a.appendChild(where);
      a.appendChild(snip);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = results.length === 0;
    box.setAttribute("aria-expanded", results.length ? "true" : "false");
    status(results.length === 0 ? "No results" : results.length + (results.length === 1 ? " result" : " results"));
  }
  function close() {
    list.hidden = true;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
  }
  function choose(k) {
    var items = list.querySelectorAll("li");
    if (items.length === 0) return;
    active = (k + items.length) % items.length;
    items.forEach(function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
    box.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  function setUp() {
    var form = document.querySelector("form.search");
    if (!form) return;
    box = document.getElementById("search-box");
    list = document.getElementById("search-results");
    statusEl = form.querySelector(".search-status");
    form.hidden = false;
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var run = function () { load(function () { show(box.value); }); };
    box.addEventListener("focus", function () { load(function () {}); });
    box.addEventListener("input", run);
    box.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); if (list.hidden) run(); else choose(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); choose(active - 1); }
      else if (e.key === "Enter") {
        e.preventDefault();
        var items = list.querySelectorAll("li a");
        var a = items[active >= 0 ? active : 0];
        if (a) location.href = a.href;
      } else if (e.key === "Escape") {
        if (!list.hidden) close(); else { box.value = ""; status(""); }
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      box.focus();
    });
    document.addEventListener("click", function (e) { if (!form.contains(e.target)) close(); });
  }

  // The side bar marks the section being read.
  function trackSection() {
    var links = document.querySelectorAll(".side-sections a");
    if (!links.length || !window.IntersectionObserver) return;
    var byId = {};
    links.forEach(function (a) { byId[decodeURIComponent(a.hash.slice(1))] = a; });
    var heads = Array.prototype.filter.call(document.querySelectorAll("main h2[id]"), function (h) { return byId[h.id]; });
    function mark() {
      var current = null;
      heads.forEach(function (h) { if (h.getBoundingClientRect().top < 120) current = h; });
      links.forEach(function (a) { a.removeAttribute("aria-current"); });
      if (current) byId[current.id].setAttribute("aria-current", "location");
    }
    var io = new IntersectionObserver(mark, { rootMargin: "0px 0px -60% 0px" });
    heads.forEach(function (h) { io.observe(h); });
    mark();
  }

  function start() { setUp(); trackSection(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
