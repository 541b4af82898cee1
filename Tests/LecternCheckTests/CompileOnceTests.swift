import Foundation
import Testing

/// A `SWIFTC` that answers `--version` as the real one does (so cache keys are
/// the real ones) and counts every other call in `calls`, failing it when
/// `fail` is set, else compiling with the real swiftc.
final class CountingCompiler {
    let path: String
    let calls: String
    init(in folder: String, fail: Bool) throws {
        path = folder + "/fake-swiftc"
        calls = folder + "/swiftc-calls"
        let real = ProcessInfo.processInfo.environment["SWIFTC"]
            ?? (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
                .map { "\($0)/swiftc" }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/swiftc"
        let script = """
        #!/bin/sh
        if [ "$1" = "--version" ]; then exec "\(real)" --version; fi
        echo call >> "\(calls)"
        \(fail ? "echo 'swiftc must not be called' >&2; exit 1" : "exec \"\(real)\" \"$@\"")

        """
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o755)
    }
    var count: Int {
        (try? String(contentsOfFile: calls, encoding: .utf8))?.split(separator: "\n").count ?? 0
    }
}

/// Params are read at run time: one compiled program runs at every value.
@Suite(.serialized) struct CompileOnce {
    static let text = "---\ntitle: T\nparams:\n  rho: 0.9\n  label: \"a\"\n---\n# T\n\n"
        + "```swift\nprint(\"rho =\", rho, label)\n```\n\nIt is `{swift} rho * 2`.\n"

    @Test func aParamChangeStartsNoCompiler() throws {
        let c = try CourseFolder(["01-t.md": CompileOnce.text])
        let counting = try CountingCompiler(in: c.root, fail: false)
        var r = try c.lectern("build", environment: ["SWIFTC": counting.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(counting.count == 1)
        #expect(c.read("Output/t.html")?.contains("rho = 0.9 a") == true)

        let failing = try CountingCompiler(in: c.root + "/Lectures", fail: true)
        r = try c.lectern("build", "-P", "rho=1.1", "-P", "label=b c", "--explain", environment: ["SWIFTC": failing.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(failing.count == 0)
        #expect(r.stderr.contains("ran: params changed (compiled program reused)"), "\(r.stderr)")
        #expect(c.read("Output/t.html")?.contains("rho = 1.1 b c") == true)
        #expect(c.read("Output/t.html")?.contains("<span class=\"value\">2.2</span>") == true)

        r = try c.lectern("run", "Lectures/01-t.md", "-P", "rho=1.5", environment: ["SWIFTC": failing.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("rho = 1.5 a"), "\(r.stdout)")
        #expect(failing.count == 0)

        // A prose edit re-renders from the cache; a cell edit compiles.
        try c.write("Lectures/01-t.md", CompileOnce.text.replacingOccurrences(of: "It is", with: "Prose.\n\nIt is"))
        r = try c.lectern("build", "--explain", environment: ["SWIFTC": failing.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(failing.count == 0)
        try c.write("Lectures/01-t.md", CompileOnce.text.replacingOccurrences(of: "print(\"rho =\"", with: "print(\"ρ =\""))
        r = try c.lectern("build", environment: ["SWIFTC": counting.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(counting.count == 2)
    }

    @Test func compiledProgramsAreKeptWithinTheirBound() throws {
        let c = try CourseFolder(["01-t.md": CompileOnce.text])
        let counting = try CountingCompiler(in: c.root, fail: false)
        // A bound of 0 bytes keeps only the program just compiled.
        let env = ["SWIFTC": counting.path, "LECTERN_PROGRAM_CACHE_MB": "0"]
        #expect(try c.lectern("build", environment: env).status == 0)
        try c.write("Lectures/01-t.md", CompileOnce.text.replacingOccurrences(of: "rho * 2", with: "rho * 3"))
        #expect(try c.lectern("build", environment: env).status == 0)
        let programs = try FileManager.default.contentsOfDirectory(atPath: c.root + "/.lectern-cache/programs")
            .filter { !$0.hasPrefix(".") }
        #expect(programs.count == 1)
        #expect(counting.count == 2)
        // The first program was evicted: going back compiles again.
        try c.write("Lectures/01-t.md", CompileOnce.text)
        #expect(try c.lectern("build", "-P", "rho=2", environment: env).status == 0)
        #expect(counting.count == 3)
    }
}

/// An explorable lecture: compiled once, run at every combination, its
/// `expect`s checked at each and its failures naming the combination.
@Suite(.serialized) struct ExplorableCheck {
    static let text = """
    ---
    title: T
    params:
      rho: {value: 0.9, values: [0.5, 0.9, 1.1]}
      steps: {value: 3, range: [1, 3], step: 2}
    ---
    # T

    ```swift
    let g = (0..<steps).reduce(1.0) { r, _ in r * rho }
    print("g =", g)
    expect(rho * rho < 1.1, true)
    ```

    The gradient is `{swift} g` and rho is `{swift} rho ≈ 0.9`.

    """

    @Test func anExpectThatFailsAtOneValueFailsCheckNamingIt() throws {
        let c = try CourseFolder(["01-t.md": ExplorableCheck.text])
        let counting = try CountingCompiler(in: c.root, fail: false)
        var r = try c.lectern("build", environment: ["SWIFTC": counting.path])
        #expect(r.status == 1)
        #expect(counting.count == 1)  // six combinations, one compile
        #expect(r.stderr.contains("Lectures/01-t.md:12:7: error: expected true, got false (with rho=1.1, steps=1)"), "\(r.stderr)")
        r = try c.lectern("check", environment: ["SWIFTC": counting.path])
        #expect(r.status == 1)
        #expect(counting.count == 1)
        let failures = r.stdout.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(failures.count == 2, "\(r.stdout)")
        #expect(failures.allSatisfy { $0.hasPrefix("Lectures/01-t.md:12:7: error: expected true, got false (with rho=1.1, steps=") && $0.contains("with rho=1.1, steps=") }, "\(r.stdout)")
        // The claim is checked at the default only: it is not among the failures.
        #expect(!r.stdout.contains("claim"), "\(r.stdout)")
        // 6 combinations × 1 expect, 1 claim at the default, the output files.
        #expect(r.stdout.hasSuffix("passed, 2 failed\n"), "\(r.stdout)")

        // Fixed with -P, the param has no control and the lecture runs once, without compiling.
        let failing = try CountingCompiler(in: c.root + "/Lectures", fail: true)
        r = try c.lectern("build", "-P", "rho=0.92", environment: ["SWIFTC": failing.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(failing.count == 0)
        let page = c.read("Output/t.html") ?? ""
        #expect(page.contains("data-lx-param=\"0\""))  // steps still explorable
        #expect(!page.contains("<code>rho</code>"))
        #expect(page.contains("g = 0.778688"), "\(page)")

        // A prose edit: from the cache, no compiler.
        try c.write("Lectures/01-t.md", ExplorableCheck.text.replacingOccurrences(of: "The gradient", with: "Then the gradient"))
        r = try c.lectern("build", "--explain", environment: ["SWIFTC": failing.path])
        #expect(failing.count == 0)
        #expect(r.stderr.contains("from cache; 6 combinations, 0 run"), "\(r.stderr)")
    }

    @Test func aCombinationThatFillsTheOutputCapIsAFailureOfThatCombinationOnly() throws {
        let c = try CourseFolder(["01-t.md": """
        ---
        title: T
        params:
          n: {value: 1, values: [1, 2]}
        ---
        # T

        ```swift
        if n == 2 {
            let line = String(repeating: "x", count: 1023)
            for _ in 0..<70_000 { print(line) }
        } else {
            print("small output")
        }
        ```

        After the cell.

        """])
        let r = try c.lectern("build")
        #expect(r.status == 1)
        let errors = r.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.count == 1, "\(r.stderr)")
        #expect(errors.first?.hasPrefix("Lectures/01-t.md:8: error:") == true, "\(r.stderr)")
        #expect(errors.first?.contains("printed more than 64 MB") == true, "\(r.stderr)")
        #expect(errors.first?.contains("(with n=2)") == true, "\(r.stderr)")
        let page = c.read("Output/t.html") ?? ""
        #expect(page.contains("small output") && page.contains("After the cell."))
        #expect(page.contains("cell-error"))
        // The page keeps at most 1 MB of the cell's output in that combination.
        #expect(page.utf8.count < 3 << 20, "\(page.utf8.count) bytes")
    }

    @Test func aCombinationThatTrapsIsAFailureOfThatCombinationOnly() throws {
        let c = try CourseFolder(["01-t.md": """
        ---
        title: T
        params:
          n: {value: 1, values: [0, 1, 2]}
        ---
        # T

        ```swift
        let xs = [10, 20]
        print("x =", xs[n])
        ```

        """])
        let r = try c.lectern("build")
        #expect(r.status == 1)
        let errors = r.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.count == 1 && errors[0].contains("(with n=2)"), "\(r.stderr)")
        let page = c.read("Output/t.html") ?? ""
        // The default and the variants of the others, the trap among them.
        #expect(page.contains("x = 20"))
        #expect(page.contains("<template id=\"lx-t-0\">"))
        #expect(page.contains("x = 10"))
        #expect(page.contains("cell-error"))
        let md = c.read("Output/t.md") ?? ""
        #expect(md.contains("_Explorable in the HTML page, shown here at the defaults: n: 0, 1, 2 (here 1)._"), "\(md)")
        #expect(md.contains("x = 20") && !md.contains("x = 10"))
    }
}
