import Foundation
import LecternDocument
import LecternRecords

/// What one run of a lecture program left behind, as read from swiftc and the
/// program: kept in the cache (`runs/<key>/run.json`) and turned into a
/// `LectureRun` by `Collector`, the only code that interprets it.
struct RawRun: Codable, Equatable {
    /// swiftc's errors that name the lecture file, parsed once where its output is read.
    var compileErrors: [Diagnostic] = []
    /// swiftc's whole output when the program did not compile ("" when it did).
    var compileOutput = ""
    /// Cells and inline spans that did not compile.
    var brokenCells: [Int] = []
    var brokenInlines: [Int] = []
    /// The program was cut before this cell (it, or a later cell, did not compile).
    var ranUpTo: Int?
    /// Inline spans left out of the program that ran (theirs or another's error on their line).
    var skippedInlines: [Int] = []
    var status: Int32 = 0
    var signal: Int32?
    var timedOut = false
    var outputLimitHit = false
    var timeout: Double
    var stdout = Data()
    var stderr = ""
    var records: [DisplayRecord] = []
    /// Lines of the records file that did not decode.
    var badRecords: [RecordReader.BadLine] = []
    /// Why the program could not be started, when it could not.
    var launchError: String?
    var programRan = false
    /// First code line of each cell and line of each inline span, when it ran:
    /// a cached run whose messages name lines is reused only while they hold.
    var lines: [Int] = []

    /// Whether the run says something about the lecture rather than the machine:
    /// a timeout depends on load, a compiler that failed without naming the
    /// lecture (killed, no writable HOME, a broken toolchain) or a program that
    /// could not start on the machine's state. Such runs are not cached.
    var isCacheable: Bool {
        !timedOut && launchError == nil && (compileOutput.isEmpty || !compileErrors.isEmpty)
            && !(signal == SIGKILL && !outputLimitHit)
    }

    /// Nothing failed: it compiled, exited cleanly, and every check and claim passed.
    var isClean: Bool {
        compileOutput.isEmpty && launchError == nil && badRecords.isEmpty && status == 0 && !timedOut
            && !outputLimitHit && records.allSatisfy { r in
                switch r {
                case .check(let c): return c.passed
                case .claim(let c): return c.passed
                case .error: return false
                default: return true
                }
            }
    }
}

/// Compiles a lecture's program against LecternKit and runs it in a work
/// folder of the cache, with stdout to a file and the records file named by
/// `LECTERN_RECORDS`.
struct Executor {
    var toolchain: Toolchain
    var cacheDirectory: String

    /// `LECTERN_KEEP_WORK=1`: read once for the process.
    static let keepWork = ProcessInfo.processInfo.environment["LECTERN_KEEP_WORK"] == "1"

    static func lines(_ doc: Document) -> [Int] { doc.cells.map(\.firstCodeLine) + doc.inlines.map(\.line) }

    /// Compiles the program, or takes it from `store` (`reuse`: a stored
    /// program may be used; else only one this process compiled), and runs it
    /// with `params` passed in `LECTERN_PARAMS`. `compiled` says whether swiftc ran.
    func execute(_ doc: Document, _ full: Program, params: [Param], timeout: Double,
                 store: ProgramStore, programKey: String, reuse: Bool) -> (raw: RawRun, compiled: Bool) {
        let files = FileManager.default
        let work = "\(cacheDirectory)/work/\(doc.slug)-\(getpid())-\(UUID().uuidString.prefix(8))"
        try? files.createDirectory(atPath: work, withIntermediateDirectories: true)
        // LECTERN_KEEP_WORK=1 keeps the program, its compile command and its output
        // (for reading the generated Swift, and for bench/compile.sh).
        defer { if !Executor.keepWork { try? files.removeItem(atPath: work) } }
        var raw = RawRun(timeout: timeout, lines: Executor.lines(doc))
        var compiledNow = false
        let (program, executable) = CompileLocks.shared.withLock(programKey) { () -> (CompiledProgram, String) in
            if reuse || CompileLocks.shared.wasCompiled(programKey), let stored = store.load(programKey) {
                return (stored, store.executable(programKey))
            }
            compiledNow = true
            let result = compileProgram(doc, full, params: params, work: work)
            if result.isCacheable && store.store(result, executable: "\(work)/lecture", key: programKey) {
                CompileLocks.shared.markCompiled(programKey)
                return (result, store.executable(programKey))
            }
            return (result, "\(work)/lecture")
        }
        raw.compileErrors = program.compileErrors
        raw.compileOutput = program.compileOutput
        raw.brokenCells = program.brokenCells
        raw.brokenInlines = program.brokenInlines
        raw.ranUpTo = program.ranUpTo
        raw.skippedInlines = program.skippedInlines
        guard program.hasExecutable else { return (raw, compiledNow) }
        return (run(executable, work: work, params: params, raw: raw), compiledNow)
    }

    /// Compiles in `work` (the executable is `work/lecture`): the whole program,
    /// else what stands above the first cell that does not compile.
    func compileProgram(_ doc: Document, _ full: Program, params: [Param], work: String) -> CompiledProgram {
        var result = CompiledProgram()
        var program = full
        var failure = compile(program, doc: doc, work: work)
        if let output = failure {
            result.compileOutput = output
            (result.compileErrors, result.brokenCells, result.brokenInlines) =
                attribute(CompilerOutput.errors(output, path: doc.path), doc: doc, program: full)
            // Run what stands above the first cell that does not compile, without the
            // inline spans that do not; if that still fails, without any inline span.
            let limit = result.brokenCells.min()
            if !(limit == nil && result.brokenInlines.isEmpty) {
                let refused = Set(doc.inlines.indices).subtracting(full.inlines)  // refused before compiling
                result.ranUpTo = limit
                for skip in [Set(result.brokenInlines).union(refused), Set(doc.inlines.indices)] {
                    program = Generator.program(for: doc, params: params, upTo: limit, skipInlines: skip)
                    failure = compile(program, doc: doc, work: work)
                    if failure == nil { result.skippedInlines = Array(skip.subtracting(refused)).sorted(); break }
                }
            }
        }
        result.hasExecutable = failure == nil
        return result
    }

    /// Runs a compiled lecture program in a work folder of the cache.
    func run(_ executable: String, work: String, params: [Param], raw start: RawRun) -> RawRun {
        var raw = start
        let files = FileManager.default
        let out = "\(work)/stdout", err = "\(work)/stderr", rec = "\(work)/records.jsonl"
        // Opened before the program starts and read through these handles after it
        // ends, so that a cell that deletes the cache folder cannot take its own
        // output away (an unlinked file stays readable through an open descriptor).
        let handles = [out, err, rec].map { path -> FileHandle? in
            _ = files.createFile(atPath: path, contents: nil)
            return FileHandle(forReadingAtPath: path)
        }
        func contents(_ k: Int) -> Data {
            guard let h = handles[k] else { return Data() }
            defer { try? h.close() }
            try? h.seek(toOffset: 0)
            return (try? h.readToEnd()) ?? Data()
        }
        var env = ["LECTERN_RECORDS": rec, "OPENBLAS_NUM_THREADS": "1",
                   ParamsEnvironment.key: ParamsEnvironment.encode(params.map { ($0.name, $0.value.description) }),
                   "SWIFT_BACKTRACE": "enable=yes,interactive=no,color=no,sanitize=yes"]
        if let kernel = toolchain.numericKernel { env[NumericKernel.environmentKey] = kernel }
        if Executor.keepWork { _ = files.createFile(atPath: "\(work)/params.json", contents: Data(env[ParamsEnvironment.key]!.utf8)) }
        do {
            let r = try ChildProcess.run(executable, [], environment: env, timeout: raw.timeout,
                                         stdoutFile: out, stderrFile: err, stdoutLimit: ChildLimits.stdoutLimit)
            raw.status = r.status
            raw.signal = r.signal
            raw.timedOut = r.timedOut
            raw.programRan = true
        } catch {
            raw.launchError = "\(error)"
        }
        raw.stdout = contents(0)
        raw.stderr = String(decoding: contents(1), as: UTF8.self)
        let records = RecordReader.contents(of: contents(2))
        (raw.records, raw.badRecords) = (records.records, records.badLines)
        // Past the cap is past the cap whether the size check caught the program
        // running (and killed it) or the program ended first: what it wrote after
        // the cap's last byte is dropped, records included, so that the result does
        // not depend on timing. (Killed below the cap: most likely the memory limit.)
        let cap = ChildLimits.stdoutLimit
        if !raw.timedOut && raw.stdout.count > cap {
            raw.outputLimitHit = true
            raw.stdout = Data(raw.stdout.prefix(cap))
            raw.records = raw.records.filter { $0.out <= cap }
        }
        return Collector.compacted(raw)
    }

    /// Compiles; returns swiftc's output when it failed, nil when it compiled.
    func compile(_ program: Program, doc: Document, work: String) -> String? {
        let source = "\(work)/main.swift"
        do {
            guard AtomicFile.write(source, program.source) else {
                return "cannot write \(source): \(String(cString: strerror(errno)))"
            }
            let include = try toolchain.systemModules(in: cacheDirectory)
            let args = toolchain.compileArguments(source: source, output: "\(work)/lecture",
                                                  moduleName: moduleName(doc.slug), includes: [include])
            if Executor.keepWork {
                try ([toolchain.swiftc] + args).joined(separator: "\n").write(toFile: "\(work)/swiftc.args", atomically: true, encoding: .utf8)
            }
            // The driver's jobs run directly when they are known (`CompileJobs`).
            let placeholders = CompileJobs.placeholderArguments(toolchain, include: include)
            if toolchain.isToolchainDriver,
               let jobs = CompileJobs.jobs(toolchain, arguments: placeholders, cacheDirectory: cacheDirectory) {
                return jobs.run(work: work, module: moduleName(doc.slug), timeout: 300, source: program.source,
                                cacheDirectory: cacheDirectory)
            }
            let r = try ChildProcess.run(toolchain.swiftc, args, timeout: 300)
            if r.status == 0 { return nil }
            let text = String(decoding: r.stderr, as: UTF8.self)
            return text.isEmpty ? "swiftc exited with status \(r.status)" : text
        } catch {
            return "\(error)"
        }
    }

    func moduleName(_ slug: String) -> String {
        let cleaned = slug.map { $0.isLetter || $0.isNumber ? $0 : "_" }
        let name = String(cleaned)
        return (name.first?.isNumber ?? true) ? "Lecture_" + name : name
    }

    /// The compile errors, each placed at its cell or inline span, and the cells
    /// and spans that have one. An inline span's error is moved to the span's
    /// column in the `.md` (its column in the generated line says which of the
    /// spans on that line it is).
    func attribute(_ errors: [Diagnostic], doc: Document, program: Program)
        -> (errors: [Diagnostic], cells: [Int], inlines: [Int]) {
        var cells = Set<Int>(), inlines = Set<Int>()
        let placed = errors.map { d -> Diagnostic in
            if let c = doc.cells.first(where: { $0.options.eval && d.line >= $0.firstCodeLine && d.line <= $0.endLine }) {
                cells.insert(c.index)
                return d
            }
            let onLine = program.inlines.filter { doc.inlines[$0].line == d.line }
            let hit = onLine.first { program.inlineColumns[$0]?.contains(d.column) == true }
                ?? onLine.min { abs((program.inlineColumns[$0]?.lowerBound ?? 0) - d.column)
                                  < abs((program.inlineColumns[$1]?.lowerBound ?? 0) - d.column) }
            guard let i = hit else { return d }
            inlines.insert(i)
            var moved = d
            moved.column = doc.inlines[i].column
            return moved
        }
        return (placed, cells.sorted(), inlines.sorted())
    }
}

/// swiftc's diagnostics, read from its output: the one place compiler-form
/// text is parsed.
enum CompilerOutput {
    /// The `error:` lines that name `path` (`path:line[:col]: error: message`).
    static func errors(_ text: String, path: String) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for raw in text.split(separator: "\n") {
            guard raw.hasPrefix(path + ":") else { continue }
            let rest = raw.dropFirst(path.count + 1)
            let fields = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard let line = Int(fields[0]) else { continue }
            var column = 0
            var tail = fields.dropFirst().joined(separator: ":")
            if fields.count > 2, let c = Int(fields[1]) { column = c; tail = String(fields[2]) }
            tail = tail.trimmingCharacters(in: .whitespaces)
            guard tail.hasPrefix("error: ") else { continue }
            out.append(Diagnostic(.error, .compile, file: path, line: line, column: column,
                                  String(tail.dropFirst("error: ".count))))
        }
        return out
    }
}
