import Foundation
import LecternRecords

/// Plain text of a cell's outputs: what an `output` block holds and what
/// `lectern run` prints. Values and matrices read as `show` formatted them,
/// tables as aligned pipe tables (so checks can compare them cell by cell).
/// Figures, math, checks and errors are not text a cell prints: they are
/// left out here and shown by `lectern run` in its own way.
public enum CellOutputText {
    /// The text an `output` block is compared with.
    public static func printed(_ outputs: [CellOutput]) -> String {
        var out = ""
        for o in outputs {
            guard let piece = text(of: o) else { continue }
            if !out.isEmpty && !out.hasSuffix("\n") { out += "\n" }
            out += piece
        }
        return out
    }

    /// One output as plain text, or nil when it has no text form.
    public static func text(of output: CellOutput) -> String? {
        switch output {
        case .text(let t):
            return t
        case .record(let r):
            switch r {
            case .value(let v):
                return (v.label.map { $0 + " = " } ?? "") + v.text + "\n"
            case .matrix(let m):
                let oneRow = m.kind == .vector && m.rows.count == 1
                let body = oneRow ? "[" + m.rows[0].joined(separator: ", ") + "]\n" : aligned(m.rows, alignments: nil, pipes: false)
                return m.label.map { oneRow ? $0 + " = " + body : $0 + " =\n" + body } ?? body
            case .table(let t):
                return (t.caption.map { $0 + "\n" } ?? "") + table(headers: t.headers, rows: t.rows, alignments: t.alignments)
            case .text(let note):
                return note.text.hasSuffix("\n") ? note.text : note.text + "\n"
            case .figure, .math, .check, .error, .cellStart, .cellEnd, .inline, .claim:
                return nil
            }
        }
    }

    /// A GFM-style pipe table with padded columns:
    ///
    ///     | L | bound   |
    ///     |--:|:--------|
    ///     | 1 | 0.5     |
    public static func table(headers: [String], rows: [[String]], alignments: [Alignment]) -> String {
        aligned([headers] + rows, alignments: alignments, pipes: true)
    }

    static func aligned(_ rows: [[String]], alignments: [Alignment]?, pipes: Bool) -> String {
        let columns = rows.map(\.count).max() ?? 0
        guard columns > 0 else { return "" }
        let cells = rows.map { row in (0..<columns).map { $0 < row.count ? flatten(row[$0]) : "" } }
        let widths = (0..<columns).map { c in max(pipes ? 3 : 1, cells.map { $0[c].count }.max() ?? 0) }
        func align(_ c: Int) -> Alignment { alignments.flatMap { c < $0.count ? $0[c] : nil } ?? (pipes ? .left : .right) }
        func pad(_ s: String, _ c: Int) -> String {
            let room = widths[c] - s.count
            switch align(c) {
            case .left: return s + String(repeating: " ", count: room)
            case .right: return String(repeating: " ", count: room) + s
            case .center: return String(repeating: " ", count: room / 2) + s + String(repeating: " ", count: room - room / 2)
            }
        }
        func line(_ row: [String]) -> String {
            let parts = row.indices.map { pad(row[$0], $0) }
            return pipes ? "| " + parts.joined(separator: " | ") + " |" : parts.joined(separator: "  ")
        }
        var lines = [line(cells[0])]
        if pipes {
            lines.append("|" + (0..<columns).map { c -> String in
                let dashes = String(repeating: "-", count: widths[c])
                switch align(c) {
                case .left: return ":" + dashes + "-"
                case .right: return "-" + dashes + ":"
                case .center: return ":" + dashes + ":"
                }
            }.joined(separator: "|") + "|")
        }
        lines += cells.dropFirst().map(line)
        return lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n") + "\n"
    }

    private static func flatten(_ s: String) -> String {
        s.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "|", with: "\\|")
    }
}

/// A control character that would be invisible or act on a terminal (NUL, ESC,
/// backspace, ...); tab, line feed and carriage return are text.
@inline(__always) public func isHiddenControl(_ b: UInt8) -> Bool {
    (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0x7F
}

/// The Unicode picture of a control character: U+2400 + code, DEL as U+2421.
public func controlPicture(_ b: UInt8) -> Unicode.Scalar {
    Unicode.Scalar(b == 0x7F ? 0x2421 : 0x2400 + UInt32(b))!
}

/// Text a program printed, with its control characters shown as pictures, so
/// that NUL or ESC reach no page, file or terminal raw. (Concrete bytes, not a
/// generic collection: across modules a generic would not be specialised, and
/// a cell may print a megabyte.)
public func visibleText(_ bytes: ArraySlice<UInt8>) -> String {
    guard bytes.contains(where: isHiddenControl) else { return String(decoding: bytes, as: UTF8.self) }
    var out = [UInt8]()
    out.reserveCapacity(bytes.count + 16)
    for b in bytes {
        if isHiddenControl(b) { out += Array(String(Character(controlPicture(b))).utf8) } else { out.append(b) }
    }
    return String(decoding: out, as: UTF8.self)
}
