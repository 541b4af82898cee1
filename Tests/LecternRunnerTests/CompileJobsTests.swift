import Foundation
import Testing
@testable import LecternRunner

/// The driver's jobs, read from `swiftc -###` and run without the driver.
@Suite struct CompileJobsTests {
    static let sample = """
    /opt/swift/usr/bin/swift-frontend -frontend -c -primary-file /LECTERN-WORK-PLACEHOLDER/main.swift -I '/home/a b/kit' -module-name LecternModulePlaceholder -o /tmp/TemporaryDirectory.Ab12/main-1.o
    /opt/swift/usr/bin/swift-autolink-extract /tmp/TemporaryDirectory.Ab12/main-1.o -o /tmp/TemporaryDirectory.Ab12/LecternModulePlaceholder-1.autolink
    /opt/swift/usr/bin/clang -fuse-ld=lld /tmp/TemporaryDirectory.Ab12/main-1.o @/tmp/TemporaryDirectory.Ab12/LecternModulePlaceholder-1.autolink -o /LECTERN-WORK-PLACEHOLDER/lecture

    """

    @Test func theThreeJobsAreReadWithTheirWorkFolderAndModule() throws {
        let jobs = try #require(CompileJobs.parse(Self.sample))
        let c = jobs.commands(work: ".cache/work/x", module: "bptt")
        #expect(c.count == 3)
        #expect(c[0].contains("-I") && c[0].contains("/home/a b/kit"))
        #expect(c[0].suffix(2) == ["-o", ".cache/work/x/main-1.o"])
        #expect(c[0].contains(".cache/work/x/main.swift") && c[0].contains("bptt"))
        #expect(c[1] == ["/opt/swift/usr/bin/swift-autolink-extract", ".cache/work/x/main-1.o", "-o", ".cache/work/x/bptt-1.autolink"])
        #expect(c[2].contains("@.cache/work/x/bptt-1.autolink") && c[2].last == ".cache/work/x/lecture")
    }

    @Test func anythingElseGoesThroughTheDriver() {
        // Two jobs, a job of another kind, quoting it does not read, a link elsewhere.
        let lines = Self.sample.split(separator: "\n").map(String.init)
        #expect(CompileJobs.parse(lines.prefix(2).joined(separator: "\n")) == nil)
        #expect(CompileJobs.parse(([lines[1], lines[0], lines[2]]).joined(separator: "\n")) == nil)
        #expect(CompileJobs.parse(Self.sample.replacingOccurrences(of: "'/home/a b/kit'", with: "\"/home/a b/kit\"")) == nil)
        #expect(CompileJobs.parse(Self.sample.replacingOccurrences(of: "a b", with: "a\\ b")) == nil)
        #expect(CompileJobs.parse(Self.sample.replacingOccurrences(of: "-o /LECTERN-WORK-PLACEHOLDER/lecture", with: "-o /elsewhere")) == nil)
        #expect(CompileJobs.words("a 'b c") == nil)
        #expect(CompileJobs.words("a '' b") == ["a", "", "b"])
    }

    /// Against the real toolchain: the jobs build the same program the driver
    /// does, and a compile error reads as it does from the driver.
    @Test func theJobsCompileAsTheDriverDoes() throws {
        guard let toolchain = try? Toolchain.locate(), toolchain.isToolchainDriver else { return }
        let root = NSTemporaryDirectory() + "lectern-jobs-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cache = root + "/cache"
        try FileManager.default.createDirectory(atPath: root + "/w", withIntermediateDirectories: true)
        let include = try toolchain.systemModules(in: cache)
        let placeholders = toolchain.compileArguments(source: CompileJobs.workPlaceholder + "/main.swift",
                                                      output: CompileJobs.workPlaceholder + "/lecture",
                                                      moduleName: CompileJobs.modulePlaceholder, includes: [include])
        let jobs = try #require(CompileJobs.jobs(toolchain, arguments: placeholders, cacheDirectory: cache))
        // Remembered in the cache folder, for the next build.
        #expect((try? FileManager.default.contentsOfDirectory(atPath: cache + "/compile-jobs"))?.count == 1)

        try "import LecternCore\nlet m: Matrix = [[2, 0], [0, 3]]\nprint(\"trace\", m.trace)\n"
            .write(toFile: root + "/w/main.swift", atomically: false, encoding: .utf8)
        #expect(jobs.run(work: root + "/w", module: "demo", timeout: 120) == nil)
        let ran = try ChildProcess.run(root + "/w/lecture", [], timeout: 30)
        #expect(String(decoding: ran.stdout, as: UTF8.self) == "trace 5.0\n")

        // The extractor's answer is kept under the import lines: the same imports reuse it,
        // other imports get their own.
        let source = try String(contentsOfFile: root + "/w/main.swift", encoding: .utf8)
        func kept() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: cache + "/compile-jobs")) ?? []).filter { $0.hasPrefix("autolink-") }
        }
        #expect(jobs.run(work: root + "/w", module: "demo", timeout: 120, source: source, cacheDirectory: cache) == nil)
        #expect(kept().count == 1)
        try FileManager.default.removeItem(atPath: root + "/w/lecture")
        #expect(jobs.run(work: root + "/w", module: "demo", timeout: 120, source: source, cacheDirectory: cache) == nil)
        #expect(kept().count == 1)
        #expect(String(decoding: try ChildProcess.run(root + "/w/lecture", [], timeout: 30).stdout, as: UTF8.self) == "trace 5.0\n")
        let other = "import Dispatch\n" + source
        try other.write(toFile: root + "/w/main.swift", atomically: false, encoding: .utf8)
        #expect(jobs.run(work: root + "/w", module: "demo", timeout: 120, source: other, cacheDirectory: cache) == nil)
        #expect(kept().count == 2)

        try "let x: Int = \"no\"\n".write(toFile: root + "/w/main.swift", atomically: false, encoding: .utf8)
        let failed = try #require(jobs.run(work: root + "/w", module: "demo", timeout: 120))
        let viaDriver = try ChildProcess.run(toolchain.swiftc, toolchain.compileArguments(
            source: root + "/w/main.swift", output: root + "/w/lecture", moduleName: "demo", includes: [include]), timeout: 120)
        let errors = CompilerOutput.errors(failed, path: root + "/w/main.swift")
        #expect(errors.count == 1 && errors.first?.line == 1, "\(failed)")
        #expect(errors == CompilerOutput.errors(String(decoding: viaDriver.stderr, as: UTF8.self), path: root + "/w/main.swift"))
    }

    @Test func importLinesAreWhatTheLibrariesDependOn() {
        let source = "import Foundation\n@testable import LecternCore\n  @_implementationOnly import Glibc\n"
            + "#if canImport(Darwin)\n#endif\nlet important = 1 // import\nprint(\"import x\")\n"
        #expect(CompileJobs.imports(of: source)
                == "import Foundation\n@testable import LecternCore\n  @_implementationOnly import Glibc\n#if canImport(Darwin)")
    }

    @Test func atomicFilesAreWholeOrAbsent() throws {
        let root = NSTemporaryDirectory() + "lectern-atomic-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(AtomicFile.write(root + "/f", "first"))
        #expect(AtomicFile.write(root + "/f", Array("second".utf8)))
        #expect(try String(contentsOfFile: root + "/f", encoding: .utf8) == "second")
        #expect(!AtomicFile.write(root + "/missing/f", "x"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["f"])
    }
}
