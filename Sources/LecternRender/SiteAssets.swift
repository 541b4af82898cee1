/// `assets/site.css` and `assets/site.js`: search, side bar, narrow screens.
/// lunr.js is copied from Debian's libjs-lunr (`Assets.lunrPath`).
enum SiteAssets {
    static let script = #"""
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

    """#

    static let stylesheet = """
    /* Search, side bar, figures and overflow on narrow screens. */
    .topbar { display: flex; align-items: center; justify-content: space-between; gap: 0.8rem; flex-wrap: wrap;
      margin-bottom: 1.5rem; }
    .topbar nav.top { margin-bottom: 0; }
    form.search { position: relative; flex: 1 1 12rem; max-width: 22rem; margin: 0; margin-left: auto;
      font: 0.95rem/1.4 system-ui, sans-serif; }
    form.search[hidden] { display: none; }
    #search-box { width: 100%; padding: 0.35rem 0.6rem; font: inherit; color: var(--fg); background: var(--bg);
      border: 1px solid var(--muted); border-radius: 6px; }
    #search-box:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
    #search-results { position: absolute; z-index: 20; right: 0; top: calc(100% + 4px); width: min(34rem, calc(100vw - 1.6rem));
      max-height: 70vh; overflow-y: auto; margin: 0; padding: 0.25rem; list-style: none;
      background: var(--bg); border: 1px solid var(--border); border-radius: 6px; box-shadow: 0 6px 24px rgb(0 0 0 / 0.18); }
    #search-results li a { display: block; padding: 0.45rem 0.6rem; border-radius: 4px; text-decoration: none; color: var(--fg); }
    #search-results li[aria-selected="true"] a, #search-results li a:hover { background: var(--code-bg); }
    #search-results li[aria-selected="true"] a { outline: 2px solid var(--accent); }
    .search-where { display: block; font-weight: 600; color: var(--accent); }
    .search-snippet { display: block; font-size: 0.88rem; color: var(--muted); overflow-wrap: anywhere; }
    .search-snippet mark { background: #ffe58a; color: #1d1f23; border-radius: 2px; }
    .search-status { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); margin: 0; }

    html { background: var(--bg); }
    details.side { background: var(--bg); font: 0.92rem/1.45 system-ui, sans-serif; border: 1px solid var(--border); border-radius: 6px;
      padding: 0.4rem 0.9rem; margin: 0 0 1.2rem; }
    details.side summary { cursor: pointer; font-weight: 600; }
    nav.side ol { margin: 0.3rem 0; padding-left: 1.2rem; }
    nav.side li { margin: 0.2rem 0; }
    nav.side a { text-decoration: none; }
    nav.side a[aria-current] { font-weight: 700; color: var(--fg); }
    nav.side a[aria-current="location"] { border-left: 3px solid var(--accent); padding-left: 0.35rem; margin-left: -0.65rem; }
    nav.side .side-sections { font-size: 0.88rem; }
    @media (min-width: 1100px) {
      body.lecture { margin-left: max(17rem, calc(50vw - 24rem)); }
      details.side { position: fixed; top: 0; left: 0; bottom: 0; width: 15.5rem; margin: 0; overflow-y: auto;
        border: 0; border-right: 1px solid var(--border); border-radius: 0; padding: 1rem 0.9rem; }
      details.side summary { list-style: none; cursor: default; pointer-events: none; color: var(--muted);
        font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; }
      details.side summary::-webkit-details-marker { display: none; }
      details.side::details-content { content-visibility: visible; display: block; }
      nav.toc { display: none; }
    }

    /* Numbers with an exponent never break after their minus. */
    .num { white-space: nowrap; }

    /* Boxes that scroll sideways show a shadow at the edge that hides more. */
    :root { --sb: var(--bg); --scroll-shadow: rgb(0 0 0 / 0.28); }
    @media (prefers-color-scheme: dark) { :root { --scroll-shadow: rgb(0 0 0 / 0.85); } }
    .cell-output { --sb: var(--out-bg); }
    pre.code { --sb: var(--code-bg); }
    .table-wrap, .math.display, pre.code, .cell-output pre, .cell-output .show {
      position: relative; overflow-x: auto;
      background-color: var(--sb);
      background-image: linear-gradient(to right, var(--sb) 30%, transparent), linear-gradient(to left, var(--sb) 30%, transparent),
        radial-gradient(farthest-side at 0 50%, var(--scroll-shadow), transparent),
        radial-gradient(farthest-side at 100% 50%, var(--scroll-shadow), transparent);
      background-position: left center, right center, left center, right center;
      background-repeat: no-repeat;
      background-size: 2.5rem 100%, 2.5rem 100%, 0.8rem 100%, 0.8rem 100%;
      background-attachment: local, local, scroll, scroll;
    }
    /* KaTeX's hidden MathML is absolutely placed: keep it inside its box. */
    .cell-output, .katex { position: relative; }

    /* Figures: the narrow layout when the figure's box is narrow. */
    .figure { container-type: inline-size; }
    .figure-narrow { display: none; }
    .cell-output .figure svg.lectern-figure { display: block; width: 100%; height: auto; max-width: 720px; margin: 0.5rem auto; }
    .cell-output .figure-narrow svg.lectern-figure { max-width: 26rem; }
    @container (max-width: 479.9px) {
      .figure-wide { display: none; }
      .figure-narrow { display: block; }
    }
    @media (max-width: 600px) {
      .cell-output { padding: 0.3rem 0.5rem; }
      form.search { max-width: none; flex-basis: 100%; }
    }
    @media print {
      .topbar form.search, details.side { display: none; }
    }

    """
}
