import Foundation
import LecternDocument
import LecternResults

/// Runs one lecture: generates its program, takes the run from the cache or
/// has `Executor` compile and run it, and has `Collector` read the result.
///
/// The cache is content-addressed (`RunInputs`): a prose-only edit leaves the
/// program, and so the key, as it was, and the lecture re-renders without
/// compiling.
public struct LectureRunner: Sendable {
    public var toolchain: Toolchain
    /// `.lectern-cache` by default.
    public var cacheDirectory: String
    public var useCache = true
    /// Default timeout (seconds) when the front matter sets none.
    public var defaultTimeout: Double = 60
    /// Called before a lecture compiles or runs (not when its run comes from
    /// the cache): a build starts node then, so that KaTeX loads meanwhile.
    public var willExecute: (@Sendable () -> Void)?

    /// The program of each lecture this runner ran, so that the combinations of
    /// an explorable lecture generate and hash it once.
    let memo = ProgramMemo()

    public init(toolchain: Toolchain, cacheDirectory: String) {
        self.toolchain = toolchain
        self.cacheDirectory = cacheDirectory
    }

    /// One lecture's run and how it was come by.
    public struct Report: Sendable {
        public var run: LectureRun
        /// Every failure of the run, each once (`LectureRun.failures`).
        public var diagnostics: [Diagnostic]
        public var fromCache: Bool
        /// Why it ran or that it came from the cache (for `--explain`).
        public var explanation: String
        public var seconds: Double
        /// Whether swiftc ran for it (false when the compiled program was reused).
        public var compiled: Bool
        /// Whether the same inputs give this run again without running: it came
        /// from the cache or was stored there (not a timeout, not `--no-cache`).
        public var reusable = true
    }

    /// How long the lecture's current program took to compile and run when it
    /// last ran, if the cache holds that run (what `--shard` balances by).
    public func lastDuration(_ doc: Document, params: [Param]) -> Double? {
        let refused = ForwardReferences.find(in: doc)
        let program = Generator.program(for: doc, params: params, skipInlines: Set(refused.map(\.inline)))
        if program.cells.isEmpty && program.inlines.isEmpty && refused.isEmpty { return 0 }
        let inputs = RunInputs(doc, program: program, params: params, toolchain: toolchain,
                               timeout: doc.frontMatter.timeout ?? defaultTimeout)
        return RunCache(directory: cacheDirectory).seconds(inputs.key)
    }

    /// - Parameter remember: keep these inputs as the lecture's last run, which
    ///   `--explain` compares with (false for the other combinations of an
    ///   explorable lecture).
    public func run(_ doc: Document, params: [Param], remember: Bool = true) -> Report {
        let start = Date()
        func report(_ run: LectureRun, fromCache: Bool, _ explanation: String, compiled: Bool = false) -> Report {
            Report(run: run, diagnostics: run.failures(doc), fromCache: fromCache, explanation: explanation,
                   seconds: Date().timeIntervalSince(start), compiled: compiled)
        }
        let timeout = doc.frontMatter.timeout ?? defaultTimeout
        let (refused, program, base) = memo.program(doc, params: params) {
            let refused = ForwardReferences.find(in: doc)
            let program = Generator.program(for: doc, params: params, skipInlines: Set(refused.map(\.inline)))
            return (refused, program, RunInputs(doc, program: program, params: params, toolchain: toolchain, timeout: timeout))
        }
        let collector = Collector(document: doc)
        if program.cells.isEmpty && program.inlines.isEmpty && refused.isEmpty {
            return report(.notRun(doc), fromCache: false, "nothing to run")
        }
        let inputs = base.with(params: params, timeout: timeout)
        let cache = RunCache(directory: cacheDirectory)
        let key = inputs.key
        // A cached run is reused across a shift of lines only when nothing in
        // it failed (its messages would name old lines).
        if useCache, let cached = cache.load(key), cached.lines == Executor.lines(doc) || cached.isClean {
            return report(collector.collect(cached, refused: refused), fromCache: true, "from cache")
        }
        var explanation = useCache ? cache.explain(inputs, slug: doc.slug) : "ran: --no-cache"
        let store = ProgramStore(directory: cacheDirectory)
        willExecute?()
        let (raw, compiled) = Executor(toolchain: toolchain, cacheDirectory: cacheDirectory)
            .execute(doc, program, params: params, timeout: timeout,
                     store: store, programKey: ProgramStore.key(inputs, lines: Executor.lines(doc)), reuse: useCache)
        if !compiled { explanation += " (compiled program reused)" }
        if useCache && raw.isCacheable { cache.store(raw, key: key, seconds: Date().timeIntervalSince(start)) }
        if remember { cache.remember(inputs, slug: doc.slug) }
        var r = report(collector.collect(raw, refused: refused), fromCache: false, explanation, compiled: compiled)
        r.reusable = useCache && raw.isCacheable
        return r
    }
}

/// A lecture's program and inputs by its source and param names and types
/// (what the program depends on); the values are set per run.
final class ProgramMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: ([ForwardReferences.Problem], Program, RunInputs)] = [:]

    func program(_ doc: Document, params: [Param],
                 make: () -> ([ForwardReferences.Problem], Program, RunInputs)) -> ([ForwardReferences.Problem], Program, RunInputs) {
        let key = doc.path + "\u{0}" + params.map { "\($0.name):\($0.value.swiftType)" }.joined(separator: ",")
        if let hit = lock.withLock({ entries[key] }), hit.2.source == doc.source.bytes { return hit }
        let made = make()
        lock.withLock { entries[key] = made }
        return made
    }
}
