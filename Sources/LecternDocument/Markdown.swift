import CCmarkGFM
import Foundation

/// A Markdown block, converted from cmark-gfm's tree so that renderers never
/// touch C pointers. Positions are 1-based source lines.
public enum Block: Equatable, Sendable {
    case paragraph([Inline])
    /// A heading with its anchor, made unique when the tree is converted.
    case heading(Heading, content: [Inline])
    case blockQuote([Block])
    case list(ordered: Bool, start: Int, tight: Bool, items: [ListItem])
    /// A code block that is not a cell (any language but `swift`, or indented).
    case code(info: String, literal: String, lines: ClosedRange<Int>)
    /// A Swift cell; the index points into `Document.cells`.
    case cell(Int)
    case html(String)
    case thematicBreak
    case table(alignments: [TableAlignment], header: [[Inline]], rows: [[[Inline]]])
}

public struct ListItem: Equatable, Sendable {
    /// nil for an ordinary item; true/false for a task item (`- [x]`).
    public var task: Bool?
    public var blocks: [Block]
}

public enum TableAlignment: String, Equatable, Sendable { case none, left, center, right }

public enum Inline: Equatable, Sendable {
    case text(String)
    case softBreak
    case lineBreak
    case code(String)
    case html(String)
    case emphasis([Inline])
    case strong([Inline])
    case strikethrough([Inline])
    case link(destination: String, title: String, content: [Inline])
    case image(source: String, title: String, alt: [Inline])
    /// A math span; the index points into `Document.math`.
    case math(Int)
    /// An inline `{swift} ...` span; the index points into `Document.inlines`.
    case value(Int)
    /// A GFM footnote reference (`[^label]`): the note's number (1-based, in
    /// the order notes are first referenced; `Document.footnotes[number - 1]`)
    /// and which reference to that note this is (1 for the first).
    case footnoteReference(number: Int, occurrence: Int)
}

/// A GFM footnote definition that is referenced (cmark-gfm drops the others),
/// in the order of first reference.
public struct Footnote: Equatable, Sendable {
    /// The label as written (`[^label]:`), for the page's ids.
    public var label: String
    public var blocks: [Block]
    /// How many references the text makes to it (one back-link each).
    public var references: Int
}

extension Array where Element == Inline {
    /// Plain text of inlines (for heading anchors, alt text, titles): math
    /// as its TeX, an inline value as `value` gives it (nothing when nil),
    /// raw HTML as written when `html` is true (as cmark-gfm's alt text has it).
    public func plainText(math: [MathSpan] = [], html: Bool = false, value: (Int) -> String? = { _ in nil }) -> String {
        var s = ""
        for node in self {
            switch node {
            case .text(let t), .code(let t): s += t
            case .softBreak, .lineBreak: s += " "
            case .html(let h): if html { s += h }
            case .emphasis(let c), .strong(let c), .strikethrough(let c): s += c.plainText(math: math, html: html, value: value)
            case .link(_, _, let c), .image(_, _, let c): s += c.plainText(math: math, html: html, value: value)
            case .math(let i): if i < math.count { s += math[i].tex }
            case .value(let i): s += value(i) ?? ""
            case .footnoteReference(let number, _): s += String(number)
            }
        }
        return s
    }
}

/// Thin owner of a cmark-gfm parse.
final class CmarkTree {
    let root: OpaquePointer
    let parser: OpaquePointer

    static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    /// cmark-gfm keeps the characters that trigger inline extensions (`~`, `:`,
    /// `w`) in one table for the whole process and switches them on and off
    /// around the inline parsing in `cmark_parser_finish`, so two finishes that
    /// overlap take each other's autolinks and strikethrough away: the tool
    /// parses one lecture at a time, but `Document.parse` is public and the
    /// tests (run in parallel) parse on several threads at once.
    static let finishLock = NSLock()
    /// Registering the extensions is not safe to race either: once per process.
    static let registered: Bool = { cmark_gfm_core_extensions_ensure_registered(); return true }()

    init(_ bytes: [UInt8]) {
        _ = CmarkTree.registered
        let parser = cmark_parser_new(CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES)!
        for name in CmarkTree.extensionNames {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        self.parser = parser
        bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buf.count) { cmark_parser_feed(parser, $0, buf.count) }
            }
        }
        root = CmarkTree.finishLock.withLock { cmark_parser_finish(parser) }
    }

    deinit {
        cmark_node_free(root)
        cmark_parser_free(parser)
    }
}

/// A cmark node: the few accessors the tree converter needs, in Swift types.
struct CmarkNode {
    let ptr: OpaquePointer

    var kind: cmark_node_type { cmark_node_get_type(ptr) }
    /// The type's name; needed only for the extensions' nodes, whose integer
    /// types are assigned when the extensions register.
    var typeName: String { String(cString: cmark_node_get_type_string(ptr)) }
    /// A block type an extension registered (table, table row, table cell).
    var isExtensionBlock: Bool {
        kind.rawValue > CMARK_NODE_FOOTNOTE_DEFINITION.rawValue && kind.rawValue < CMARK_NODE_TEXT.rawValue
    }
    var firstChild: CmarkNode? { cmark_node_first_child(ptr).map(CmarkNode.init) }
    var next: CmarkNode? { cmark_node_next(ptr).map(CmarkNode.init) }
    var literal: String { cmark_node_get_literal(ptr).map { String(cString: $0) } ?? "" }
    var startLine: Int { Int(cmark_node_get_start_line(ptr)) }
    var startColumn: Int { Int(cmark_node_get_start_column(ptr)) }
    var endLine: Int { Int(cmark_node_get_end_line(ptr)) }
    var endColumn: Int { Int(cmark_node_get_end_column(ptr)) }
    var fenceInfo: String { cmark_node_get_fence_info(ptr).map { String(cString: $0) } ?? "" }
    var isFenced: Bool {
        var length: Int32 = 0, offset: Int32 = 0
        var ch: CChar = 0
        return cmark_node_get_fenced(ptr, &length, &offset, &ch) != 0
    }
    var url: String { cmark_node_get_url(ptr).map { String(cString: $0) } ?? "" }
    var title: String { cmark_node_get_title(ptr).map { String(cString: $0) } ?? "" }
}
