import LecternRecords
import LecternRunner

/// Where the SVG files of a lecture's figures go, relative to `Output/`.
struct FigureFiles {
    let folder: String  // the lecture's slug
    func path(anchor: String, number: Int) -> String { "\(folder)/\(anchor)-\(number).svg" }
}

/// GFM Markdown of one cell output: text in fences, math as `$$`, tables as
/// GFM tables, figures as linked SVG files.
enum CellOutputMarkdown {
    static func render(_ output: CellOutput, anchor: String, figureNumber: inout Int,
                       figures: FigureFiles, nl: String) -> String? {
        switch output {
        case .text(let t):
            var body = t
            if body.hasSuffix("\n") { body.removeLast() }
            let fence = fenceFor(body)
            return fence + "text" + nl + body.replacingNewlines(with: nl) + nl + fence
        case .record(let r):
            switch r {
            case .value(let l, let text, let latex, _):
                let value = latex.map { "$" + $0 + "$" } ?? "`" + text + "`"
                return (l.map { escapeMarkdown($0) + " = " } ?? "") + value
            case .matrix(let l, _, _, let latex, _):
                return (l.map { escapeMarkdown($0) + " =" + nl + nl } ?? "") + "$$" + nl + latex.replacingNewlines(with: nl) + nl + "$$"
            case .table(let headers, let rows, let aligns, let caption, _):
                func cell(_ s: String) -> String {
                    s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
                }
                var lines: [String] = []
                if let caption { lines.append("_" + caption + "_"); lines.append("") }
                lines.append("| " + headers.map(cell).joined(separator: " | ") + " |")
                lines.append("|" + headers.indices.map { k -> String in
                    switch k < aligns.count ? aligns[k] : .left {
                    case .left: return ":---"
                    case .center: return ":---:"
                    case .right: return "---:"
                    }
                }.joined(separator: "|") + "|")
                for row in rows { lines.append("| " + row.map(cell).joined(separator: " | ") + " |") }
                return lines.joined(separator: nl)
            case .figure(_, let title, _, _, let caption, let alt, _):
                figureNumber += 1
                let path = figures.path(anchor: anchor, number: figureNumber)
                let altText = (alt.isEmpty ? title : alt).replacingOccurrences(of: "]", with: ")").replacingOccurrences(of: "\n", with: " ")
                return "![\(altText)](\(path))" + (caption.map { nl + nl + "_" + $0 + "_" } ?? "")
            case .math(let latex, _):
                return "$$" + nl + latex.replacingNewlines(with: nl) + nl + "$$"
            case .text(let text, _):
                return text.replacingNewlines(with: nl)
            case .check(let passed, let message, _, _, _, _, _, _, _):
                return (passed ? "✓ " : "✗ ") + escapeMarkdown(message)
            case .error(let message, let type, _, _, _):
                return "```text" + nl + type + ": " + message + nl + "```"
            case .cellStart, .cellEnd, .inline, .claim:
                return nil
            }
        }
    }
}
