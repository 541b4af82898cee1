import LecternRecords

/// What running a lecture produced, cell by cell: the renderers' input
/// besides the `Document`.
public struct LectureRun: Sendable, Equatable {
    /// One result per cell of the document, by cell index.
    public var cells: [CellResult]
    /// One result per inline `{swift}` span, by inline index.
    public var inlines: [InlineResult]
    /// Problems that concern the whole program (compile errors outside any cell, timeouts).
    public var messages: [String]

    public init(cells: [CellResult], inlines: [InlineResult], messages: [String] = []) {
        self.cells = cells
        self.inlines = inlines
        self.messages = messages
    }

    /// A run where nothing executed (cells shown as code only).
    public static func notRun(cells: Int, inlines: Int) -> LectureRun {
        LectureRun(cells: Array(repeating: CellResult(status: .notRun), count: cells),
                   inlines: Array(repeating: .notRun, count: inlines))
    }
}

public struct CellResult: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        /// Ran to the end.
        case ok
        /// Failed: compile error, trap, thrown error or timeout; the message is in compiler form.
        case failed(String)
        /// Failed, but the cell is `error=true`: shown, not a failure.
        case expectedFailure(String)
        /// An earlier cell failed, or the lecture did not run.
        case notRun
        /// `eval=false`.
        case skipped
    }

    public var status: Status
    /// What the cell printed and displayed, in order.
    public var outputs: [CellOutput]

    public init(status: Status, outputs: [CellOutput] = []) {
        self.status = status
        self.outputs = outputs
    }
}

public enum CellOutput: Sendable, Equatable {
    /// Text the cell printed to standard output.
    case text(String)
    /// A rich display record (value, matrix, table, figure, math, check).
    case record(DisplayRecord)
}

public enum InlineResult: Sendable, Equatable {
    /// The formatted value of `{swift} expr`.
    case value(String)
    /// A claim `{swift} expr ≈ literal`: the literal is what the page shows.
    case claim(literal: String, computed: String, passed: Bool, message: String)
    case failed(String)
    case notRun
}
