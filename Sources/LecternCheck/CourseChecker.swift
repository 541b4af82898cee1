import Foundation
import LecternBuild
import LecternDocument
import LecternResults

/// `lectern check`: runs the lectures (the cache is allowed), builds them into
/// a scratch folder, and collects every check: `expect` calls, `output`
/// blocks, claims, cells that must run, and the freshness of `Output/`.
/// It never writes `Output/`; `--update` rewrites only `output` blocks.
public struct CourseChecker {
    public struct Options: Sendable {
        /// The committed output folder to compare with.
        public var outputDirectory = "Output"
        public var only: [String] = []
        /// Check only this shard's lectures; shard 1 also checks the shared files.
        public var shard: Shard?
        public var jobs = ProcessInfo.processInfo.activeProcessorCount
        public var useCache = true
        public var cacheDirectory = ".lectern-cache"
        /// Compare the built course with `outputDirectory`.
        public var checkOutput = true
        public var progress: (@Sendable (LectureProgress) -> Void)?
        public init() {}
    }

    /// Output blocks of one file to rewrite with `--update`.
    public struct FileUpdate: Sendable {
        public var path: String
        /// The bytes the lecture was parsed from; the file must still hold them.
        public var parsed: [UInt8]
        public var blocks: [LectureChecks.OutputUpdate]
    }

    public struct Findings: Sendable {
        public var report: CheckReport
        public var updates: [FileUpdate]
        /// Warnings from parsing (unknown options and the like), for the log.
        public var warnings: [Diagnostic]
    }

    public let course: Course
    public let options: Options

    public init(course: Course, options: Options) {
        self.course = course
        self.options = options
    }

    public func check() throws -> Findings {
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("lectern-check-\(getpid())-\(UUID().uuidString)").path
        defer { try? fm.removeItem(atPath: scratch) }
        var build = BuildOptions()
        build.outputDirectory = scratch
        build.only = options.only
        build.shard = options.shard
        build.jobs = options.jobs
        build.useCache = options.useCache
        build.cacheDirectory = options.cacheDirectory
        build.progress = options.progress
        let built = try CourseBuilder(course: course, options: build).build()

        var results: [CheckResult] = []
        var updates: [FileUpdate] = []
        let ran = Dictionary(built.runs.map { ($0.document.path, $0.run) }, uniquingKeysWith: { a, _ in a })
        let picked = Set(built.lectures)
        let selected = course.documents.filter { picked.contains($0.path) }
        let shared = options.shard?.holdsSharedFiles ?? true
        for doc in selected {
            let (r, u) = LectureChecks.collect(document: doc, run: ran[doc.path])
            results += r
            if !u.isEmpty { updates.append(FileUpdate(path: doc.path, parsed: doc.source.bytes, blocks: u)) }
        }
        // Course-level problems (course.yml, duplicate slugs) are failures too.
        for d in course.diagnostics where d.severity == .error && shared {
            results.append(CheckResult(kind: .lecture, passed: false, file: d.file, line: d.line, column: d.column,
                                       name: "course", message: d.message))
        }
        if options.checkOutput {
            let owners = Set(selected.map(\.slug) + (shared ? ["*"] : []))
            let sources = Dictionary(selected.map { ($0.slug, $0.path) }, uniquingKeysWith: { a, _ in a })
            results += OutputFreshness.compare(fresh: scratch, committed: options.outputDirectory, sources: sources,
                                               owners: owners, wholeCourse: options.only.isEmpty && shared,
                                               lectureSlugs: Set(course.documents.map(\.slug)))
        }
        let warnings = built.diagnostics.filter { $0.severity != .error }
        return Findings(report: CheckReport(results: results), updates: updates, warnings: warnings)
    }

    /// Rewrites the disagreeing `output` blocks. Returns, per file, how many
    /// blocks were rewritten, or the error that kept it from being written.
    public static func applyUpdates(_ updates: [FileUpdate]) -> [(path: String, blocks: Int, error: String?)] {
        updates.map { u in
            do {
                try OutputBlockUpdater.write(path: u.path, parsed: u.parsed,
                                             updates: u.blocks.map { ($0.block.contentRange, $0.actual) })
                return (u.path, u.blocks.count, nil)
            } catch {
                return (u.path, 0, "\(error)")
            }
        }
    }
}
