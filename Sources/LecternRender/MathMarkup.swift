import Foundation
import LecternDocument

/// The math elements of a rendered page, and the splice that replaces them.
///
/// The renderers write each formula as `<span class="math inline">TeX</span>`,
/// `<span class="math display">` or `<div class="math display">`, the TeX
/// escaped; a formula from the prose also carries `data-at="N"`, the byte
/// offset of its TeX in the `.md` file, so that a TeX error can be reported at
/// its line and column. A formula in a cell's output or caption has no offset
/// and belongs to the cell whose `<figure class="cell" id="...">` encloses it.
/// After the build has typeset every formula, `splice` puts KaTeX's HTML (or
/// an error box) in place of each element; without KaTeX it leaves the
/// elements for the browser to render, minus the offsets.
public enum MathMarkup {
    /// One math element of a page.
    public struct Element: Sendable, Equatable {
        /// Byte range of the whole element in the page, tags included.
        public var range: Range<Int>
        public var tex: String
        public var display: Bool
        /// `div` (a block of its own) or `span`.
        public var block: Bool
        /// Byte offset of the TeX in the `.md` file (prose), or nil.
        public var sourceOffset: Int?
        /// The id of the cell figure the element lies in, or nil.
        public var cellAnchor: String?
    }

    /// What takes an element's place.
    public enum Replacement: Sendable, Equatable {
        /// KaTeX's HTML for the formula.
        case html(String)
        /// KaTeX refused the formula: the TeX and the message in a box.
        case error(String)
        /// Left for the browser: the element as written, without its offset.
        case browser
    }

    static let cellOpen = Array("<figure class=\"cell\" id=\"".utf8)
    static let openers: [(bytes: [UInt8], display: Bool, block: Bool)] = [
        (Array("<span class=\"math inline\"".utf8), false, false),
        (Array("<span class=\"math display\"".utf8), true, false),
        (Array("<div class=\"math display\"".utf8), true, true),
    ]
    static let dataAt = Array(" data-at=\"".utf8)

    /// Every math element of a page, in page order.
    public static func elements(in page: [UInt8]) -> [Element] {
        var out: [Element] = []
        var cell: String?
        var i = 0
        let n = page.count
        let lt = UInt8(ascii: "<")
        while i < n {
            guard page[i] == lt else { i += 1; continue }
            if starts(page, at: i, with: cellOpen) {
                let s = i + cellOpen.count
                var e = s
                while e < n && page[e] != UInt8(ascii: "\"") { e += 1 }
                cell = unescape(page[s..<e])
                i = e
                continue
            }
            if starts(page, at: i, with: Array("</figure>".utf8)) { cell = nil; i += 9; continue }
            guard let opener = openers.first(where: { starts(page, at: i, with: $0.bytes) }) else { i += 1; continue }
            var j = i + opener.bytes.count
            var offset: Int?
            if starts(page, at: j, with: dataAt) {
                j += dataAt.count
                var v = 0
                while j < n, page[j] >= 0x30, page[j] <= 0x39 { v = v * 10 + Int(page[j] - 0x30); j += 1 }
                offset = v
                j += 1  // the closing quote
            }
            guard j < n, page[j] == UInt8(ascii: ">") else { i += 1; continue }
            let contentStart = j + 1
            let close = Array((opener.block ? "</div>" : "</span>").utf8)
            var k = contentStart
            while k < n && page[k] != lt { k += 1 }
            guard starts(page, at: k, with: close) else { i = k; continue }
            out.append(Element(range: i..<(k + close.count), tex: unescape(page[contentStart..<k]),
                               display: opener.display, block: opener.block,
                               sourceOffset: offset, cellAnchor: offset == nil ? cell : nil))
            i = k + close.count
        }
        return out
    }

    /// The page with each element replaced (`replacements[i]` for `elements[i]`).
    public static func splice(_ page: [UInt8], _ elements: [Element], _ replacements: [Replacement]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(page.count * 3)
        var pos = 0
        for (e, r) in zip(elements, replacements) {
            out += page[pos..<e.range.lowerBound]
            let tag = e.block ? "div" : "span"
            let kind = e.display ? "display" : "inline"
            switch r {
            case .html(let html):
                out += Array("<\(tag) class=\"math \(kind)\">".utf8)
                out += Array(html.utf8)
                out += Array("</\(tag)>".utf8)
            case .error(let message):
                out += Array("<\(tag) class=\"math \(kind) math-error\" role=\"note\"><code>\(escapeHTML(e.tex))</code>".utf8)
                out += Array("<span class=\"math-message\">\(escapeHTML(message))</span></\(tag)>".utf8)
            case .browser:
                out += Array("<\(tag) class=\"math \(kind)\">\(escapeHTML(e.tex))</\(tag)>".utf8)
            }
            pos = e.range.upperBound
        }
        out += page[pos...]
        return out
    }

    static func starts(_ bytes: [UInt8], at i: Int, with prefix: [UInt8]) -> Bool {
        guard i + prefix.count <= bytes.count else { return false }
        for k in 0..<prefix.count where bytes[i + k] != prefix[k] { return false }
        return true
    }

    /// Undoes `escapeHTML` (`&amp;`, `&lt;`, `&gt;`, `&quot;`).
    static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        var s = String(decoding: bytes, as: UTF8.self)
        for (entity, ch) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&amp;", "&")] {
            s = s.replacingOccurrences(of: entity, with: ch)
        }
        return s
    }
}
