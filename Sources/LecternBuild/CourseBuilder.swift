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
    /// Each lecture's document and run, in course order (for `check`); for an
    /// explorable lecture, the run at the default values.
    public var runs: [(document: Document, run: LectureRun)] = []
    /// The runs of each explorable lecture at every combination, by path.
    public var explorations: [String: Exploration] = [:]
    /// The paths of the lectures built, in course order (the selection and the shard).
    public var lectures: [String] = []
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
            if let e = outcome.exploration { report.explorations[doc.path] = e }
            let rendered = LectureRenderer.render(doc, run: outcome.run, exploration: outcome.exploration,
                                                  courseTitle: course.title,
                                                  previous: i > 0 ? links[i - 1] : nil,
                                                  next: i + 1 < links.count ? links[i + 1] : nil)
            report.diagnostics += rendered.diagnostics
            try writer.replace(owner: doc.slug, files: rendered.files)
            report.lecturesBuilt += 1
        }
        // Course-wide files, and pages of lectures that no longer exist.
        try writer.replace(owner: "*", files: [("index.html", LectureRenderer.index(courseTitle: course.title, lectures: links))]
                           + Assets.files())
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
        /// Every combination's run, for a lecture with explorable params.
        var exploration: Exploration?
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
        // Each lecture's params (overrides applied) and combinations of explorable values.
        let plans = docs.map { doc -> (params: [Param], problems: [Diagnostic], combinations: [ParamCombination], defaultIndex: Int) in
            let (params, problems) = overrides.apply(to: doc)
            let (all, d) = FrontMatter.combinations(params)
            return (params, problems, all, d)
        }
        let others = Mutex([[Int: LectureRunner.Report]](repeating: [:], count: docs.count))
        let first = Mutex([LectureRunner.Report?](repeating: nil, count: docs.count))
        @Sendable func finish(_ i: Int) {
            let doc = docs[i], plan = plans[i]
            guard let o = first.withLock({ $0[i] }) else { return }
            var outcome = LectureRunResult(run: o.run, diagnostics: o.diagnostics)
            var explanation = o.explanation, seconds = o.seconds
            if plan.combinations.count > 1 {
                let rest = others.withLock { $0[i] }
                let runs = plan.combinations.indices.map { k in k == plan.defaultIndex ? o.run : rest[k]!.run }
                let e = Exploration(params: FrontMatter.explorable(plan.params), combinations: plan.combinations,
                                    runs: runs, defaultIndex: plan.defaultIndex)
                outcome.exploration = e
                outcome.diagnostics += e.otherFailures(doc)
                let ran = rest.values.filter { !$0.fromCache }.count + (o.fromCache ? 0 : 1)
                explanation += "; \(plan.combinations.count) combinations, \(ran) run"
                seconds += rest.values.map(\.seconds).reduce(0, +)
            }
            let failed = outcome.diagnostics.hasErrors
            results.withLock { $0[i] = outcome }
            progress?(LectureProgress(path: doc.path, done: finished.withLock { $0 += 1; return $0 }, total: docs.count,
                                      explanation: explanation, seconds: seconds, failed: failed))
        }
        // The default combination of every lecture first (each compiles its
        // program), then the other combinations, which reuse it.
        DispatchQueue.concurrentPerform(iterations: docs.count) { i in
            gate.wait()
            defer { gate.signal() }
            let doc = docs[i], plan = plans[i]
            if !plan.problems.isEmpty || doc.diagnostics.hasErrors {
                // A lecture whose front matter or cells are malformed is rendered, not run.
                results.withLock { $0[i] = LectureRunResult(run: nil, diagnostics: plan.problems) }
                progress?(LectureProgress(path: doc.path, done: finished.withLock { $0 += 1; return $0 }, total: docs.count,
                                          explanation: "not run: fix the errors above", seconds: 0, failed: true))
                return
            }
            let o = runner.run(doc, params: plan.combinations[plan.defaultIndex].params)
            first.withLock { $0[i] = o }
            if plan.combinations.count == 1 { finish(i) }
        }
        let tasks = docs.indices.flatMap { i -> [(Int, Int)] in
            guard first.withLock({ $0[i] }) != nil, plans[i].combinations.count > 1 else { return [] }
            return plans[i].combinations.indices.filter { $0 != plans[i].defaultIndex }.map { (i, $0) }
        }
        let remaining = Mutex(Dictionary(grouping: tasks, by: \.0).mapValues(\.count))
        DispatchQueue.concurrentPerform(iterations: tasks.count) { t in
            gate.wait()
            defer { gate.signal() }
            let (i, k) = tasks[t]
            let o = runner.run(docs[i], params: plans[i].combinations[k].params, remember: false)
            others.withLock { $0[i][k] = o }
            let left = remaining.withLock { $0[i]! -= 1; return $0[i]! }
            if left == 0 { finish(i) }
        }
        return results.withLock { $0.map { $0! } }
    }
}
