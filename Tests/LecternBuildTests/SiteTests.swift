import Foundation
import Testing
@testable import LecternBuild
@testable import LecternRender

/// The page checks in `site_check.py` need Selenium (pip), axe-core (pip's
/// axe-selenium-python) and Debian's chromium-driver; `scripts/test` installs them.
func siteCheckAvailable() -> Bool {
    guard chromiumPath() != nil, FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") else { return false }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import selenium, axe_selenium_python"]
    p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    p.standardError = FileHandle(forWritingAtPath: "/dev/null")
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
}

/// Runs `site_check.py` and decodes the JSON it prints.
func siteCheck(_ args: [String]) throws -> [String: Any] {
    var script = URL(fileURLWithPath: #filePath)
    script.deleteLastPathComponent()
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", script.appendingPathComponent("site_check.py").path] + args
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0, let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        Issue.record("site_check.py \(args.first ?? "") failed: \(String(decoding: errors, as: UTF8.self))")
        return [:]
    }
    return json
}

let siteLectures: [String: String] = [
    "01-alpha.md": """
    ---
    title: Alpha, with every wide thing
    ---

    ## Numbers

    The smallest value is `{swift} 2.8e-18` and the ratio is `{swift} 9.5367431640625e-07`.

    $$\\sum_{k=0}^{L-1} \\prod_{j=k+1}^{L} \\operatorname{diag}(1 - h_j^2)\\, W_h^\\top \\frac{\\partial \\mathcal{L}}{\\partial h_L} + \\sum_{k=0}^{L-1} \\prod_{j=k+1}^{L} \\operatorname{diag}(1 - h_j^2)\\, W_h^\\top$$

    ```swift {#tbl-wide echo=false caption="A wide table, headers with math"}
    var t = Table(headers: ["$L$", "$\\\\rho^L$", "$(\\\\gamma\\\\|W_h\\\\|)^L$", "$\\\\sigma_{max}$", "$\\\\sigma_{min}$", "ratio $a/b$", "error $e$"])
    for L in [1, 10, 50, 100] {
        let x = pow(0.7, Double(L))
        t.row(L, x, x * 1e-3, 1 / x, x * x, x / 3, x * 7e-9)
    }
    show(t)
    print(String(repeating: "0123456789 ", count: 3) + String(repeating: "x", count: 200))
    ```

    ## Figures

    ```swift {#fig-log echo=false caption="The dashed grey line is the reference"}
    var f = Figure(title: "Gradient norm against window length", x: "window L", y: "\\\\|\\\\partial h_T/\\\\partial h_{T-L}\\\\|",
                   yScale: .log, width: 460, height: 380)
    for (k, r) in [0.8, 0.9, 1.1].enumerated() {
        f.line(0...30, (0...30).map { pow(r, Double($0)) * 0.5 }, label: "ρ = \\(r)", markers: true)
        f.line(0...30, (0...30).map { pow(r, Double($0)) }, label: "\\(r)^L", of: 2 * k)
    }
    f.hline(1.0 / 12)
    show(f)
    ```

    ```swift {#fig-plane echo=false caption="Complex plane"}
    show(Figure.complexPlane(try Matrix.rotation(0.6).eigenvalues(), title: "Orthogonal spectra", label: "random 8×8", size: 340))
    ```
    """,
    "02-beta.md": """
    ---
    title: Beta
    ---

    ## Opening

    Nothing special here.

    ## Quiet corner

    Only this section of this lecture says zephyrine.
    """,
]

@Suite(.serialized) struct Site {
    @Test func theSearchIndexHoldsSectionsAsThePageShowsThem() throws {
        let body = """
        <p>Intro &amp; more <span class="math inline">\\rho</span></p>
        <h2 id="one">First <a class="anchor" href="#one">#</a></h2>
        <p>Value <span class="value">2.8e-18</span></p><svg><text>tick</text></svg>
        <pre class="code swift"><code>let secret = 1</code></pre>
        <h3 id="two">Second</h3><table><tr><td>a</td><td>b</td></tr></table>
        """
        let sections = SearchIndex.sections(body: body)
        #expect(sections == [
            .init(anchor: "", heading: "", text: "Intro & more"),
            .init(anchor: "one", heading: "First", text: "Value 2.8e-18"),
            .init(anchor: "two", heading: "Second", text: "a b"),
        ])
        let file = String(decoding: SearchIndex.lectureFile(slug: "s", title: "T \"q\" </script>", body: body), as: UTF8.self)
        #expect(file.hasPrefix("LecternSearch.add({\"slug\":\"s\",\"title\":\"T \\\"q\\\" \\u003c/script>\""))
    }

    @Test func exponentsStayOnOneLineAndCopyAsTheyAre() {
        #expect(escapeHTMLKeepingNumbers("x = 2.8e-18 and -9.5e+07, not e-1 or 3") ==
                "x = <span class=\"num\">2.8e-18</span> and <span class=\"num\">-9.5e+07</span>, not e-1 or 3")
        #expect(escapeHTMLKeepingNumbers("a < b") == "a &lt; b")
    }

    @Test func theBuildWritesTheIndexAndTheSideBarDeterministically() throws {
        let c = try TempCourse(siteLectures)
        let report = try c.build()
        #expect(report.searchIndexSizes.map(\.slug) == ["alpha", "beta"])
        #expect(report.searchIndexTotal > report.searchIndexSizes.map(\.bytes).reduce(0, +))
        let first = c.snapshot()
        let beta = try #require(c.read("assets/search/beta.js"))
        #expect(beta.contains("\"a\":\"quiet-corner\",\"h\":\"Quiet corner\",\"t\":\"Only this section of this lecture says zephyrine.\""))
        let alpha = try #require(c.read("assets/search/alpha.js"))
        #expect(alpha.contains("2.8e-18"), "computed values are indexed as the page shows them")
        #expect(!alpha.contains("zephyrine"))
        #expect(c.read("assets/search/index.js")?.contains("{\"slug\":\"alpha\",\"title\":\"Alpha, with every wide thing\"}") == true)
        #expect(c.read("assets/lunr.min.js")?.contains("lunr") == true)
        let page = try #require(c.read("beta.html"))
        #expect(page.contains("<a href=\"beta.html\" aria-current=\"page\">Beta</a>"))
        #expect(page.contains("<li><a href=\"#quiet-corner\">Quiet corner</a></li>"))
        #expect(page.contains("<li><a href=\"alpha.html\">Alpha, with every wide thing</a></li>"))
        try FileManager.default.removeItem(atPath: c.output)
        _ = try c.build()
        #expect(c.snapshot() == first, "a second build writes the same bytes")
    }

    @Test(.enabled(if: siteCheckAvailable(), "needs chromium-driver and pip's selenium and axe-selenium-python (scripts/test)"))
    func searchFindsAWordInOneLectureAndLinksToItsSection() throws {
        let c = try TempCourse(siteLectures)
        _ = try c.build()
        let r = try siteCheck(["search", c.output, "alpha.html", "zephyrine"])
        #expect(r["visible"] as? Bool == true)
        #expect(r["focused"] as? String == "search-box", "/ focuses the search box")
        let results = r["results"] as? [[String: Any]] ?? []
        #expect(results.count == 1)
        #expect(results.first?["href"] as? String == "beta.html#quiet-corner")
        #expect(results.first?["where"] as? String == "Beta › Quiet corner")
        #expect(results.first?["marked"] as? [String] == ["zephyrine"])
        #expect(r["status"] as? String == "1 result")
        #expect(r["selected"] as? String == "search-result-0")
        #expect((r["went"] as? String)?.hasSuffix("/beta.html#quiet-corner") == true, "Enter opens the result: \(r["went"] ?? "")")
    }

    /// Pages with wide tables, math, output and figures at phone width, and
    /// axe on them; screenshots in `test-artifacts/site-sample/`.
    @Test(.enabled(if: siteCheckAvailable(), "needs chromium-driver and pip's selenium and axe-selenium-python (scripts/test)"))
    func widePartsScrollInTheirBoxesAndFiguresStayLegible() throws {
        let c = try TempCourse(siteLectures)
        let report = try c.build()
        #expect(report.diagnostics.map(\.description) == [])
        let r = try siteCheck(["pages", c.output, artifactsDirectory() + "/site-sample", "alpha.html", "beta.html", "index.html"])
        #expect(r.count == 3)
        for (name, value) in r {
            try checkPage(name, value)
        }
        let alpha = r["alpha.html"] as? [String: Any]
        for width in [360, 390] {
            let m = alpha?["measure\(width)"] as? [String: Any]
            #expect((m?["minFigureText"] as? Double ?? 0) >= 10.5, "figure text at \(width) px: \(m ?? [:])")
        }
    }

    /// Every page of the committed course (`Output/`, as `lectern build` wrote
    /// it): no sideways scrolling at 390 px, no serious or critical axe finding.
    /// Screenshots at 390 and 1280 px, light and dark, in `test-artifacts/site/`.
    @Test(.enabled(if: siteCheckAvailable(), "needs chromium-driver and pip's selenium and axe-selenium-python (scripts/test)"))
    func everyPageOfTheCourseAtPhoneWidthAndToAxe() throws {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let output = root.appendingPathComponent("Output").path
        let pages = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasSuffix(".html") }.sorted()
        try #require(pages.contains("index.html"))
        let r = try siteCheck(["pages", output, artifactsDirectory() + "/site"] + pages)
        #expect(r.count == pages.count)
        for (name, value) in r.sorted(by: { $0.key < $1.key }) {
            try checkPage(name, value)
        }
    }

    func checkPage(_ name: String, _ value: Any) throws {
        let page = try #require(value as? [String: Any])
        for width in [360, 390] {
            let m = page["measure\(width)"] as? [String: Any] ?? [:]
            let sw = m["scrollWidth"] as? Int ?? -1, vw = m["viewport"] as? Int ?? 0
            #expect(vw == width)
            #expect(sw <= vw, "\(name) is \(sw) px wide at \(width) px: \(m["sticking"] ?? "")")
            #expect((m["brokenNumbers"] as? [String] ?? []) == [], "\(name): numbers split over two lines at \(width) px")
            if let t = m["minFigureText"] as? Double {
                #expect(t >= 10.5, "\(name): figure text \(t) px at \(width) px (\(m["minFigureTextAt"] ?? ""))")
            }
        }
        let violations = page["violations"] as? [[String: Any]] ?? []
        #expect(violations.isEmpty, "\(name): axe found \(violations)")
    }
}
