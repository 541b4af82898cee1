import Foundation
import LecternRecords
import LecternDocument
import LecternRunner

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
        var figureCount = 0
        for (cell, result) in zip(doc.cells, run.cells) {
            var header = "── \(cell.label)  \(doc.path):\(cell.fenceLine) "
            header += String(repeating: "─", count: max(3, 64 - header.count))
            out += "\n" + paint(header, .cyan) + "\n"
            switch result.status {
            case .skipped: out += paint("not run (eval=false)", .dim) + "\n"; continue
            case .notRun: out += paint("not run: an earlier cell failed", .yellow) + "\n"; continue
            default: break
            }
            for output in result.outputs {
                out += line(for: output, cell: cell, figureCount: &figureCount, writeFigure: writeFigure)
            }
            // Failed checks were just shown; the status adds only what else went wrong.
            let shown = Set(result.outputs.compactMap { o -> String? in
                if case .record(let r) = o { return r.failedCheckLine } else { return nil }
            })
            switch result.status {
            case .failed(let m):
                let rest = m.split(separator: "\n").map(String.init).filter { !shown.contains($0) }
                if !rest.isEmpty { out += paint(rest.joined(separator: "\n"), .red) + "\n" }
            case .expectedFailure(let m): out += paint("(expected failure, error=true) ", .dim) + m + "\n"
            default: break
            }
        }
        if !doc.inlines.isEmpty {
            out += "\n" + paint("── inline values " + String(repeating: "─", count: 47), .cyan) + "\n"
            for (code, result) in zip(doc.inlines, run.inlines) {
                let place = "\(doc.path):\(code.line)"
                switch result {
                case .value(let v): out += "\(place)  \(code.expression) = \(v)\n"
                case .claim(let literal, let computed, let passed, _):
                    out += "\(place)  \(code.expression) ≈ \(literal)  (computed \(computed)) "
                        + (passed ? paint("✓", .green) : paint("✗", .red)) + "\n"
                case .failed(let m): out += paint("\(place)  \(code.expression): \(m)", .red) + "\n"
                case .notRun: out += paint("\(place)  \(code.expression): not run", .yellow) + "\n"
                }
            }
        }
        for m in run.messages { out += "\n" + paint(m, .red) + "\n" }
        return out
    }

    func line(for output: CellOutput, cell: Cell, figureCount: inout Int, writeFigure: (String, String) -> String) -> String {
        if let text = CellOutputText.text(of: output) {
            if case .record(.table(_, _, _, _, _)) = output, colour {
                // Bold header row.
                var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if let k = lines.firstIndex(where: { $0.hasPrefix("|") }) { lines[k] = paint(lines[k], .bold) }
                return lines.joined(separator: "\n")
            }
            return text.hasSuffix("\n") || text.isEmpty ? text : text + "\n"
        }
        guard case .record(let r) = output else { return "" }
        switch r {
        case .figure(_, let title, _, let standalone, let caption, _, _):
            figureCount += 1
            let anchor = cell.id ?? "cell-\(cell.index + 1)"
            let name = "\(anchor)-\(figureCount).svg"
            let path = writeFigure(name, standalone)
            return paint("figure: ", .bold) + (title.isEmpty ? caption ?? "" : title) + " → " + path + "\n"
        case .math(let latex, _):
            return paint("math: ", .dim) + latex.replacingOccurrences(of: "\n", with: " ") + "\n"
        case .check(let passed, let message, let file, let line, let column, _, _, _, _):
            return passed ? paint("✓ ", .green) + message + "\n"
                : paint("✗ \(file):\(line):\(column ?? 1): ", .red) + message + "\n"
        case .error(let message, let type, _, _, _):
            return paint("error: \(type): \(message)", .red) + "\n"
        default:
            return ""
        }
    }
}
