import Foundation
import LecternDocument
import LecternRender
import LecternResults
import LecternRunner

public struct BuildOptions: Sendable {
    public var outputDirectory = "Output"
    /// Lecture files to build; empty means all.
    public var only: [String] = []
    /// Build only this shard's share of them (`--shard I/N`).
    public var shard: Shard?
    /// Run the cells (false renders code only, as before anything runs).
    public var runCells = true
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    public var overrides = try! ParamOverrides([])
    public var useCache = true
    public var cacheDirectory = ".lectern-cache"
    /// Called as each lecture finishes (progress, --explain).
    public var progress: (@Sendable (LectureProgress) -> Void)?
    public init() {}
}

public struct LectureProgress: Sendable {
    public var path: String
    public var done: Int
    public var total: Int
    public var explanation: String
    public var seconds: Double
    public var failed: Bool
}

public struct BuildReport: Sendable {
    public var diagnostics: [Diagnostic] = []
    public var filesWritten: [String] = []
    public var filesUnchanged = 0
    public var lecturesBuilt = 0
    /// Cells that failed (compile error, trap, failed expect, timeout).
    public var failedCells = 0
    /// Each lecture's document and run, in course order (for `check`).
    public var runs: [(document: Document, run: LectureRun)] = []
    /// The paths of the lectures built, in course order (the selection and the shard).
    public var lectures: [String] = []
    /// Size in bytes of each built lecture's search index file, in course order.
    public var searchIndexSizes: [(slug: String, bytes: Int)] = []
    /// The whole search index: every lecture's file and the list of lectures.
    public var searchIndexTotal = 0
    /// True when a lecture could not be built (an error diagnostic).
    public var failed: Bool { diagnostics.hasErrors }
}

/// Builds a course into the output folder: parse, render, write.
public struct CourseBuilder {
    public let course: Course
    public let options: BuildOptions

    public init(course: Course, options: BuildOptions) {
        self.course = course
        self.options = options
    }

    public func build() throws -> BuildReport {
        var report = BuildReport()
        report.diagnostics += course.diagnostics
        let writer = OutputWriter(root: options.outputDirectory)
        report.diagnostics += writer.diagnostics  // manifest entries outside the folder, ignored
        let selected: Set<Int>
        if options.only.isEmpty {
            selected = Set(course.documents.indices)
        } else {
            var s = Set<Int>()
            for p in options.only {
                guard let i = course.index(ofPath: p) else {
                    throw BuildError.usage("\(p) is not a lecture in \(course.lecturesDirectory)/")
                }
                s.insert(i)
            }
            selected = s
        }
        try options.overrides.requireDeclared(in: course.documents)
        let links = course.documents.map { LectureLink(slug: $0.slug, title: $0.title, subtitle: $0.subtitle) }
        var order = course.documents.indices.filter { selected.contains($0) }
        if let shard = options.shard {
            let durations = lastDurations(order.map { course.documents[$0] })
            order = shard.pick(durations: durations).map { order[$0] }
        }
        report.lectures = order.map { course.documents[$0].path }
        let outcomes = try runAll(order.map { course.documents[$0] })
        for (k, i) in order.enumerated() {
            let doc = course.documents[i]
            let outcome = outcomes[k]
            report.diagnostics += doc.diagnostics + outcome.diagnostics
            report.failedCells += outcome.run.map { run in
                run.cells.filter { if case .failed = $0.status { true } else { false } }.count } ?? 0
            if let run = outcome.run { report.runs.append((doc, run)) }
            let rendered = LectureRenderer.render(doc, run: outcome.run, courseTitle: course.title,
                                                  previous: i > 0 ? links[i - 1] : nil,
                                                  next: i + 1 < links.count ? links[i + 1] : nil, lectures: links)
            report.diagnostics += rendered.diagnostics
            let indexPath = SearchIndex.path(slug: doc.slug)
            if let f = rendered.files.first(where: { $0.path == indexPath }) { report.searchIndexSizes.append((doc.slug, f.bytes.count)) }
            try writer.replace(owner: doc.slug, files: rendered.files)
            report.lecturesBuilt += 1
        }
        // Course-wide files, and pages of lectures that no longer exist.
        let courseIndex = SearchIndex.courseFile(lectures: links)
        try writer.replace(owner: "*", files: [("index.html", LectureRenderer.index(courseTitle: course.title, lectures: links)),
                                               (SearchIndex.coursePath, courseIndex)]
                           + Assets.files())
        report.searchIndexTotal = courseIndex.count + course.documents.reduce(0) { sum, doc in
            let path = options.outputDirectory + "/" + SearchIndex.path(slug: doc.slug)
            return sum + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
        let live = Set(course.documents.map(\.slug) + ["*"])
        for owner in writer.owners where !live.contains(owner) { writer.removeOwner(owner) }
        try writer.saveManifest()
        report.filesWritten = writer.written
        report.filesUnchanged = writer.unchanged
        return report
    }

    struct LectureRunResult: Sendable {
        var run: LectureRun?
        var diagnostics: [Diagnostic]
    }

    /// Each lecture's last duration, when the cache knows it (nil without a toolchain).
    func lastDurations(_ docs: [Document]) -> [Double?] {
        guard let toolchain = try? Toolchain.locate(cacheDirectory: options.cacheDirectory) else {
            return docs.map { _ in nil }
        }
        let runner = LectureRunner(toolchain: toolchain, cacheDirectory: options.cacheDirectory)
        return docs.map { doc in
            let (params, problems) = options.overrides.apply(to: doc)
            return problems.isEmpty && !doc.diagnostics.hasErrors ? runner.lastDuration(doc, params: params) : 0
        }
    }

    /// Runs the lectures concurrently, at most `jobs` at a time, keeping their order.
    func runAll(_ docs: [Document]) throws -> [LectureRunResult] {
        guard options.runCells, docs.contains(where: { !$0.cells.isEmpty || !$0.inlines.isEmpty }) else {
            return docs.map { _ in LectureRunResult(run: nil, diagnostics: []) }
        }
        var configured = LectureRunner(toolchain: try Toolchain.locate(cacheDirectory: options.cacheDirectory),
                                      cacheDirectory: options.cacheDirectory)
        configured.useCache = options.useCache
        let runner = configured
        let results = Mutex([LectureRunResult?](repeating: nil, count: docs.count))
        let gate = DispatchSemaphore(value: max(1, options.jobs))
        let finished = Mutex(0)
        let overrides = options.overrides
        let progress = options.progress
        DispatchQueue.concurrentPerform(iterations: docs.count) { i in
            gate.wait()
            defer { gate.signal() }
            let doc = docs[i]
            let (params, paramDiags) = overrides.apply(to: doc)
            let outcome: LectureRunResult
            if !paramDiags.isEmpty || doc.diagnostics.hasErrors {
                // A lecture whose front matter or cells are malformed is rendered, not run.
                outcome = LectureRunResult(run: nil, diagnostics: paramDiags)
                progress?(LectureProgress(path: doc.path, done: finished.withLock { $0 += 1; return $0 }, total: docs.count,
                                          explanation: "not run: fix the errors above", seconds: 0, failed: true))
            } else {
                let o = runner.run(doc, params: params)
                let failed = o.diagnostics.hasErrors
                outcome = LectureRunResult(run: o.run, diagnostics: o.diagnostics)
                progress?(LectureProgress(path: doc.path, done: finished.withLock { $0 += 1; return $0 }, total: docs.count,
                                          explanation: o.explanation, seconds: o.seconds, failed: failed))
            }
            results.withLock { $0[i] = outcome }
        }
        return results.withLock { $0.map { $0! } }
    }
}
