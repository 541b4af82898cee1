/// The course's search index, written with the pages: one small script per
/// lecture (`assets/search/<slug>.js`) holding the text of each section as the
/// page shows it, and `assets/search/index.js` listing the lectures. They are
/// scripts assigning to a global, not JSON, so that they load from `file://`,
/// where `fetch` is refused. `site.js` loads them when the search box is first
/// used and indexes them with lunr.js (`assets/lunr.min.js`) in the browser.
public enum SearchIndex {
    /// A part of a page: the text under one heading (up to the next level-2 or -3 heading).
    public struct Section: Equatable, Sendable {
        /// The heading's anchor ("" for the text before the first heading).
        public var anchor: String
        public var heading: String
        public var text: String
    }

    /// Path of a lecture's index file, relative to `Output/`.
    public static func path(slug: String) -> String { "assets/search/\(slug).js" }
    /// Path of the list of lectures.
    public static let coursePath = "assets/search/index.js"

    /// The sections of a rendered page body. Kept: prose, headings, captions,
    /// table text, printed output and computed values as the page shows them.
    /// Left out: cell source, SVG drawings, TeX, heading anchors.
    public static func sections(body: String) -> [Section] {
        var sections: [(anchor: String, heading: [UInt8], text: [UInt8])] = [("", [], [])]
        var inHeading = false
        var skipName: ArraySlice<UInt8> = [], skipDepth = 0
        let s = Array(body.utf8)
        var out: [UInt8] = []  // text of the current section or heading
        out.reserveCapacity(4096)
        func put(_ b: UInt8) {
            // White space collapsed as it comes.
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D {
                if let last = out.last, last != 0x20 { out.append(0x20) }
            } else {
                out.append(b)
            }
        }
        func endPart() {
            if inHeading { sections[sections.count - 1].heading = out } else { sections[sections.count - 1].text = out }
            out = []
        }
        var i = 0
        let n = s.count
        while i < n {
            let c = s[i]
            if c == 0x3C {  // <
                guard let close = s[i...].firstIndex(of: 0x3E) else { break }
                let tag = s[(i + 1)..<close]
                i = close + 1
                let closing = tag.first == 0x2F
                let nameStart = closing ? tag.startIndex + 1 : tag.startIndex
                var nameEnd = nameStart
                while nameEnd < tag.endIndex, isAlnum(tag[nameEnd]) { nameEnd += 1 }
                let name = tag[nameStart..<nameEnd]
                let selfClosing = tag.last == 0x2F
                if skipDepth > 0 {
                    if name.elementsEqual(skipName) {
                        if closing { skipDepth -= 1 } else if !selfClosing { skipDepth += 1 }
                    }
                    continue
                }
                if closing {
                    if inHeading && (name.elementsEqual("h2".utf8) || name.elementsEqual("h3".utf8)) {
                        endPart()
                        inHeading = false
                    } else if isBlock(name) {
                        put(0x20)
                    }
                    continue
                }
                let skipped = name.elementsEqual("svg".utf8) || name.elementsEqual("script".utf8)
                    || name.elementsEqual("style".utf8) || name.elementsEqual("annotation".utf8)
                    // An explorable page's other variants: the index holds what the page shows.
                    || name.elementsEqual("template".utf8)
                    || (name.elementsEqual("pre".utf8) && contains(tag, classCode))
                    || contains(tag, classMath) || contains(tag, classMathML) || contains(tag, classAnchor)
                if skipped {
                    if !selfClosing { skipName = name; skipDepth = 1 }
                    continue
                }
                if name.elementsEqual("h2".utf8) || name.elementsEqual("h3".utf8),
                   let anchor = attribute("id", in: Substring(String(decoding: tag, as: UTF8.self))) {
                    endPart()
                    sections.append((anchor, [], []))
                    inHeading = true
                    continue
                }
                if isBlock(name) || name.elementsEqual("br".utf8) { put(0x20) }
                continue
            }
            if skipDepth > 0 { i += 1; continue }
            if c == 0x26, let semi = s[i..<min(n, i + 12)].firstIndex(of: 0x3B),
               let e = entity(Substring(String(decoding: s[(i + 1)..<semi], as: UTF8.self))) {
                for b in e.utf8 { put(b) }
                i = semi + 1
                continue
            }
            put(c)
            i += 1
        }
        endPart()
        func trimmed(_ b: [UInt8]) -> String {
            var lo = 0, hi = b.count
            while lo < hi && b[lo] == 0x20 { lo += 1 }
            while hi > lo && b[hi - 1] == 0x20 { hi -= 1 }
            return String(decoding: b[lo..<hi], as: UTF8.self)
        }
        return sections.compactMap { sec in
            let text = trimmed(sec.text)
            return sec.anchor.isEmpty && text.isEmpty ? nil : Section(anchor: sec.anchor, heading: trimmed(sec.heading), text: text)
        }
    }

    static let classCode = Array("class=\"code".utf8), classMath = Array("class=\"math".utf8)
    static let classMathML = Array("class=\"katex-mathml".utf8), classAnchor = Array("class=\"anchor\"".utf8)

    /// Whether `needle` occurs in `hay` (tags are short: a plain scan).
    static func contains(_ hay: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard hay.count >= needle.count, let first = needle.first else { return false }
        var i = hay.startIndex
        let last = hay.endIndex - needle.count
        while i <= last {
            if hay[i] == first && hay[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    static let blockTags: Set<String> = ["p", "div", "li", "td", "th", "tr", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
                                         "blockquote", "figcaption", "caption", "figure", "table", "ul", "ol", "dt", "dd"]

    static let blockTagBytes: [[UInt8]] = blockTags.sorted().map { Array($0.utf8) }

    static func isBlock(_ name: ArraySlice<UInt8>) -> Bool {
        name.count <= 10 && blockTagBytes.contains { $0.elementsEqual(name) }
    }

    static func attribute(_ name: String, in tag: Substring) -> String? {
        guard let r = tag.range(of: " \(name)=\"") else { return nil }
        let rest = tag[r.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        var out = ""
        var j = rest.startIndex
        while j < end {
            if rest[j] == "&", let semi = rest[j..<end].firstIndex(of: ";"), let e = entity(rest[rest.index(after: j)..<semi]) {
                out += e
                j = rest.index(after: semi)
            } else {
                out.append(rest[j])
                j = rest.index(after: j)
            }
        }
        return out
    }

    static func entity(_ name: Substring) -> String? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "#39", "apos": return "'"
        case "nbsp": return " "
        default:
            if name.hasPrefix("#x"), let v = UInt32(name.dropFirst(2), radix: 16), let u = Unicode.Scalar(v) { return String(u) }
            if name.hasPrefix("#"), let v = UInt32(name.dropFirst()), let u = Unicode.Scalar(v) { return String(u) }
            return nil
        }
    }

    /// `assets/search/<slug>.js`.
    public static func lectureFile(slug: String, title: String, body: String) -> [UInt8] {
        var out = "LecternSearch.add({\"slug\":\(json(slug)),\"title\":\(json(title)),\"sections\":[\n"
        out += sections(body: body).map { "{\"a\":\(json($0.anchor)),\"h\":\(json($0.heading)),\"t\":\(json($0.text))}" }
            .joined(separator: ",\n")
        out += "\n]});\n"
        return Array(out.utf8)
    }

    /// `assets/search/index.js`: the lectures, in course order.
    public static func courseFile(lectures: [LectureLink]) -> [UInt8] {
        let list = lectures.map { "{\"slug\":\(json($0.slug)),\"title\":\(json($0.title))}" }.joined(separator: ",\n")
        return Array("LecternSearch.course([\n\(list)\n]);\n".utf8)
    }

    /// A JSON string literal, safe inside a script.
    static func json(_ s: String) -> String {
        var out: [UInt8] = [0x22]
        out.reserveCapacity(s.utf8.count + 16)
        let u = Array(s.utf8)
        var k = 0
        while k < u.count {
            let b = u[k]
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x3C: out += Array("\\u003c".utf8)
            case 0xE2 where k + 2 < u.count && u[k + 1] == 0x80 && (u[k + 2] == 0xA8 || u[k + 2] == 0xA9):
                out += Array((u[k + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                k += 2
            case 0..<0x20:
                let h = String(b, radix: 16)
                out += Array(("\\u" + String(repeating: "0", count: 4 - h.count) + h).utf8)
            default: out.append(b)
            }
            k += 1
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }
}
