/// The bytes of a lecture with a line index, so that every position cmark-gfm
/// reports (line, byte column) can be turned into a byte offset and back.
public struct SourceText: Sendable {
    /// Path as shown in diagnostics (usually relative, e.g. `Lectures/01-intro.md`).
    public let path: String
    /// Valid UTF-8 (invalid input is repaired with U+FFFD before this is built).
    public let bytes: [UInt8]
    /// Byte offset at which each line starts; `lineStarts[0] == 0`.
    public let lineStarts: [Int]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        self.lineStarts = starts
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
    public var lineCount: Int { lineStarts.count }

    /// Byte offset of a 1-based line and 1-based byte column (clamped to the file).
    public func offset(line: Int, column: Int) -> Int {
        guard line >= 1 else { return 0 }
        guard line <= lineStarts.count else { return bytes.count }
        return min(lineStarts[line - 1] + max(column, 1) - 1, bytes.count)
    }

    /// Byte offset of the start of a 1-based line.
    public func lineStart(_ line: Int) -> Int { offset(line: line, column: 1) }

    /// Byte offset just past the end of a 1-based line, including its line ending.
    public func lineEnd(_ line: Int) -> Int {
        line < lineStarts.count ? lineStarts[line] : bytes.count
    }

    /// (line, column), both 1-based, of a byte offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return (lo + 1, offset - lineStarts[lo] + 1)
    }

    /// The text of a 1-based line without its line ending.
    public func lineText(_ line: Int) -> Substring {
        let s = lineStart(line)
        var e = lineEnd(line)
        while e > s, bytes[e - 1] == UInt8(ascii: "\n") || bytes[e - 1] == UInt8(ascii: "\r") { e -= 1 }
        return Substring(String(decoding: bytes[s..<e], as: UTF8.self))
    }

    public func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// The line ending the file uses (CRLF when its first line ends so).
    public var lineEnding: String {
        if let nl = bytes.firstIndex(of: UInt8(ascii: "\n")), nl > 0, bytes[nl - 1] == UInt8(ascii: "\r") {
            return "\r\n"
        }
        return "\n"
    }
}

/// Decodes bytes as UTF-8, replacing invalid sequences with U+FFFD; reports
/// the line of the first invalid byte so the diagnostic can point at it.
func repairUTF8(_ raw: [UInt8]) -> (bytes: [UInt8], firstBadLine: Int?) {
    if String(validating: raw, as: UTF8.self) != nil { return (raw, nil) }
    var it = raw.makeIterator()
    var decoder = UTF8()
    var line = 1
    var firstBad: Int?
    var out = String()
    out.reserveCapacity(raw.count)
    while true {
        switch decoder.decode(&it) {
        case .scalarValue(let s):
            out.unicodeScalars.append(s)
            if s == "\n" { line += 1 }
        case .error:
            if firstBad == nil { firstBad = line }
            out.unicodeScalars.append("\u{FFFD}")
        case .emptyInput:
            return (Array(out.utf8), firstBad)
        }
    }
}
