import LecternRecords
import LecternDocument
import LecternResults

/// The checks of one lecture, read off its document and its run.
public enum LectureChecks {
    /// What a cell printed, where its `output` block disagrees with it: the
    /// input of `check --update`.
    public struct OutputUpdate: Sendable {
        public var cell: Int
        public var block: OutputBlock
        public var actual: String
    }

    /// The checks of an explorable lecture: every check of the default run
    /// (`collect`), and at each other combination its `expect`s, worked-example
    /// checks and cells that must run, each naming the combination.
    public static func collect(document doc: Document, exploration e: Exploration) -> (results: [CheckResult], updates: [OutputUpdate]) {
        var (results, updates) = collect(document: doc, run: e.defaultRun)
        for (k, run) in e.runs.enumerated() where k != e.defaultIndex {
            results += collect(document: doc, run: run, combination: e.combinations[k]).results
        }
        return (results, updates)
    }

    /// - Parameter combination: when given, the run is of that combination of
    ///   an explorable lecture other than the default: only what must hold at
    ///   every value is collected (`expect`s, worked-example checks, cells that
    ///   must run), each naming the combination. Output blocks, claims and the
    ///   lecture's own errors are the default run's.
    public static func collect(document doc: Document, run: LectureRun?,
                               combination: ParamCombination? = nil) -> (results: [CheckResult], updates: [OutputUpdate]) {
        if let c = combination {
            guard let run else { return ([], []) }
            let with = " (with \(c.label))"
            var results: [CheckResult] = []
            // Compile errors are the program's, the same at every value: the default reports them.
            for d in Exploration.everywhere(run.problems) {
                results.append(CheckResult(Exploration.naming(d, c), kind: .lecture, name: "lecture \(doc.path)" + with))
            }
            for (cell, result) in zip(doc.cells, run.cells) {
                for case .record(.check(let check)) in result.outputs {
                    if !check.passed && cell.options.error { continue }
                    results.append(CheckResult(kind: .expect, passed: check.passed, file: check.file, line: check.line,
                                               column: check.column ?? 0,
                                               name: "expect at \(fileName(check.file)):\(check.line) in \(cell.label)" + with,
                                               message: check.passed ? check.message : check.message + with))
                }
                let problems = Exploration.everywhere(result.problems)
                if case .failed = result.status, let first = problems.first {
                    var r = CheckResult(Exploration.naming(first, c), Array(problems.dropFirst()), kind: .cell,
                                        name: "\(cell.label) runs" + with)
                    if r.line == 0 { r.line = cell.fenceLine }
                    results.append(r)
                }
            }
            return (results, [])
        }
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
        for d in run.problems {
            results.append(CheckResult(d, kind: .lecture, name: "lecture \(doc.path)"))
        }
        let defaults = Tolerance(rtol: doc.frontMatter.rtol ?? Tolerance.default.rtol,
                                 atol: doc.frontMatter.atol ?? Tolerance.default.atol)
        for (cell, result) in zip(doc.cells, run.cells) {
            for case .record(.check(let check)) in result.outputs {
                if !check.passed && cell.options.error { continue }  // shown on the page as intended, not a failure
                results.append(CheckResult(kind: .expect, passed: check.passed, file: check.file, line: check.line,
                                           column: check.column ?? 0,
                                           name: "expect at \(fileName(check.file)):\(check.line) in \(cell.label)",
                                           message: check.message))
            }
            // Failed expects were reported above; what remains is a compile error, a trap, a thrown error.
            if case .failed = result.status, let first = result.problems.first {
                var r = CheckResult(first, Array(result.problems.dropFirst()), kind: .cell, name: "\(cell.label) runs")
                if r.line == 0 { r.line = cell.fenceLine }
                results.append(r)
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
            case .claim(let claim):
                results.append(CheckResult(kind: .claim, passed: claim.passed, file: doc.path, line: code.line, column: code.column,
                                           name: name,
                                           message: claim.passed ? "" : claimMessage(claim.message, code: code, literal: claim.literal,
                                                                                     computed: claim.text)))
            case .failed(let d):
                if let first = d.first { results.append(CheckResult(first, Array(d.dropFirst()), kind: kind, name: name)) }
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

    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
