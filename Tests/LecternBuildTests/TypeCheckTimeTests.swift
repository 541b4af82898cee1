import Foundation
import Testing
import LecternBuild
import LecternDocument
@testable import LecternRunner

/// No expression of the course may take the type checker long: each lecture's
/// program, generated as the runner generates it, is type-checked (not built,
/// not run) by the runner's compiler with the runner's flags and include
/// paths, and any expression over the limit fails the test at its `.md` line.
@Suite struct CourseTypeCheckTime {
    /// Milliseconds. The course keeps every expression under 20 ms; the rest is
    /// margin for a loaded machine.
    static let limit = 50

    static let lectures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Lectures")

    @Test func everyExpressionOfTheCourseTypeChecksUnderTheLimit() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: CourseTypeCheckTime.lectures.path)
            .filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted()
        #expect(files.count >= 7)
        let work = NSTemporaryDirectory() + "lectern-typecheck-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let toolchain = try Toolchain.locate(cacheDirectory: work)
        let include = try toolchain.systemModules(in: work)
        let executor = Executor(toolchain: toolchain, cacheDirectory: work)

        // Each lecture's program, named as the build names it (the warnings say Lectures/NN-x.md:line).
        var made: [(doc: Document, source: String)] = []
        for file in files {
            let bytes = try Data(contentsOf: CourseTypeCheckTime.lectures.appendingPathComponent(file))
            let doc = Document.parse(path: "Lectures/" + file, bytes: Array(bytes))
            let refused = ForwardReferences.find(in: doc)
            let program = Generator.program(for: doc, params: doc.frontMatter.params,
                                            skipInlines: Set(refused.map(\.inline)))
            guard !program.cells.isEmpty || !program.inlines.isEmpty else { continue }
            let source = "\(work)/\(doc.slug).swift"
            try program.source.write(toFile: source, atomically: true, encoding: .utf8)
            made.append((doc, source))
        }
        let programs = made
        #expect(programs.count == files.count)

        let results = Mutex([(status: Int32, output: String)?](repeating: nil, count: programs.count))
        DispatchQueue.concurrentPerform(iterations: programs.count) { i in
            let (doc, source) = programs[i]
            // The runner's compile command, type-checking only, with its warnings shown.
            let args = toolchain.compileArguments(source: source, output: "\(work)/\(doc.slug)",
                                                  moduleName: executor.moduleName(doc.slug), includes: [include])
                .filter { $0 != "-suppress-warnings" }
                + ["-typecheck", "-Xfrontend", "-warn-long-expression-type-checking=\(CourseTypeCheckTime.limit)"]
            let r = try? ChildProcess.run(toolchain.swiftc, args, timeout: 300)
            let output = r.map { String(decoding: $0.stdout + $0.stderr, as: UTF8.self) } ?? "swiftc did not start"
            results.withLock { $0[i] = (r?.status ?? -1, output) }
        }
        for (i, result) in results.withLock({ $0 }).enumerated() {
            let path = programs[i].doc.path
            guard let result else { Issue.record("\(path): not type-checked"); continue }
            #expect(result.status == 0, "\(path) does not type-check:\n\(result.output)")
            let slow = result.output.split(separator: "\n")
                .filter { $0.hasPrefix("Lectures/") && $0.contains("to type-check (limit: \(CourseTypeCheckTime.limit)ms)") }
            for line in slow { Issue.record(Comment(rawValue: String(line))) }
        }
    }
}
