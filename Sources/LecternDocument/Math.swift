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

/// Finds math spans in Markdown source, outside code, links and raw HTML.
///
/// What counts as math is pandoc's `tex_math_dollars` rule (and, for `\(...\)`
/// and `\[...\]`, its `tex_math_single_backslash`):
/// - `$...$`: the opening `$` is not followed by white space or another `$`;
///   inside, a backslash and the character after it go together (so `\$` does
///   not close); white space inside must not be followed by `$`, so the closing
///   `$` has a non-space on its left; the closing `$` is not followed by a digit
///   (`$5 and $10` stays text). `\(...\)` reads its content the same way.
/// - `$$...$$` and `\[...\]`: any characters, at least one, up to the first
///   closing delimiter.
/// - No span is empty, crosses a blank line or starts at an escaped delimiter
///   (`\$`, `\\(`); `\[foo]` is an escaped bracket, not unterminated math.
///
/// cmark-gfm has no math and mangles it (escapes, emphasis, table pipes), so the
/// spans are found first and masked before parsing: the first and last byte of
/// a span become `$`, the others 0x01, keeping newlines and line indentation, so
/// every byte offset and line number cmark reports still matches the source, and
/// to the emphasis rules a span is punctuation at both ends, exactly as `$` is.
enum MathScanner {
    static let edgeMark = UInt8(ascii: "$")
    static let fillMark: UInt8 = 0x01

    /// Where math is not looked for, from the first parse.
    struct Exclusions {
        /// Sorted, non-overlapping byte ranges no span starts in or crosses:
        /// code and HTML blocks, link destinations and titles, reference
        /// definitions, autolinks, raw inline HTML.
        var hard: [Range<Int>] = []
        /// Code spans and raw inline HTML (sorted): no span starts inside one,
        /// but a span that starts before takes them in, as pandoc does. A `$`
        /// directly followed by raw HTML opens no span and one directly after
        /// raw HTML closes none, so `<span>$</span>5` (GitHub's way to write a
        /// dollar) stays a dollar however often it is used.
        var code: [Range<Int>] = []

        init(hard: [Range<Int>] = [], code: [Range<Int>] = []) {
            self.hard = mergeRanges(hard)
            self.code = mergeRanges(code)
        }
    }

    static func scan(_ bytes: [UInt8], excluded: Exclusions, path: String,
                     source: SourceText) -> ([MathSpan], [Diagnostic]) {
        var spans: [MathSpan] = []
        var diags: [Diagnostic] = []
        var i = 0
        var hard = 0, code = 0
        let n = bytes.count
        let dollar = UInt8(ascii: "$"), backslash = UInt8(ascii: "\\")

        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        func isDigit(_ k: Int) -> Bool { k < n && bytes[k] >= 0x30 && bytes[k] <= 0x39 }
        func isEscaped(_ at: Int) -> Bool {
            var k = at - 1, count = 0
            while k >= 0 && bytes[k] == backslash { count += 1; k -= 1 }
            return count % 2 == 1
        }
        /// Whether the line after the newline at `j` is blank (or the text ends).
        func blankLineAfter(_ j: Int) -> Bool {
            var k = j + 1
            while k < n && (bytes[k] == 0x20 || bytes[k] == 0x09 || bytes[k] == 0x0D) { k += 1 }
            return k >= n || bytes[k] == 0x0A
        }
        func matches(_ close: [UInt8], at j: Int, limit: Int) -> Bool {
            j + close.count <= limit && bytes[j] == close[0] && (close.count == 1 || bytes[j + 1] == close[1])
        }
        /// Display content: any bytes up to `close`; the end of the closer, or nil.
        func display(from start: Int, close: [UInt8], limit: Int) -> Int? {
            if matches(close, at: start, limit: limit) { return nil }  // at least one character
            var j = start
            while j < limit {
                if matches(close, at: j, limit: limit) { return j + close.count }
                if bytes[j] == 0x0A && blankLineAfter(j) { return nil }
                j += 1
            }
            return nil
        }
        /// Inline content: escape pairs, white space not followed by `$`; the end of the closer, or nil.
        func inline(from start: Int, close: [UInt8], limit: Int) -> Int? {
            if matches(close, at: start, limit: limit) { return nil }
            var j = start
            while j < limit {
                if j > start && matches(close, at: j, limit: limit) && !touchesHTML(before: j) {
                    let end = j + close.count
                    return isDigit(end) ? nil : end
                }
                let b = bytes[j]
                if b == backslash {
                    j += 2
                } else if isSpace(b) {
                    while j < limit && isSpace(bytes[j]) {
                        if bytes[j] == 0x0A && blankLineAfter(j) { return nil }
                        j += 1
                    }
                    if j < limit && bytes[j] == dollar { return nil }
                } else {
                    j += 1
                }
            }
            return nil
        }
        /// The first code/HTML range whose upper bound is at least `j` (binary search).
        func firstSoft(endingAtOrAfter j: Int) -> Int {
            var lo = 0, hi = excluded.code.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if excluded.code[mid].upperBound < j { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        /// Whether raw HTML ends just before `j`.
        func touchesHTML(before j: Int) -> Bool {
            let k = firstSoft(endingAtOrAfter: j)
            return k < excluded.code.count && excluded.code[k].upperBound == j && bytes[j - 1] == UInt8(ascii: ">")
        }
        /// Whether raw HTML starts at `j`.
        func touchesHTML(after j: Int) -> Bool {
            let k = firstSoft(endingAtOrAfter: j + 1)
            return k < excluded.code.count && excluded.code[k].lowerBound == j && j < n && bytes[j] == UInt8(ascii: "<")
        }
        func add(_ start: Int, _ end: Int, open: Int, close: Int, display: Bool) {
            spans.append(MathSpan(display: display, range: start..<end,
                                  source: String(decoding: bytes[start..<end], as: UTF8.self),
                                  tex: String(decoding: bytes[(start + open)..<(end - close)], as: UTF8.self)))
            // Code spans that start inside are part of the math.
            while code < excluded.code.count && excluded.code[code].lowerBound < end { code += 1 }
        }
        func warnUnterminated(_ at: Int) {
            let loc = source.location(of: at)
            diags.append(Diagnostic(.warning, file: path, line: loc.line, column: loc.column,
                                    "unterminated display math '$$': kept as written"))
        }

        while i < n {
            while hard < excluded.hard.count && excluded.hard[hard].upperBound <= i { hard += 1 }
            while code < excluded.code.count && excluded.code[code].upperBound <= i { code += 1 }
            if hard < excluded.hard.count && excluded.hard[hard].contains(i) { i = excluded.hard[hard].upperBound; continue }
            if code < excluded.code.count && excluded.code[code].contains(i) { i = excluded.code[code].upperBound; continue }
            let b = bytes[i]
            guard b == dollar || b == backslash else { i += 1; continue }
            let limit = hard < excluded.hard.count ? excluded.hard[hard].lowerBound : n
            if b == dollar && !isEscaped(i) {
                if i + 1 < n && bytes[i + 1] == dollar {
                    if let end = display(from: i + 2, close: [dollar, dollar], limit: limit) {
                        add(i, end, open: 2, close: 2, display: true)
                        i = end
                        continue
                    }
                    // `$$x$` is a dollar and then math; anything else is left unterminated.
                    if inline(from: i + 2, close: [dollar], limit: limit) == nil { warnUnterminated(i) }
                    i += 1
                    continue
                }
                if i + 1 < n && !isSpace(bytes[i + 1]) && !touchesHTML(after: i + 1), let end = inline(from: i + 1, close: [dollar], limit: limit) {
                    add(i, end, open: 1, close: 1, display: false)
                    i = end
                    continue
                }
                i += 1
                continue
            }
            if b == backslash && i + 1 < n {
                let next = bytes[i + 1]
                if next == UInt8(ascii: "(") || next == UInt8(ascii: "[") {
                    let isDisplay = next == UInt8(ascii: "[")
                    let close: [UInt8] = [backslash, isDisplay ? UInt8(ascii: "]") : UInt8(ascii: ")")]
                    let end = isDisplay ? display(from: i + 2, close: close, limit: limit)
                                        : inline(from: i + 2, close: close, limit: limit)
                    if let end {
                        add(i, end, open: 2, close: 2, display: isDisplay)
                        i = end
                        continue
                    }
                }
                i += 2  // an escape (or a backslash before something else): skip both
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
    /// A span's first and last bytes are delimiters, never white space.
    static func forEachMask(_ bytes: [UInt8], _ range: Range<Int>, _ body: (Int, UInt8) -> Void) {
        var lineStart = false
        for k in range {
            let b = bytes[k]
            if k == range.lowerBound || k == range.upperBound - 1 { body(k, edgeMark); continue }
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
    let (spans, _) = MathScanner.scan(bytes, excluded: .init(), path: "", source: source)
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
