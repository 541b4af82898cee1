import LecternRecords
import LecternRunner

/// HTML of one cell output (printed text or a display record). Everything a
/// cell produced is escaped; only the SVG the display runtime wrote (whose text
/// it escapes itself) is inlined as markup.
enum CellOutputHTML {
    static func render(_ output: CellOutput, figurePrefix: String) -> String {
        switch output {
        case .text(let t):
            return "<pre class=\"stdout\">\(escapeHTML(t))</pre>\n"
        case .record(let r):
            return record(r)
        }
    }

    /// The SVG of a figure output, as a standalone file (nil for other outputs).
    static func standaloneSVG(_ output: CellOutput) -> String? {
        if case .record(.figure(_, _, _, let standalone, _, _, _)) = output { return standalone }
        return nil
    }

    static func label(_ l: String?) -> String {
        l.map { "<span class=\"show-label\">\(escapeHTML($0))</span> " } ?? ""
    }

    static func record(_ r: DisplayRecord) -> String {
        switch r {
        case .value(let l, let text, let latex, _):
            let value = latex.map { "<span class=\"math inline\">\(escapeHTML($0))</span>" } ?? "<code>\(escapeHTML(text))</code>"
            return "<div class=\"show\">\(label(l.map { $0 + " =" }))\(value)</div>\n"
        case .matrix(let l, _, _, let latex, _):
            return "<div class=\"show\">\(label(l.map { $0 + " =" }))<span class=\"math display\">\(escapeHTML(latex))</span></div>\n"
        case .table(let headers, let rows, let aligns, let caption, _):
            var out = "<div class=\"table-wrap\"><table>\n"
            if let caption { out += "<caption>\(textWithMath(caption))</caption>\n" }
            func style(_ k: Int) -> String {
                guard k < aligns.count else { return "" }
                return " style=\"text-align: \(aligns[k].rawValue)\""
            }
            out += "<thead>\n<tr>" + headers.enumerated().map { "<th\(style($0.offset))>\(textWithMath($0.element))</th>" }.joined() + "</tr>\n</thead>\n<tbody>\n"
            for row in rows {
                out += "<tr>" + row.enumerated().map { "<td\(style($0.offset))>\(textWithMath($0.element))</td>" }.joined() + "</tr>\n"
            }
            return out + "</tbody>\n</table></div>\n"
        case .figure(_, _, let svg, _, let caption, _, _):
            let cap = caption.map { "<div class=\"figure-caption\">\(textWithMath($0))</div>\n" } ?? ""
            return "<div class=\"figure\">\n\(svg)\n\(cap)</div>\n"
        case .math(let latex, _):
            return "<div class=\"math display\">\(escapeHTML(latex))</div>\n"
        case .text(let text, _):
            return "<p class=\"note\">\(textWithMath(text))</p>\n"
        case .check(let passed, let message, _, _, _, _, _, _, _):
            return "<div class=\"check \(passed ? "passed" : "failed")\">\(passed ? "✓" : "✗") \(escapeHTML(message))</div>\n"
        case .error(let message, let type, _, _, _):
            return "<pre class=\"cell-error\">\(escapeHTML(type)): \(escapeHTML(message))</pre>\n"
        case .cellStart, .cellEnd, .inline, .claim:
            return ""
        }
    }
}
