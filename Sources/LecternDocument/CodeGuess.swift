/// The single-parse fast path's two helpers.
///
/// Math must not be looked for inside code, and only cmark knows exactly where
/// code is; the exact way is to parse twice (once to find code, once with math
/// masked). Instead, `Document.parse` guesses the code regions with a cheap scan,
/// masks the math found outside them, parses once, and keeps that parse when
/// (1) scanning again with the code regions of the tree it got finds the same
/// spans, and (2) no span holds anything whose masking could move code elsewhere
/// (`spansAreInert`). Then the tree is the one the exact way would have built.
/// Anything else falls back to parsing twice, so a wrong guess costs time only.
enum CodeGuess {
    static let tick = UInt8(ascii: "`"), tilde = UInt8(ascii: "~"), lt = UInt8(ascii: "<")

    /// Likely code and HTML blocks and code spans: fences (also inside block
    /// quotes and list items), HTML blocks after a blank line, and backtick runs
    /// paired within a paragraph the way CommonMark pairs them. Sorted, disjoint.
    static func ranges(_ b: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        let n = b.count
        var lineStart = 0
        var previousBlank = true
        var paragraphStart = 0  // where the current run of non-blank lines began
        while lineStart < n {
            var lineEnd = lineStart
            while lineEnd < n && b[lineEnd] != 0x0A { lineEnd += 1 }
            let next = min(lineEnd + 1, n)
            // Skip indentation and block-quote markers.
            var p = lineStart
            while p < lineEnd && (b[p] == 0x20 || b[p] == 0x09 || b[p] == UInt8(ascii: ">")) { p += 1 }
            let blank = p == lineEnd || (p == lineEnd - 1 && b[p] == 0x0D)
            if blank {
                if !previousBlank { out += codeSpans(b, paragraphStart..<lineStart) }
                previousBlank = true
                lineStart = next
                continue
            }
            if previousBlank { paragraphStart = lineStart }
            if let fence = fenceRun(b, p, lineEnd) {
                if !previousBlank { out += codeSpans(b, paragraphStart..<lineStart) }
                let end = closingFence(b, from: next, char: fence.char, length: fence.length)
                out.append(lineStart..<end)
                lineStart = end
                previousBlank = true
                continue
            }
            if previousBlank && p + 1 < lineEnd && b[p] == lt && p - lineStart < 4 {
                let c = b[p + 1] | 0x20
                if (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || b[p + 1] == UInt8(ascii: "/") || b[p + 1] == UInt8(ascii: "!") {
                    // An HTML block runs to the next blank line.
                    var e = next
                    while e < n && !lineIsBlank(b, e) { e = lineEndIncluding(b, e) }
                    out.append(lineStart..<e)
                    lineStart = e
                    previousBlank = true
                    continue
                }
            }
            previousBlank = false
            lineStart = next
        }
        if !previousBlank { out += codeSpans(b, paragraphStart..<n) }
        return out.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// A fence opener at `p`: three or more backticks (with no backtick after
    /// them on the line) or tildes.
    static func fenceRun(_ b: [UInt8], _ p: Int, _ lineEnd: Int) -> (char: UInt8, length: Int)? {
        guard p < lineEnd, b[p] == tick || b[p] == tilde else { return nil }
        let c = b[p]
        var q = p
        while q < lineEnd && b[q] == c { q += 1 }
        guard q - p >= 3 else { return nil }
        if c == tick && b[q..<lineEnd].contains(tick) { return nil }
        return (c, q - p)
    }

    /// Offset just past the closing fence line, or the end of the text.
    static func closingFence(_ b: [UInt8], from: Int, char: UInt8, length: Int) -> Int {
        var s = from
        while s < b.count {
            let e = lineEndIncluding(b, s)
            var p = s
            while p < e && (b[p] == 0x20 || b[p] == 0x09 || b[p] == UInt8(ascii: ">")) { p += 1 }
            var q = p
            while q < e && b[q] == char { q += 1 }
            if q - p >= length {
                var r = q
                while r < e && (b[r] == 0x20 || b[r] == 0x09 || b[r] == 0x0D || b[r] == 0x0A) { r += 1 }
                if r == e { return e }
            }
            s = e
        }
        return b.count
    }

    static func lineEndIncluding(_ b: [UInt8], _ s: Int) -> Int {
        var e = s
        while e < b.count && b[e] != 0x0A { e += 1 }
        return min(e + 1, b.count)
    }

    static func lineIsBlank(_ b: [UInt8], _ s: Int) -> Bool {
        var p = s
        while p < b.count && (b[p] == 0x20 || b[p] == 0x09 || b[p] == 0x0D) { p += 1 }
        return p >= b.count || b[p] == 0x0A
    }

    /// Code spans of one paragraph: an opening backtick run (not escaped) pairs
    /// with the next run of the same length; an unpaired run is literal.
    static func codeSpans(_ b: [UInt8], _ range: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            guard b[i] == tick else { i += 1; continue }
            var backslashes = 0
            while i - backslashes - 1 >= range.lowerBound && b[i - backslashes - 1] == UInt8(ascii: "\\") { backslashes += 1 }
            var j = i
            while j < end && b[j] == tick { j += 1 }
            if backslashes % 2 == 1 { i += 1; continue }  // an escaped backtick starts no span
            let length = j - i
            var k = j
            var closed: Int?
            while k < end {
                guard b[k] == tick else { k += 1; continue }
                var m = k
                while m < end && b[m] == tick { m += 1 }
                if m - k == length { closed = m; break }
                k = m
            }
            if let closed {
                out.append(i..<closed)
                i = closed
            } else {
                i = j
            }
        }
        return out
    }

    /// True when masking these spans cannot change where code is, so the code
    /// regions of the masked parse are those of the unmasked text.
    ///
    /// Where code is depends on line starts (fences, HTML blocks, containers),
    /// on table cells (pipes), and within a paragraph on backtick pairing, which
    /// raw HTML, link destinations and autolinks can consume. So a span is inert
    /// when none of its continuation lines starts like a block, it holds no pipe
    /// in a paragraph that has a table delimiter row, and, in a paragraph that
    /// has backticks, it holds no backtick, tag opener or URL, takes no part in
    /// an inline link, and no URL, link destination or HTML attribute is glued
    /// to its front.
    static func spansAreInert(_ spans: [MathSpan], _ b: [UInt8]) -> Bool {
        var cache: (range: Range<Int>, flags: ParagraphFlags)?
        for span in spans {
            let r = span.range
            var hasPipe = false, hasBracket = false, hasTick = false, hasLT = false, hasQuote = false
            var lineStart = false
            for k in r {
                let c = b[k]
                switch c {
                case 0x0A: lineStart = true; continue
                case 0x20, 0x09, 0x0D: continue
                case UInt8(ascii: "|"): hasPipe = true
                case UInt8(ascii: "["): hasBracket = true
                case tick: hasTick = true
                case lt: if opensTag(b, k) { hasLT = true }
                case UInt8(ascii: "\""), UInt8(ascii: "'"): hasQuote = true
                default: break
                }
                if lineStart {
                    lineStart = false
                    if !continuationStartIsSafe(b, k) { return false }
                }
            }
            let para: ParagraphFlags
            if let cache, cache.range.contains(r.lowerBound) {
                para = cache.flags
            } else {
                let pr = paragraph(around: r, b)
                para = ParagraphFlags(b, pr)
                cache = (pr, para)
            }
            if hasPipe && para.delimiterRow { return false }
            if para.backtick {
                if hasTick || hasLT || hasQuote && para.lessThan { return false }
                if containsLinkTail(b, r) || hasBracket && containsLinkTail(b, para.range) { return false }
                if containsURL(b, r) || tokenBeforeIsRisky(b, r.lowerBound) { return false }
            }
        }
        return true
    }

    /// A line inside a span (after its first) must not start like a block: a
    /// list marker, heading, quote, fence, thematic break or setext underline,
    /// HTML or footnote definition. `= \sum` or `- x` (with a space) are fine.
    static func continuationStartIsSafe(_ b: [UInt8], _ k: Int) -> Bool {
        let c = b[k]
        var e = k
        while e < b.count && b[e] != 0x0A { e += 1 }
        func at(_ q: Int) -> UInt8 { q < e ? b[q] : 0x0A }
        func spaceOrEnd(_ q: Int) -> Bool { let x = at(q); return x == 0x20 || x == 0x09 || x == 0x0A || x == 0x0D }
        func lineOnly(_ chars: Set<UInt8>) -> Bool { b[k..<e].allSatisfy { chars.contains($0) } }
        let blank: Set<UInt8> = [0x20, 0x09, 0x0D]
        switch c {
        case UInt8(ascii: ">"), lt, UInt8(ascii: "["):
            return false
        case UInt8(ascii: "#"):
            var q = k
            while at(q) == c { q += 1 }
            return !(q - k <= 6 && spaceOrEnd(q))
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "*"):
            if spaceOrEnd(k + 1) { return false }
            return !(c != UInt8(ascii: "+") && lineOnly(blank.union([c])))
        case UInt8(ascii: "="), UInt8(ascii: "_"):
            return !lineOnly(blank.union([c]))
        case tick, tilde:
            return !(at(k + 1) == c && at(k + 2) == c)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            var q = k
            while q < e && b[q] >= 0x30 && b[q] <= 0x39 { q += 1 }
            return !((at(q) == UInt8(ascii: ".") || at(q) == UInt8(ascii: ")")) && spaceOrEnd(q + 1))
        default:
            return true
        }
    }

    /// `<` that could open raw HTML or an autolink (a letter, `/`, `!` or `?` next).
    static func opensTag(_ b: [UInt8], _ k: Int) -> Bool {
        guard b[k] == lt, k + 1 < b.count else { return false }
        let c = b[k + 1] | 0x20
        return (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || b[k + 1] == UInt8(ascii: "/")
            || b[k + 1] == UInt8(ascii: "!") || b[k + 1] == UInt8(ascii: "?")
    }

    /// `](` (an inline link's destination follows) or `]:` (a definition) in a range.
    static func containsLinkTail(_ b: [UInt8], _ r: Range<Int>) -> Bool {
        var k = r.lowerBound
        while k + 1 < r.upperBound {
            if b[k] == UInt8(ascii: "]") && (b[k + 1] == UInt8(ascii: "(") || b[k + 1] == UInt8(ascii: ":")) { return true }
            k += 1
        }
        return false
    }

    /// `://` or `www.` in a range: an autolink would run on past whitespace.
    static func containsURL(_ b: [UInt8], _ r: Range<Int>) -> Bool {
        var k = r.lowerBound
        while k + 3 < r.upperBound {
            if b[k] == UInt8(ascii: ":") && b[k + 1] == UInt8(ascii: "/") && b[k + 2] == UInt8(ascii: "/") { return true }
            if (b[k] | 0x20) == UInt8(ascii: "w") && (b[k + 1] | 0x20) == UInt8(ascii: "w")
                && (b[k + 2] | 0x20) == UInt8(ascii: "w") && b[k + 3] == UInt8(ascii: ".") { return true }
            k += 1
        }
        return false
    }

    /// The text glued to the front of a span (back to the last whitespace): a URL,
    /// link destination or HTML attribute there could take the span in.
    static func tokenBeforeIsRisky(_ b: [UInt8], _ start: Int) -> Bool {
        var s = start
        while s > 0 && !(b[s - 1] == 0x20 || b[s - 1] == 0x09 || b[s - 1] == 0x0A || b[s - 1] == 0x0D) { s -= 1 }
        if s == start { return false }
        if containsURL(b, s..<start) { return true }
        var k = s
        while k < start {
            if b[k] == lt || b[k] == UInt8(ascii: "=") { return true }
            if b[k] == UInt8(ascii: "]") && k + 1 < start && b[k + 1] == UInt8(ascii: "(") { return true }
            k += 1
        }
        return false
    }

    /// The run of non-blank lines holding `r`.
    static func paragraph(around r: Range<Int>, _ b: [UInt8]) -> Range<Int> {
        var s = r.lowerBound
        while s > 0 {
            var ls = s
            while ls > 0 && b[ls - 1] != 0x0A { ls -= 1 }  // start of the line holding s
            if ls == 0 { s = 0; break }
            // The line before: blank ends the paragraph.
            var ps = ls - 1
            while ps > 0 && b[ps - 1] != 0x0A { ps -= 1 }
            if lineIsBlank(b, ps) { s = ls; break }
            s = ps
        }
        var e = r.upperBound
        while e < b.count {
            let le = lineEndIncluding(b, e)
            if le >= b.count { e = b.count; break }
            if lineIsBlank(b, le) { e = le; break }
            e = le
        }
        return s..<max(e, r.upperBound)
    }

    struct ParagraphFlags {
        var backtick = false, lessThan = false, delimiterRow = false
        let range: Range<Int>

        init(_ b: [UInt8], _ r: Range<Int>) {
            range = r
            var lineStart = r.lowerBound
            var onlyDelimiterChars = true, sawPipe = false, sawDash = false
            var k = r.lowerBound
            while k < r.upperBound {
                let c = b[k]
                switch c {
                case tick: backtick = true
                case lt: if opensTag(b, k) { lessThan = true }
                default: break
                }
                if c == 0x0A {
                    if onlyDelimiterChars && sawPipe && sawDash { delimiterRow = true }
                    onlyDelimiterChars = true; sawPipe = false; sawDash = false
                    lineStart = k + 1
                } else if c == UInt8(ascii: "|") {
                    sawPipe = true
                } else if c == UInt8(ascii: "-") {
                    sawDash = true
                } else if !(c == UInt8(ascii: ":") || c == 0x20 || c == 0x09 || c == 0x0D) {
                    onlyDelimiterChars = false
                }
                k += 1
            }
            if onlyDelimiterChars && sawPipe && sawDash && lineStart < r.upperBound { delimiterRow = true }
        }
    }
}
