import Foundation
import LecternBuild
import LecternDocument

/// Builds the course again after its sources changed: reloads it, decides
/// with `BuildPlan` which lectures to build, and runs `CourseBuilder` with the
/// run cache (so a lecture whose program did not change is not compiled again).
public final class Rebuilder: Sendable {
    public let lecturesDirectory: String
    public let options: BuildOptions
    /// The course as the last successful build saw it; held while rebuilding (one at a time).
    private let built = Mutex<Course?>(nil)

    public struct Rebuild: Sendable {
        /// Nil when the course could not be loaded or built (see `error`).
        public var plan: BuildPlan?
        public var report: BuildReport?
        public var error: String?
        public var seconds: Double
        public var wroteFiles: Bool { !(report?.filesWritten.isEmpty ?? true) }
    }

    public init(lecturesDirectory: String, options: BuildOptions) {
        self.lecturesDirectory = lecturesDirectory
        self.options = options
    }

    /// Builds what `changes` call for; nil changes (the first build) build all.
    public func rebuild(_ changes: SourceChanges?) -> Rebuild {
        built.withLock { built in
            let start = Date()
            func elapsed() -> Double { Date().timeIntervalSince(start) }
            let course: Course
            do {
                course = try Course.load(lecturesDirectory)
            } catch {
                built = nil
                return Rebuild(plan: nil, report: nil, error: "\(error)", seconds: elapsed())
            }
            let plan = changes.map { BuildPlan.make(previous: built, current: course, changes: $0) } ?? .all
            var o = options
            o.reuseUnchangedLectures = true
            if case .only(let paths) = plan { o.only = paths } else { o.only = [] }
            do {
                let report = try CourseBuilder(course: course, options: o).build()
                built = course
                return Rebuild(plan: plan, report: report, error: nil, seconds: elapsed())
            } catch {
                built = nil
                return Rebuild(plan: plan, report: nil, error: "\(error)", seconds: elapsed())
            }
        }
    }

    /// One line for a rebuild: what changed, what was built, the result.
    public static func summary(_ outcome: Rebuild, changes: SourceChanges?) -> String {
        let what = changes.map { "\($0)" } ?? "first build"
        guard let report = outcome.report else {
            return "\(what): build failed: \(outcome.error ?? "unknown error")"
        }
        let n = report.lecturesBuilt
        var line = "\(what): built \(n) lecture\(n == 1 ? "" : "s"), "
            + "\(report.filesWritten.count) file\(report.filesWritten.count == 1 ? "" : "s") written"
        if report.failedCells > 0 { line += ", \(report.failedCells) cell\(report.failedCells == 1 ? "" : "s") failed" }
        let errors = report.diagnostics.filter { $0.severity == .error }.count
        if errors > 0 { line += ", \(errors) error\(errors == 1 ? "" : "s")" }
        line += String(format: " (%.2f s)", outcome.seconds)
        return line
    }
}
