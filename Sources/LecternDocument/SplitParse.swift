import CCmarkGFM
import Dispatch

/// Parsing a long lecture on two cores.
///
/// cmark-gfm parses one document on one thread, and for a lecture of a megabyte
/// that is most of the build. A document cut at a line where nothing open can
/// continue gives, part by part, the same blocks as the whole: so the second
/// part is parsed on another thread while the first is parsed and converted.
/// The second part is fed with the first part's lines as empty lines, so every
/// line number cmark reports is the same as in the whole document.
enum SplitParse {
    /// Below this size one thread is quicker than handing work to a second.
    static let minimumBytes = 128 * 1024

    /// Parses the (masked) text and converts it to blocks; on two threads when
    /// it is at least `splitAbove` bytes long and has a cut point.
    static func parseAndBuild(_ masked: [UInt8], builder: inout Builder, splitAbove: Int) -> (blocks: [Block], split: Bool) {
        if masked.count >= splitAbove, let cut = cutPoint(masked, near: masked.count * 9 / 20) {
            // The second part parses on another core while this one parses and
            // converts the first (a little shorter, since it is converted first).
            let second = BackgroundParse(secondPart(masked, from: cut))
            var first: CmarkTree? = CmarkTree(Array(masked[..<cut]))
            second.firstFinished.signal()
            if firstPartIsClosed(first!, builder.source) {
                var blocks = builder.blocks(of: CmarkNode(ptr: first!.root))
                first = nil  // freed while the second part finishes
                blocks += builder.blocks(of: CmarkNode(ptr: second.wait().root))
                second.freeInBackground()
                return (blocks, true)
            }
            second.freeInBackground()
        }
        let tree = CmarkTree(masked)
        return (builder.blocks(of: CmarkNode(ptr: tree.root)), false)
    }

    /// Offset of a line at which the text can be cut, the one nearest to
    /// `target`; nil when there is none or the text has link reference or
    /// footnote definitions (which the whole document shares).
    ///
    /// A cut line follows a blank line and starts at column 0 with a character
    /// that opens a paragraph, heading or table (never a list or quote marker,
    /// an indent, a fence or HTML, which could continue what was before). So
    /// every list and quote is closed there, and only a top-level fence or HTML
    /// block that may hold blank lines (a comment, `<pre>`...) could still be
    /// open: cuts inside those are avoided here, and `firstPartIsClosed` checks
    /// the parse, so that a cut this scan misjudges costs time, not correctness.
    static func cutPoint(_ b: [UInt8], near target: Int) -> Int? {
        let n = b.count
        // `]:` anywhere may be a definition: keep such documents whole.
        var k = 0
        while k + 1 < n {
            if b[k] == UInt8(ascii: "]") && b[k + 1] == UInt8(ascii: ":") { return nil }
            k += 1
        }
        var best: Int?
        var lineStart = 0
        var previousBlank = true
        var fence: (char: UInt8, length: Int)?
        var htmlEnd: [UInt8]?  // the marker that closes an open multi-paragraph HTML block
        while lineStart < n {
            let lineEnd = CodeGuess.lineEndIncluding(b, lineStart)
            let blank = CodeGuess.lineIsBlank(b, lineStart)
            // Only blocks that start at column 0 are tracked: those are the
            // top-level ones, the only ones a column-0 line could still be in.
            let p = lineStart
            defer { previousBlank = blank; lineStart = lineEnd }
            if let open = fence {
                var q = p
                while q < lineEnd && b[q] == open.char { q += 1 }
                if q - p >= open.length && b[q..<lineEnd].allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }) {
                    fence = nil
                }
                continue
            }
            if let end = htmlEnd {
                if contains(b, lineStart..<lineEnd, end) { htmlEnd = nil }
                continue
            }
            if let f = CodeGuess.fenceRun(b, p, lineEnd) { fence = f; continue }
            if let end = multiParagraphHTMLEnd(b, p, lineEnd) {
                if !contains(b, (p + 2)..<lineEnd, end) { htmlEnd = end }
                continue
            }
            if previousBlank && p == lineStart && lineStart > 0 && opensParagraph(b, p, lineEnd) {
                if best.map({ abs($0 - target) > abs(lineStart - target) }) ?? true { best = lineStart }
                if lineStart > target { break }
            }
        }
        return best
    }

    /// A first byte that starts a paragraph, heading or table and continues nothing.
    static func opensParagraph(_ b: [UInt8], _ p: Int, _ lineEnd: Int) -> Bool {
        let c = b[p]
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), 0x80...0xFF,
             MathScanner.startMark, UInt8(ascii: "$"), UInt8(ascii: "\\"), UInt8(ascii: "#"), UInt8(ascii: "|"),
             UInt8(ascii: "("), UInt8(ascii: "!"):
            return true
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            var q = p
            while q < lineEnd && b[q] >= 0x30 && b[q] <= 0x39 { q += 1 }
            return !(q < lineEnd && (b[q] == UInt8(ascii: ".") || b[q] == UInt8(ascii: ")")))
        default:
            return false
        }
    }

    /// For an HTML block that can hold blank lines (CommonMark types 1 to 5),
    /// the text that ends it.
    static func multiParagraphHTMLEnd(_ b: [UInt8], _ p: Int, _ lineEnd: Int) -> [UInt8]? {
        guard p + 1 < lineEnd, b[p] == CodeGuess.lt else { return nil }
        func starts(_ s: String) -> Bool {
            let u = Array(s.utf8)
            guard p + u.count <= lineEnd else { return false }
            for (i, c) in u.enumerated() where (b[p + i] | (c >= 0x61 ? 0x20 : 0)) != c { return false }
            return true
        }
        if starts("<!--") { return Array("-->".utf8) }
        if starts("<![CDATA[") { return Array("]]>".utf8) }
        if starts("<?") { return Array("?>".utf8) }
        if starts("<!") { return Array(">".utf8) }
        for tag in ["script", "pre", "style", "textarea"] where starts("<" + tag) {
            return Array("</\(tag)>".utf8)
        }
        return nil
    }

    static func contains(_ b: [UInt8], _ r: Range<Int>, _ needle: [UInt8]) -> Bool {
        guard r.count >= needle.count else { return false }
        var k = r.lowerBound
        while k + needle.count <= r.upperBound {
            var i = 0
            // ASCII case-insensitive, for closing tags.
            while i < needle.count && (b[k + i] | (needle[i] >= 0x61 ? 0x20 : 0)) == needle[i] { i += 1 }
            if i == needle.count { return true }
            k += 1
        }
        return false
    }

    /// Whether the first part's parse ended with everything closed: no block on
    /// its last path (last child of last child...) is a fence or an HTML block
    /// that may hold blank lines and ran to the end of the part. In the whole
    /// document a top-level one would run on; a nested one would end at the
    /// cut line, which cmark counts into its lines.
    static func firstPartIsClosed(_ tree: CmarkTree, _ source: SourceText) -> Bool {
        var node = cmark_node_last_child(tree.root).map(CmarkNode.init)
        while let last = node {
            if !isClosed(last, source) { return false }
            node = cmark_node_last_child(last.ptr).map(CmarkNode.init)
        }
        return true
    }

    static func isClosed(_ last: CmarkNode, _ source: SourceText) -> Bool {
        switch last.kind {
        case CMARK_NODE_CODE_BLOCK:
            return !last.isFenced || Builder.fenceIsClosed(last, source)
        case CMARK_NODE_HTML_BLOCK:
            let lineStart = source.lineStart(last.startLine), lineEnd = source.lineEnd(last.startLine)
            guard let lt = source.bytes[lineStart..<lineEnd].firstIndex(of: CodeGuess.lt),
                  let end = multiParagraphHTMLEnd(source.bytes, lt, lineEnd) else { return true }
            let lastLine = source.lineStart(last.endLine)..<source.lineEnd(last.endLine)
            let from = last.endLine == last.startLine ? min(lt + 2, lastLine.upperBound) : lastLine.lowerBound
            return contains(source.bytes, from..<lastLine.upperBound, end)
        default:
            return true
        }
    }

    /// The second part's input: the first part's lines as empty lines, then the rest.
    static func secondPart(_ b: [UInt8], from cut: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0x0A, count: b[..<cut].reduce(0) { $1 == 0x0A ? $0 + 1 : $0 })
        out += b[cut...]
        return out
    }
}

/// A cmark parse running on another thread.
final class BackgroundParse: @unchecked Sendable {
    private var tree: CmarkTree?
    private let done = DispatchSemaphore(value: 0)
    /// Signalled by the caller once its own parse has finished (see `init`).
    let firstFinished = DispatchSemaphore(value: 0)

    /// Starts parsing `bytes`. Block parsing runs at once; inline parsing waits
    /// for `firstFinished`, since finishes take turns (`CmarkTree.finishLock`)
    /// and the first part's should come first: its blocks are converted while
    /// this one finishes.
    init(_ bytes: [UInt8]) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            tree = CmarkTree(bytes, before: { firstFinished.wait() })
            done.signal()
        }
    }

    /// The tree, once the parse has finished.
    func wait() -> CmarkTree {
        done.wait()
        done.signal()  // stays finished for later callers
        return tree!
    }

    /// Frees the tree on another thread once the caller is done with it: its
    /// nodes came from that side's allocator arena, so freeing there does not
    /// hold up the caller's allocations.
    func freeInBackground() {
        _ = wait()
        DispatchQueue.global(qos: .utility).async { [self] in tree = nil }
    }
}
