import LecternDocument
import LecternRecords

/// What running a lecture produced, cell by cell: the renderers' and the
/// checks' input besides the `Document`. Failures are `Diagnostic` values all
/// the way to the reporters.
public struct LectureRun: Sendable, Equatable {
    /// One result per cell of the document, by cell index.
    public var cells: [CellResult]
    /// One result per inline `{swift}` span, by inline index.
    public var inlines: [InlineResult]
    /// Problems that concern the whole program, not one cell: a compile error
    /// outside any cell, a crash after the last cell, an unreadable record.
    public var problems: [Diagnostic]

    public init(cells: [CellResult], inlines: [InlineResult], problems: [Diagnostic] = []) {
        self.cells = cells
        self.inlines = inlines
        self.problems = problems
    }

    /// A run where nothing executed (cells shown as code only); `eval=false`
    /// cells are skipped.
    public static func notRun(_ doc: Document) -> LectureRun {
        LectureRun(cells: doc.cells.map { CellResult(status: $0.options.eval ? .notRun : .skipped) },
                   inlines: Array(repeating: .notRun, count: doc.inlines.count))
    }

    /// Every failure of the run, each once: cells that failed (not `error=true`
    /// ones), inline values and claims that failed, and the run's problems.
    public func failures(_ doc: Document) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for result in cells { if case .failed(let d) = result.status { out += d } }
        for (code, result) in zip(doc.inlines, inlines) {
            switch result {
            case .failed(let d): out += d
            case .claim(let claim) where !claim.passed:
                out.append(Diagnostic(.error, .claim, file: doc.path, line: code.line, column: code.column,
                                      claim.message.isEmpty
                                          ? "claim ≈ \(claim.literal) does not hold: computed \(claim.text)"
                                          : claim.message))
            default: break
            }
        }
        return (out + problems).uniqued
    }
}

public struct CellResult: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        /// Ran to the end.
        case ok
        /// Failed: compile errors, a trap, a thrown error, failed expects, a timeout.
        case failed([Diagnostic])
        /// Failed, but the cell is `error=true`: shown, not a failure.
        case expectedFailure([Diagnostic])
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

    /// What went wrong in the cell besides its failed `expect`s (which are
    /// among its outputs): compile errors, a trap, a thrown error.
    public var problems: [Diagnostic] {
        switch status {
        case .failed(let d), .expectedFailure(let d): return d.filter { $0.kind != .expect }
        case .ok, .notRun, .skipped: return []
        }
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
    case claim(DisplayRecord.Claim)
    /// Did not compile, or was refused before compiling.
    case failed([Diagnostic])
    case notRun
}

/// A figure's standalone SVG file, named once for every writer: the page's
/// Markdown links it, the build writes it, `lectern run` saves it.
public struct FigureFile: Sendable, Equatable {
    /// The cell and the position of the figure among its outputs.
    public var cell: Int
    public var output: Int
    /// `<cell anchor>-<n>.svg`, n counting the cell's figures from 1.
    public var name: String
    public var svg: String
}

extension LectureRun {
    /// The figures of every cell, in document order.
    public func figureFiles(_ doc: Document) -> [FigureFile] {
        var out: [FigureFile] = []
        for cell in doc.cells where cell.index < cells.count {
            var n = 0
            for (k, output) in cells[cell.index].outputs.enumerated() {
                guard case .record(.figure(let figure)) = output else { continue }
                n += 1
                out.append(FigureFile(cell: cell.index, output: k, name: "\(cell.anchor)-\(n).svg", svg: figure.standalone))
            }
        }
        return out
    }
}
