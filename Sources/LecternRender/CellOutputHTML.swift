import LecternDisplay
import LecternRunner

/// HTML of one cell output (printed text or a display record).
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
        nil
    }

    static func record(_ r: DisplayRecord) -> String {
        switch r {
        case .math(let latex):
            return "<div class=\"math display\">\(escapeHTML(latex))</div>\n"
        }
    }
}
