import CCmarkGFM

/// Finds the source bytes of inline nodes from the first parse whose content
/// math must not be looked for in. cmark's inline positions can be off by a
/// few columns (on a lazy continuation line it adds the list's indentation;
/// an extended autolink starts one early), so each position is checked
/// against the bytes and, when they do not match, the nearest match on the
/// same line is taken.
struct InlineLocator {
    let source: SourceText
    init(_ source: SourceText) { self.source = source }

    var bytes: [UInt8] { source.bytes }

    /// The offset nearest to `offset` on `line` where `needle` starts (ties: the earlier one).
    func nearest(_ needle: ArraySlice<UInt8>, to offset: Int, line: Int) -> Int? {
        guard !needle.isEmpty else { return nil }
        let lo = source.lineStart(line), hi = source.lineEnd(line)
        func at(_ k: Int) -> Bool {
            k >= lo && k + needle.count <= bytes.count && bytes[k..<(k + needle.count)].elementsEqual(needle)
        }
        var d = 0
        while offset - d >= lo || offset + d < hi {
            if at(offset - d) { return offset - d }
            if at(offset + d) { return offset + d }
            d += 1
        }
        return nil
    }

    /// The bytes of a node whose literal is its source text (raw inline HTML).
    func literal(_ literal: String, near n: CmarkNode) -> Range<Int>? {
        let lit = Array(literal.utf8)
        guard n.startLine > 0, !lit.isEmpty else { return nil }
        let lines = lit.split(separator: 0x0A, omittingEmptySubsequences: false)
        guard let start = nearest(lines[0], to: source.offset(line: n.startLine, column: n.startColumn), line: n.startLine) else { return nil }
        if lines.count == 1 { return start..<(start + lit.count) }
        // Later lines lose their indentation in the literal: find the last one on the end line.
        let endLine = n.startLine + lines.count - 1
        let last = lines[lines.count - 1]
        guard let lastStart = nearest(last, to: source.offset(line: endLine, column: n.endColumn) - last.count + 1, line: endLine)
        else { return start..<source.lineEnd(endLine) }
        return start..<(lastStart + last.count)
    }

    /// For a link or image: its destination, title and label (everything
    /// after the text's closing bracket); for an autolink, all of it.
    /// An extended autolink (`http://...` in text) has no position: it is
    /// found by its text from `searchFrom` within the block `within`.
    func linkTail(_ n: CmarkNode, code: [Range<Int>], searchFrom: Int, within: Range<Int>) -> Range<Int>? {
        guard n.startLine > 0 else {
            guard let child = n.firstChild, cmark_node_get_type(child.ptr) == CMARK_NODE_TEXT else { return nil }
            let lit = Array(child.literal.utf8)
            guard !lit.isEmpty, searchFrom < within.upperBound else { return nil }
            var k = max(searchFrom, within.lowerBound)
            while k + lit.count <= within.upperBound {
                if bytes[k..<(k + lit.count)].elementsEqual(lit) { return k..<(k + lit.count) }
                k += 1
            }
            return nil
        }
        let reported = source.offset(line: n.startLine, column: n.startColumn)
        let open: [UInt8] = cmark_node_get_type(n.ptr) == CMARK_NODE_IMAGE ? [0x21, 0x5B] : [0x5B]
        if let start = nearest(open[...], to: reported, line: n.startLine),
           source.location(of: start).line == n.startLine, let close = closingBracket(start + open.count, code: code) {
            // The end: where cmark puts it, moved as the start was when on the same line.
            var reportedEnd = source.offset(line: n.endLine, column: n.endColumn)
            if n.endLine == n.startLine { reportedEnd -= reported - start }
            func isEnd(_ k: Int) -> Bool { k > close && k < bytes.count && (bytes[k] == 0x29 || bytes[k] == 0x5D) }
            var end = close + 1
            if isEnd(reportedEnd) {
                end = reportedEnd + 1
            } else if let e = nearest([0x29][...], to: reportedEnd, line: n.endLine), e > close {
                end = e + 1
            }
            return close..<end
        }
        // An autolink: `<...>`, or an extended one whose text is its source.
        var text = ""
        if let child = n.firstChild, cmark_node_get_type(child.ptr) == CMARK_NODE_TEXT { text = child.literal }
        guard !text.isEmpty else { return nil }
        let lit = Array(text.utf8)
        if let k = nearest([0x3C] + lit, to: reported, line: n.startLine) { return k..<(k + lit.count + 2) }
        if let k = nearest(lit[...], to: reported, line: n.startLine) { return k..<(k + lit.count) }
        return nil
    }

    /// The `]` that closes link text starting at `from`: brackets nest,
    /// backslash escapes and code spans do not count.
    func closingBracket(_ from: Int, code: [Range<Int>]) -> Int? {
        var depth = 0
        var k = from
        // The first code range ending after `from` (binary search: the list is sorted).
        var lo = 0, hi = code.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if code[mid].upperBound <= from { lo = mid + 1 } else { hi = mid }
        }
        var c = lo
        while k < bytes.count {
            if c < code.count && code[c].lowerBound <= k { k = max(k, code[c].upperBound); c += 1; continue }
            switch bytes[k] {
            case 0x5C: k += 2; continue
            case 0x5B: depth += 1
            case 0x5D:
                if depth == 0 { return k }
                depth -= 1
            case 0x0A where k + 1 < bytes.count && isBlank(line: source.location(of: k + 1).line): return nil
            default: break
            }
            k += 1
        }
        return nil
    }

    func isBlank(line: Int) -> Bool { source.lineText(line).allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" } }
}

/// Link reference definitions (`[label]: destination "title"`) leave no node
/// in cmark's tree, so they are found here: at the start of a paragraph, on
/// lines no block holds, and after another definition.
enum ReferenceDefinitions {
    static func ranges(_ source: SourceText, leafLines: [(first: Int, last: Int, paragraph: Bool)]) -> [Range<Int>] {
        var coveredBy = [Int](repeating: 0, count: source.lineCount + 2)  // 0 none, 1 other block, 2 paragraph start
        for l in leafLines where l.first >= 1 && l.last >= l.first {
            for line in l.first...min(l.last, source.lineCount) where coveredBy[line] == 0 { coveredBy[line] = 1 }
            if l.paragraph { coveredBy[l.first] = 2 }
        }
        var out: [Range<Int>] = []
        var line = 1
        var afterDefinition = false
        while line <= source.lineCount {
            let candidate = coveredBy[line] != 1 || afterDefinition
            if candidate, let last = definition(source, at: line) {
                out.append(labelStart(source, line)..<source.lineEnd(last))
                line = last + 1
                afterDefinition = true
                continue
            }
            afterDefinition = false
            line += 1
        }
        return out
    }

    /// The line's text after container markers (quotes, list markers) and up to three spaces.
    static func content(_ source: SourceText, _ line: Int) -> Substring {
        var t = source.lineText(line)
        while true {
            let before = t
            t = t.drop { $0 == " " || $0 == "\t" || $0 == ">" }
            let digits = t.prefix { $0.isASCII && $0.isNumber }
            let rest = t.dropFirst(digits.count)
            if let m = rest.first, (digits.isEmpty ? "-*+" : ".)").contains(m), rest.dropFirst().first == " " {
                t = rest.dropFirst()
            }
            if t == before { return t }
        }
    }

    static func labelStart(_ source: SourceText, _ line: Int) -> Int {
        source.lineStart(line) + source.lineText(line).utf8.count - content(source, line).utf8.count
    }

    /// The last line of a definition starting at `line`, or nil.
    static func definition(_ source: SourceText, at line: Int) -> Int? {
        let t = Array(content(source, line).utf8)
        guard t.first == 0x5B else { return nil }
        var k = 1
        var label = false
        while k < t.count && t[k] != 0x5D {
            if t[k] == 0x5B { return nil }
            if t[k] == 0x5C { k += 1 } else if t[k] != 0x20 && t[k] != 0x09 { label = true }
            k += 1
        }
        guard label, k + 1 < t.count, t[k + 1] == 0x3A else { return nil }
        var rest = t[(k + 2)...].drop { $0 == 0x20 || $0 == 0x09 }
        var last = line
        if rest.isEmpty {
            // The destination is on the next line.
            guard line + 1 <= source.lineCount else { return nil }
            last = line + 1
            rest = Array(content(source, last).utf8)[...].drop { $0 == 0x20 || $0 == 0x09 }
            if rest.isEmpty { return nil }
        }
        // Skip the destination; a title may follow and run over lines.
        let dest = rest.prefix { $0 != 0x20 && $0 != 0x09 }
        rest = rest.dropFirst(dest.count).drop { $0 == 0x20 || $0 == 0x09 }
        var title = Array(rest)
        if title.isEmpty, last + 1 <= source.lineCount {
            let next = Array(content(source, last + 1).utf8)
            if let f = next.first, f == 0x22 || f == 0x27 || f == 0x28 { title = next; last += 1 }
        }
        guard let open = title.first, open == 0x22 || open == 0x27 || open == 0x28 else { return last }
        let close: UInt8 = open == 0x28 ? 0x29 : open
        func closes(_ bytes: [UInt8], from: Int) -> Bool {
            var j = from
            while j < bytes.count {
                if bytes[j] == 0x5C { j += 2; continue }
                if bytes[j] == close { return true }
                j += 1
            }
            return false
        }
        if closes(title, from: 1) { return last }
        var l = last + 1
        while l <= source.lineCount {
            let b = Array(source.lineText(l).utf8)
            if b.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return last }  // no title after all
            if closes(b, from: 0) { return l }
            l += 1
        }
        return last
    }
}
