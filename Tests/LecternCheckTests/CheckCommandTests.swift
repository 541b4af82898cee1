import Foundation
import FoundationXML
import Testing

/// A course in a temporary folder, and the `lectern` executable run in it.
final class CourseFolder {
    let root = NSTemporaryDirectory() + "lectern-check-" + UUID().uuidString

    init(_ files: [String: String]) throws {
        try FileManager.default.createDirectory(atPath: root + "/Lectures", withIntermediateDirectories: true)
        for (name, text) in files { try write("Lectures/" + name, text) }
    }

    func write(_ relative: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: root + "/" + relative))
    }

    func read(_ relative: String) -> String? { try? String(contentsOfFile: root + "/" + relative, encoding: .utf8) }

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// Runs `lectern args…` with the course folder as working directory.
    @discardableResult
    func lectern(_ args: String..., environment extra: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: lecternExecutable())
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        var env = ProcessInfo.processInfo.environment
        env["CI"] = "true"
        env["NO_COLOR"] = "1"
        env.merge(extra) { _, new in new }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

/// The `lectern` built next to the test bundle (`swift build` makes both).
func lecternExecutable() -> String {
    let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var dir = runner.deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("lectern").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir.deleteLastPathComponent()
    }
    var root = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { root.deleteLastPathComponent() }
    return root.appendingPathComponent(".build/debug/lectern").path
}

func lecture(_ body: String) -> String { "---\ntitle: T\n---\n# T\n\n" + body }

/// `lectern check` through the command line, one failure kind per test:
/// exit status, the compiler-form line, the GitHub annotation, the JUnit case.
@Suite(.serialized) struct CheckCommand {
    // Line numbers below count from the front matter: line 6 is the body's first line.

    @Test func wrongNumberInAnOutputBlock() throws {
        let c = try CourseFolder(["01-t.md": lecture("""
        ```swift {#radius}
        print("radius:", 2.0001)
        ```
        ```output
        radius: 2
        ```

        """)])
        try c.lectern("build")
        let r = try c.lectern("check", "--format", "github", "--junit", "report.xml")
        #expect(r.status == 1)
        let line = "Lectures/01-t.md:10:9: error: expected 2, got 2.0001 (rtol 1e-09: |difference| 0.0001 > allowed 2e-09)"
        #expect(r.stdout.contains(line + "\n"))
        #expect(r.stdout.contains("::error file=Lectures/01-t.md,line=10,col=9,title=lectern check%3A output of #radius::expected 2, got 2.0001 (rtol 1e-09: |difference| 0.0001 > allowed 2e-09)\n"))
        #expect(r.stdout.hasSuffix("2 passed, 1 failed\n"))
        let xml = try XMLDocument(xmlString: try #require(c.read("report.xml")))
        let failures = try xml.nodes(forXPath: "//testcase[@name='output of #radius']/failure")
        #expect(failures.count == 1)
        #expect((failures.first as? XMLElement)?.attribute(forName: "message")?.stringValue
                == "expected 2, got 2.0001 (rtol 1e-09: |difference| 0.0001 > allowed 2e-09)")
    }

    @Test func numberWithinToleranceOrAStatedToleranceHolds() throws {
        let c = try CourseFolder(["01-t.md": """
        ---
        title: T
        rtol: 1e-3
        ---
        # T

        ```swift
        print("radius:", 2.000000001)
        ```
        ```output
        radius: 2
        ```

        ```swift {atol=0.01 rtol=0}
        print("loss", 0.693147)
        ```
        ```output
        loss 0.69
        ```

        ```swift
        print("ln 2 =", 0.6931471805599453)
        ```
        ```output
        ln 2 = 0.6932
        ```

        """])
        try c.lectern("build")
        let r = try c.lectern("check", "--format", "github")
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(!r.stdout.contains("::error"))
        #expect(r.stdout == "5 passed, 0 failed\n")
    }

    @Test func aLecternKitThatIsNotThereIsAnErrorThatSaysSo() throws {
        let c = try CourseFolder(["01-t.md": lecture("""
        ```swift
        print(1)
        ```

        """)])
        let r = try c.lectern("build", environment: ["LECTERN_KIT": c.root + "/no-kit"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("LECTERN_KIT is set to '\(c.root)/no-kit', which holds no libLecternKit.so"), "\(r.stderr)")
    }

    @Test func anOutputThatIsAFileGetsASentenceNotAnErrorCode() throws {
        let c = try CourseFolder(["01-t.md": lecture("Prose only.\n")])
        FileManager.default.createFile(atPath: c.root + "/Output", contents: Data("x".utf8))
        let r = try c.lectern("build")
        #expect(r.status != 0)
        #expect(r.stderr.contains("cannot write the course into Output: it is a file, not a folder"), "\(r.stderr)")
        #expect(!r.stderr.contains("NSCocoaErrorDomain"))
        // A file where a folder of the output must go.
        try FileManager.default.removeItem(atPath: c.root + "/Output")
        try FileManager.default.createDirectory(atPath: c.root + "/Output", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: c.root + "/Output/assets", contents: Data("x".utf8))
        let r2 = try c.lectern("build")
        #expect(r2.status != 0)
        #expect(r2.stderr.contains("Output/assets is a file, not a folder"), "\(r2.stderr)")
    }

    @Test func failingClaim() throws {
        let c = try CourseFolder(["01-t.md": lecture("""
        Two thirds is `{swift} 2.0 / 3 ≈ 0.66`, or so the author says.

        """)])
        try c.lectern("build")
        let r = try c.lectern("check", "--format", "github", "--junit", "report.xml")
        #expect(r.status == 1)
        let message = "claim `2.0 / 3` ≈ 0.66 does not hold: computed 0.6667 (needs |x − 0.66| ≤ 0.005)"
        #expect(r.stdout.contains("Lectures/01-t.md:6:16: error: \(message)\n"))
        #expect(r.stdout.contains("::error file=Lectures/01-t.md,line=6,col=16,title=lectern check%3A claim at line 6::\(message)\n"))
        #expect(r.stdout.hasSuffix("2 passed, 1 failed\n"))
        let xml = try XMLDocument(xmlString: try #require(c.read("report.xml")))
        #expect(try xml.nodes(forXPath: "//testcase[@name='claim at line 6']/failure[@type='claim']").count == 1)
        // The author's literal is never rewritten.
        try c.lectern("check", "--update")
        #expect(c.read("Lectures/01-t.md")!.contains("≈ 0.66`"))
    }

    @Test func failingExpect() throws {
        let c = try CourseFolder(["01-t.md": lecture("""
        ```swift {#sum}
        let s = 0.1 + 0.2
        expect(s, 0.3)
        expect(s, 0.31, rtol: 1e-6)
        ```

        """)])
        try c.lectern("build")
        let r = try c.lectern("check", "--format", "github", "--junit", "report.xml")
        #expect(r.status == 1)
        let diag = r.stdout.split(separator: "\n").filter { $0.hasPrefix("Lectures/") }
        #expect(diag.count == 1)
        #expect(diag.first?.hasPrefix("Lectures/01-t.md:9:7: error: expected 0.31, got 0.3") == true, "\(diag)")
        #expect(r.stdout.contains("::error file=Lectures/01-t.md,line=9,col=7,title=lectern check%3A expect at 01-t.md%3A9 in #sum::expected 0.31, got 0.3"))
        #expect(r.stdout.hasSuffix("3 passed, 1 failed\n"))
        let xml = try XMLDocument(xmlString: try #require(c.read("report.xml")))
        #expect(try xml.nodes(forXPath: "//testcase").count == 4)
        #expect(try xml.nodes(forXPath: "//testcase/failure[@type='expect']").count == 1)
    }

    @Test func staleMissingAndLeftOverOutput() throws {
        let c = try CourseFolder([
            "01-a.md": lecture("Prose only.\n"),
            "02-b.md": lecture("More prose.\n"),
        ])
        try c.lectern("build")
        #expect(try c.lectern("check").status == 0)
        // Edit prose: the page and the Markdown are stale.
        try c.write("Lectures/01-a.md", lecture("Prose, edited.\n"))
        var r = try c.lectern("check", "--format", "github", "--junit", "report.xml")
        #expect(r.status == 1)
        #expect(r.stdout.contains("Output/a.html: error: stale: it differs from what Lectures/01-a.md builds now; run `lectern build` and commit it\n"))
        #expect(r.stdout.contains("Output/a.md: error: stale: it differs from what Lectures/01-a.md builds now; run `lectern build` and commit it\n"))
        #expect(r.stdout.contains("::error file=Output/a.html,title=lectern check%3A Output/a.html::stale: it differs"))
        let xml = try XMLDocument(xmlString: try #require(c.read("report.xml")))
        // The page, the Markdown and the lecture's search index.
        #expect(r.stdout.contains("Output/assets/search/a.js: error: stale:"))
        #expect(try xml.nodes(forXPath: "//testcase/failure[@type='output-file']").count == 3)
        // A missing file, and a lecture that no longer exists.
        try c.lectern("build")
        try FileManager.default.removeItem(atPath: c.root + "/Output/a.md")
        try FileManager.default.removeItem(atPath: c.root + "/Lectures/02-b.md")
        r = try c.lectern("check")
        #expect(r.status == 1)
        #expect(r.stdout.contains("Output/a.md: error: missing: what Lectures/01-a.md builds now includes it; run `lectern build` and commit it\n"))
        #expect(r.stdout.contains("Output/b.html: error: left over from a lecture that no longer exists; run `lectern build` to remove it\n"))
        // Stale index too: it lists the deleted lecture.
        #expect(r.stdout.contains("Output/index.html: error: stale"))
        // check never writes Output/.
        #expect(!FileManager.default.fileExists(atPath: c.root + "/Output/a.md"))
    }

    @Test func aCourseNeverBuiltIsOneFailureSaidOnce() throws {
        let c = try CourseFolder([
            "01-a.md": lecture("Prose only.\n"),
            "02-b.md": lecture("More prose.\n"),
        ])
        let advice = "run `lectern build` and commit it"
        var r = try c.lectern("check")
        #expect(r.status == 1)
        var errors = r.stdout.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors == ["Output: error: the course has not been built into this folder (it does not exist); \(advice)"],
                "\(r.stdout)")
        #expect(r.stdout.hasSuffix(" passed, 1 failed\n"), "\(r.stdout)")
        // A folder without the manifest was not built by lectern either.
        try FileManager.default.createDirectory(atPath: c.root + "/Output", withIntermediateDirectories: true)
        try c.write("Output/index.html", "<p>Made by hand.</p>\n")
        r = try c.lectern("check")
        #expect(r.status == 1)
        errors = r.stdout.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors == ["Output: error: the course has not been built into this folder "
                           + "(it holds no .lectern-manifest, which `lectern build` writes); \(advice)"], "\(r.stdout)")
        #expect(r.stdout.hasSuffix(" passed, 1 failed\n"), "\(r.stdout)")
        try c.lectern("build")
        #expect(try c.lectern("check").status == 0)
    }

    @Test func updateRewritesBlocksOnLFAndCRLFAndIsIdempotent() throws {
        let lf = lecture("""
        Prose with *emphasis* and \\_escapes\\_ stays.

        ```swift
        print("x =", 1.5)
        print("y =", 2)
        ```
        ```output
        x = 1
        ```
        """)  // no final newline
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
        let c = try CourseFolder(["01-lf.md": lf, "02-crlf.md": crlf])
        try c.lectern("build")
        let first = try c.lectern("check", "--update")
        #expect(first.status == 0)  // rewritten blocks count as passed
        #expect(first.stderr.contains("Lectures/01-lf.md: rewrote 1 output block"))
        #expect(first.stderr.contains("Lectures/02-crlf.md: rewrote 1 output block"))
        let fixedLF = lf.replacingOccurrences(of: "x = 1\n```", with: "x = 1.5\ny = 2\n```")
        #expect(c.read("Lectures/01-lf.md") == fixedLF)
        #expect(c.read("Lectures/02-crlf.md") == fixedLF.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n")
        try c.lectern("build")
        let second = try c.lectern("check", "--update")
        #expect(second.status == 0, "\(second.stdout)")
        #expect(!second.stderr.contains("rewrote"))
        #expect(c.read("Lectures/01-lf.md") == fixedLF)
    }

    @Test func usageErrorsExitTwo() throws {
        let c = try CourseFolder(["01-t.md": lecture("Prose.\n")])
        #expect(try c.lectern("check", "--format", "xml").status == 2)
        #expect(try c.lectern("check", "Lectures/nope.md").status == 2)
        #expect(try c.lectern("check", "--lectures", "Nowhere").status == 2)
    }
}

@Suite(.serialized) struct RunCommand {
    @Test func printsCellsTablesFiguresAndFailedChecks() throws {
        let c = try CourseFolder(["01-t.md": """
        ---
        title: Powers
        params:
          rho: 0.5
        ---
        # Powers

        ```swift {#powers}
        table(headers: ["L", "rho^L"], rows: [1, 10].map { [$0, pow(rho, Double($0))] })
        ```

        ```swift {#fig-p}
        var f = Figure(title: "Decay")
        f.line((0...5).map { pow(rho, Double($0)) })
        show(f)
        expect(rho < 1, "rho below one")
        ```

        The claim `{swift} rho ≈ 0.5` holds for the default.

        """])
        var r = try c.lectern("run", "Lectures/01-t.md")
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("── #powers  Lectures/01-t.md:8 "))
        // 0.5^10 = 0.0009765625 exactly; six significant digits round it half to even.
        #expect(r.stdout.contains("|   L |       rho^L |\n|----:|------------:|\n|   1 |         0.5 |\n|  10 | 0.000976562 |\n"))
        #expect(r.stdout.contains("figure: Decay → .lectern-cache/figures/t/fig-p-1.svg\n"))
        #expect(c.read(".lectern-cache/figures/t/fig-p-1.svg")?.hasPrefix("<svg") == true)
        #expect(r.stdout.contains("✓ rho below one: holds"))
        #expect(!r.stdout.contains("\u{1B}["))  // no colour when not a terminal
        #expect(r.stdout.hasSuffix("2 passed, 0 failed") || r.stdout.contains("2 passed, 0 failed ("))
        // A param changes the table, and the failed checks are listed at the end.
        r = try c.lectern("run", "Lectures/01-t.md", "-P", "rho=2")
        #expect(r.status == 1)
        #expect(r.stdout.contains("|  10 |  1024 |"))
        #expect(r.stdout.contains("Failed checks:\nLectures/01-t.md:16:7: error: rho below one: does not hold\n"))
        #expect(r.stdout.contains("claim `rho` ≈ 0.5 does not hold: computed 2"))
        // Type errors and unknown names are usage errors.
        r = try c.lectern("run", "Lectures/01-t.md", "-P", "rho=big")
        #expect(r.status == 2)
        #expect(r.stderr.contains("'big' is not a Double"))
        r = try c.lectern("run", "Lectures/01-t.md", "-P", "sigma=1")
        #expect(r.status == 2)
        #expect(r.stderr.contains("declares no parameter sigma (it declares rho)"))
    }
}
