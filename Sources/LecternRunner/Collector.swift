import Foundation
import LecternDocument
import LecternRecords
import LecternResults

/// Turns what a lecture program left behind (`RawRun`: compile errors, its
/// records, its stdout, stderr and exit status) into per-cell results: the
/// only code that interprets a raw run. Records carry the stdout offset at
/// which they were written, which is how printed text is split between cells
/// and interleaved with rich outputs. Every failure becomes a `Diagnostic`.
struct Collector {
    let document: Document
    /// Cap on the text one cell may print; the rest is cut with a note.
    static let cellOutputCap = 1 << 20

    /// - Parameter refused: inline values refused before compiling (`ForwardReferences`).
    func collect(_ raw: RawRun, refused: [ForwardReferences.Problem] = []) -> LectureRun {
        let doc = document
        var run = raw.programRan ? collectRecords(raw) : .notRun(doc)
        if let launch = raw.launchError {
            run.problems.append(Diagnostic(.error, .launch, file: doc.path, line: 0,
                                           "the lecture program could not be started: \(launch)"))
        }
        for bad in raw.badRecords {
            run.problems.append(Diagnostic(.error, .records, file: doc.path, line: 0,
                                           "the lecture program wrote a record that cannot be read (\(bad)); what it reports is incomplete"))
        }
        if !raw.compileOutput.isEmpty { attributeCompileErrors(raw, to: &run) }
        for p in refused {
            let code = doc.inlines[p.inline]
            run.inlines[p.inline] = .failed([Diagnostic(.error, .compile, file: doc.path, line: code.line,
                                                        column: code.column, p.message)])
        }
        return run
    }

    /// Compile errors are shown at their cell or inline span; the cells below
    /// the first broken cell did not run.
    func attributeCompileErrors(_ raw: RawRun, to run: inout LectureRun) {
        let doc = document
        for c in raw.brokenCells {
            let cell = doc.cells[c]
            run.cells[c].status = .failed(raw.compileErrors.filter { $0.line >= cell.firstCodeLine && $0.line <= cell.endLine })
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
            let code = doc.inlines[i]
            run.inlines[i] = .failed(raw.compileErrors.filter { $0.line == code.line && $0.column == code.column })
        }
        if raw.brokenCells.isEmpty && raw.brokenInlines.isEmpty {
            run.problems.append(Diagnostic(.error, .compile, file: doc.path, line: 0,
                                           "the lecture program does not compile:",
                                           notes: raw.compileOutput.split(separator: "\n", omittingEmptySubsequences: false)
                                               .map(String.init).reversed().drop { $0.isEmpty }.reversed()))
        }
    }

    func collectRecords(_ raw: RawRun) -> LectureRun {
        let doc = document
        let stdout = [UInt8](raw.stdout)
        var run = LectureRun.notRun(doc)
        var textBytes = [Int](repeating: 0, count: doc.cells.count)
        var lastStarted: Int?
        var ended = Set<Int>()

        func appendText(_ c: Int, _ bytes: Range<Int>) {
            let room = Collector.cellOutputCap - textBytes[c]
            if room <= 0 { return }
            var slice = stdout[bytes]
            var cut = false
            if slice.count > room { slice = slice.prefix(room); cut = true }
            textBytes[c] += slice.count
            var text = visibleText(slice)
            if cut { text += "\n… output cut at \(Collector.cellOutputCap / 1024) KB\n" }
            if case .text(let prev)? = run.cells[c].outputs.last {
                run.cells[c].outputs[run.cells[c].outputs.count - 1] = .text(prev + text)
            } else {
                run.cells[c].outputs.append(.text(text))
            }
        }
        func fail(_ c: Int, _ d: Diagnostic) {
            switch run.cells[c].status {
            case .failed(let earlier): run.cells[c].status = .failed(earlier + [d])
            case .expectedFailure(let earlier): run.cells[c].status = .expectedFailure(earlier + [d])
            default: run.cells[c].status = doc.cells[c].options.error ? .expectedFailure([d]) : .failed([d])
            }
        }
        func badIndex(_ what: String, _ i: Int) {
            run.problems.append(Diagnostic(.error, .records, file: doc.path, line: 0,
                                           "the lecture program wrote a record for \(what) \(i), which this lecture does not have"))
        }

        Collector.walk(raw, isCell: doc.cells.indices.contains, text: appendText) { r, current in
            switch r {
            case .cellStart(let mark):
                guard doc.cells.indices.contains(mark.index) else { badIndex("cell", mark.index); return }
                lastStarted = mark.index
                run.cells[mark.index].status = .ok
            case .cellEnd(let mark):
                ended.insert(mark.index)
            case .inline(let v):
                guard run.inlines.indices.contains(v.index) else { badIndex("inline value", v.index); return }
                run.inlines[v.index] = .value(v.text)
            case .claim(let claim):
                guard run.inlines.indices.contains(claim.index) else { badIndex("claim", claim.index); return }
                run.inlines[claim.index] = .claim(claim)
            case .check(let check):
                guard let c = current else { return }
                run.cells[c].outputs.append(.record(r))
                if !check.passed {
                    fail(c, Diagnostic(.error, .expect, file: check.file, line: check.line, column: check.column ?? 1,
                                       check.message))
                }
            case .error(let e):
                guard let c = current else { return }
                fail(c, Diagnostic(.error, .thrown, file: e.file, line: e.line, "\(e.type) thrown: \(e.message)"))
            default:
                guard let c = current else { return }
                run.cells[c].outputs.append(.record(r))
            }
        }

        let running = lastStarted.flatMap { ended.contains($0) ? nil : $0 }
        let crashed = raw.timedOut || raw.outputLimitHit || raw.status != 0
        guard crashed || running != nil else { return run }
        let place = running.map { "while running \(doc.cells[$0].label) (\(doc.path):\(doc.cells[$0].fenceLine))" }
            ?? "after the last cell"
        let kind: Diagnostic.Kind, message: String
        if raw.timedOut {
            (kind, message) = (.timeout, "timed out after \(formatSeconds(raw.timeout)) s \(place); the program was stopped")
        } else if raw.outputLimitHit {
            (kind, message) = (.outputLimit, "printed more than \(ChildLimits.stdoutLimit >> 20) MB \(place); the program was stopped")
        } else if raw.signal == SIGKILL {
            (kind, message) = (.crash, "the program was killed (SIGKILL) \(place); the likeliest cause is the machine's memory limit")
        } else if raw.status != 0 {
            (kind, message) = (.crash, trapMessage(raw.stderr, status: raw.status, signal: raw.signal))
        } else {
            (kind, message) = (.exited, "the program ended (exit status 0) \(place), before the lecture's last cell; the cells below did not run")
        }
        let line = running.map { crashLine(raw.stderr, cell: doc.cells[$0]) } ?? 0
        let d = Diagnostic(.error, kind, file: doc.path,
                           line: line > 0 ? line : (running.map { doc.cells[$0].fenceLine } ?? 0), message)
        if let c = running {
            run.cells[c].status = doc.cells[c].options.error ? .expectedFailure([d]) : .failed([d])
            // error=true cells cannot resume a dead program: later cells did not run.
            if doc.cells[c].options.error { run.problems.append(d) }
        } else {
            run.problems.append(d)
        }
        return run
    }

    /// The walk over a run's records that `collectRecords` and `compacted`
    /// share, so that both split stdout between cells by one rule: `text` gets
    /// each stretch of stdout printed while a cell ran (the cell, the byte
    /// range), in order; `record` each record, after the text printed before
    /// it, with the cell running once it is read. A `cellStart` whose index
    /// `isCell` refuses leaves the cell that was running.
    static func walk(_ raw: RawRun, isCell: (Int) -> Bool = { _ in true },
                     text: (_ cell: Int, _ bytes: Range<Int>) -> Void,
                     record: (_ record: DisplayRecord, _ cell: Int?) -> Void) {
        let count = raw.stdout.count
        var current: Int?
        var pos = 0
        func textUpTo(_ out: Int) {
            let end = min(max(out, pos), count)
            if let c = current, end > pos { text(c, pos..<end) }
            pos = end
        }
        for r in raw.records {
            if r.out >= 0 { textUpTo(r.out) }  // -1: stdout was not a file, no offset
            switch r {
            case .cellStart(let m) where isCell(m.index): current = m.index
            case .cellEnd: current = nil
            default: break
            }
            record(r, current)
        }
        textUpTo(count)
    }

    /// The run with stdout cut to what the collector keeps: the text inside
    /// cells, at most `cellOutputCap` bytes of it per cell (one more, so the cut
    /// is still seen), record offsets moved to match. A cell that prints 50 MB
    /// then costs the cache about a megabyte, and a cached rebuild reads no more.
    static func compacted(_ raw: RawRun) -> RawRun {
        guard raw.stdout.count > cellOutputCap else { return raw }
        var r = raw
        let stdout = [UInt8](raw.stdout)
        var kept: [UInt8] = []
        var perCell: [Int: Int] = [:]
        var records: [DisplayRecord] = []
        records.reserveCapacity(raw.records.count)
        walk(raw, text: { c, bytes in
            let n = min(cellOutputCap + 1 - perCell[c, default: 0], bytes.count)
            if n > 0 { kept += stdout[bytes.prefix(n)]; perCell[c, default: 0] += n }
        }, record: { record, _ in
            records.append(record.out >= 0 ? record.with(out: kept.count) : record)
        })
        r.records = records
        r.stdout = Data(kept)
        return r
    }

    /// The runtime's own words: "Fatal error: …" lines, else the signal.
    func trapMessage(_ stderr: String, status: Int32, signal: Int32?) -> String {
        let lines = stderr.split(separator: "\n").map(String.init)
        if let fatal = lines.first(where: { $0.contains("Fatal error") }) {
            if let r = fatal.range(of: "Fatal error") { return String(fatal[r.lowerBound...]) }
        }
        if let crash = lines.first(where: { $0.contains("Program crashed") }) {
            return crash.replacingOccurrences(of: "💣 ", with: "")
        }
        if let sig = signal { return "the program was killed by signal \(sig) (\(signalName(sig)))" }
        return "the program exited with status \(status)"
    }

    /// The `.md` line of the crash inside a cell, from the backtrace or the
    /// fatal-error message (both name the lecture file thanks to #sourceLocation).
    func crashLine(_ stderr: String, cell: Cell) -> Int {
        let path = document.path
        var searchRange = stderr.startIndex..<stderr.endIndex
        while let r = stderr.range(of: path + ":", range: searchRange) {
            let digits = stderr[r.upperBound...].prefix { $0.isNumber }
            if let n = Int(digits), n >= cell.firstCodeLine, n <= cell.endLine { return n }
            searchRange = r.upperBound..<stderr.endIndex
        }
        return 0
    }
}

enum ChildLimits {
    /// A program printing more than this is stopped (each cell keeps 1 MB of it).
    static let stdoutLimit = 64 << 20
}

func formatSeconds(_ s: Double) -> String {
    s == s.rounded() ? String(Int(s)) : String(s)
}

func signalName(_ s: Int32) -> String {
    switch s {
    case SIGILL: return "SIGILL, a Swift runtime trap"
    case SIGTRAP: return "SIGTRAP, a Swift runtime trap"
    case SIGSEGV: return "SIGSEGV"
    case SIGABRT: return "SIGABRT"
    case SIGKILL: return "SIGKILL"
    case SIGFPE: return "SIGFPE"
    case SIGBUS: return "SIGBUS"
    default: return "signal \(s)"
    }
}
