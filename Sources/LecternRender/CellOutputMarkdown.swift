import LecternDisplay
import LecternRunner

/// Where the SVG files of a lecture's figures go, relative to `Output/`.
struct FigureFiles {
    let folder: String  // the lecture's slug
    func path(anchor: String, number: Int) -> String { "\(folder)/\(anchor)-\(number).svg" }
}

/// GFM Markdown of one cell output.
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
            case .math(let latex):
                return "$$" + nl + latex.replacingNewlines(with: nl) + nl + "$$"
            }
        }
    }
}
