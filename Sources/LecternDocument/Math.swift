/// A math span (`$...$`, `$$...$$`, `\(...\)`, `\[...\]`) as the author wrote it.
public struct MathSpan: Equatable, Hashable, Sendable {
    public var display: Bool
    /// Byte range of the span in the source, delimiters included.
    public var range: Range<Int>
    /// The original bytes, delimiters included (spliced back verbatim into Markdown).
    public var source: String
    /// The TeX between the delimiters (what KaTeX renders).
    public var tex: String
}

/// Finds math spans in Markdown source, outside code and raw HTML.
///
/// cmark-gfm has no math and mangles it (escapes, emphasis, table pipes), so the
/// spans are found first and masked before parsing: the first byte of a span
/// becomes 0x02, the others 0x01, keeping newlines and line indentation, so every
/// byte offset and line number cmark reports still matches the source.
enum MathScanner {
    static let startMark: UInt8 = 0x02
    static let fillMark: UInt8 = 0x01

    /// - Parameter excluded: sorted, non-overlapping byte ranges to skip (code, HTML).
    static func scan(_ bytes: [UInt8], excluded: [Range<Int>], path: String,
                     source: SourceText) -> ([MathSpan], [Diagnostic]) {
        var spans: [MathSpan] = []
        var diags: [Diagnostic] = []
        var i = 0
        var ex = 0
        let n = bytes.count
        let dollar = UInt8(ascii: "$"), backslash = UInt8(ascii: "\\")

        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        func isEscaped(_ at: Int) -> Bool {
            var k = at - 1, count = 0
            while k >= 0 && bytes[k] == backslash { count += 1; k -= 1 }
            return count % 2 == 1
        }
        /// Offset of the next excluded range start at or after `from`.
        func nextExcludedStart(_ from: Int) -> Int {
            var k = ex
            while k < excluded.count && excluded[k].upperBound <= from { k += 1 }
            return k < excluded.count ? excluded[k].lowerBound : n
        }
        /// True when a blank line lies between `a` and `b`.
        func blankLineAt(_ j: Int) -> Bool {
            // j is a newline; the next line is blank when only spaces precede the next newline/end.
            var k = j + 1
            while k < n && (bytes[k] == 0x20 || bytes[k] == 0x09 || bytes[k] == 0x0D) { k += 1 }
            return k >= n || bytes[k] == 0x0A
        }
        /// Searches for `close` (one or two bytes) from `from`; nil if a blank line, an excluded range or the end comes first.
        func find(_ close: [UInt8], from: Int, limit: Int, accept: (Int) -> Bool) -> Int? {
            var j = from
            while j + close.count <= limit {
                if bytes[j] == 0x0A && blankLineAt(j) { return nil }
                if bytes[j] == close[0] && (close.count == 1 || bytes[j + 1] == close[1]) && accept(j) { return j }
                j += 1
            }
            return nil
        }
        func add(_ start: Int, _ end: Int, open: Int, close: Int, display: Bool) {
            spans.append(MathSpan(display: display, range: start..<end,
                                  source: String(decoding: bytes[start..<end], as: UTF8.self),
                                  tex: String(decoding: bytes[(start + open)..<(end - close)], as: UTF8.self)))
        }
        func warnUnterminated(_ at: Int, _ what: String) {
            let loc = source.location(of: at)
            diags.append(Diagnostic(.warning, file: path, line: loc.line, column: loc.column,
                                    "unterminated display math '\(what)': kept as written"))
        }

        while i < n {
            while ex < excluded.count && excluded[ex].upperBound <= i { ex += 1 }
            if ex < excluded.count && excluded[ex].contains(i) { i = excluded[ex].upperBound; continue }
            let b = bytes[i]
            let limit = nextExcludedStart(i)
            if b == dollar && !isEscaped(i) {
                if i + 1 < n && bytes[i + 1] == dollar {
                    // Display math $$ ... $$
                    if let c = find([dollar, dollar], from: i + 2, limit: limit, accept: { !isEscaped($0) }) {
                        add(i, c + 2, open: 2, close: 2, display: true)
                        i = c + 2
                    } else {
                        warnUnterminated(i, "$$")
                        i += 2
                    }
                    continue
                }
                // Inline $...$: opener followed by non-space; closer preceded by non-space,
                // not escaped, and not followed by a digit (so "$5 and $10" stays text).
                if i + 1 < n && !isSpace(bytes[i + 1]) {
                    let c = find([dollar], from: i + 1, limit: limit) { j in
                        !isEscaped(j) && !isSpace(bytes[j - 1]) && j > i + 1
                            && !(j + 1 < n && bytes[j + 1] >= 0x30 && bytes[j + 1] <= 0x39)
                            && !(j + 1 < n && bytes[j + 1] == dollar)
                    }
                    if let c {
                        add(i, c + 1, open: 1, close: 1, display: false)
                        i = c + 1
                        continue
                    }
                }
                i += 1
                continue
            }
            if b == backslash && i + 1 < n && !isEscaped(i) {
                let next = bytes[i + 1]
                if next == UInt8(ascii: "(") || next == UInt8(ascii: "[") {
                    let display = next == UInt8(ascii: "[")
                    let close: [UInt8] = [backslash, display ? UInt8(ascii: "]") : UInt8(ascii: ")")]
                    if let c = find(close, from: i + 2, limit: limit, accept: { !isEscaped($0) }) {
                        add(i, c + 2, open: 2, close: 2, display: display)
                        i = c + 2
                        continue
                    }
                    if display { warnUnterminated(i, "\\[") }
                    i += 2
                    continue
                }
                i += 2  // an escape: skip the escaped byte
                continue
            }
            i += 1
        }
        return (spans, diags)
    }

    /// Masks the spans in a copy of the bytes (see the type's comment).
    static func mask(_ bytes: [UInt8], _ spans: [MathSpan]) -> [UInt8] {
        var out = bytes
        for span in spans { forEachMask(bytes, span.range) { out[$0] = $1 } }
        return out
    }

    /// The one masking rule: each byte of a span to overwrite, with its mark.
    static func forEachMask(_ bytes: [UInt8], _ range: Range<Int>, _ body: (Int, UInt8) -> Void) {
        var lineStart = false
        for k in range {
            let b = bytes[k]
            if k == range.lowerBound { body(k, startMark); continue }
            if b == 0x0A || b == 0x0D { lineStart = true; continue }
            if lineStart && (b == 0x20 || b == 0x09) { continue }
            lineStart = false
            body(k, fillMark)
        }
    }

    /// How many fill marks a span's mask holds (to match masked runs back to spans).
    static func fillCount(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
        var n = 0
        forEachMask(bytes, range) { if $1 == fillMark { n += 1 } }
        return n
    }
}

/// A piece of a short text (a caption, a title): plain text or a math span.
public enum TextPiece: Equatable, Sendable {
    case text(String)
    case math(tex: String, display: Bool)
}

/// Splits a short text such as a caption into plain text and math spans.
public func splitMath(_ text: String) -> [TextPiece] {
    let bytes = Array(text.utf8)
    let source = SourceText(path: "", bytes: bytes)
    let (spans, _) = MathScanner.scan(bytes, excluded: [], path: "", source: source)
    var out: [TextPiece] = []
    var pos = 0
    for s in spans {
        if s.range.lowerBound > pos { out.append(.text(String(decoding: bytes[pos..<s.range.lowerBound], as: UTF8.self))) }
        out.append(.math(tex: s.tex, display: s.display))
        pos = s.range.upperBound
    }
    if pos < bytes.count { out.append(.text(String(decoding: bytes[pos...], as: UTF8.self))) }
    return out
}
