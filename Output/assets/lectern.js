// Renders math with KaTeX (offline, from assets/katex) and, under
// `lectern watch`, reloads the page when the build changes.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (window.katex) {
    document.querySelectorAll(".math").forEach(function (el) {
      var display = el.classList.contains("display");
      try {
        katex.render(el.textContent, el, { displayMode: display, throwOnError: false, output: "htmlAndMathml" });
      } catch (e) {
        el.classList.add("math-error");
        el.title = String(e);
      }
    });
  }
  if (location.protocol.indexOf("http") === 0 && window.EventSource) {
    var source = new EventSource("/__lectern/events");
    source.addEventListener("reload", function () { location.reload(); });
  }
});
