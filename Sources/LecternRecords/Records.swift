import Foundation

/// Column alignment in a table.
public enum Alignment: String, Codable, Equatable, Sendable {
    case left, center, right
}

/// What a `show`/`matrix` record holds.
public enum MatrixKind: String, Codable, Equatable, Sendable {
    /// A `Vector` or `[Double]`/`[Complex<Double>]` list: one row of entries (`rows.count == 1`),
    /// conventionally displayed as a column vector in math and as a one-row table.
    case vector
    /// A `Matrix`: `rows[i][j]` is entry (i, j).
    case matrix
}

/// One rich output of a lecture program. Written as one JSON object per line
/// to the records file (see docs/DISPLAY.md).
///
/// `out` is the byte offset of the program's stdout at the moment the record
/// was emitted (after flushing), or -1 when stdout is not a regular file.
public enum DisplayRecord: Codable, Equatable, Sendable {
    /// Start of cell `index` (emitted by the generated code).
    case cellStart(index: Int, out: Int)
    /// End of cell `index` (emitted by the generated code, also after an error).
    case cellEnd(index: Int, out: Int)
    /// The value of inline expression `index` (`{swift} expr` in the prose), formatted.
    case inline(index: Int, text: String, out: Int)
    /// A numeric claim in the prose, checked (see `Claim`).
    case claim(index: Int, literal: String, value: Double, text: String, passed: Bool, message: String, out: Int)
    /// `show` of a scalar (number, complex, Bool, String, ...).
    case value(label: String?, text: String, latex: String?, out: Int)
    /// `show` of a vector, list or matrix: entries formatted with the object rule.
    case matrix(label: String?, kind: MatrixKind, rows: [[String]], latex: String, out: Int)
    /// A table. `alignments.count == headers.count`.
    case table(headers: [String], rows: [[String]], alignments: [Alignment], caption: String?, out: Int)
    /// A figure. `svg` is the inline form (scales to its container),
    /// `standalone` the same picture as a self-contained .svg file.
    case figure(id: String, title: String, svg: String, standalone: String, caption: String?, alt: String, out: Int)
    /// Display math (LaTeX, without delimiters).
    case math(latex: String, out: Int)
    /// A plain-text note (`note("...")`), rendered as a paragraph.
    case text(text: String, out: Int)
    /// The outcome of an `expect(...)`.
    case check(passed: Bool, message: String, file: String, line: Int, column: Int?,
               actual: String, expected: String, rule: String, out: Int)
    /// A Swift error thrown out of a cell and caught at the cell boundary.
    case error(message: String, type: String, file: String, line: Int, out: Int)

    /// The stdout offset stored in the record.
    public var out: Int {
        switch self {
        case .cellStart(_, let o), .cellEnd(_, let o), .inline(_, _, let o),
             .claim(_, _, _, _, _, _, let o), .value(_, _, _, let o), .matrix(_, _, _, _, let o),
             .table(_, _, _, _, let o), .figure(_, _, _, _, _, _, let o), .math(_, let o), .text(_, let o),
             .check(_, _, _, _, _, _, _, _, let o), .error(_, _, _, _, let o):
            return o
        }
    }

    /// The record with its `out` replaced.
    public func with(out o: Int) -> DisplayRecord {
        switch self {
        case let .cellStart(i, _): return .cellStart(index: i, out: o)
        case let .cellEnd(i, _): return .cellEnd(index: i, out: o)
        case let .inline(i, t, _): return .inline(index: i, text: t, out: o)
        case let .claim(i, l, v, t, p, m, _): return .claim(index: i, literal: l, value: v, text: t, passed: p, message: m, out: o)
        case let .value(l, t, x, _): return .value(label: l, text: t, latex: x, out: o)
        case let .matrix(l, k, r, x, _): return .matrix(label: l, kind: k, rows: r, latex: x, out: o)
        case let .table(h, r, a, c, _): return .table(headers: h, rows: r, alignments: a, caption: c, out: o)
        case let .figure(id, t, s, sa, c, a, _): return .figure(id: id, title: t, svg: s, standalone: sa, caption: c, alt: a, out: o)
        case let .math(l, _): return .math(latex: l, out: o)
        case let .text(t, _): return .text(text: t, out: o)
        case let .check(p, m, f, l, c, a, e, r, _):
            return .check(passed: p, message: m, file: f, line: l, column: c, actual: a, expected: e, rule: r, out: o)
        case let .error(m, t, f, l, _): return .error(message: m, type: t, file: f, line: l, out: o)
        }
    }

    /// One line of JSON (no trailing newline). Keys are sorted; non-finite
    /// doubles are written as the strings "inf", "-inf", "nan".
    public func jsonLine() -> String {
        let data = (try? DisplayRecord.makeEncoder().encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Decodes one JSON line.
    public static func decode(jsonLine: String) throws -> DisplayRecord {
        try makeDecoder().decode(DisplayRecord.self, from: Data(jsonLine.utf8))
    }

    public static func makeEncoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    public static func makeDecoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }
}

/// Reads a records file (JSON Lines) on the tool side.
public enum RecordReader {
    /// A line that could not be decoded.
    public struct BadLine: Error, CustomStringConvertible, Sendable {
        public let lineNumber: Int
        public let text: String
        public let reason: String
        public var description: String { "records line \(lineNumber): \(reason): \(text.prefix(200))" }
    }

    /// Decodes every complete line of `data`. A last line that is not
    /// terminated by a newline and does not decode (the program was killed
    /// mid-write) is ignored. Empty lines are skipped. Any other undecodable
    /// line throws `BadLine`.
    public static func decode(_ data: Data) throws -> [DisplayRecord] {
        let decoder = DisplayRecord.makeDecoder()
        var records: [DisplayRecord] = []
        let bytes = [UInt8](data)
        var start = 0
        var lineNumber = 0
        while start < bytes.count {
            lineNumber += 1
            let nl = bytes[start...].firstIndex(of: UInt8(ascii: "\n"))
            let end = nl ?? bytes.count
            let slice = bytes[start..<end]
            start = end + 1
            if slice.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            do {
                records.append(try decoder.decode(DisplayRecord.self, from: Data(slice)))
            } catch {
                if nl == nil { break }  // truncated final line
                throw BadLine(lineNumber: lineNumber, text: String(decoding: slice, as: UTF8.self),
                              reason: "\(error)")
            }
        }
        return records
    }

    /// Reads and decodes the records file at `path`. A missing file means no records.
    public static func read(path: String) throws -> [DisplayRecord] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try decode(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

extension DisplayRecord {
    /// A failed check in compiler form (`file:line:col: error: message`): how a
    /// cell's failure names it, and how reports recognise it there.
    public var failedCheckLine: String? {
        guard case .check(false, let message, let file, let line, let column, _, _, _, _) = self else { return nil }
        return "\(file):\(line):\(column ?? 1): error: \(message)"
    }
}
