import LecternRecords
import LecternDocument
import LecternRender
import LecternRunner

/// The checks of one lecture, read off its document and its run.
public enum LectureChecks {
    /// What a cell printed, where its `output` block disagrees with it: the
    /// input of `check --update`.
    public struct OutputUpdate: Sendable {
        public var cell: Int
        public var block: OutputBlock
        public var actual: String
    }

    public static func collect(document doc: Document, run: LectureRun?) -> (results: [CheckResult], updates: [OutputUpdate]) {
        var results: [CheckResult] = []
        var updates: [OutputUpdate] = []
        for d in doc.diagnostics where d.severity == .error {
            results.append(CheckResult(kind: .lecture, passed: false, file: d.file, line: d.line, column: d.column,
                                       name: "lecture \(doc.path)", message: d.message))
        }
        guard let run else {
            if !doc.cells.isEmpty || !doc.inlines.isEmpty {
                results.append(CheckResult(kind: .lecture, passed: false, file: doc.path, line: 0,
                                           name: "lecture \(doc.path)", message: "the lecture did not run: fix the errors above"))
            }
            return (results, updates)
        }
        for message in run.messages {
            results.append(fromCompilerLine(message, kind: .lecture, name: "lecture \(doc.path)", fallbackFile: doc.path))
        }
        let defaults = Tolerance(rtol: doc.frontMatter.rtol ?? Tolerance.default.rtol,
                                 atol: doc.frontMatter.atol ?? Tolerance.default.atol)
        for (cell, result) in zip(doc.cells, run.cells) {
            let checkLines = Set(result.outputs.compactMap { o -> String? in
                if case .record(let r) = o { return r.failedCheckLine } else { return nil }
            })
            for case .record(.check(let passed, let message, let file, let line, let column, _, _, _, _)) in result.outputs {
                if !passed && cell.options.error { continue }  // shown on the page as intended, not a failure
                results.append(CheckResult(kind: .expect, passed: passed, file: file, line: line, column: column ?? 0,
                                           name: "expect at \(fileName(file)):\(line) in \(cell.label)",
                                           message: message))
            }
            if case .failed(let message) = result.status {
                // Failed checks were reported above; what remains is a compile error, a trap, a thrown error.
                let rest = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    .filter { !checkLines.contains($0) }
                if rest.contains(where: { !$0.isEmpty }) {
                    var r = fromCompilerLine(rest[0], kind: .cell, name: "\(cell.label) runs", fallbackFile: doc.path)
                    if r.line == 0 { r.line = cell.fenceLine }
                    r.detail = Array(rest.dropFirst())
                    results.append(r)
                }
            }
            if let block = cell.expected {
                let name = "output of \(cell.label)"
                switch result.status {
                case .skipped:
                    break  // eval=false: the block documents, nothing to compare
                case .notRun:
                    results.append(CheckResult(kind: .output, passed: false, file: doc.path, line: block.fenceLine, column: 1,
                                               name: name, message: "\(name) not checked: the cell did not run (an earlier cell failed)"))
                case .failed:
                    results.append(CheckResult(kind: .output, passed: false, file: doc.path, line: block.fenceLine, column: 1,
                                               name: name, message: "\(name) not checked: the cell failed"))
                case .ok, .expectedFailure:
                    let actual = CellOutputText.printed(result.outputs)
                    let tolerance = Tolerance(rtol: cell.options.rtol ?? defaults.rtol, atol: cell.options.atol ?? defaults.atol)
                    if let m = NumberAwareComparison.compare(expected: block.text, actual: actual, tolerance: tolerance) {
                        results.append(CheckResult(kind: .output, passed: false, file: doc.path,
                                                   line: block.fenceLine + 1 + m.line, column: m.column,
                                                   name: name, message: m.message, detail: m.diff))
                        updates.append(OutputUpdate(cell: cell.index, block: block, actual: actual))
                    } else {
                        results.append(CheckResult(kind: .output, passed: true, file: doc.path, line: block.fenceLine,
                                                   name: name))
                    }
                }
            }
        }
        for (code, result) in zip(doc.inlines, run.inlines) {
            let name = code.claim != nil ? "claim at line \(code.line)" : "value at line \(code.line)"
            let kind: CheckResult.Kind = code.claim != nil ? .claim : .inline
            switch result {
            case .claim(let literal, let computed, let passed, let message):
                results.append(CheckResult(kind: .claim, passed: passed, file: doc.path, line: code.line, column: code.column,
                                           name: name,
                                           message: passed ? "" : claimMessage(message, code: code, literal: literal, computed: computed)))
            case .failed(let message):
                results.append(fromCompilerLine(message, kind: kind, name: name, fallbackFile: doc.path,
                                                line: code.line, column: code.column))
            case .notRun:
                if kind == .claim {
                    results.append(CheckResult(kind: .claim, passed: false, file: doc.path, line: code.line, column: code.column,
                                               name: name, message: "claim \(code.claim ?? "") not checked: the lecture stopped before this point"))
                }
            case .value:
                break  // a value has nothing to verify
            }
        }
        return (results, updates)
    }

    /// Names the expression: "claim `x / 3` ≈ 0.66 does not hold: computed 0.6667 (…)".
    static func claimMessage(_ message: String, code: InlineCode, literal: String, computed: String) -> String {
        guard !message.isEmpty else { return "claim `\(code.expression)` ≈ \(literal) does not hold: computed \(computed)" }
        if message.hasPrefix("claim ≈") { return "claim `\(code.expression)` ≈" + message.dropFirst("claim ≈".count) }
        return message
    }

    /// A check from a message that may already be in compiler form (`file:line:col: error: text`).
    static func fromCompilerLine(_ text: String, kind: CheckResult.Kind, name: String, fallbackFile: String,
                                 line: Int = 0, column: Int = 0) -> CheckResult {
        if let d = parseCompilerLine(text) {
            return CheckResult(kind: kind, passed: false, file: d.file, line: d.line, column: d.column, name: name, message: d.message)
        }
        return CheckResult(kind: kind, passed: false, file: fallbackFile, line: line, column: column, name: name, message: text)
    }

    /// `path:line[:col]: error: message` -> parts.
    static func parseCompilerLine(_ text: String) -> (file: String, line: Int, column: Int, message: String)? {
        guard let r = text.range(of: ": error: ") else { return nil }
        let place = text[..<r.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
        guard place.count >= 2 else { return nil }
        var numbers: [Int] = []
        var k = place.count - 1
        while k > 0, numbers.count < 2, let n = Int(place[k]) { numbers.insert(n, at: 0); k -= 1 }
        guard !numbers.isEmpty else { return nil }
        let file = place[0...k].joined(separator: ":")
        return (file, numbers[0], numbers.count > 1 ? numbers[1] : 0, String(text[r.upperBound...]))
    }

    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
