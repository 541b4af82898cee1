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
/// to the records file (see docs/DISPLAY.md): `{"<case>":{<payload fields>}}`.
///
/// Each kind has its own payload struct. `out` in every payload is the byte
/// offset of the program's stdout at the moment the record was emitted (after
/// flushing), or -1 when stdout is not a regular file.
public enum DisplayRecord: Equatable, Sendable {
    /// Start of a cell (emitted by the generated code).
    case cellStart(CellMark)
    /// End of a cell (emitted by the generated code, also after an error).
    case cellEnd(CellMark)
    /// The value of an inline expression (`{swift} expr` in the prose), formatted.
    case inline(InlineValue)
    /// A numeric claim in the prose, checked (see `Claim`).
    case claim(Claim)
    /// `show` of a scalar (number, complex, Bool, String, ...).
    case value(Value)
    /// `show` of a vector, list or matrix: entries formatted with the object rule.
    case matrix(Matrix)
    /// A table.
    case table(Table)
    /// A figure.
    case figure(Figure)
    /// Display math.
    case math(Math)
    /// A plain-text note (`note("...")`), rendered as a paragraph.
    case text(Note)
    /// The outcome of an `expect(...)`.
    case check(Check)
    /// A Swift error thrown out of a cell and caught at the cell boundary.
    case error(ThrownError)

    public struct CellMark: Codable, Equatable, Sendable {
        public var index: Int
        public var out: Int
        public init(index: Int, out: Int = -1) { self.index = index; self.out = out }
    }

    public struct InlineValue: Codable, Equatable, Sendable {
        public var index: Int
        public var text: String
        public var out: Int
        public init(index: Int, text: String, out: Int = -1) { self.index = index; self.text = text; self.out = out }
    }

    public struct Claim: Codable, Equatable, Sendable {
        public var index: Int
        /// The literal as the author wrote it: what the page shows.
        public var literal: String
        public var value: Double
        /// The computed value, formatted with the rule it was compared by.
        public var text: String
        public var passed: Bool
        public var message: String
        public var out: Int
        public init(index: Int, literal: String, value: Double, text: String, passed: Bool, message: String, out: Int = -1) {
            self.index = index; self.literal = literal; self.value = value; self.text = text
            self.passed = passed; self.message = message; self.out = out
        }
    }

    public struct Value: Codable, Equatable, Sendable {
        public var label: String?
        public var text: String
        /// nil for values without a math form (Bool, String).
        public var latex: String?
        public var out: Int
        public init(label: String?, text: String, latex: String?, out: Int = -1) {
            self.label = label; self.text = text; self.latex = latex; self.out = out
        }
    }

    public struct Matrix: Codable, Equatable, Sendable {
        public var label: String?
        public var kind: MatrixKind
        public var rows: [[String]]
        public var latex: String
        public var out: Int
        public init(label: String?, kind: MatrixKind, rows: [[String]], latex: String, out: Int = -1) {
            self.label = label; self.kind = kind; self.rows = rows; self.latex = latex; self.out = out
        }
    }

    public struct Table: Codable, Equatable, Sendable {
        public var headers: [String]
        public var rows: [[String]]
        /// `alignments.count == headers.count`.
        public var alignments: [Alignment]
        public var caption: String?
        public var out: Int
        public init(headers: [String], rows: [[String]], alignments: [Alignment], caption: String?, out: Int = -1) {
            self.headers = headers; self.rows = rows; self.alignments = alignments; self.caption = caption; self.out = out
        }
    }

    public struct Figure: Codable, Equatable, Sendable {
        public var id: String
        public var title: String
        /// The inline form (scales to its container).
        public var svg: String
        /// The same picture as a self-contained .svg file.
        public var standalone: String
        public var caption: String?
        public var alt: String
        public var out: Int
        /// The inline form laid out for narrow screens (ids suffixed `-n`); pages show it
        /// instead of `svg` when the figure's box is narrow.
        public var narrow: String?
        public init(id: String, title: String, svg: String, standalone: String, caption: String?, alt: String, out: Int = -1,
                    narrow: String? = nil) {
            self.id = id; self.title = title; self.svg = svg; self.standalone = standalone
            self.caption = caption; self.alt = alt; self.out = out; self.narrow = narrow
        }
    }

    public struct Math: Codable, Equatable, Sendable {
        /// LaTeX, without delimiters.
        public var latex: String
        public var out: Int
        public init(latex: String, out: Int = -1) { self.latex = latex; self.out = out }
    }

    public struct Note: Codable, Equatable, Sendable {
        public var text: String
        public var out: Int
        public init(text: String, out: Int = -1) { self.text = text; self.out = out }
    }

    public struct Check: Codable, Equatable, Sendable {
        public var passed: Bool
        public var message: String
        /// Where the `expect` was called: the `.md` file and line (via `#sourceLocation`).
        public var file: String
        public var line: Int
        public var column: Int?
        public var actual: String
        public var expected: String
        public var rule: String
        public var out: Int
        public init(passed: Bool, message: String, file: String, line: Int, column: Int?,
                    actual: String, expected: String, rule: String, out: Int = -1) {
            self.passed = passed; self.message = message; self.file = file; self.line = line; self.column = column
            self.actual = actual; self.expected = expected; self.rule = rule; self.out = out
        }
    }

    public struct ThrownError: Codable, Equatable, Sendable {
        public var message: String
        /// The thrown value's type.
        public var type: String
        public var file: String
        public var line: Int
        public var out: Int
        public init(message: String, type: String, file: String, line: Int, out: Int = -1) {
            self.message = message; self.type = type; self.file = file; self.line = line; self.out = out
        }
    }

    /// The stdout offset stored in the record.
    public var out: Int {
        switch self {
        case .cellStart(let r), .cellEnd(let r): return r.out
        case .inline(let r): return r.out
        case .claim(let r): return r.out
        case .value(let r): return r.out
        case .matrix(let r): return r.out
        case .table(let r): return r.out
        case .figure(let r): return r.out
        case .math(let r): return r.out
        case .text(let r): return r.out
        case .check(let r): return r.out
        case .error(let r): return r.out
        }
    }

    /// The record with its `out` replaced.
    public func with(out o: Int) -> DisplayRecord {
        switch self {
        case .cellStart(var r): r.out = o; return .cellStart(r)
        case .cellEnd(var r): r.out = o; return .cellEnd(r)
        case .inline(var r): r.out = o; return .inline(r)
        case .claim(var r): r.out = o; return .claim(r)
        case .value(var r): r.out = o; return .value(r)
        case .matrix(var r): r.out = o; return .matrix(r)
        case .table(var r): r.out = o; return .table(r)
        case .figure(var r): r.out = o; return .figure(r)
        case .math(var r): r.out = o; return .math(r)
        case .text(var r): r.out = o; return .text(r)
        case .check(var r): r.out = o; return .check(r)
        case .error(var r): r.out = o; return .error(r)
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

extension DisplayRecord: Codable {
    private enum Kind: String, CodingKey {
        case cellStart, cellEnd, inline, claim, value, matrix, table, figure, math, text, check, error
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Kind.self)
        guard c.allKeys.count == 1, let kind = c.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath,
                                                    debugDescription: "a record is an object with one known key"))
        }
        switch kind {
        case .cellStart: self = .cellStart(try c.decode(CellMark.self, forKey: kind))
        case .cellEnd: self = .cellEnd(try c.decode(CellMark.self, forKey: kind))
        case .inline: self = .inline(try c.decode(InlineValue.self, forKey: kind))
        case .claim: self = .claim(try c.decode(Claim.self, forKey: kind))
        case .value: self = .value(try c.decode(Value.self, forKey: kind))
        case .matrix: self = .matrix(try c.decode(Matrix.self, forKey: kind))
        case .table: self = .table(try c.decode(Table.self, forKey: kind))
        case .figure: self = .figure(try c.decode(Figure.self, forKey: kind))
        case .math: self = .math(try c.decode(Math.self, forKey: kind))
        case .text: self = .text(try c.decode(Note.self, forKey: kind))
        case .check: self = .check(try c.decode(Check.self, forKey: kind))
        case .error: self = .error(try c.decode(ThrownError.self, forKey: kind))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Kind.self)
        switch self {
        case .cellStart(let r): try c.encode(r, forKey: .cellStart)
        case .cellEnd(let r): try c.encode(r, forKey: .cellEnd)
        case .inline(let r): try c.encode(r, forKey: .inline)
        case .claim(let r): try c.encode(r, forKey: .claim)
        case .value(let r): try c.encode(r, forKey: .value)
        case .matrix(let r): try c.encode(r, forKey: .matrix)
        case .table(let r): try c.encode(r, forKey: .table)
        case .figure(let r): try c.encode(r, forKey: .figure)
        case .math(let r): try c.encode(r, forKey: .math)
        case .text(let r): try c.encode(r, forKey: .text)
        case .check(let r): try c.encode(r, forKey: .check)
        case .error(let r): try c.encode(r, forKey: .error)
        }
    }
}

/// Reads a records file (JSON Lines) on the tool side.
public enum RecordReader {
    /// A line that could not be decoded.
    public struct BadLine: Error, CustomStringConvertible, Equatable, Codable, Sendable {
        public let lineNumber: Int
        public let text: String
        public let reason: String
        public var description: String { "records line \(lineNumber): \(reason): \(text.prefix(200))" }
    }

    /// What a records file holds: the records that decoded, in order, and the
    /// lines that did not.
    public struct Contents: Equatable, Sendable {
        public var records: [DisplayRecord] = []
        public var badLines: [BadLine] = []
    }

    /// Decodes every complete line of `data`. A last line that is not
    /// terminated by a newline and does not decode (the program was killed
    /// mid-write) is ignored. Empty lines are skipped. Any other undecodable
    /// line is kept as a `BadLine`, and the lines after it are still read.
    public static func contents(of data: Data) -> Contents {
        let decoder = DisplayRecord.makeDecoder()
        var out = Contents()
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
                out.records.append(try decoder.decode(DisplayRecord.self, from: Data(slice)))
            } catch {
                if nl == nil { break }  // truncated final line
                out.badLines.append(BadLine(lineNumber: lineNumber, text: String(decoding: slice, as: UTF8.self),
                                            reason: "\(error)"))
            }
        }
        return out
    }

    /// The records of `data`; the first undecodable line throws `BadLine`.
    public static func decode(_ data: Data) throws -> [DisplayRecord] {
        let c = contents(of: data)
        if let bad = c.badLines.first { throw bad }
        return c.records
    }

    /// Reads and decodes the records file at `path`. A missing file means no records.
    public static func read(path: String) throws -> [DisplayRecord] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try decode(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
