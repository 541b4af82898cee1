import Foundation
import Testing
@testable import LecternBuild
import LecternCheck
import LecternDocument
import LecternRender

func katexAvailable() -> Bool { (try? KaTeXEngine.locate().get()) != nil }

func toolPath(_ name: String) -> String? {
    ["/usr/bin/\(name)", "/usr/local/bin/\(name)"].first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Runs a command-line tool and returns its stdout.
func runTool(_ path: String, _ args: [String]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

let brokenFormulaLecture = """
---
title: Broken
---

Fine $x^2$ here.

A mistake: $\\frac{a}{b$ and an unknown $y \\foo z$.

$$
\\sum_{i=1}^n i
$$

"""

@Suite(.serialized) struct MathAtBuild {
    @Test(.enabled(if: katexAvailable(), "node and KaTeX are installed by scripts/install-deps"))
    func pagesHoldKaTeXAndNoScriptForIt() throws {
        let c = try TempCourse(["01-spectral.md": demoLecture])
        let report = try c.build()
        #expect(report.math == .build)
        #expect(report.diagnostics.map(\.description) == [])
        let page = try #require(c.read("spectral.html"))
        #expect(!page.contains("katex.min.js"))
        #expect(page.components(separatedBy: "<span class=\"katex\">").count - 1 == 5)
        #expect(page.contains("<annotation encoding=\"application/x-tex\">\\rho(W) = \\max_i |\\lambda_i|.</annotation>"))
        #expect(!page.contains("data-at="))
        #expect(c.snapshot()["assets/katex/katex.min.js"] == nil)
        // The GFM output keeps the TeX as written.
        #expect(c.read("spectral.md")!.contains("$$\\rho(W) = \\max_i |\\lambda_i|.$$"))
    }

    @Test(.enabled(if: katexAvailable(), "node and KaTeX are installed by scripts/install-deps"))
    func aBrokenFormulaIsAWarningAtItsLineAndColumnAndACheckFailure() throws {
        let c = try TempCourse(["01-broken.md": brokenFormulaLecture])
        let report = try c.build()
        let math = report.diagnostics.filter { $0.kind == .math }
        #expect(math.count == 2)
        // Line 7 is "A mistake: $\frac{a}{b$ and an unknown $y \foo z$.": KaTeX
        // points at the end of the first formula (column 24) and at \foo (column 43).
        #expect(math.map(\.severity) == [.warning, .warning])
        #expect(math.map { "\($0.line):\($0.column)" } == ["7:23", "7:43"])
        #expect(math[0].file.hasSuffix("Lectures/01-broken.md"))
        #expect(math[0].message.contains("KaTeX parse error"))
        #expect(math[1].message.contains("Undefined control sequence: \\foo"))
        let page = try #require(c.read("broken.html"))
        #expect(page.components(separatedBy: "math-error").count - 1 == 2)
        #expect(page.contains("<code>y \\foo z</code>"))
        #expect(page.components(separatedBy: "<span class=\"katex\">").count - 1 == 2)  // x^2 and the sum
        #expect(c.read("broken.md")!.contains("$\\frac{a}{b$"))

        // A rebuild takes every formula from the cache, errors included, and warns again.
        let again = try c.build()
        #expect(again.formulasRendered == 0)
        #expect(again.diagnostics.filter { $0.kind == .math } == math)

        var o = CourseChecker.Options()
        o.outputDirectory = c.output
        o.cacheDirectory = c.root + "/.lectern-cache"
        let findings = try CourseChecker(course: try Course.load(c.lectures), options: o).check()
        let failed = findings.report.failures.filter { $0.kind == .math }
        #expect(failed.map { "\($0.line):\($0.column)" } == ["7:23", "7:43"])
        #expect(findings.report.failed == 2)
        #expect(findings.warnings.filter { $0.kind == .math }.isEmpty)
    }

    /// node started early (while lectures compile) gives what node started late gives;
    /// one started for nothing is ended, and nothing is cached from it.
    @Test(.enabled(if: katexAvailable(), "node and KaTeX are installed by scripts/install-deps"))
    func nodeStartedEarlyTypesetsAsNodeStartedLate() throws {
        let engine = try KaTeXEngine.locate().get()
        let formulas: Set<Formula> = [Formula(tex: "x^2", display: false), Formula(tex: "\\frac{1}{", display: true)]
        let dirs = (0..<3).map { _ in NSTemporaryDirectory() + "lectern-math-" + UUID().uuidString }
        defer { for d in dirs { try? FileManager.default.removeItem(atPath: d) } }
        let late = try MathTypesetter(engine: engine, cacheDirectory: dirs[0]).typeset(formulas)
        let early = MathTypesetter(engine: engine, cacheDirectory: dirs[1])
        early.prepare()
        #expect(try early.typeset(formulas) == late)
        #expect(early.rendered == 2)
        if case .html(let html)? = late[Formula(tex: "x^2", display: false)] { #expect(html.contains("katex")) }
        else { Issue.record("x^2 was not typeset") }
        // Started, then not needed: ended, and the typesetter still answers from the cache.
        let idle = MathTypesetter(engine: engine, cacheDirectory: dirs[1])
        idle.prepare()
        let start = Date()
        #expect(try idle.typeset(formulas) == late)
        #expect(idle.rendered == 0)
        #expect(Date().timeIntervalSince(start) < 5)
        // Nothing missing from the prose: prepare starts nothing and caches nothing.
        let none = MathTypesetter(engine: engine, cacheDirectory: dirs[2])
        none.prepare([])
        #expect(try none.typeset([]) == [:])
        #expect(!FileManager.default.fileExists(atPath: none.cacheFile))
    }

    @Test(.enabled(if: katexAvailable(), "node and KaTeX are installed by scripts/install-deps"))
    func aFormulaInACellOutputIsTypesetAndAnErrorThereNamesTheCell() throws {
        let c = try TempCourse(["01-cell.md": """
        # Cell

        ```swift {#shown caption="Decay of $w^t$"}
        math("\\\\frac{1}{2}")
        math("\\\\frac{1}{")
        ```

        """])
        let report = try c.build()
        let math = report.diagnostics.filter { $0.kind == .math }
        #expect(math.map { "\($0.line):\($0.column)" } == ["3:1"])
        #expect(math.first?.message.contains("in the output of #shown") == true)
        let page = try #require(c.read("cell.html"))
        #expect(page.components(separatedBy: "<span class=\"katex\">").count - 1 == 2)  // caption and 1/2
    }

    @Test func withoutKaTeXTheBrowserRendersAndOneWarningSaysSo() throws {
        let c = try TempCourse(["01-spectral.md": demoLecture, "02-more.md": "# More\n\n$a+b$ and $c$\n"])
        var o = BuildOptions()
        o.outputDirectory = c.output
        o.cacheDirectory = c.root + "/.lectern-cache"
        o.mathEngine = .failure(KaTeXEngine.Missing(reason: "node was not found on PATH"))
        let report = try CourseBuilder(course: try Course.load(c.lectures), options: o).build()
        #expect(report.math == .browser)
        let warnings = report.diagnostics.filter { $0.severity == .warning }
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.contains("node was not found on PATH") == true)
        #expect(warnings.first?.message.contains("browser") == true)
        let page = try #require(c.read("spectral.html"))
        #expect(page.contains("<script defer src=\"assets/katex/katex.min.js\"></script>"))
        #expect(page.contains("<span class=\"math inline\">\\lambda</span>"))
        #expect(c.snapshot()["assets/katex/katex.min.js"] != nil)
        // The same engine missing finds a real reason when asked.
        let missing = KaTeXEngine.locate(environment: ["PATH": "/nonexistent"])
        #expect(missing == .failure(KaTeXEngine.Missing(reason: "node was not found on PATH")))
    }

    @Test(.enabled(if: katexAvailable(), "node and KaTeX are installed by scripts/install-deps"))
    func typesetPagesAreByteDeterministicColdAndWarm() throws {
        let c = try TempCourse(["01-spectral.md": demoLecture, "02-broken.md": brokenFormulaLecture])
        let cold = try c.build()
        #expect(cold.formulasRendered > 0)
        let first = c.snapshot()
        try FileManager.default.removeItem(atPath: c.output)
        let warm = try c.build()
        #expect(warm.formulasRendered == 0)
        #expect(c.snapshot() == first)
        // A cache file that is cut short is read as far as it is whole.
        let dir = c.root + "/.lectern-cache/math"
        let file = dir + "/" + (try FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasSuffix(".cache") }!)
        let bytes = try #require(FileManager.default.contents(atPath: file))
        try bytes.prefix(bytes.count - 10).write(to: URL(fileURLWithPath: file))
        try FileManager.default.removeItem(atPath: c.output)
        let cut = try c.build()
        #expect(cut.formulasRendered >= 1)
        #expect(c.snapshot() == first)
    }

    @Test(.enabled(if: katexAvailable() && chromiumPath() != nil, "node, KaTeX and Chromium are installed by scripts/test"))
    func aPageWithJavaScriptDisabledShowsRenderedMath() throws {
        let c = try TempCourse(["01-spectral.md": demoLecture])
        _ = try c.build()
        // The page as built, with every script refused by its content security policy.
        let page = try #require(c.read("spectral.html"))
        let noScript = page.replacingOccurrences(
            of: "<meta charset=\"utf-8\">",
            with: "<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'\">")
        #expect(noScript != page)
        try Data(noScript.utf8).write(to: URL(fileURLWithPath: c.output + "/no-script.html"))
        let profile = c.root + "/profile"
        let url = "file://\(c.output)/no-script.html"
        let dom = try runChromium(["--user-data-dir=\(profile)", "--dump-dom", url])
        #expect(dom.components(separatedBy: "class=\"katex-html\"").count - 1 == 5)
        #expect(dom.components(separatedBy: "class=\"katex-display\"").count - 1 == 1)
        let shot = artifactsDirectory() + "/math-without-javascript.png"
        try? FileManager.default.removeItem(atPath: shot)
        try runChromium(["--user-data-dir=\(profile)", "--window-size=900,700", "--screenshot=\(shot)", url])
        #expect(FileManager.default.fileExists(atPath: shot))
    }
}

@Suite(.serialized) struct PDF {
    static let lecture = """
    ---
    title: Printed notes
    ---

    # Printed notes

    The spectral radius $\\rho(A) = \\max_i |\\lambda_i|$ decides. See [the KaTeX site](https://katex.org/docs/).

    ```swift {#sum}
    let total = (1...12345).reduce(0, +)
    print("total =", total)
    ```

    $$
    \\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}
    $$

    | $n$ | sum |
    |---|---|
    | 3 | 6 |

    """

    static func pages(_ pdf: String) throws -> Int {
        let info = try runTool(toolPath("pdfinfo")!, [pdf])
        let line = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }
        return Int(line?.split(separator: " ").last ?? "") ?? -1
    }

    @Test(.enabled(if: chromiumPath() != nil && toolPath("pdftotext") != nil && toolPath("pdfinfo") != nil,
                   "Chromium and poppler-utils are installed by scripts/test"))
    func pdfsHoldTheComputedNumbersAndNoTeXAndPrintTheSameTwice() throws {
        let c = try TempCourse(["01-printed.md": Self.lecture, "02-second.md": "# Second\n\nThe end, $e^{i\\pi} = -1$.\n"])
        var o = BuildOptions()
        o.outputDirectory = c.output
        o.cacheDirectory = c.root + "/.lectern-cache"
        o.pdf = .a4
        let report = try CourseBuilder(course: try Course.load(c.lectures), options: o).build()
        #expect(report.diagnostics.filter { $0.severity == .error }.map(\.description) == [])
        for f in ["printed.pdf", "second.pdf", "course.pdf"] {
            #expect(FileManager.default.fileExists(atPath: c.output + "/" + f), "missing \(f)")
        }
        let text = try runTool(toolPath("pdftotext")!, [c.output + "/printed.pdf", "-"])
        #expect(text.contains("76205685"))  // 1 + ... + 12345, computed by the cell
        #expect(text.contains("https://katex.org/docs/"))  // a link printed with its target
        for tex in ["\\rho", "\\sum", "\\frac", "$", "\\lambda"] { #expect(!text.contains(tex), "raw TeX \(tex) in the PDF") }
        let course = try runTool(toolPath("pdftotext")!, [c.output + "/course.pdf", "-"])
        #expect(course.contains("76205685") && course.contains("The end"))
        // Each lecture's pages carry its own title at the top; the last page is the second lecture's.
        let coursePages = try Self.pages(c.output + "/course.pdf")
        func firstLine(_ page: Int) throws -> String {
            let t = try runTool(toolPath("pdftotext")!, ["-f", "\(page)", "-l", "\(page)", c.output + "/course.pdf", "-"])
            return t.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty } ?? ""
        }
        #expect(coursePages >= 3)
        #expect(try firstLine(2) == "Printed notes")
        #expect(try firstLine(coursePages) == "Second")
        let info = try runTool(toolPath("pdfinfo")!, [c.output + "/printed.pdf"])
        #expect(info.contains("A4"))
        #expect(!info.contains("CreationDate"))
        let pages = try Self.pages(c.output + "/printed.pdf")
        #expect(pages >= 1)
        let first = try #require(FileManager.default.contents(atPath: c.output + "/printed.pdf"))

        // A second build prints the same pages: the same page count and bytes.
        try FileManager.default.removeItem(atPath: c.output + "/printed.pdf")
        _ = try CourseBuilder(course: try Course.load(c.lectures), options: o).build()
        #expect(try Self.pages(c.output + "/printed.pdf") == pages)
        #expect(FileManager.default.contents(atPath: c.output + "/printed.pdf") == first)

        // Letter paper on request; a build without --pdf keeps the PDFs.
        o.pdf = .letter
        _ = try CourseBuilder(course: try Course.load(c.lectures), options: o).build()
        #expect(try runTool(toolPath("pdfinfo")!, [c.output + "/printed.pdf"]).contains("letter"))
        o.pdf = nil
        _ = try CourseBuilder(course: try Course.load(c.lectures), options: o).build()
        #expect(FileManager.default.fileExists(atPath: c.output + "/printed.pdf"))

        // check leaves the PDFs out of the freshness check.
        var co = CourseChecker.Options()
        co.outputDirectory = c.output
        co.cacheDirectory = c.root + "/.lectern-cache"
        let findings = try CourseChecker(course: try Course.load(c.lectures), options: co).check()
        #expect(findings.report.failures.map(\.diagnostic) == [])
    }

    @Test func datesAreBlankedInPlace() {
        let pdf = Array("<</Producer (Skia/PDF m156)\n/CreationDate (D:20261202011305+00'00')\n/ModDate (D:20261202011305+00'00')>>".utf8)
        let out = PDFPrinter.blankDates(pdf)
        #expect(out.count == pdf.count)
        let s = String(decoding: out, as: UTF8.self)
        #expect(!s.contains("Date") && !s.contains("2026"))
        #expect(s.hasPrefix("<</Producer (Skia/PDF m156)\n"))
    }

    @Test func structureNodesAreRenumberedInOrder() {
        let pdf = Array("/ID (node00000540)>> /ID (node00000031)>> /K (node00000540) (node12)".utf8)
        let out = String(decoding: PDFPrinter.renumberNodes(pdf), as: UTF8.self)
        #expect(out == "/ID (node00000001)>> /ID (node00000002)>> /K (node00000001) (node03)")
    }

    @Test func courseYmlTurnsPDFsOnAndPicksThePaper() {
        var d: [Diagnostic] = []
        let c = CourseConfig.parse("pdf: true\npaper: letter\n", path: "course.yml", diagnostics: &d)
        #expect(d.isEmpty)
        #expect(c.pdf == true && c.paper == .letter)
        _ = CourseConfig.parse("pdf: sometimes\npaper: A5\n", path: "course.yml", diagnostics: &d)
        #expect(d.map(\.message) == ["'pdf' must be true or false", "'paper' must be a4 or letter"])
        #expect(d.map(\.line) == [1, 2])
    }
}
