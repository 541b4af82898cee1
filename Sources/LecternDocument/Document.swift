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
    /// The referenced footnotes, numbered from 1 in the order of first reference.
    public var footnotes: [Footnote] = []
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

extension Heading {
    /// GitHub's anchor for a heading's text: lower case, letters, digits, `-`
    /// and `_` kept, spaces to hyphens, the rest dropped; a repeat gets `-1`,
    /// `-2`, ... (`counts` remembers the anchors given so far).
    static func uniqueAnchor(_ text: String, counts: inout [String: Int]) -> String {
        var base = ""
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber || ch == "-" || ch == "_" { base.append(ch) }
            else if ch == " " { base.append("-") }
        }
        if base.isEmpty { base = "section" }
        let n = counts[base, default: 0]
        counts[base] = n + 1
        return n == 0 ? base : "\(base)-\(n)"
    }
}

extension Document {
    /// The document with each heading's text and anchor made from the text
    /// the page shows, inline values included (`value` gives an inline
    /// value's text, nil when it has none). Unchanged when no heading holds a value.
    public func withHeadingValues(_ value: (Int) -> String?) -> Document {
        func hasValue(_ inlines: [Inline]) -> Bool {
            inlines.contains {
                switch $0 {
                case .value: return true
                case .emphasis(let c), .strong(let c), .strikethrough(let c), .link(_, _, let c), .image(_, _, let c): return hasValue(c)
                default: return false
                }
            }
        }
        guard !headings.isEmpty else { return self }
        var any = false
        func scan(_ blocks: [Block]) {
            for b in blocks {
                switch b {
                case .heading(_, let content): if hasValue(content) { any = true }
                case .blockQuote(let inner): scan(inner)
                case .list(_, _, _, let items): items.forEach { scan($0.blocks) }
                default: break
                }
            }
        }
        scan(blocks)
        footnotes.forEach { scan($0.blocks) }
        guard any else { return self }
        var counts: [String: Int] = [:]
        var newHeadings: [Heading] = []
        func rewrite(_ blocks: [Block]) -> [Block] {
            blocks.map { b in
                switch b {
                case .heading(var h, let content):
                    h.text = content.plainText(math: math, value: value)
                    h.anchor = Heading.uniqueAnchor(h.text, counts: &counts)
                    newHeadings.append(h)
                    return .heading(h, content: content)
                case .blockQuote(let inner): return .blockQuote(rewrite(inner))
                case .list(let o, let s, let t, let items):
                    return .list(ordered: o, start: s, tight: t, items: items.map { ListItem(task: $0.task, blocks: rewrite($0.blocks)) })
                default: return b
                }
            }
        }
        var doc = self
        doc.blocks = rewrite(blocks)
        doc.footnotes = footnotes.map { Footnote(label: $0.label, blocks: rewrite($0.blocks), references: $0.references) }
        doc.headings = newHeadings
        return doc
    }

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

        // Pass 1: where code and HTML blocks are, so math is not looked for there.
        // All extensions take part: tables cut rows at pipes before code spans
        // are paired, and an autolink can swallow backticks.
        let excluded = excludedRanges(CmarkTree(body), parsed: body, source)
        let (math, mathDiags) = MathScanner.scan(body, excluded: excluded, path: path, source: source)
        // Pass 2: the real parse, with math masked.
        let masked = MathScanner.mask(body, math)
        var converter = TreeConverter(source: source, parsed: masked, math: math)
        let blocks = converter.blocks(of: CmarkTree(masked))
        diags += mathDiags + converter.diagnostics

        var doc = Document(source: source, frontMatter: fm, slug: slug, order: fm.order ?? number,
                           blocks: blocks, cells: converter.cells, inlines: converter.inlines, math: math,
                           headings: converter.headings, diagnostics: [],
                           verbatimRanges: mergeRanges(mergeRanges((fm.lineCount > 0 ? [0..<source.lineEnd(fm.lineCount)] : [])
                                                       + excluded.hard + excluded.code), math.map(\.range)))
        doc.footnotes = converter.footnotes
        diags += doc.checkIds()
        doc.diagnostics = diags.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        return doc
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

    /// Where math is not looked for, from the first parse: code and HTML
    /// blocks, code spans, raw inline HTML, autolinks, the destination and
    /// title of every link and image, and reference definitions. Code spans
    /// and raw inline HTML are `code`: math that starts before them takes them in.
    static func excludedRanges(_ tree: CmarkTree, parsed: [UInt8], _ source: SourceText) -> MathScanner.Exclusions {
        var hard: [Range<Int>] = []
        var code: [Range<Int>] = []
        var spans = CodeSpanLocator(parsed: parsed, source: source)
        var leafLines: [(first: Int, last: Int, paragraph: Bool)] = []
        // The block whose inlines are being visited, and how far into it links were found.
        var block = 0..<0
        var cursor = 0
        // cmark's own iterator and integer node types: this pass visits every
        // node of the document and only needs a few kinds.
        // The tree must outlive the walk over its nodes.
        defer { withExtendedLifetime(tree) {} }
        let iter = cmark_iter_new(tree.root)
        defer { cmark_iter_free(iter) }
        while case let event = cmark_iter_next(iter), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let ptr = cmark_iter_get_node(iter) else { continue }
            let type = cmark_node_get_type(ptr)
            let n = CmarkNode(ptr: ptr)
            if type == CMARK_NODE_CODE_BLOCK || type == CMARK_NODE_HTML_BLOCK {
                hard.append(source.lineStart(n.startLine)..<source.lineEnd(n.endLine))
                leafLines.append((n.startLine, n.endLine, false))
            } else if type == CMARK_NODE_CODE {
                code.append(spans.locate(n, literal: n.literal))
            } else if type == CMARK_NODE_HTML_INLINE {
                if let r = InlineLocator(source).literal(n.literal, near: n) { code.append(r); cursor = max(cursor, r.upperBound) }
            } else if type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE {
                if let r = InlineLocator(source).linkTail(n, code: code, searchFrom: cursor, within: block) {
                    hard.append(r)
                    cursor = max(cursor, r.upperBound)
                }
            } else if type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING
                        || (n.isExtensionBlock && n.typeName == "table") {
                spans.enter(n)
                var b = n
                while b.startLine == 0, let parent = cmark_node_parent(b.ptr) { b = CmarkNode(ptr: parent) }
                block = source.lineStart(b.startLine)..<source.lineEnd(max(b.endLine, b.startLine))
                cursor = block.lowerBound
                if n.startLine > 0 { leafLines.append((n.startLine, max(n.endLine, n.startLine), type == CMARK_NODE_PARAGRAPH)) }
            } else if type == CMARK_NODE_THEMATIC_BREAK {
                leafLines.append((n.startLine, n.startLine, false))
            }
        }
        hard += ReferenceDefinitions.ranges(source, leafLines: leafLines)
        return MathScanner.Exclusions(hard: hard, code: code)
    }
}

/// Sorts ranges and merges overlapping ones, so they can be walked in order.
func mergeRanges(_ ranges: [Range<Int>]) -> [Range<Int>] {
    // Usually in order already (document order): sort only when not.
    var sorted = ranges
    if zip(ranges, ranges.dropFirst()).contains(where: { $0.lowerBound > $1.lowerBound }) {
        sorted.sort { $0.lowerBound < $1.lowerBound }
    }
    var merged: [Range<Int>] = []
    merged.reserveCapacity(sorted.count)
    for r in sorted {
        if let last = merged.last, r.lowerBound <= last.upperBound {
            merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
        } else {
            merged.append(r)
        }
    }
    return merged
}

/// Merges two sorted lists of ranges into one, overlapping ones joined.
func mergeRanges(_ a: [Range<Int>], _ b: [Range<Int>]) -> [Range<Int>] {
    var all: [Range<Int>] = []
    all.reserveCapacity(a.count + b.count)
    var i = 0, j = 0
    while i < a.count || j < b.count {
        if j == b.count || (i < a.count && a[i].lowerBound <= b[j].lowerBound) { all.append(a[i]); i += 1 }
        else { all.append(b[j]); j += 1 }
    }
    return mergeRanges(all)
}
