import LecternRecords
import LecternResults

/// HTML of one cell output (printed text or a display record). Everything a
/// cell produced is escaped; only the SVG the display runtime wrote (whose text
/// it escapes itself) is inlined as markup.
enum CellOutputHTML {
    static func render(_ output: CellOutput) -> String {
        switch output {
        case .text(let t):
            return "<pre class=\"stdout\">\(escapeHTML(t))</pre>\n"
        case .record(let r):
            return record(r)
        }
    }

    static func label(_ l: String?) -> String {
        l.map { "<span class=\"show-label\">\(escapeHTML($0))</span> " } ?? ""
    }

    static func record(_ r: DisplayRecord) -> String {
        switch r {
        case .value(let v):
            let value = v.latex.map { "<span class=\"math inline\">\(escapeHTML($0))</span>" } ?? "<code>\(escapeHTMLKeepingNumbers(v.text))</code>"
            return "<div class=\"show\">\(label(v.label.map { $0 + " =" }))\(value)</div>\n"
        case .matrix(let m):
            return "<div class=\"show\">\(label(m.label.map { $0 + " =" }))<span class=\"math display\">\(escapeHTML(m.latex))</span></div>\n"
        case .table(let t):
            var out = "<div class=\"table-wrap\"><table>\n"
            if let caption = t.caption { out += "<caption>\(textWithMath(caption))</caption>\n" }
            func style(_ k: Int) -> String {
                guard k < t.alignments.count else { return "" }
                return " style=\"text-align: \(t.alignments[k].rawValue)\""
            }
            out += "<thead>\n<tr>" + t.headers.enumerated().map { "<th\(style($0.offset))>\(textWithMath($0.element))</th>" }.joined() + "</tr>\n</thead>\n<tbody>\n"
            for row in t.rows {
                out += "<tr>" + row.enumerated().map { "<td\(style($0.offset))>\(textWithMath($0.element))</td>" }.joined() + "</tr>\n"
            }
            return out + "</tbody>\n</table></div>\n"
        case .figure(let f):
            let cap = f.caption.map { "<div class=\"figure-caption\">\(textWithMath($0))</div>\n" } ?? ""
            // Both layouts; the stylesheet shows one by the width of the box (container query).
            guard let narrow = f.narrow else { return "<div class=\"figure\">\n\(f.svg)\n\(cap)</div>\n" }
            return "<div class=\"figure\">\n<div class=\"figure-wide\">\n\(f.svg)</div>\n<div class=\"figure-narrow\">\n\(narrow)</div>\n\(cap)</div>\n"
        case .math(let m):
            return "<div class=\"math display\">\(escapeHTML(m.latex))</div>\n"
        case .text(let note):
            return "<p class=\"note\">\(textWithMath(note.text))</p>\n"
        case .check(let c):
            return "<div class=\"check \(c.passed ? "passed" : "failed")\">\(c.passed ? "✓" : "✗") \(escapeHTML(c.message))</div>\n"
        case .error(let e):
            return "<pre class=\"cell-error\">\(escapeHTML(e.type)): \(escapeHTML(e.message))</pre>\n"
        case .cellStart, .cellEnd, .inline, .claim:
            return ""
        }
    }
}
