import CCmarkGFM

/// A parsed lecture: front matter, Markdown blocks, cells, inline values,
/// math spans and headings, with every diagnostic found on the way.
public struct Document: Sendable {
    public var source: SourceText
    public var frontMatter: FrontMatter
    /// File name without the number prefix and extension: `06-eigen.md` -> `eigen`.
    public var slug: String
    /// `order` from the front matter, else the file name's number.
    public var order: Int?
    public var blocks: [Block]
    public var cells: [Cell]
    public var inlines: [InlineCode]
    public var math: [MathSpan]
    public var headings: [Heading]
    public var diagnostics: [Diagnostic]
    /// Byte ranges that are not prose: code, raw HTML, math, front matter. Sorted.
    public var verbatimRanges: [Range<Int>]

    public var path: String { source.path }
    /// The front matter's title, else the first level-1 heading, else the slug.
    public var title: String {
        if let t = frontMatter.title { return t }
        if let h = headings.first(where: { $0.level == 1 }) { return h.text }
        return slug
    }
    public var subtitle: String? { frontMatter.subtitle }
}

public struct Heading: Equatable, Sendable {
    public var level: Int
    public var text: String
    /// Stable anchor, GitHub-style: lower case, punctuation dropped, spaces to hyphens.
    public var anchor: String
    public var line: Int
}

extension Document {
    /// Splits `06-eigen.md` into (6, "eigen"); a name without a number gives (nil, name).
    public static func slugAndNumber(fileName: String) -> (number: Int?, slug: String) {
        var base = fileName
        if let dot = base.lastIndex(of: "."), dot != base.startIndex { base = String(base[..<dot]) }
        let digits = base.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let n = Int(digits) else { return (nil, base) }
        var rest = base.dropFirst(digits.count)
        if rest.first == "-" || rest.first == "_" { rest = rest.dropFirst() }
        return (n, rest.isEmpty ? base : String(rest))
    }

    /// Parses a lecture. Never throws: problems become diagnostics, and whatever
    /// can be rendered still is.
    public static func parse(path: String, bytes raw: [UInt8]) -> Document {
        parse(path: path, bytes: raw, strategy: .guessThenVerify)
    }

    /// How math is kept out of code (see `CodeGuess`); tests compare the two.
    enum MaskingStrategy { case guessThenVerify, parseTwice }

    static func parse(path: String, bytes raw: [UInt8], strategy: MaskingStrategy) -> Document {
        var diags: [Diagnostic] = []
        let (bytes, badLine) = repairUTF8(raw)
        if let badLine {
            diags.append(Diagnostic(.warning, file: path, line: badLine, column: 0,
                                    "file is not valid UTF-8; invalid bytes are shown as U+FFFD"))
        }
        let source = SourceText(path: path, bytes: bytes)
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        let (number, slug) = slugAndNumber(fileName: fileName)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            diags.append(Diagnostic(.warning, file: path, line: 0, "lecture is empty"))
        }

        let (fm, fmDiags) = FrontMatterParser.parse(source)
        diags += fmDiags

        // Blank out the front matter (keeping newlines) so cmark sees empty lines
        // and every later line keeps its number.
        var body = bytes
        if fm.lineCount > 0 {
            for k in 0..<source.lineEnd(fm.lineCount) where body[k] != 0x0A && body[k] != 0x0D { body[k] = 0x20 }
        }

        let (tree, math, mathDiags, excluded, _) = parseMasked(body, source: source, strategy: strategy)
        diags += mathDiags
        var builder = Builder(source: source, math: math)
        let blocks = builder.blocks(of: CmarkNode(ptr: tree.root))
        diags += builder.diagnostics

        var doc = Document(source: source, frontMatter: fm, slug: slug, order: fm.order ?? number,
                           blocks: blocks, cells: builder.cells, inlines: builder.inlines, math: math,
                           headings: builder.headings, diagnostics: [],
                           verbatimRanges: mergeRanges(excluded + math.map(\.range)
                                                       + (fm.lineCount > 0 ? [0..<source.lineEnd(fm.lineCount)] : [])))
        diags += doc.checkIds()
        doc.diagnostics = diags.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        return doc
    }

    /// Finds the math outside code, masks it and parses the masked text; returns
    /// the tree, the spans, their diagnostics, the code regions, and whether the
    /// single parse was kept.
    static func parseMasked(_ body: [UInt8], source: SourceText, strategy: MaskingStrategy)
        -> (tree: CmarkTree, math: [MathSpan], diagnostics: [Diagnostic], code: [Range<Int>], singleParse: Bool) {
        let path = source.path
        if strategy == .guessThenVerify {
            let (guess, _) = MathScanner.scan(body, excluded: CodeGuess.ranges(body), path: path, source: source)
            if CodeGuess.spansAreInert(guess, body) {
                let tree = CmarkTree(MathScanner.mask(body, guess))
                let excluded = excludedRanges(tree, source)
                let (math, diags) = MathScanner.scan(body, excluded: excluded, path: path, source: source)
                if math == guess { return (tree, math, diags, excluded, true) }
            }
        }
        // Pass 1: where code and HTML blocks are, so math is not looked for there.
        let excluded = excludedRanges(CmarkTree(body, extensions: CmarkTree.codeAffectingExtensions), source)
        let (math, diags) = MathScanner.scan(body, excluded: excluded, path: path, source: source)
        // Pass 2: the real parse, with math masked.
        return (CmarkTree(MathScanner.mask(body, math)), math, diags, excluded, false)
    }

    /// Cell ids must be unique, since anchors and cross-references use them.
    func checkIds() -> [Diagnostic] {
        var seen: [String: Int] = [:]
        var out: [Diagnostic] = []
        for c in cells {
            guard let id = c.id else { continue }
            if let first = seen[id] {
                out.append(Diagnostic(.error, file: path, line: c.fenceLine, column: 1,
                                      "cell id '#\(id)' is already used by the cell at line \(first)"))
            } else {
                seen[id] = c.fenceLine
            }
        }
        return out
    }

    static func excludedRanges(_ tree: CmarkTree, _ source: SourceText) -> [Range<Int>] {
        var out: [Range<Int>] = []
        // cmark's own iterator and integer node types: this pass visits every
        // node of the document and only needs three kinds.
        let iter = cmark_iter_new(tree.root)
        defer { cmark_iter_free(iter) }
        while case let event = cmark_iter_next(iter), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let ptr = cmark_iter_get_node(iter) else { continue }
            let type = cmark_node_get_type(ptr)
            if type == CMARK_NODE_CODE_BLOCK || type == CMARK_NODE_HTML_BLOCK {
                let n = CmarkNode(ptr: ptr)
                out.append(source.lineStart(n.startLine)..<source.lineEnd(n.endLine))
            } else if type == CMARK_NODE_CODE {
                out.append(codeSpanRange(CmarkNode(ptr: ptr), source))
            }
        }
        return mergeRanges(out)
    }

    /// A code span's bytes, backticks included. cmark reports the content's
    /// position; the backtick runs are found by walking outwards. On a lazy
    /// continuation line (`- a` then an unindented line) cmark adds the list's
    /// indentation to the column, so a position that does not hold this span is
    /// corrected by finding the span on its line.
    static func codeSpanRange(_ n: CmarkNode, _ source: SourceText) -> Range<Int> {
        let b = source.bytes
        let reported = source.offset(line: n.startLine, column: n.startColumn)
        var s = reported
        var e = min(source.offset(line: n.endLine, column: n.endColumn) + 1, b.count)
        // One padding space may sit between the backticks and the content.
        if s > 0 && b[s - 1] == 0x20 { s -= 1 }
        while s > 0 && b[s - 1] == CodeGuess.tick { s -= 1 }
        if e < b.count && b[e] == 0x20 { e += 1 }
        while e < b.count && b[e] == CodeGuess.tick { e += 1 }
        let literal = Array(n.literal.utf8)
        if s < e && codeSpan(b, s..<e, holds: literal) { return s..<e }
        // Spans on the reported line holding the literal; the last one that
        // starts at or before the reported column (the error only adds).
        let line = source.lineStart(n.startLine)..<source.lineEnd(n.startLine)
        let candidates = CodeGuess.codeSpans(b, line.lowerBound..<source.lineEnd(n.endLine))
            .filter { line.contains($0.lowerBound) && codeSpan(b, $0, holds: literal) }
        return candidates.last(where: { $0.lowerBound <= reported }) ?? candidates.first ?? (s..<max(e, s))
    }

    /// Whether the code span `r` (backticks included) has `literal` as content,
    /// as cmark gives it: line endings as spaces, one padding space stripped.
    static func codeSpan(_ b: [UInt8], _ r: Range<Int>, holds literal: [UInt8]) -> Bool {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi && b[lo] == CodeGuess.tick { lo += 1 }
        let open = lo - r.lowerBound
        var close = 0
        while hi > lo && b[hi - 1] == CodeGuess.tick { hi -= 1; close += 1 }
        guard open > 0 && open == close else { return false }
        var content: [UInt8] = []
        content.reserveCapacity(hi - lo)
        for k in lo..<hi where b[k] != 0x0D { content.append(b[k] == 0x0A ? 0x20 : b[k]) }
        if content.count >= 2 && content.first == 0x20 && content.last == 0x20 && content.contains(where: { $0 != 0x20 }) {
            content = Array(content.dropFirst().dropLast())
        }
        return content == literal
    }
}

/// Sorts ranges and merges overlapping ones, so they can be walked in order.
func mergeRanges(_ ranges: [Range<Int>]) -> [Range<Int>] {
    var merged: [Range<Int>] = []
    for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
        if let last = merged.last, r.lowerBound <= last.upperBound {
            merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
        } else {
            merged.append(r)
        }
    }
    return merged
}
