import Foundation
import Testing
@testable import LecternBuild
@testable import LecternRunner

/// End-to-end: a lecture in, diagnostics and pages out, through the real
/// compiler and the built LecternKit library.
@Suite(.serialized) struct LectureRuns {
    func messages(_ r: BuildReport) -> [String] { r.diagnostics.map(\.description) }

    @Test func stateIsSharedAndValuesAppear() throws {
        let c = try TempCourse(["01-a.md": """
        # A

        ```swift {#first}
        struct Box { var x: Double }
        let b = Box(x: 2)
        print("x is", b.x)
        ```

        Twice x is `{swift} 2 * b.x` and the claim `{swift} b.x / 3 ≈ 0.67` holds.

        ```swift
        print("<script>alert(1)</script>")
        ```

        """])
        let r = try c.build()
        #expect(messages(r) == [])
        let page = c.read("a.html")!
        #expect(page.contains("<pre class=\"stdout\">x is 2.0\n</pre>"))
        #expect(page.contains("Twice x is <span class=\"value\">4</span>"))
        #expect(page.contains("<span class=\"claim\" title=\"computed: 0.666667\">0.67</span>"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!page.contains("<script>alert(1)"))
    }

    @Test func compileErrorPointsAtTheMarkdownLineAndEarlierCellsStillRun() throws {
        let c = try TempCourse(["01-a.md": """
        # A

        ```swift
        print("before")
        ```

        ```swift {#bad}
        let y: Int = "text"
        ```

        ```swift
        print("after")
        ```

        """])
        let r = try c.build()
        #expect(r.failed)
        let errors = messages(r).filter { $0.contains("error:") }
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix(c.lectures + "/01-a.md:8:") == true)
        let page = c.read("a.html")!
        #expect(page.contains("<pre class=\"stdout\">before\n</pre>"))
        #expect(page.contains("01-a.md:8:"))
        #expect(!page.contains("after\n</pre>"))
    }

    @Test func trapIsAttributedToItsCellAndLaterCellsAreNotRun() throws {
        let c = try TempCourse(["01-a.md": """
        # A

        ```swift
        let xs = [1, 2, 3]
        print("ok")
        ```

        ```swift {#boom}
        print("about to fail")
        let i = xs.count + 2
        print(xs[i])
        ```

        ```swift
        print("never")
        ```

        """])
        let r = try c.build()
        #expect(r.failed)
        let errors = messages(r)
        #expect(errors.count == 1)
        #expect(errors[0].hasPrefix(c.lectures + "/01-a.md:11:"), "\(errors)")  // print(xs[i])
        #expect(errors[0].contains("Index out of range"))
        let page = c.read("a.html")!
        #expect(page.contains("about to fail"))  // printed before the trap: not lost
        #expect(page.contains("not run: an earlier cell failed"))
        #expect(!page.contains("never\n</pre>"))
    }

    @Test func failedExpectAndErrorTrueCell() throws {
        let c = try TempCourse(["01-a.md": """
        ---
        title: A
        ---

        ```swift
        expect(0.1 + 0.2, 0.31)
        ```

        ```swift {error=true}
        struct Oops: Error {}
        throw Oops()
        ```

        ```swift
        print("still running")
        ```

        """])
        let r = try c.build()
        #expect(messages(r) == [c.lectures + "/01-a.md:6:7: error: expected 0.31, got 0.3 (rtol 1e-9, atol 1e-12)"])
        let page = c.read("a.html")!
        #expect(page.contains("cell-error expected"))
        #expect(page.contains("still running"))
    }

    @Test func timeoutNamesTheRunningCell() throws {
        let c = try TempCourse(["01-a.md": """
        ---
        timeout: 1
        ---

        ```swift {#spin}
        var n = 0
        while true { n &+= 1 }
        ```

        """])
        let r = try c.build()
        let m = messages(r)
        #expect(m.count == 1)
        #expect(m.first?.contains("timed out after 1 s while running #spin") == true, "\(m)")
    }

    @Test func outputOverTheCapIsCutWithANote() throws {
        // 1.5 MB from one cell: the page keeps the first 1 MB and says so; the next cell still runs.
        let c = try TempCourse(["01-a.md": """
        # A

        ```swift {#loud}
        let line = String(repeating: "x", count: 1023)
        for _ in 0..<1536 { print(line) }
        ```

        ```swift
        print("next cell ran")
        ```

        """])
        let r = try c.build()
        #expect(messages(r) == [])
        let page = c.read("a.html")!
        #expect(page.contains("… output cut at 1024 KB"))
        #expect(page.contains("next cell ran"))
        // 1024 lines of 1024 bytes (1023 x and a newline) fit under the cap, not 1536.
        let xs = page.split(separator: "\n").filter { $0 == Substring(String(repeating: "x", count: 1023)) }.count
        #expect(xs == 1023 || xs == 1024, "\(xs)")
        #expect(page.utf8.count < 1_200_000)
    }

    @Test func bytesThatAreNotUTF8AreReplaced() throws {
        let c = try TempCourse(["01-a.md": """
        # A

        ```swift
        import Glibc
        let bytes: [UInt8] = [0x61, 0xFF, 0xFE, 0x62, 0xC3, 0x0A]  // a, two invalid bytes, b, a cut-off sequence
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, stdout) }
        fflush(stdout)
        print("<after>")
        ```

        """])
        let r = try c.build()
        #expect(messages(r) == [])
        let page = c.read("a.html")!
        #expect(page.contains("a\u{FFFD}\u{FFFD}b\u{FFFD}\n&lt;after&gt;"), "\(page)")
        #expect(c.read("a.md")!.contains("a\u{FFFD}\u{FFFD}b\u{FFFD}\n<after>"))
    }

    @Test func inlineValueAboveItsDeclarationIsRefused() throws {
        // In top-level code a later global reads as zeroed memory: 0, silently.
        let c = try TempCourse(["01-a.md": """
        # A

        Early: `{swift} total * 2`, and `{swift} Format.number(1.5)` is fine.

        ```swift
        let total = 21.0
        ```

        Late: `{swift} total * 2`.

        """])
        let r = try c.build()
        #expect(messages(r) == [c.lectures + "/01-a.md:3:9: error: 'total' is declared further down (line 6); an inline value sees only the cells above it — move the cell up or the value down"])
        let page = c.read("a.html")!
        #expect(page.contains("Late: <span class=\"value\">42</span>"))
        #expect(!page.contains("Early: <span class=\"value\">0</span>"))
    }

    @Test func forwardReferenceScanner() {
        #expect(ForwardReferences.declaredNames("let total = 21.0") == ["total"])
        #expect(ForwardReferences.declaredNames("var a, b: Int") == ["a", "b"])
        #expect(ForwardReferences.declaredNames("let (p, q) = (1, 2)") == ["p", "q"])
        #expect(ForwardReferences.declaredNames("let m: [String: Int] = [:]") == ["m"])
        #expect(ForwardReferences.declaredNames("    let local = 1") == [])  // indented: not top level
        #expect(ForwardReferences.declaredNames("func f() {}") == [])
        #expect(ForwardReferences.identifiers("A.spectralRadius * rho") == ["A", "rho"])
        #expect(ForwardReferences.identifiers("f(x: y, \"text z\")") == ["f", "y"])
        #expect(ForwardReferences.identifiers("xs.map { $0 * k }") == ["xs", "k"])
    }

    @Test func proseEditReusesTheCache() throws {
        let c = try TempCourse(["01-a.md": "# A\n\n```swift\nprint(1)\n```\n"])
        _ = try c.build(useCache: true)
        try c.write("01-a.md", "# A, edited\n\nNew prose.\n\n```swift\nprint(1)\n```\n")
        let log = Log()
        var o = BuildOptions()
        o.outputDirectory = c.output
        o.cacheDirectory = c.root + "/.lectern-cache"
        o.progress = { p in log.add(p.explanation) }
        _ = try CourseBuilder(course: try Course.load(c.lectures), options: o).build()
        #expect(log.take() == ["from cache"])
        #expect(c.read("a.html")!.contains("New prose."))
        try c.write("01-a.md", "# A, edited\n\n```swift\nprint(2)\n```\n")
        _ = try CourseBuilder(course: try Course.load(c.lectures), options: o).build()
        #expect(log.take() == ["ran: cells changed"])
    }

    @Test func paramOverrideIsTypeChecked() throws {
        let c = try TempCourse(["01-a.md": "---\nparams:\n  rho: 0.9\n---\n\nValue `{swift} rho * 2`.\n"])
        var o = BuildOptions()
        o.outputDirectory = c.output
        o.cacheDirectory = c.root + "/.lectern-cache"
        o.overrides = try ParamOverrides(["rho=1.5"])
        _ = try CourseBuilder(course: try Course.load(c.lectures), options: o).build()
        #expect(c.read("a.html")!.contains("<span class=\"value\">3</span>"))
        o.overrides = try ParamOverrides(["rho=big"])
        let r = try CourseBuilder(course: try Course.load(c.lectures), options: o).build()
        #expect(r.diagnostics.map(\.description) == [
            c.lectures + "/01-a.md:3: error: -P rho=big: 'big' is not a Double, the type of 'rho' (declared as 0.9)",
        ])
        // An Int read as "an Int".
        let n = try TempCourse(["01-a.md": "---\nparams:\n  steps: 20\n---\n\nValue `{swift} steps`.\n"])
        var p = o
        p.outputDirectory = n.output
        p.cacheDirectory = n.root + "/.lectern-cache"
        p.overrides = try ParamOverrides(["steps=abc"])
        let q = try CourseBuilder(course: try Course.load(n.lectures), options: p).build()
        #expect(q.diagnostics.map(\.description) == [
            n.lectures + "/01-a.md:3: error: -P steps=abc: 'abc' is not an Int, the type of 'steps' (declared as 20)",
        ])
        o.overrides = try ParamOverrides(["nope=1"])
        #expect(throws: BuildError.self) { try CourseBuilder(course: try Course.load(c.lectures), options: o).build() }
    }
}

final class Log: @unchecked Sendable {
    private var items: [String] = []
    private let lock = NSLock()
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    func take() -> [String] { lock.lock(); defer { items = []; lock.unlock() }; return items }
}
