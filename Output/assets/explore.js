// Switches the outputs of an explorable lecture between the combinations
// of its params: the controls of #lx-panel pick one, the URL fragment
// (#rho=1.1&steps=50) names it, and every .lx-var element shows its
// variant (from the <template>s) or what the page was served with.
"use strict";
(function () {
  function start() {
    var dataEl = document.getElementById("lectern-explore");
    var panel = document.getElementById("lx-panel");
    if (!dataEl || !panel) return;
    var data = JSON.parse(dataEl.textContent);
    var params = data.params;
    var choice = params.map(function (p) { return p.default; });
    var elements = Array.prototype.slice.call(document.querySelectorAll(".lx-var"));
    var served = elements.map(function (el) { return el.innerHTML; });
    var shown = elements.map(function () { return -1; });
    var controls = Array.prototype.slice.call(panel.querySelectorAll("[data-lx-param]"));

    function combination() {
      var k = 0;
      for (var i = 0; i < params.length; i++) k = k * params[i].values.length + choice[i];
      return k;
    }
    function renderMath(root) {
      if (!window.katex) return;
      root.querySelectorAll(".math").forEach(function (m) {
        if (m.querySelector(".katex")) return;
        try {
          katex.render(m.textContent, m, { displayMode: m.classList.contains("display"), throwOnError: false, output: "htmlAndMathml" });
        } catch (e) { m.classList.add("math-error"); }
      });
    }
    function show() {
      var c = combination();
      elements.forEach(function (el, i) {
        var v = data.slots[+el.getAttribute("data-lx")][c];
        if (v === shown[i]) return;
        shown[i] = v;
        el.innerHTML = v < 0 ? served[i] : document.getElementById("lx-t-" + v).innerHTML;
        if (v >= 0) renderMath(el);
      });
      controls.forEach(function (input) {
        var i = +input.getAttribute("data-lx-param");
        if (input.type === "checkbox") input.checked = params[i].values[choice[i]] === "true";
        else input.value = String(choice[i]);
        var out = input.parentNode.querySelector("output");
        if (out) out.textContent = params[i].values[choice[i]];
      });
    }
    function valueIndex(p, text) {
      var i = p.values.indexOf(text);
      if (i >= 0) return i;
      var x = Number(text);
      if (text !== "" && !isNaN(x)) {
        for (var j = 0; j < p.values.length; j++) if (Number(p.values[j]) === x) return j;
      }
      return -1;
    }
    function fromFragment() {
      var h = location.hash.slice(1);
      if (h.indexOf("=") < 0) return false;
      function decode(t) { try { return decodeURIComponent(t); } catch (e) { return t; } }
      h.split("&").forEach(function (pair) {
        var eq = pair.indexOf("=");
        if (eq < 0) return;
        var name = decode(pair.slice(0, eq)), text = decode(pair.slice(eq + 1));
        params.forEach(function (p, i) {
          if (p.name !== name) return;
          var j = valueIndex(p, text);
          if (j >= 0) choice[i] = j;
        });
      });
      return true;
    }
    function toFragment() {
      var h = params.map(function (p, i) {
        return encodeURIComponent(p.name) + "=" + encodeURIComponent(p.values[choice[i]]);
      }).join("&");
      history.replaceState(null, "", "#" + h);
    }
    controls.forEach(function (input) {
      var i = +input.getAttribute("data-lx-param");
      input.addEventListener(input.type === "checkbox" ? "change" : "input", function () {
        if (input.type === "checkbox") choice[i] = params[i].values.indexOf(input.checked ? "true" : "false");
        else choice[i] = +input.value;
        show();
        toFragment();
      });
    });
    window.addEventListener("hashchange", function () { if (fromFragment()) show(); });
    panel.addEventListener("submit", function (e) { e.preventDefault(); });
    panel.hidden = false;
    // A heading or figure reached by a link is not left under the sticky panel,
    // whose height depends on the width (it wraps on a phone).
    function pad() { document.documentElement.style.scrollPaddingTop = (panel.offsetHeight + 12) + "px"; }
    pad();
    window.addEventListener("resize", pad);
    fromFragment();
    show();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
