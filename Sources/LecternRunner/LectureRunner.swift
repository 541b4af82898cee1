import Foundation
import LecternDocument
import LecternRecords

/// Compiles and runs one lecture's program, or takes its result from the cache.
///
/// The cache is content-addressed: the key hashes the generated program (cells,
/// inline expressions, parameters), the compiler's version and the kit
/// library's stamp. A prose-only edit leaves the program, and so the key, as it
/// was: the lecture re-renders without compiling.
public struct LectureRunner: Sendable {
    public var toolchain: Toolchain
    /// `.lectern-cache` by default.
    public var cacheDirectory: String
    public var useCache = true
    /// Default timeout (seconds) when the front matter sets none.
    public var defaultTimeout: Double = 60

    public init(toolchain: Toolchain, cacheDirectory: String) {
        self.toolchain = toolchain
        self.cacheDirectory = cacheDirectory
    }

    public struct Outcome: Sendable {
        public var run: LectureRun
        /// Compiler-form diagnostics for everything that failed.
        public var diagnostics: [Diagnostic]
        public var fromCache: Bool
        /// Why it ran or that it came from the cache (for `--explain`).
        public var explanation: String
        public var seconds: Double
    }

    /// Bumped when the collected format changes, so old cache entries are not reused.
    static let formatVersion = "1"

    /// The cache key leaves out the `#sourceLocation` line numbers, so that
    /// prose added above a cell does not force a recompile; a cached run is
    /// reused across such a shift only when nothing in it failed (its messages
    /// would name old lines).
    func key(_ program: Program, timeout: Double) -> String {
        let lineFree = program.source.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("#sourceLocation(file:") ? "#sourceLocation" : $0 }.joined(separator: "\n")
        var h = SHA256()
        h.update("lectern-run \(LectureRunner.formatVersion)\n")
        h.update(toolchain.compilerVersion)
        h.update("\nkit \(toolchain.kitStamp)\ntimeout \(timeout)\n")
        h.update(toolchain.compileArguments(source: "", output: "", moduleName: "", includes: []).joined(separator: " "))
        h.update(lineFree)
        return h.finalize()
    }

    public func run(_ doc: Document, params: [(name: String, value: ParamValue)]) -> Outcome {
        let start = Date()
        let timeout = doc.frontMatter.timeout ?? defaultTimeout
        let forward = ForwardReferences.find(in: doc)
        let program = Generator.program(for: doc, params: params, skipInlines: Set(forward.map(\.inline)))
        if program.cells.isEmpty && program.inlines.isEmpty && forward.isEmpty {
            return Outcome(run: .notRun(cells: doc.cells.count, inlines: doc.inlines.count).markSkipped(doc),
                           diagnostics: [], fromCache: false, explanation: "nothing to run", seconds: 0)
        }
        let key = key(program, timeout: timeout)
        let entry = "\(cacheDirectory)/runs/\(key)"
        let explanation: String
        if useCache, let cached = loadCached(entry), cached.lines == lines(doc) || cached.isClean {
            let collected = refuse(forward, doc, collect(doc, program, cached))
            return Outcome(run: collected.run, diagnostics: collected.diagnostics, fromCache: true,
                           explanation: "from cache", seconds: Date().timeIntervalSince(start))
        }
        explanation = useCache ? whyRan(doc, program: program, params: params) : "ran: --no-cache"
        let raw = execute(doc, program, timeout: timeout, entry: entry, params: params)
        let collected = refuse(forward, doc, collect(doc, program, raw))
        rememberInputs(doc, program: program, params: params)
        return Outcome(run: collected.run, diagnostics: collected.diagnostics, fromCache: false,
                       explanation: explanation, seconds: Date().timeIntervalSince(start))
    }

    /// Inline values refused before compiling (see `ForwardReferences`): failed, with a diagnostic.
    func refuse(_ problems: [ForwardReferences.Problem], _ doc: Document,
                _ collected: (run: LectureRun, diagnostics: [Diagnostic])) -> (run: LectureRun, diagnostics: [Diagnostic]) {
        var (run, diags) = collected
        for p in problems {
            let code = doc.inlines[p.inline]
            let d = Diagnostic(.error, file: doc.path, line: code.line, column: code.column, p.message)
            run.inlines[p.inline] = .failed(d.description)
            diags.append(d)
        }
        return (run, diags)
    }

    // MARK: - What a run leaves behind

    /// Files of one run: kept in the cache folder, re-collected on a hit.
    struct RawRun: Codable {
        var compileErrors: String      // compiler stderr of a failed compile ("" when it compiled)
        var brokenCells: [Int]         // cells that did not compile
        var brokenInlines: [Int]
        var ranUpTo: Int?              // program truncated before this cell (a later cell did not compile)
        var skippedInlines: [Int]
        var status: Int32
        var signal: Int32?
        var timedOut: Bool
        var outputLimitHit: Bool
        var timeout: Double
        var stdout: [UInt8] = []
        var stderr: String = ""
        var records: [DisplayRecord] = []
        var programRan: Bool
        /// First code line of each cell and line of each inline span, when it ran.
        var lines: [Int] = []

        /// Nothing failed: no compile error, clean exit, every check and claim passed.
        var isClean: Bool {
            compileErrors.isEmpty && status == 0 && !timedOut && !outputLimitHit && records.allSatisfy { r in
                switch r {
                case .check(let passed, _, _, _, _, _, _, _, _): return passed
                case .claim(_, _, _, _, let passed, _, _): return passed
                case .error: return false
                default: return true
                }
            }
        }
    }

    func lines(_ doc: Document) -> [Int] { doc.cells.map(\.firstCodeLine) + doc.inlines.map(\.line) }

    func loadCached(_ entry: String) -> RawRun? {
        guard let data = FileManager.default.contents(atPath: "\(entry)/run.json"),
              let raw = try? JSONDecoder().decode(RawRun.self, from: data) else { return nil }
        return raw
    }

    func execute(_ doc: Document, _ full: Program, timeout: Double, entry: String,
                 params: [(name: String, value: ParamValue)]) -> RawRun {
        let fm = FileManager.default
        let work = "\(cacheDirectory)/work/\(doc.slug)-\(getpid())"
        try? fm.removeItem(atPath: work)
        try? fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: work) }
        var raw = RawRun(compileErrors: "", brokenCells: [], brokenInlines: [], ranUpTo: nil, skippedInlines: [],
                         status: 0, signal: nil, timedOut: false, outputLimitHit: false, timeout: timeout,
                         programRan: false, lines: lines(doc))
        var program = full
        var compiled = compile(program, doc: doc, work: work)
        if let errors = compiled.errors {
            raw.compileErrors = errors
            let (cells, inlines) = brokenParts(errors, doc: doc)
            raw.brokenCells = cells
            raw.brokenInlines = inlines
            // Run what stands above the first cell that does not compile.
            let limit = cells.min()
            if !(limit == nil && inlines.isEmpty) {
                let left = Set(doc.inlines.indices).subtracting(full.inlines)  // refused before compiling
                program = Generator.program(for: doc, params: params, upTo: limit, skipInlines: Set(inlines).union(left))
                raw.ranUpTo = limit
                raw.skippedInlines = inlines
                compiled = compile(program, doc: doc, work: work)
            }
        }
        if compiled.errors == nil {
            let out = "\(work)/stdout", err = "\(work)/stderr", rec = "\(work)/records.jsonl"
            let env = ["LECTERN_RECORDS": rec, "OPENBLAS_NUM_THREADS": "1",
                       "SWIFT_BACKTRACE": "enable=yes,interactive=no,color=no,sanitize=yes"]
            if let r = try? ChildProcess.run("\(work)/lecture", [], environment: env, timeout: timeout,
                                             stdoutFile: out, stderrFile: err, stdoutLimit: ChildLimits.stdoutLimit) {
                raw.status = r.status
                raw.signal = r.signal
                raw.timedOut = r.timedOut
                raw.outputLimitHit = !r.timedOut && r.signal == SIGKILL
                raw.programRan = true
            }
            raw.stdout = Array(fm.contents(atPath: out) ?? Data())
            raw.stderr = String(decoding: fm.contents(atPath: err) ?? Data(), as: UTF8.self)
            raw.records = (try? RecordReader.read(path: rec)) ?? []
        }
        if useCache, let data = try? JSONEncoder().encode(raw) {
            try? fm.createDirectory(atPath: entry, withIntermediateDirectories: true)
            let tmp = "\(entry)/run.json.tmp-\(getpid())"
            if fm.createFile(atPath: tmp, contents: data) { rename(tmp, "\(entry)/run.json") }
        }
        return raw
    }

    struct Compiled { var errors: String? }

    func compile(_ program: Program, doc: Document, work: String) -> Compiled {
        let source = "\(work)/main.swift"
        do {
            try program.source.write(toFile: source, atomically: true, encoding: .utf8)
            let include = try toolchain.systemModules(in: cacheDirectory)
            let args = toolchain.compileArguments(source: source, output: "\(work)/lecture",
                                                  moduleName: moduleName(doc.slug), includes: [include])
            let r = try ChildProcess.run(toolchain.swiftc, args, timeout: 300)
            if r.status == 0 { return Compiled(errors: nil) }
            let text = String(decoding: r.stderr, as: UTF8.self)
            return Compiled(errors: text.isEmpty ? "swiftc exited with status \(r.status)" : text)
        } catch {
            return Compiled(errors: "\(error)")
        }
    }

    func moduleName(_ slug: String) -> String {
        let cleaned = slug.map { $0.isLetter || $0.isNumber ? $0 : "_" }
        let name = String(cleaned)
        return (name.first?.isNumber ?? true) ? "Lecture_" + name : name
    }

    /// Compile errors in compiler form, by the cell or inline span they point into.
    static func errorLines(_ text: String, path: String) -> [(line: Int, text: String)] {
        var out: [(Int, String)] = []
        for raw in text.split(separator: "\n") {
            let line = String(raw)
            guard line.hasPrefix(path + ":"), line.contains(": error: ") else { continue }
            let rest = line.dropFirst(path.count + 1)
            if let n = Int(rest.prefix { $0.isNumber }) { out.append((n, line)) }
        }
        return out
    }

    func brokenParts(_ errors: String, doc: Document) -> (cells: [Int], inlines: [Int]) {
        var cells = Set<Int>(), inlines = Set<Int>()
        for (line, _) in LectureRunner.errorLines(errors, path: doc.path) {
            if let c = doc.cells.first(where: { $0.options.eval && line >= $0.firstCodeLine && line <= $0.endLine }) {
                cells.insert(c.index)
            } else if let i = doc.inlines.first(where: { $0.line == line }) {
                inlines.insert(i.index)
            }
        }
        return (cells.sorted(), inlines.sorted())
    }

    func collect(_ doc: Document, _ program: Program, _ raw: RawRun) -> (run: LectureRun, diagnostics: [Diagnostic]) {
        var run: LectureRun
        var diags: [Diagnostic] = []
        if raw.programRan {
            let exit = Collector.Exit(status: raw.status, signal: raw.signal, timedOut: raw.timedOut,
                                      timeout: raw.timeout, outputLimitHit: raw.outputLimitHit)
            run = Collector(document: doc).collect(records: raw.records, stdout: raw.stdout, stderr: raw.stderr,
                                                   exit: exit)
        } else {
            run = LectureRun.notRun(cells: doc.cells.count, inlines: doc.inlines.count).markSkipped(doc)
        }
        // Compile errors: shown at their cell; the cells below it did not run.
        if !raw.compileErrors.isEmpty {
            let lines = LectureRunner.errorLines(raw.compileErrors, path: doc.path)
            for c in raw.brokenCells {
                let cell = doc.cells[c]
                let msgs = lines.filter { $0.line >= cell.firstCodeLine && $0.line <= cell.endLine }.map(\.text)
                run.cells[c].status = .failed(msgs.joined(separator: "\n"))
            }
            if let limit = raw.ranUpTo {
                for c in doc.cells.indices where c > limit && doc.cells[c].options.eval && !raw.brokenCells.contains(c) {
                    run.cells[c] = CellResult(status: .notRun)
                }
                for i in doc.inlines.indices where doc.inlines[i].range.lowerBound > doc.cells[limit].range.lowerBound {
                    run.inlines[i] = .notRun
                }
            }
            for i in raw.brokenInlines {
                let msgs = lines.filter { $0.line == doc.inlines[i].line }.map(\.text)
                run.inlines[i] = .failed(msgs.joined(separator: "\n"))
            }
            if raw.brokenCells.isEmpty && raw.brokenInlines.isEmpty {
                run.messages.append("\(doc.path): error: the lecture program does not compile:\n" + raw.compileErrors)
            }
            diags += lines.map { parseDiagnostic($0.text, fallbackLine: $0.line, path: doc.path) }
            if lines.isEmpty && (raw.brokenCells.isEmpty && raw.brokenInlines.isEmpty) {
                diags.append(Diagnostic(.error, file: doc.path, line: 0, "the lecture program does not compile:\n" + raw.compileErrors))
            }
        }
        // Failures found by running, as diagnostics (error=true cells are not failures).
        for (c, result) in run.cells.enumerated() {
            if case .failed(let m) = result.status, !raw.brokenCells.contains(c) {
                for line in m.split(separator: "\n") {
                    diags.append(parseDiagnostic(String(line), fallbackLine: doc.cells[c].fenceLine, path: doc.path))
                }
            }
        }
        for (i, r) in run.inlines.enumerated() {
            if case .claim(let literal, let computed, false, let message) = r {
                let code = doc.inlines[i]
                diags.append(Diagnostic(.error, file: doc.path, line: code.line, column: code.column,
                                        message.isEmpty ? "claim ≈ \(literal) does not hold: computed \(computed)" : message))
            }
        }
        for m in run.messages where !diags.contains(where: { m.contains($0.message) }) {
            diags.append(parseDiagnostic(m, fallbackLine: 0, path: doc.path))
        }
        return (run, diags)
    }

    /// Reads `file:line:col: error: message` back into a Diagnostic.
    func parseDiagnostic(_ text: String, fallbackLine: Int, path: String) -> Diagnostic {
        if text.hasPrefix(path + ":") {
            let rest = text.dropFirst(path.count + 1)
            let parts = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            if let line = Int(parts.first ?? "") {
                var column = 0
                var tail = parts.count > 1 ? String(rest.dropFirst(parts[0].count + 1)) : ""
                if parts.count > 2, let col = Int(parts[1]) { column = col; tail = String(parts[2]) }
                tail = tail.trimmingCharacters(in: .whitespaces)
                for sev in ["error: ", "warning: ", "note: "] where tail.hasPrefix(sev) {
                    let severity: Diagnostic.Severity = sev == "error: " ? .error : sev == "warning: " ? .warning : .note
                    return Diagnostic(severity, file: path, line: line, column: column, String(tail.dropFirst(sev.count)))
                }
                return Diagnostic(.error, file: path, line: line, column: column, tail)
            }
        }
        return Diagnostic(.error, file: path, line: fallbackLine, text)
    }

    // MARK: - --explain

    /// Component hashes of the last run of each lecture, to say what changed.
    func inputHashes(_ doc: Document, program: Program, params: [(name: String, value: ParamValue)]) -> [String: String] {
        let cellsCode = doc.cells.map { "\($0.options.eval)|\($0.options.error)|\($0.code)" }.joined(separator: "\u{1}")
        let inlineCode = doc.inlines.map { "\($0.expression)|\($0.claim ?? "")" }.joined(separator: "\u{1}")
        return [
            "cells": SHA256.hex(cellsCode),
            "inline expressions": SHA256.hex(inlineCode),
            "params": SHA256.hex(params.map { "\($0.name)=\($0.value.swiftLiteral)" }.joined(separator: ",")),
            "compiler": SHA256.hex(toolchain.compilerVersion),
            "core library": SHA256.hex(toolchain.kitStamp),
            "program": SHA256.hex(program.source),
        ]
    }

    func rememberInputs(_ doc: Document, program: Program, params: [(name: String, value: ParamValue)]) {
        let h = inputHashes(doc, program: program, params: params)
        let dir = "\(cacheDirectory)/last"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        if let data = try? JSONEncoder().encode(h) {
            FileManager.default.createFile(atPath: "\(dir)/\(doc.slug).json", contents: data)
        }
    }

    func whyRan(_ doc: Document, program: Program, params: [(name: String, value: ParamValue)]) -> String {
        guard let data = FileManager.default.contents(atPath: "\(cacheDirectory)/last/\(doc.slug).json"),
              let old = try? JSONDecoder().decode([String: String].self, from: data) else {
            return "ran: no cached result"
        }
        let now = inputHashes(doc, program: program, params: params)
        let changed = ["cells", "inline expressions", "params", "compiler", "core library"].filter { old[$0] != now[$0] }
        return changed.isEmpty ? "ran: no cached result for this program" : "ran: " + changed.joined(separator: ", ") + " changed"
    }
}

extension LectureRun {
    /// `eval=false` cells are skipped, not "not run".
    func markSkipped(_ doc: Document) -> LectureRun {
        var r = self
        for c in doc.cells where !c.options.eval { r.cells[c.index].status = .skipped }
        return r
    }
}
