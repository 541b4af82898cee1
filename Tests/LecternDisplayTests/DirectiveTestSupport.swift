import Foundation
import Testing
@testable import LecternDisplay

/// The parts of a directive's records that the golden tests compare.
struct Shown {
    var maths: [String] = []
    var texts: [String] = []
    var tables: [(headers: [String], rows: [[String]], caption: String?)] = []
    var checks: [(passed: Bool, message: String, file: String, line: Int, column: Int?)] = []
    /// The kind of each record, in order: "math", "text", "table", "check".
    var kinds: [String] = []

    init(_ records: [DisplayRecord]) {
        for r in records {
            switch r {
            case .math(let m): maths.append(m.latex); kinds.append("math")
            case .text(let n): texts.append(n.text); kinds.append("text")
            case .table(let t): tables.append((t.headers, t.rows, t.caption)); kinds.append("table")
            case .check(let c): checks.append((c.passed, c.message, c.file, c.line, c.column)); kinds.append("check")
            default: kinds.append("other")
            }
        }
    }

    var allPassed: Bool { !checks.isEmpty && checks.allSatisfy(\.passed) }
}

/// Records of one directive call, parsed.
func shown(_ body: () -> Void) -> Shown { Shown(collectRecords(body)) }

/// Every piece of LaTeX in the records: display math, and `$...$` inside notes and table cells.
func latexPieces(_ records: [DisplayRecord]) -> [String] {
    var out: [String] = []
    func inline(_ s: String) {
        let parts = s.components(separatedBy: "$")
        for k in stride(from: 1, to: parts.count, by: 2) { out.append(parts[k]) }
    }
    for r in records {
        switch r {
        case .math(let m): out.append(m.latex)
        case .text(let n): inline(n.text)
        case .table(let t):
            (t.headers + t.rows.flatMap { $0 } + [t.caption ?? ""]).forEach(inline)
        default: break
        }
    }
    return out
}
