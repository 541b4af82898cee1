import Foundation
import LecternRecords
import LecternDocument
import LecternResults

/// A lecture's run as terminal text, for `lectern run`: each cell under a
/// header with its id and `.md` line, tables aligned, figures written as SVG
/// files whose paths are printed. Colour only when asked (a TTY).
public struct TerminalRenderer {
    public var colour: Bool

    public init(colour: Bool) { self.colour = colour }

    enum Style: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", cyan = "36"
    }

    func paint(_ s: String, _ style: Style) -> String {
        colour ? "\u{1B}[\(style.rawValue)m\(s)\u{1B}[0m" : s
    }

    /// - Parameter writeFigure: stores a figure's standalone SVG under a file
    ///   name and returns the path to print.
    public func render(_ doc: Document, run: LectureRun, writeFigure: (String, String) -> String) -> String {
        var out = paint(doc.title, .bold) + "\n" + paint(doc.path, .dim) + "\n"
        let figures = run.figureFiles(doc)
        for (cell, result) in zip(doc.cells, run.cells) {
            var header = "── \(cell.label)  \(doc.path):\(cell.fenceLine) "
            header += String(repeating: "─", count: max(3, 64 - header.count))
            out += "\n" + paint(header, .cyan) + "\n"
            switch result.status {
            case .skipped: out += paint("not run (eval=false)", .dim) + "\n"; continue
            case .notRun: out += paint("not run: an earlier cell failed", .yellow) + "\n"; continue
            default: break
            }
            for (k, output) in result.outputs.enumerated() {
                let figure = figures.first { $0.cell == cell.index && $0.output == k }
                out += line(for: output, figure: figure, writeFigure: writeFigure)
            }
            // Failed checks were just shown; the status adds only what else went wrong.
            switch result.status {
            case .failed:
                if !result.problems.isEmpty { out += paint(result.problems.text, .red) + "\n" }
            case .expectedFailure(let d): out += paint("(expected failure, error=true) ", .dim) + d.text + "\n"
            default: break
            }
        }
        if !doc.inlines.isEmpty {
            out += "\n" + paint("── inline values " + String(repeating: "─", count: 47), .cyan) + "\n"
            for (code, result) in zip(doc.inlines, run.inlines) {
                let place = "\(doc.path):\(code.line)"
                switch result {
                case .value(let v): out += "\(place)  \(code.expression) = \(v)\n"
                case .claim(let claim):
                    out += "\(place)  \(code.expression) ≈ \(claim.literal)  (computed \(claim.text)) "
                        + (claim.passed ? paint("✓", .green) : paint("✗", .red)) + "\n"
                case .failed(let d): out += paint("\(place)  \(code.expression): \(d.text)", .red) + "\n"
                case .notRun: out += paint("\(place)  \(code.expression): not run", .yellow) + "\n"
                }
            }
        }
        for d in run.problems { out += "\n" + paint(d.description, .red) + "\n" }
        return out
    }

    func line(for output: CellOutput, figure: FigureFile?, writeFigure: (String, String) -> String) -> String {
        if let text = CellOutputText.text(of: output) {
            if case .record(.table) = output, colour {
                // Bold header row.
                var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if let k = lines.firstIndex(where: { $0.hasPrefix("|") }) { lines[k] = paint(lines[k], .bold) }
                return lines.joined(separator: "\n")
            }
            return text.hasSuffix("\n") || text.isEmpty ? text : text + "\n"
        }
        guard case .record(let r) = output else { return "" }
        switch r {
        case .figure(let f):
            let path = figure.map { writeFigure($0.name, $0.svg) } ?? ""
            return paint("figure: ", .bold) + (f.title.isEmpty ? f.caption ?? "" : f.title) + " → " + path + "\n"
        case .math(let m):
            return paint("math: ", .dim) + m.latex.replacingOccurrences(of: "\n", with: " ") + "\n"
        case .check(let c):
            return c.passed ? paint("✓ ", .green) + c.message + "\n"
                : paint("✗ \(c.file):\(c.line):\(c.column ?? 1): ", .red) + c.message + "\n"
        case .error(let e):
            return paint("error: \(e.type): \(e.message)", .red) + "\n"
        default:
            return ""
        }
    }
}
