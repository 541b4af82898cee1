import LecternDocument

/// One verified statement of a lecture: an `expect`, an `output` block, a
/// claim, a cell that must run, or a file of `Output/` that must be current.
public struct CheckResult: Equatable, Sendable {
    public enum Kind: String, Sendable {
        case expect, output, claim, cell, inline, lecture, math, outputFile = "output-file"
    }

    public var kind: Kind
    public var passed: Bool
    /// Where it points: the `.md` file (or an `Output/` file), 1-based line and byte column (0 = unknown).
    public var file: String
    public var line: Int
    public var column: Int
    /// A short name for reports: `output of #fig-decay`, `claim at line 12`.
    public var name: String
    /// One line: what was expected and what came out, and the rule applied.
    public var message: String
    /// Further lines: a diff, the compiler's notes.
    public var detail: [String]

    public init(kind: Kind, passed: Bool, file: String, line: Int, column: Int = 0,
                name: String, message: String = "", detail: [String] = []) {
        self.kind = kind
        self.passed = passed
        self.file = file
        self.line = line
        self.column = column
        self.name = name
        self.message = message
        self.detail = detail
    }

    /// A failure found while running (compile errors, a trap, a thrown error): it
    /// points where the first one does; the others follow in the detail.
    public init(_ first: Diagnostic, _ more: [Diagnostic] = [], kind: Kind, name: String) {
        self.init(kind: kind, passed: false, file: first.file, line: first.line, column: first.column,
                  name: name, message: first.message, detail: first.notes + more.flatMap { [$0.headline] + $0.notes })
    }

    /// The compiler-form line: `Lectures/03-x.md:42:5: error: expected 2, got 2.0001 (…)`.
    public var diagnostic: String {
        Diagnostic(passed ? .note : .error, file: file, line: line, column: column, message).description
    }
}

/// All checks of a `lectern check` run, with the summary line.
public struct CheckReport: Sendable {
    public var results: [CheckResult] = []
    public init(results: [CheckResult] = []) { self.results = results }

    public var passed: Int { results.filter(\.passed).count }
    public var failed: Int { results.count - passed }
    public var failures: [CheckResult] { results.filter { !$0.passed } }
    /// `N passed, N failed`.
    public var summary: String { "\(passed) passed, \(failed) failed" }
}
