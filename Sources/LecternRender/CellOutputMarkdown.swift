import LecternRecords
import LecternResults

/// GFM Markdown of one cell output: text in fences, math as `$$`, tables as
/// GFM tables, figures as linked SVG files.
enum CellOutputMarkdown {
    /// - Parameter figurePath: where the figure file of this output is, relative to the page.
    static func render(_ output: CellOutput, figurePath: String?, nl: String) -> String? {
        switch output {
        case .text(let t):
            var body = t
            if body.hasSuffix("\n") { body.removeLast() }
            let fence = fenceFor(body)
            return fence + "text" + nl + body.replacingNewlines(with: nl) + nl + fence
        case .record(let r):
            switch r {
            case .value(let v):
                let value = v.latex.map { "$" + $0 + "$" } ?? "`" + v.text + "`"
                return (v.label.map { escapeMarkdown($0) + " = " } ?? "") + value
            case .matrix(let m):
                return (m.label.map { escapeMarkdown($0) + " =" + nl + nl } ?? "") + "$$" + nl + m.latex.replacingNewlines(with: nl) + nl + "$$"
            case .table(let t):
                func cell(_ s: String) -> String {
                    s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
                }
                var lines: [String] = []
                if let caption = t.caption { lines.append("_" + caption + "_"); lines.append("") }
                lines.append("| " + t.headers.map(cell).joined(separator: " | ") + " |")
                lines.append("|" + t.headers.indices.map { k -> String in
                    switch k < t.alignments.count ? t.alignments[k] : .left {
                    case .left: return ":---"
                    case .center: return ":---:"
                    case .right: return "---:"
                    }
                }.joined(separator: "|") + "|")
                for row in t.rows { lines.append("| " + row.map(cell).joined(separator: " | ") + " |") }
                return lines.joined(separator: nl)
            case .figure(let f):
                let altText = (f.alt.isEmpty ? f.title : f.alt).replacingOccurrences(of: "]", with: ")").replacingOccurrences(of: "\n", with: " ")
                return "![\(altText)](\(figurePath ?? ""))" + (f.caption.map { nl + nl + "_" + $0 + "_" } ?? "")
            case .math(let m):
                return "$$" + nl + m.latex.replacingNewlines(with: nl) + nl + "$$"
            case .text(let note):
                return note.text.replacingNewlines(with: nl)
            case .check(let c):
                return (c.passed ? "✓ " : "✗ ") + escapeMarkdown(c.message)
            case .error(let e):
                return "```text" + nl + e.type + ": " + e.message + nl + "```"
            case .cellStart, .cellEnd, .inline, .claim:
                return nil
            }
        }
    }
}
