import LecternDocument
import LecternResults

/// The outputs of an explorable lecture that differ between combinations:
/// each switchable element (a slot) names, per combination, the variant it
/// shows. Variants are stored once however many slots and combinations
/// show them; a combination that shows what the page serves (the default's
/// output) names no variant (-1).
final class VariantTable {
    private(set) var variants: [String] = []
    private var numbers: [String: Int] = [:]
    /// Per slot, per combination: the variant's number, or -1 for the served content.
    private(set) var slots: [[Int]] = []

    func add(_ all: [String], defaultIndex: Int) -> Int {
        slots.append(all.map { html in
            if html == all[defaultIndex] { return -1 }
            if let n = numbers[html] { return n }
            variants.append(html)
            numbers[html] = variants.count - 1
            return variants.count - 1
        })
        return slots.count - 1
    }
}

/// The parts of an explorable page: the controls (`panel`), and the variants
/// and the table that `assets/explore.js` switches with (`data`). The panel
/// is hidden until the script shows it, so with scripts off the page is the
/// default combination and nothing else.
enum ExplorePage {
    static func panel(_ e: Exploration) -> String {
        var out = "<form class=\"lx-panel\" id=\"lx-panel\" hidden aria-label=\"Explore the parameters\">\n"
        out += "<span class=\"lx-title\">Explore</span>\n"
        for (k, p) in e.params.enumerated() {
            guard let x = p.explore else { continue }
            let d = x.values.firstIndex(of: p.value) ?? 0
            let name = "<code>\(escapeHTML(p.name))</code>" + (x.label.map { " <span class=\"lx-desc\">\(textWithMath($0))</span>" } ?? "")
            switch x.control {
            case .checkbox:
                let checked = p.value == .bool(true) ? " checked" : ""
                out += "<label><input type=\"checkbox\" data-lx-param=\"\(k)\"\(checked)> \(name)</label>\n"
            case .range:
                out += "<label>\(name) <input type=\"range\" min=\"0\" max=\"\(x.values.count - 1)\" step=\"1\" value=\"\(d)\" data-lx-param=\"\(k)\">"
                out += " <output>\(escapeHTML(p.value.description))</output></label>\n"
            case .choice:
                out += "<label>\(name) <select data-lx-param=\"\(k)\">"
                for (i, v) in x.values.enumerated() {
                    out += "<option value=\"\(i)\"\(i == d ? " selected" : "")>\(escapeHTML(v.description))</option>"
                }
                out += "</select></label>\n"
            }
        }
        out += "</form>\n"
        return out
    }

    static func data(_ e: Exploration, _ table: VariantTable) -> String {
        var json = "{\"params\":["
        json += e.params.compactMap { p -> String? in
            guard let x = p.explore else { return nil }
            let values = x.values.map { jsonString($0.description) }.joined(separator: ",")
            return "{\"name\":\(jsonString(p.name)),\"values\":[\(values)],\"default\":\(x.values.firstIndex(of: p.value) ?? 0)}"
        }.joined(separator: ",")
        json += "],\"slots\":["
        json += table.slots.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",")
        json += "]}"
        var out = "<script type=\"application/json\" id=\"lectern-explore\">\(json)</script>\n"
        for (n, html) in table.variants.enumerated() {
            out += "<template id=\"lx-t-\(n)\">\(html)</template>\n"
        }
        return out
    }

    /// A JSON string literal that cannot end the script element it is in.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default:
                if u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// The line under the title of the GFM output.
    static func markdownLine(_ e: Exploration) -> String {
        let items = e.params.compactMap { p -> String? in
            guard let x = p.explore else { return nil }
            // Strings quoted, so that one holding a comma reads as one value.
            func text(_ v: ParamValue) -> String { if case .string(let s) = v { "\"\(s)\"" } else { v.description } }
            let values = x.values.count > 6
                ? "\(text(x.values[0])), \(text(x.values[1])), …, \(text(x.values.last!))"
                : x.values.map(text).joined(separator: ", ")
            return "\(p.name): \(values) (here \(text(p.value)))"
        }
        return "_Explorable in the HTML page, shown here at the defaults: " + escapeMarkdown(items.joined(separator: "; ")) + "._"
    }

    static let script = """
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

    """

    static let stylesheet = """
    /* The controls of an explorable lecture (assets/explore.js). */
    .lx-panel { position: sticky; top: 0; z-index: 10; display: flex; flex-wrap: wrap; align-items: center;
      gap: 0.4rem 1.25rem; margin: 0 0 1.5rem; padding: 0.5rem 0.75rem; background: var(--bg);
      border: 1px solid var(--border); border-radius: 6px; font: 0.9rem/1.4 system-ui, sans-serif;
      box-shadow: 0 2px 6px rgba(0, 0, 0, 0.08); }
    .lx-panel[hidden] { display: none; }
    .lx-panel .lx-title { font-weight: 600; color: var(--muted); }
    .lx-panel label { display: inline-flex; align-items: center; gap: 0.4rem; }
    .lx-panel .lx-desc { color: var(--muted); }
    .lx-panel output { min-width: 3ch; font-variant-numeric: tabular-nums; }
    .lx-panel input[type=range] { width: 9rem; }

    """
}
