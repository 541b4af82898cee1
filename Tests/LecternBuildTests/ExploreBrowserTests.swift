import Foundation
import Testing
@testable import LecternBuild
import LecternDocument

/// The controls of an explorable page, in headless Chromium: a harness page
/// holds the lecture in frames (same origin with --allow-file-access-from-files),
/// moves a control the way a reader does (value set, `input` event) and reports
/// what the lecture's page then shows, next to the page built with that value
/// fixed by -P, which is what the variant must be.
@Suite(.serialized) struct ExploreBrowser {
    static let lecture = """
    ---
    title: Explore
    params:
      rho: {value: 0.9, values: [0.5, 0.9, 1.1], label: "spectral radius"}
      n: 12
    ---
    # Explore

    ```swift {#fig-norm echo=false caption="Gradient norm"}
    var f = Figure(title: "norm", x: "k", y: "rho^k", yScale: .log)
    f.line(1...n, (1...n).map { pow(rho, Double($0)) }, label: "rho^k")
    show(f)
    ```

    After `{swift} n` steps the norm is `{swift} pow(rho, Double(n))`.

    ```swift
    print("constant")
    ```

    """ + String(repeating: "More prose, so that the page scrolls.\n\n", count: 60)

    /// Builds the explorable course into Output/ and, with rho fixed at 1.1, into fixed/.
    func build() throws -> TempCourse {
        let c = try TempCourse(["01-explore.md": ExploreBrowser.lecture])
        var o = BuildOptions()
        o.outputDirectory = c.output
        o.cacheDirectory = c.root + "/.lectern-cache"
        let course = try Course.load(c.lectures)
        let report = try CourseBuilder(course: course, options: o).build()
        #expect(report.diagnostics.map(\.description) == [])
        o.outputDirectory = c.root + "/fixed"
        o.overrides = try ParamOverrides(["rho=1.1"])
        _ = try CourseBuilder(course: course, options: o).build()
        return c
    }

    /// What the harness reports: the figure's markup and the inline values of
    /// the explorable page (`a`) and of the fixed one (`b`), and the fragment.
    /// `scripts: false` loads the explorable page in a frame sandboxed without scripts.
    /// `anchor`: then followed as a link in the page (`#anchor`), and where it and the panel end up is reported.
    func harness(_ c: TempCourse, page: String, move: Bool, scripts: Bool = true, anchor: String? = nil) throws -> [String: String] {
        let script = """
        <!DOCTYPE html><html><body>
        <iframe id="a" style="width: 390px; height: 400px" src="\(page)"\(scripts ? "" : " sandbox=\"allow-same-origin\"")></iframe><iframe id="b" src="../fixed/explore.html"></iframe>
        <pre id="result">pending</pre>
        <script>
        var loaded = 0;
        function look(d) {
          return { fig: d.querySelector("#fig-norm .cell-output").innerHTML,
                   value: Array.prototype.map.call(d.querySelectorAll("main p span.value"), function (s) { return s.textContent; }).join("|") };
        }
        function done() {
          if (++loaded < 2) return;
          var a = document.getElementById("a"), b = document.getElementById("b");
          var da = a.contentDocument;
          if (\(move)) {
            var select = da.querySelector("[data-lx-param='0']");
            select.value = "2";
            select.dispatchEvent(new Event("input", { bubbles: true }));
          }
          var x = look(da), y = look(b.contentDocument);
          var target = "\(anchor ?? "")", targetTop = "", panelBottom = "", scrolled = "";
          if (target) {
            a.contentWindow.location.hash = target;
            targetTop = String(da.getElementById(target).getBoundingClientRect().top);
            panelBottom = String(da.getElementById("lx-panel").getBoundingClientRect().bottom);
            scrolled = String(a.contentWindow.scrollY);
          }
          document.getElementById("result").textContent = JSON.stringify({
            targetTop: targetTop, panelBottom: panelBottom, scrolled: scrolled,
            sameFigure: String(x.fig === y.fig), sameValue: String(x.value === y.value), value: x.value,
            fixedValue: y.value, hash: a.contentWindow.location.hash,
            panelShown: String(!da.getElementById("lx-panel").hidden) });
        }
        document.getElementById("a").onload = done;
        document.getElementById("b").onload = done;
        </script></body></html>
        """
        let path = c.output + "/harness.html"
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        let dom = try runChromium(["--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom", "file://" + path])
        guard let start = dom.range(of: "<pre id=\"result\">"), let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else {
            return [:]
        }
        let json = String(dom[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&amp;", with: "&")
        return (try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))) ?? ["raw": json]
    }

    @Test(.enabled(if: chromiumPath() != nil, "Chromium is installed by scripts/test"))
    func movingAControlShowsThatCombinationsFigureAndValues() throws {
        let c = try build()
        let r = try harness(c, page: "explore.html", move: true)
        #expect(r["panelShown"] == "true", "\(r)")
        #expect(r["sameFigure"] == "true", "\(r)")
        #expect(r["sameValue"] == "true", "\(r)")
        #expect(r["value"] == "12|3.13843", "\(r)")  // 1.1^12
        #expect(r["hash"] == "#rho=1.1", "\(r)")
        // Before the move, the default is not what the fixed page shows.
        let still = try harness(c, page: "explore.html", move: false)
        #expect(still["sameFigure"] == "false" && still["value"] == "12|0.28243", "\(still)")
    }

    @Test(.enabled(if: chromiumPath() != nil, "Chromium is installed by scripts/test"))
    func theFragmentSelectsACombination() throws {
        let c = try build()
        let r = try harness(c, page: "explore.html#rho=1.1", move: false)
        #expect(r["sameFigure"] == "true", "\(r)")
        #expect(r["sameValue"] == "true", "\(r)")
    }

    /// A link to a figure (a cross-reference) scrolls it to just below the sticky
    /// controls, not under them, at phone width where the panel wraps.
    @Test(.enabled(if: chromiumPath() != nil, "Chromium is installed by scripts/test"))
    func aLinkedFigureIsNotHiddenUnderTheControls() throws {
        let c = try build()
        let r = try harness(c, page: "explore.html", move: false, anchor: "fig-norm")
        let top = try #require(Double(r["targetTop"] ?? ""), "\(r)")
        let bottom = try #require(Double(r["panelBottom"] ?? ""), "\(r)")
        #expect((Double(r["scrolled"] ?? "") ?? 0) > 0, "the page did not scroll: \(r)")
        #expect(top >= bottom, "\(r)")
        #expect(top < bottom + 40, "\(r)")
    }

    @Test(.enabled(if: chromiumPath() != nil, "Chromium is installed by scripts/test"))
    func withScriptsOffThePageIsTheDefault() throws {
        let c = try build()
        let r = try harness(c, page: "explore.html#rho=1.1", move: false, scripts: false)
        #expect(r["panelShown"] == "false", "\(r)")
        #expect(r["value"] == "12|0.28243", "\(r)")
        #expect(r["sameFigure"] == "false", "\(r)")
        // The variants are inert templates in the served page.
        let page = c.read("explore.html") ?? ""
        #expect(page.contains("<template id=\"lx-t-") && page.contains("3.13843"))
    }
}
