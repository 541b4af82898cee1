import CCmarkGFM
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Converts cmark's tree into `Block`s, collecting cells, inline values and
/// headings (each heading's anchor made unique here, once).
///
/// It visits every node of the document, so it walks siblings through cmark's
/// pointers and dispatches on integer node types; only the extensions' nodes
/// (tables, strikethrough, task items) are told apart by name.
struct TreeConverter {
    let source: SourceText
    let math: [MathSpan]
    var cells: [Cell] = []
    var inlines: [InlineCode] = []
    var headings: [Heading] = []
    var footnotes: [Footnote] = []
    /// References made so far to each note, by number.
    var footnoteReferences: [Int: Int] = [:]
    var diagnostics: [Diagnostic] = []
    var anchorCounts: [String: Int] = [:]
    var codeSpans: CodeSpanLocator
    /// Math spans are matched to masked runs in order; see `text(_:into:)`.
    var mathCursor = 0
    var pendingFill = 0
    var awaitingMathEnd = false
    let fillCounts: [Int]

    /// `parsed` is the text cmark parsed: the source with front matter blanked
    /// and math masked (code literals come from it).
    init(source: SourceText, parsed: [UInt8], math: [MathSpan]) {
        self.source = source
        self.codeSpans = CodeSpanLocator(parsed: parsed, source: source)
        self.math = math
        self.fillCounts = math.map { MathScanner.fillCount(source.bytes, $0.range) }
    }

    var path: String { source.path }

    /// The blocks of a parsed document.
    mutating func blocks(of tree: CmarkTree) -> [Block] {
        withExtendedLifetime(tree) { blocks(of: CmarkNode(ptr: tree.root)) }
    }

    /// The blocks among `parent`'s children.
    mutating func blocks(of parent: CmarkNode) -> [Block] {
        var out: [Block] = []
        var next = parent.firstChild
        while let n = next {
            next = n.next
            switch n.kind {
            case CMARK_NODE_PARAGRAPH:
                codeSpans.enter(n)
                out.append(.paragraph(inlineContent(of: n)))
            case CMARK_NODE_HEADING:
                codeSpans.enter(n)
                let level = Int(cmark_node_get_heading_level(n.ptr))
                let content = inlineContent(of: n)
                let text = content.plainText(math: math)
                let heading = Heading(level: level, text: text, anchor: uniqueAnchor(text), line: n.startLine)
                headings.append(heading)
                out.append(.heading(heading, content: content))
            case CMARK_NODE_BLOCK_QUOTE: out.append(.blockQuote(blocks(of: n)))
            case CMARK_NODE_LIST:
                let ordered = cmark_node_get_list_type(n.ptr) == CMARK_ORDERED_LIST
                let start = Int(cmark_node_get_list_start(n.ptr))
                let tight = cmark_node_get_list_tight(n.ptr) != 0
                var items: [ListItem] = []
                var item = n.firstChild
                while let i = item {
                    var task: Bool?
                    if cmark_node_get_syntax_extension(i.ptr) != nil && i.typeName == "tasklist" {
                        task = cmark_gfm_extensions_get_tasklist_item_checked(i.ptr)
                    }
                    items.append(ListItem(task: task, blocks: blocks(of: i)))
                    item = i.next
                }
                out.append(.list(ordered: ordered, start: start, tight: tight, items: items))
            case CMARK_NODE_CODE_BLOCK:
                let info = n.fenceInfo
                let lang = firstWord(info)
                checkClosed(n)
                if n.isFenced && lang == "swift", let refusal = unsupportedPlace(n) {
                    diagnostics.append(Diagnostic(.error, file: path, line: n.startLine, column: 1, refusal))
                    out.append(.code(info: info, literal: n.literal, lines: n.startLine...max(n.startLine, n.endLine)))
                } else if n.isFenced && lang == "swift" {
                    var cell = makeCell(n, info: info)
                    if let o = next, o.kind == CMARK_NODE_CODE_BLOCK, o.isFenced, firstWord(o.fenceInfo) == "output" {
                        cell.expected = outputBlock(o)
                        next = o.next
                    }
                    cells.append(cell)
                    out.append(.cell(cell.index))
                } else {
                    if n.isFenced && lang == "output" {
                        diagnostics.append(Diagnostic(.warning, file: path, line: n.startLine, column: 1,
                                                      "an 'output' block must follow a swift cell directly; this one is shown as code"))
                    }
                    out.append(.code(info: info, literal: n.literal, lines: n.startLine...max(n.startLine, n.endLine)))
                }
            case CMARK_NODE_HTML_BLOCK:
                out.append(.html(n.literal))
            case CMARK_NODE_THEMATIC_BREAK: out.append(.thematicBreak)
            case CMARK_NODE_FOOTNOTE_DEFINITION:
                // cmark-gfm puts the referenced definitions last, in the order of first reference.
                let blocks = blocks(of: n)
                footnotes.append(Footnote(label: footnoteLabel(n), blocks: blocks,
                                          references: footnoteReferences[footnotes.count + 1] ?? 0))
            default:
                if n.typeName == "table" {
                    out.append(table(n))
                } else {
                    // Footnote definitions and other rare blocks: keep their content.
                    out += blocks(of: n)
                }
            }
        }
        return out
    }

    /// A definition's label, from its first line (`[^label]:`): cmark-gfm
    /// keeps it in the node but has no function that returns it.
    func footnoteLabel(_ n: CmarkNode) -> String {
        let line = source.lineText(n.startLine)
        guard let open = line.firstRange(of: "[^") else { return "" }
        let rest = line[open.upperBound...]
        var label = ""
        var escaped = false
        for ch in rest {
            if !escaped && ch == "]" { break }
            escaped = !escaped && ch == "\\"
            label.append(ch)
        }
        return label
    }

    func firstWord(_ info: String) -> String {
        info.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "{" }).first.map(String.init) ?? ""
    }

    mutating func checkClosed(_ n: CmarkNode) {
        guard n.isFenced, !fenceIsClosed(n) else { return }
        diagnostics.append(Diagnostic(.warning, file: path, line: n.startLine, column: 1,
                                      "code fence is never closed; it runs to the end of the file"))
    }

    /// Whether a fenced code block ends with a closing fence (rather than at the
    /// end of the file or of its list item or quote). The fence lines may sit
    /// behind quote markers and, for the opening line, a list marker.
    func fenceIsClosed(_ n: CmarkNode) -> Bool {
        let open = source.lineText(n.startLine).drop { " \t>-*+.)".contains($0) || $0.isASCII && $0.isNumber }
        guard let fenceChar = open.first else { return false }
        let length = open.prefix { $0 == fenceChar }.count
        let closing = source.lineText(n.endLine).drop { $0 == " " || $0 == "\t" || $0 == ">" }.trimmed
        return n.endLine > n.startLine && closing.count >= length && closing.allSatisfy { $0 == fenceChar }
    }

    /// Why a `swift` fence cannot be a cell where it stands, or nil. A cell's
    /// Markdown and `--update` keep the fence line's indentation and quote
    /// markers on every line; a list item's marker on the fence line itself
    /// would have to become spaces below it, which neither does.
    func unsupportedPlace(_ n: CmarkNode) -> String? {
        let lead = source.lineText(n.startLine).drop { $0 == " " || $0 == "\t" || $0 == ">" }
        let marker = lead.prefix { $0.isASCII && $0.isNumber }
        let rest = lead.dropFirst(marker.count)
        if let m = rest.first, (marker.isEmpty ? "-*+" : ".)").contains(m), rest.dropFirst().first == " " {
            return "a swift cell on a list item's marker line is not supported; put the fence on its own line, indented under the item (it is shown as code and not run)"
        }
        return nil
    }

    mutating func makeCell(_ n: CmarkNode, info: String) -> Cell {
        // Locate the info string in the fence line to give attribute errors a column.
        let lineText = String(source.lineText(n.startLine))
        var col = 1
        let lb = Array(lineText.utf8)
        var p = 0
        // Indentation and block-quote markers stand before the fence.
        while p < lb.count && (lb[p] == 0x20 || lb[p] == 0x09 || lb[p] == 0x3E) { p += 1 }
        let fc = p < lb.count ? lb[p] : 0
        while p < lb.count && lb[p] == fc { p += 1 }
        while p < lb.count && (lb[p] == 0x20 || lb[p] == 0x09) { p += 1 }
        p += 5  // "swift"
        col = p + 1
        let afterLang = String(decoding: lb[min(p, lb.count)...], as: UTF8.self)
        let attrs = AttributeParser.parse(afterLang, file: path, line: n.startLine, column: col)
        diagnostics += attrs.diagnostics
        let end = max(n.endLine, n.startLine)
        return Cell(index: cells.count, id: attrs.id, options: attrs.options, code: n.literal,
                    fenceLine: n.startLine, endLine: end,
                    range: source.lineStart(n.startLine)..<source.lineEnd(end), expected: nil)
    }

    func outputBlock(_ n: CmarkNode) -> OutputBlock {
        let end = max(n.endLine, n.startLine)
        let closed = end > n.startLine && {
            let t = source.lineText(end).trimmed
            return !t.isEmpty && (t.allSatisfy { $0 == "`" } || t.allSatisfy { $0 == "~" })
        }()
        let contentEnd = closed ? source.lineStart(end) : source.lineEnd(end)
        return OutputBlock(text: n.literal, fenceLine: n.startLine, endLine: end,
                           range: source.lineStart(n.startLine)..<source.lineEnd(end),
                           contentRange: source.lineEnd(n.startLine)..<max(contentEnd, source.lineEnd(n.startLine)))
    }

    mutating func table(_ n: CmarkNode) -> Block {
        codeSpans.enter(n)
        let count = Int(cmark_gfm_extensions_get_table_columns(n.ptr))
        var aligns: [TableAlignment] = []
        if let a = cmark_gfm_extensions_get_table_alignments(n.ptr) {
            for k in 0..<count {
                switch UInt8(a[k]) {
                case UInt8(ascii: "l"): aligns.append(.left)
                case UInt8(ascii: "c"): aligns.append(.center)
                case UInt8(ascii: "r"): aligns.append(.right)
                default: aligns.append(.none)
                }
            }
        }
        var header: [[Inline]] = []
        var rows: [[[Inline]]] = []
        var row = n.firstChild
        while let r = row {
            var cells: [[Inline]] = []
            var cell = r.firstChild
            while let c = cell { cells.append(inlineContent(of: c)); cell = c.next }
            if cmark_gfm_extensions_get_table_row_is_header(r.ptr) != 0 { header = cells } else { rows.append(cells) }
            row = r.next
        }
        return .table(alignments: aligns, header: header, rows: rows)
    }

    mutating func uniqueAnchor(_ text: String) -> String { Heading.uniqueAnchor(text, counts: &anchorCounts) }

    /// The inlines among `parent`'s children, adjacent text runs merged.
    mutating func inlineContent(of parent: CmarkNode) -> [Inline] {
        var out: [Inline] = []
        appendInlineContent(of: parent, into: &out)
        return out
    }

    mutating func appendInlineContent(of parent: CmarkNode, into out: inout [Inline]) {
        var next = parent.firstChild
        while let n = next {
            next = n.next
            switch n.kind {
            case CMARK_NODE_TEXT: text(n, into: &out)
            case CMARK_NODE_SOFTBREAK: if !inMathSpan { out.append(.softBreak) }
            case CMARK_NODE_LINEBREAK: if !inMathSpan { out.append(.lineBreak) }
            case CMARK_NODE_CODE:
                pendingFill = 0
                awaitingMathEnd = false
                let lit = n.literal
                let range = codeSpans.locate(n, literal: lit)
                if lit.hasPrefix("{swift}") {
                    out.append(.value(inlineValue(n, range: range, body: String(lit.dropFirst(7)))))
                } else {
                    out.append(.code(lit))
                }
            case CMARK_NODE_HTML_INLINE: out.append(.html(n.literal))
            case CMARK_NODE_FOOTNOTE_REFERENCE:
                // Its literal is the note's number.
                if let number = Int(n.literal), number > 0 {
                    let occurrence = footnoteReferences[number, default: 0] + 1
                    footnoteReferences[number] = occurrence
                    out.append(.footnoteReference(number: number, occurrence: occurrence))
                }
            case CMARK_NODE_EMPH: out.append(.emphasis(inlineContent(of: n)))
            case CMARK_NODE_STRONG: out.append(.strong(inlineContent(of: n)))
            case CMARK_NODE_LINK: out.append(.link(destination: n.url, title: n.title, content: inlineContent(of: n)))
            case CMARK_NODE_IMAGE: out.append(.image(source: n.url, title: n.title, alt: inlineContent(of: n)))
            default:
                if n.typeName == "strikethrough" {
                    out.append(.strikethrough(inlineContent(of: n)))
                } else {
                    appendInlineContent(of: n, into: &out)
                }
            }
        }
    }

    /// Appends text, merged with a text run before it.
    func appendText(_ t: String, to out: inout [Inline]) {
        if case .text(let prev)? = out.last {
            out[out.count - 1] = .text(prev + t)
        } else {
            out.append(.text(t))
        }
    }

    /// Whether the text being converted is inside a masked math span.
    var inMathSpan: Bool { pendingFill > 0 || awaitingMathEnd }

    /// Splits a text node at masked math spans and puts the spans back. A
    /// mask is `$`, the span's fill bytes (a line break and indentation may
    /// come between them, even other text nodes) and `$`; an author's `$` is
    /// never followed by a fill byte.
    mutating func text(_ n: CmarkNode, into out: inout [Inline]) {
        guard let cString = cmark_node_get_literal(n.ptr) else { return }
        let lit = UnsafeBufferPointer(start: UnsafeRawPointer(cString).assumingMemoryBound(to: UInt8.self),
                                      count: strlen(cString))
        guard inMathSpan || lit.contains(MathScanner.fillMark) else {
            appendText(String(decoding: lit, as: UTF8.self), to: &out)
            return
        }
        var runStart = 0
        func flush(_ end: Int) {
            if end > runStart { appendText(String(decoding: UnsafeBufferPointer(rebasing: lit[runStart..<end]), as: UTF8.self), to: &out) }
        }
        var k = 0
        while k < lit.count {
            let b = lit[k]
            if pendingFill > 0 && b == MathScanner.fillMark {
                pendingFill -= 1
                if pendingFill == 0 { awaitingMathEnd = true }
                k += 1
                runStart = k
                continue
            }
            if awaitingMathEnd && b == MathScanner.edgeMark {
                awaitingMathEnd = false
                k += 1
                runStart = k
                continue
            }
            pendingFill = 0
            awaitingMathEnd = false
            if b == MathScanner.edgeMark && k + 1 < lit.count && lit[k + 1] == MathScanner.fillMark && mathCursor < math.count {
                flush(k)
                out.append(.math(mathCursor))
                pendingFill = fillCounts[mathCursor]
                mathCursor += 1
                k += 1
                runStart = k
                continue
            }
            if b == MathScanner.fillMark {
                // A fill byte outside a span (the author's own 0x01): dropped, like any mask byte.
                flush(k)
                runStart = k + 1
            }
            k += 1
        }
        flush(lit.count)
    }

    mutating func inlineValue(_ n: CmarkNode, range: Range<Int>, body: String) -> Int {
        let (expr, claim) = InlineParser.split(body)
        // The content's position, from the located range (see CodeSpanLocator).
        var contentStart = range.lowerBound
        while contentStart < range.upperBound && source.bytes[contentStart] == CodeSpanLocator.tick { contentStart += 1 }
        let (line, column) = source.location(of: contentStart)
        if expr.isEmpty {
            diagnostics.append(Diagnostic(.error, file: path, line: line, column: column, "inline {swift} span has no expression"))
        }
        let index = inlines.count
        inlines.append(InlineCode(index: index, expression: expr, claim: claim, line: line, column: column,
                                  range: range))
        return index
    }
}
