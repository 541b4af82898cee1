import CCmarkGFM

/// Finds the bytes of each code span (backticks included) that cmark reports.
///
/// Block positions from cmark are exact, but inline ones are not: on a lazy
/// continuation line it adds the list's indentation to the column, and after a
/// hard line break in a list item it can name the wrong line. Inline values are
/// spliced into the Markdown output by byte range, so the range must be right.
/// So the code spans of each paragraph (heading, table) are found here by
/// pairing its backtick runs as CommonMark does, and cmark's code nodes, which
/// come in document order, are matched to them in order by content. Only when
/// no span matches (a span that crosses a block-quote marker) is cmark's
/// position used.
struct CodeSpanLocator {
    static let tick = UInt8(ascii: "`")
    /// The text cmark parsed (math masked), which code literals come from.
    let parsed: [UInt8]
    let source: SourceText
    private var spans: [Range<Int>] = []
    private var next = 0

    init(parsed: [UInt8], source: SourceText) {
        self.parsed = parsed
        self.source = source
    }

    /// Starts a block whose inlines follow: a paragraph, heading or table.
    mutating func enter(_ block: CmarkNode) {
        // When a table takes a paragraph's last line as its header, the lines
        // before stay a paragraph that has no position: use its container's.
        var block = block
        while block.startLine == 0, let parent = cmark_node_parent(block.ptr) { block = CmarkNode(ptr: parent) }
        let range = source.lineStart(block.startLine)..<source.lineEnd(max(block.endLine, block.startLine))
        spans = Self.codeSpans(parsed, range)
        next = 0
    }

    /// The byte range of a code node with this literal.
    mutating func locate(_ n: CmarkNode, literal: String) -> Range<Int> {
        let literal = Array(literal.utf8)
        var k = next
        while k < spans.count {
            if Self.codeSpan(parsed, spans[k], holds: literal) {
                next = k + 1
                return spans[k]
            }
            k += 1
        }
        return reported(n)
    }

    /// cmark's own position, widened from the content to the backticks.
    func reported(_ n: CmarkNode) -> Range<Int> {
        let b = parsed
        var s = source.offset(line: n.startLine, column: n.startColumn)
        var e = min(source.offset(line: n.endLine, column: n.endColumn) + 1, b.count)
        // One padding space may sit between the backticks and the content.
        if s > 0 && b[s - 1] == 0x20 { s -= 1 }
        while s > 0 && b[s - 1] == Self.tick { s -= 1 }
        if e < b.count && b[e] == 0x20 { e += 1 }
        while e < b.count && b[e] == Self.tick { e += 1 }
        return s..<max(e, s)
    }

    /// Whether the code span `r` (backticks included) has `literal` as content,
    /// as cmark gives it: line endings as spaces, each line's indentation and
    /// quote markers dropped, one padding space stripped.
    static func codeSpan(_ b: [UInt8], _ r: Range<Int>, holds literal: [UInt8]) -> Bool {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi && b[lo] == Self.tick { lo += 1 }
        let open = lo - r.lowerBound
        var close = 0
        while hi > lo && b[hi - 1] == Self.tick { hi -= 1; close += 1 }
        guard open > 0 && open == close else { return false }
        // Compared byte by byte as cmark normalises: CR dropped, LF as a space,
        // one space stripped from each end when both ends have one.
        func isSpace(_ k: Int) -> Bool { b[k] == 0x20 || b[k] == 0x0A }
        var first = lo, last = hi - 1
        while first < hi && b[first] == 0x0D { first += 1 }
        while last >= lo && b[last] == 0x0D { last -= 1 }
        if first < last && isSpace(first) && isSpace(last)
            && b[first..<last].contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D }) {
            lo = first + 1
            hi = last
        }
        var j = 0
        var k = lo
        while k < hi {
            let c = b[k]
            k += 1
            if c == 0x0D { continue }
            guard j < literal.count, literal[j] == (c == 0x0A ? 0x20 : c) else { return false }
            j += 1
            // A paragraph's next line starts after its indentation and quote markers.
            if c == 0x0A { while k < hi && (b[k] == 0x20 || b[k] == 0x09 || b[k] == UInt8(ascii: ">")) { k += 1 } }
        }
        return j == literal.count
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
}
