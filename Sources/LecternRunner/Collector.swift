import Foundation
import LecternDocument
import LecternRecords

/// Turns what a lecture program left behind (its records, its stdout file, its
/// stderr and exit status) into per-cell results. Records carry the stdout
/// offset at which they were written, which is how printed text is split
/// between cells and interleaved with rich outputs.
struct Collector {
    let document: Document
    /// Cap on the text one cell may print; the rest is cut with a note.
    static let cellOutputCap = 1 << 20

    struct Exit {
        var status: Int32
        var signal: Int32?
        var timedOut: Bool
        var timeout: Double
        var outputLimitHit: Bool
    }

    func collect(records: [DisplayRecord], stdout: [UInt8], stderr: String, exit: Exit) -> LectureRun {
        let doc = document
        var cells = doc.cells.map { CellResult(status: $0.options.eval ? .notRun : .skipped) }
        var inlines = [InlineResult](repeating: .notRun, count: doc.inlines.count)
        var textBytes = [Int](repeating: 0, count: doc.cells.count)
        var current: Int?
        var lastStarted: Int?
        var ended = Set<Int>()
        var pos = 0

        func appendText(_ upTo: Int) {
            let end = min(max(upTo, pos), stdout.count)
            defer { pos = end }
            guard let c = current, end > pos else { return }
            var slice = stdout[pos..<end]
            let room = Collector.cellOutputCap - textBytes[c]
            if room <= 0 { return }
            var cut = false
            if slice.count > room { slice = slice.prefix(room); cut = true }
            textBytes[c] += slice.count
            var text = String(decoding: slice, as: UTF8.self)
            if cut { text += "\n… output cut at \(Collector.cellOutputCap / 1024) KB\n" }
            if case .text(let prev)? = cells[c].outputs.last {
                cells[c].outputs[cells[c].outputs.count - 1] = .text(prev + text)
            } else {
                cells[c].outputs.append(.text(text))
            }
        }
        func fail(_ c: Int, _ message: String) {
            let expected = doc.cells[c].options.error
            switch cells[c].status {
            case .failed(let m): cells[c].status = .failed(m + "\n" + message)
            case .expectedFailure(let m): cells[c].status = .expectedFailure(m + "\n" + message)
            default: cells[c].status = expected ? .expectedFailure(message) : .failed(message)
            }
        }

        for r in records {
            appendText(r.out >= 0 ? r.out : pos)
            switch r {
            case .cellStart(let i, _):
                guard i < cells.count else { continue }
                current = i
                lastStarted = i
                cells[i].status = .ok
            case .cellEnd(let i, _):
                current = nil
                ended.insert(i)
            case .inline(let i, let text, _):
                if i < inlines.count { inlines[i] = .value(text) }
            case .claim(let i, let literal, _, let text, let passed, let message, _):
                if i < inlines.count { inlines[i] = .claim(literal: literal, computed: text, passed: passed, message: message) }
            case .check:
                guard let c = current else { continue }
                cells[c].outputs.append(.record(r))
                if let located = r.failedCheckLine { fail(c, located) }
            case .error(let message, let type, let file, let line, _):
                guard let c = current else { continue }
                fail(c, "\(file):\(line): error: \(type) thrown: \(message)")
            default:
                guard let c = current else { continue }
                cells[c].outputs.append(.record(r))
            }
        }
        appendText(stdout.count)

        var messages: [String] = []
        let crashed = exit.timedOut || exit.outputLimitHit || exit.status != 0
        if crashed {
            let running = lastStarted.flatMap { ended.contains($0) ? nil : $0 }
            let where_ = running.map { "while running \(doc.cells[$0].label) (\(doc.path):\($0 < doc.cells.count ? doc.cells[$0].fenceLine : 0))" }
                ?? "after the last cell"
            var message: String
            if exit.timedOut {
                message = "timed out after \(formatSeconds(exit.timeout)) s \(where_); the program was stopped"
            } else if exit.outputLimitHit {
                message = "printed more than \(ChildLimits.stdoutLimit >> 20) MB \(where_); the program was stopped"
            } else {
                message = trapMessage(stderr, status: exit.status, signal: exit.signal)
            }
            let line = running.map { crashLine(stderr, cell: doc.cells[$0]) } ?? 0
            let located = "\(doc.path):\(line > 0 ? line : (running.map { doc.cells[$0].fenceLine } ?? 0)): error: \(message)"
            if let c = running {
                cells[c].status = doc.cells[c].options.error ? .expectedFailure(located) : .failed(located)
                // error=true cells cannot resume a dead program: later cells did not run.
                if doc.cells[c].options.error { messages.append(located) }
            } else {
                messages.append(located)
            }
        }
        return LectureRun(cells: cells, inlines: inlines, messages: messages)
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
        var best = 0
        var searchRange = stderr.startIndex..<stderr.endIndex
        while let r = stderr.range(of: path + ":", range: searchRange) {
            let digits = stderr[r.upperBound...].prefix { $0.isNumber }
            if let n = Int(digits), n >= cell.firstCodeLine, n <= cell.endLine { best = n; break }
            searchRange = r.upperBound..<stderr.endIndex
        }
        return best
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
