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
