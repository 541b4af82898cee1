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
    /// Typeset the math with KaTeX while building (false: leave it to the browser).
    public var mathAtBuild = true
    /// The KaTeX to use; nil finds it (`KaTeXEngine.locate`).
    public var mathEngine: Result<KaTeXEngine, KaTeXEngine.Missing>?
    /// Print `<slug>.pdf` and `course.pdf` on this paper (nil: no PDFs).
    public var pdf: Paper?
    /// Skip a lecture whose inputs and output files are as the last build left
    /// them (`PageMemo`). Off for `check`, which needs every lecture's run.
    public var reuseUnchangedLectures = false
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
    /// Nothing ran: every run came from the cache, or the lecture was skipped as unchanged.
    public var cached = false
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
    /// Formulas typeset by node in this build (0 when all came from the cache).
    public var formulasRendered = 0
    /// Who rendered the math of the pages written.
    public var math: MathRendering = .browser
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
        // Located once, at its first use (a build that runs nothing never looks);
        // when cells run, it learns the compiler's jobs meanwhile.
        var located: Result<Toolchain, Error>?
        func locateToolchain() throws -> Toolchain {
            if located == nil {
                located = Result { try Toolchain.locate(cacheDirectory: options.cacheDirectory, prepareCompiles: options.runCells) }
            }
            return try located!.get()
        }
        let links = course.documents.map { LectureLink(slug: $0.slug, title: $0.title, subtitle: $0.subtitle) }
        var order = course.documents.indices.filter { selected.contains($0) }
        if let shard = options.shard {
            let durations = lastDurations(order.map { course.documents[$0] }, toolchain: try? locateToolchain())
            order = shard.pick(durations: durations).map { order[$0] }
        }
        report.lectures = order.map { course.documents[$0].path }
        let engine = options.mathAtBuild ? (options.mathEngine ?? KaTeXEngine.locate()) : nil
        var math: MathRendering = (try? engine?.get()) != nil ? .build : .browser
        // Lectures whose inputs and files are as the last build left them are skipped.
        var memos = [PageMemo?](repeating: nil, count: order.count)
        var keys = [String?](repeating: nil, count: order.count)
        var store: PageMemo.Store?
        if options.reuseUnchangedLectures, options.runCells, options.useCache, options.pdf == nil,
           let toolchain = try? locateToolchain() {
            let mode = (try? engine?.get()).map { "katex \($0.version)" } ?? "browser"
            let s = PageMemo.Store(cacheDirectory: options.cacheDirectory, outputDirectory: options.outputDirectory,
                                   toolchain: toolchain, courseTitle: course.title, links: links, math: mode)
            for (k, i) in order.enumerated() {
                let doc = course.documents[i]
                let (params, _) = options.overrides.apply(to: doc)
                let key = s.key(doc, params: params)
                keys[k] = key
                memos[k] = s.hit(doc.slug, key: key, manifest: writer.previousFiles(of: doc.slug))
            }
            store = s
        }
        let fresh = order.indices.filter { memos[$0] == nil }  // positions in `order` to build
        for (k, i) in order.enumerated() where memos[k] != nil {
            options.progress?(LectureProgress(path: course.documents[i].path, done: k + 1 - fresh.filter { $0 < k }.count,
                                              total: order.count, explanation: PageMemo.explanation, seconds: 0,
                                              failed: memos[k]!.failedCells > 0 || memos[k]!.diagnostics.hasErrors,
                                              cached: true))
        }
        var typesetter: MathTypesetter?
        if case .success(let katex)? = engine {
            typesetter = MathTypesetter(engine: katex, cacheDirectory: options.cacheDirectory)
            // The prose's formulas are known now: node loads KaTeX while the lectures run.
            if options.runCells {
                typesetter?.prepare(Set(fresh.flatMap { course.documents[order[$0]].math.map { Formula(tex: $0.tex, display: $0.display) } }))
            }
        }
        var willExecute: (@Sendable () -> Void)?
        if let t = typesetter { willExecute = { t.prepare() } }
        let outcomes = try runAll(fresh.map { course.documents[order[$0]] }, toolchain: locateToolchain, willExecute: willExecute,
                                  counted: (done: order.count - fresh.count, total: order.count))
        func renderAll(_ math: MathRendering) -> [RenderedLecture] {
            fresh.enumerated().map { f, k in
                let i = order[k]
                return LectureRenderer.render(course.documents[i], run: outcomes[f].run,
                                              exploration: outcomes[f].exploration, courseTitle: course.title,
                                              previous: i > 0 ? links[i - 1] : nil,
                                              next: i + 1 < links.count ? links[i + 1] : nil, lectures: links, math: math)
            }
        }
        var rendered = renderAll(math)
        var mathProblems: [Diagnostic] = []
        var mathProblem: String?
        if case .failure(let missing)? = engine { mathProblem = missing.reason }
        if math == .build, let typesetter {
            let docs = fresh.map { course.documents[order[$0]] }
            do {
                let (typeset, problems) = try typesetMath(&rendered, docs: docs, typesetter: typesetter)
                mathProblems = problems
                report.formulasRendered = typeset
            } catch {
                // node failed: the pages go out with the script that renders their math.
                mathProblem = "\(error)"
                math = .browser
                rendered = renderAll(.browser)
                store = nil
            }
        }
        report.math = math
        var f = 0  // position in `fresh`
        for (k, i) in order.enumerated() {
            let doc = course.documents[i]
            if let memo = memos[k] {
                report.diagnostics += doc.diagnostics + memo.diagnostics
                report.failedCells += memo.failedCells
                if let bytes = memo.searchIndexBytes { report.searchIndexSizes.append((doc.slug, bytes)) }
                writer.keep(owner: doc.slug)
                report.lecturesBuilt += 1
                continue
            }
            let outcome = outcomes[f], page = rendered[f]
            f += 1
            let failed = outcome.run.map { run in
                run.cells.filter { if case .failed = $0.status { true } else { false } }.count } ?? 0
            let own = outcome.diagnostics + page.diagnostics + mathProblems.filter { $0.file == doc.path }
            report.diagnostics += doc.diagnostics + own
            report.failedCells += failed
            if let run = outcome.run { report.runs.append((doc, run)) }
            if let e = outcome.exploration { report.explorations[doc.path] = e }
            let indexPath = SearchIndex.path(slug: doc.slug)
            let indexBytes = page.files.first(where: { $0.path == indexPath })?.bytes.count
            if let indexBytes { report.searchIndexSizes.append((doc.slug, indexBytes)) }
            try writer.replace(owner: doc.slug, files: page.files)
            report.lecturesBuilt += 1
            if let store, let key = keys[k] {
                if outcome.reusable {
                    store.save(doc.slug, key: key, paths: page.files.map(\.path), diagnostics: own,
                               failedCells: failed, searchIndexBytes: indexBytes)
                } else {
                    store.forget(doc.slug)
                }
            }
        }
        if let mathProblem, math == .browser, rendered.contains(where: { $0.formulas > 0 }) {
            report.diagnostics.append(Diagnostic(.warning, file: course.lecturesDirectory, line: 0,
                "math is left to KaTeX in the reader's browser, not rendered at build time: \(mathProblem) "
                + "(install Debian's nodejs and katex: apt-get install nodejs katex)"))
        }
        // Course-wide files, and pages of lectures that no longer exist.
        let courseIndex = SearchIndex.courseFile(lectures: links)
        try writer.replace(owner: "*", files: [("index.html", LectureRenderer.index(courseTitle: course.title, lectures: links, math: math)),
                                               (SearchIndex.coursePath, courseIndex)]
                           + Assets.files(math: math))
        report.searchIndexTotal = courseIndex.count + course.documents.reduce(0) { sum, doc in
            let path = options.outputDirectory + "/" + SearchIndex.path(slug: doc.slug)
            return sum + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
        if let paper = options.pdf {
            // With PDFs every lecture is rendered (no page is reused), so `rendered` follows `order`.
            report.diagnostics += try printPDFs(rendered, order: order, paper: paper, writer: writer)
        }
        let slugs = course.documents.map(\.slug) + ["*"]
        let live = Set(slugs + slugs.map { PDFPrinter.ownerPrefix + $0 })
        for owner in writer.owners where !live.contains(owner) { writer.removeOwner(owner) }
        try writer.saveManifest()
        report.filesWritten = writer.written
        report.filesUnchanged = writer.unchanged
        return report
    }

    /// Replaces the math of every page with KaTeX's HTML (or an error box),
    /// typesetting all formulas of the build at once. Returns how many node
    /// typeset, and a warning at each formula KaTeX refused.
    func typesetMath(_ rendered: inout [RenderedLecture], docs: [Document],
                     typesetter: MathTypesetter) throws -> (Int, [Diagnostic]) {
        let formulas = Set(rendered.flatMap { $0.math.map { Formula(tex: $0.tex, display: $0.display) } })
        let typeset = try typesetter.typeset(formulas)
        var problems: [Diagnostic] = []
        for (k, doc) in docs.enumerated() where !rendered[k].math.isEmpty {
            let elements = rendered[k].math
            let replacements: [MathMarkup.Replacement] = elements.map { e in
                switch typeset[Formula(tex: e.tex, display: e.display)] {
                case .html(let html)?: return .html(html)
                case .error(let message, let position)?:
                    problems.append(Self.mathDiagnostic(e, message: message, position: position, in: doc))
                    return .error(message)
                case nil: return .browser
                }
            }
            let p = rendered[k].page
            rendered[k].files[p].bytes = MathMarkup.splice(rendered[k].files[p].bytes, elements, replacements)
            rendered[k].math = []
        }
        return (typesetter.rendered, problems)
    }

    /// The warning for a formula KaTeX refused: at the TeX KaTeX points at when
    /// the formula is in the prose, else at the cell whose output or caption holds it.
    static func mathDiagnostic(_ e: MathMarkup.Element, message: String, position: Int?, in doc: Document) -> Diagnostic {
        let delimiters = e.display ? "$$" : "$"
        if let offset = e.sourceOffset {
            var at = offset
            if let position {
                let utf16 = e.tex.utf16
                let end = utf16.index(utf16.startIndex, offsetBy: min(position, utf16.count))
                at += String(e.tex[..<(String.Index(end, within: e.tex) ?? e.tex.endIndex)]).utf8.count
            }
            let loc = doc.source.location(of: min(at, doc.source.bytes.count))
            return Diagnostic(.warning, .math, file: doc.path, line: loc.line, column: loc.column,
                              "KaTeX cannot render \(delimiters)\(e.tex)\(delimiters): \(message)")
        }
        if let anchor = e.cellAnchor, let cell = doc.cells.first(where: { $0.anchor == anchor }) {
            return Diagnostic(.warning, .math, file: doc.path, line: cell.fenceLine, column: 1,
                              "KaTeX cannot render \(delimiters)\(e.tex)\(delimiters) in the output of \(cell.label): \(message)")
        }
        return Diagnostic(.warning, .math, file: doc.path, line: 0,
                          "KaTeX cannot render \(delimiters)\(e.tex)\(delimiters): \(message)")
    }

    /// Prints each lecture built, and the course when every lecture was built,
    /// `-j` at a time; a page that cannot be printed is an error at its lecture.
    func printPDFs(_ rendered: [RenderedLecture], order: [Int], paper: Paper,
                   writer: OutputWriter) throws -> [Diagnostic] {
        guard let chromium = PDFPrinter.locateChromium() else {
            return [Diagnostic(.error, file: course.lecturesDirectory, line: 0,
                               "cannot print PDFs: Chromium was not found on PATH (install Debian's chromium: apt-get install chromium)")]
        }
        let printer = PDFPrinter(chromium: chromium, paper: paper)
        var jobs: [(owner: String, path: String, title: String, page: [UInt8], source: String)] = order.enumerated().map { k, i in
            let doc = course.documents[i]
            return (PDFPrinter.ownerPrefix + doc.slug, "\(doc.slug).pdf", doc.title, rendered[k].files[rendered[k].page].bytes, doc.path)
        }
        if order.count == course.documents.count && !order.isEmpty {
            let page = PDFPrinter.coursePage(title: course.title, lectures: jobs.map { ($0.title, $0.page) })
            jobs.append((PDFPrinter.ownerPrefix + "*", "course.pdf", course.title, page, course.lecturesDirectory))
        }
        let todo = jobs
        let results = Mutex([Result<[UInt8], Error>?](repeating: nil, count: jobs.count))
        let gate = DispatchSemaphore(value: max(1, options.jobs))
        let out = options.outputDirectory
        DispatchQueue.concurrentPerform(iterations: jobs.count) { k in
            gate.wait()
            defer { gate.signal() }
            let r = Result { try printer.print(todo[k].page, title: todo[k].title, outputDirectory: out) }
            results.withLock { $0[k] = r }
        }
        var problems: [Diagnostic] = []
        for (k, r) in results.withLock({ $0 }).enumerated() {
            switch r! {
            case .success(let pdf): try writer.replace(owner: jobs[k].owner, files: [(jobs[k].path, pdf)])
            case .failure(let e):
                problems.append(Diagnostic(.error, file: jobs[k].source, line: 0, "cannot print \(jobs[k].path): \(e)"))
            }
        }
        return problems
    }

    struct LectureRunResult: Sendable {
        var run: LectureRun?
        var diagnostics: [Diagnostic]
        /// Every combination's run, for a lecture with explorable params.
        var exploration: Exploration?
        /// Whether every run of it can be had again from the cache.
        var reusable = true
    }

    /// Each lecture's last duration, when the cache knows it (nil without a toolchain).
    func lastDurations(_ docs: [Document], toolchain: Toolchain?) -> [Double?] {
        guard let toolchain else { return docs.map { _ in nil } }
        let runner = LectureRunner(toolchain: toolchain, cacheDirectory: options.cacheDirectory)
        return docs.map { doc in
            let (params, problems) = options.overrides.apply(to: doc)
            return problems.isEmpty && !doc.diagnostics.hasErrors ? runner.lastDuration(doc, params: params) : 0
        }
    }

    /// Runs the lectures concurrently, at most `jobs` at a time, keeping their order.
    /// `toolchain`: asked only when there is something to run (it throws when none is found).
    /// `willExecute`: called as a lecture starts to compile or run.
    /// `counted`: lectures already reported to `progress`, and the total it counts to.
    func runAll(_ docs: [Document], toolchain: () throws -> Toolchain, willExecute: (@Sendable () -> Void)? = nil,
                counted: (done: Int, total: Int)? = nil) throws -> [LectureRunResult] {
        guard options.runCells, docs.contains(where: { !$0.cells.isEmpty || !$0.inlines.isEmpty }) else {
            return docs.map { _ in LectureRunResult(run: nil, diagnostics: []) }
        }
        var configured = LectureRunner(toolchain: try toolchain(), cacheDirectory: options.cacheDirectory)
        configured.useCache = options.useCache
        configured.willExecute = willExecute
        let runner = configured
        let results = Mutex([LectureRunResult?](repeating: nil, count: docs.count))
        let gate = DispatchSemaphore(value: max(1, options.jobs))
        let finished = Mutex(counted?.done ?? 0)
        let total = counted?.total ?? docs.count
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
            var outcome = LectureRunResult(run: o.run, diagnostics: o.diagnostics, reusable: o.reusable)
            var explanation = o.explanation, seconds = o.seconds, cached = o.fromCache
            if plan.combinations.count > 1 {
                let rest = others.withLock { $0[i] }
                let runs = plan.combinations.indices.map { k in k == plan.defaultIndex ? o.run : rest[k]!.run }
                let e = Exploration(params: FrontMatter.explorable(plan.params), combinations: plan.combinations,
                                    runs: runs, defaultIndex: plan.defaultIndex)
                outcome.exploration = e
                outcome.diagnostics += e.otherFailures(doc)
                outcome.reusable = o.reusable && rest.values.allSatisfy(\.reusable)
                let ran = rest.values.filter { !$0.fromCache }.count + (o.fromCache ? 0 : 1)
                explanation += "; \(plan.combinations.count) combinations, \(ran) run"
                seconds += rest.values.map(\.seconds).reduce(0, +)
                cached = ran == 0
            }
            let failed = outcome.diagnostics.hasErrors
            results.withLock { $0[i] = outcome }
            progress?(LectureProgress(path: doc.path, done: finished.withLock { $0 += 1; return $0 }, total: total,
                                      explanation: explanation, seconds: seconds, failed: failed, cached: cached))
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
                progress?(LectureProgress(path: doc.path, done: finished.withLock { $0 += 1; return $0 }, total: total,
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
