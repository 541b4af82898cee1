import Foundation
import LecternDocument
import LecternRecords
import LecternResults

/// Renders a lecture's blocks to HTML. Raw HTML in the source is omitted
/// (cmark-gfm's safe mode), and every text that reaches the page is escaped.
struct HTMLRenderer {
    let document: Document
    let run: LectureRun
    let refs: CrossReferences
    /// Cells left unrun below a failure say why.
    let anyCellFailed: Bool
    /// For an explorable lecture: a renderer per combination (the default among
    /// them) and the table their differing outputs go to.
    var variants: (renderers: [HTMLRenderer], defaultIndex: Int, table: VariantTable)?
    /// A claim at values other than the default is not checked: where it does
    /// not hold there, the page shows the computed value instead of the literal.
    var claimsChecked = true
    /// Mark each prose formula with where its TeX starts (`data-at`), for the
    /// build that typesets the math (see `MathMarkup`).
    var sourceOffsets = false

    init(document: Document, run: LectureRun, refs: CrossReferences, sourceOffsets: Bool = false) {
        self.sourceOffsets = sourceOffsets
        self.document = document
        self.run = run
        self.refs = refs
        self.anyCellFailed = run.cells.contains { if case .failed = $0.status { true } else { false } }
    }

    /// `html` as this renderer makes it; where the combinations' renderers make
    /// it differently, a switchable element (`tag`, class `lx-var`) holding the
    /// default, its variants in the table.
    func switchable(_ tag: String, _ make: (HTMLRenderer) -> String) -> String {
        let mine = make(self)
        guard let v = variants else { return mine }
        let all = v.renderers.map(make)
        guard all.contains(where: { $0 != all[v.defaultIndex] }) else { return mine }
        let slot = v.table.add(all, defaultIndex: v.defaultIndex)
        return "<\(tag) class=\"lx-var\" data-lx=\"\(slot)\">\(all[v.defaultIndex])</\(tag)>"
    }

    func body() -> String {
        var out = ""
        out.reserveCapacity(document.source.bytes.count * 2)
        blocks(document.blocks, into: &out)
        footnotes(into: &out)
        return out
    }

    /// The notes as cmark-gfm writes them: a numbered list in a section, each
    /// note ending with a back-link to every reference made to it.
    func footnotes(into out: inout String) {
        guard !document.footnotes.isEmpty else { return }
        out += "<section class=\"footnotes\" data-footnotes>\n<ol>\n"
        for note in document.footnotes {
            out += "<li id=\"fn-"
            appendEscapedHref(note.label, to: &out)
            out += "\">\n"
            var links = ""
            for k in 1...max(note.references, 1) {
                if k > 1 { links += " " }
                links += "<a href=\"#fnref-"
                appendEscapedHref(note.label, to: &links)
                if k > 1 { links += "-\(k)" }
                links += "\" class=\"footnote-backref\" data-footnote-backref aria-label=\"Back to content\">↩"
                links += k > 1 ? "<sup class=\"footnote-ref\">\(k)</sup></a>" : "</a>"
            }
            if case .paragraph(let content)? = note.blocks.last {
                blocks(Array(note.blocks.dropLast()), into: &out)
                out += "<p>"
                inlines(content, into: &out)
                out += " " + links + "</p>\n"
            } else {
                blocks(note.blocks, into: &out)
                out += links + "\n"
            }
            out += "</li>\n"
        }
        out += "</ol>\n</section>\n"
    }

    func blocks(_ blocks: [Block], into out: inout String, tight: Bool = false) {
        for block in blocks {
            switch block {
            case .paragraph(let content):
                if tight {
                    inlines(content, into: &out)
                    out += "\n"
                } else {
                    out += "<p>"
                    inlines(content, into: &out)
                    out += "</p>\n"
                }
            case .heading(let h, let content):
                out += "<h\(h.level) id=\"\(escapeHTML(h.anchor))\">"
                inlines(content, into: &out)
                out += "<a class=\"anchor\" href=\"#\(escapeHTML(h.anchor))\" aria-label=\"Link to this section\">#</a></h\(h.level)>\n"
            case .blockQuote(let inner):
                out += "<blockquote>\n"
                self.blocks(inner, into: &out)
                out += "</blockquote>\n"
            case .list(let ordered, let start, let isTight, let items):
                let tag = ordered ? "ol" : "ul"
                let startAttr = ordered && start != 1 ? " start=\"\(start)\"" : ""
                let hasTasks = items.contains { $0.task != nil }
                out += "<\(tag)\(startAttr)\(hasTasks ? " class=\"tasks\"" : "")>\n"
                for item in items {
                    if let done = item.task {
                        out += "<li class=\"task\"><input type=\"checkbox\" disabled\(done ? " checked" : "")> "
                    } else {
                        out += "<li>"
                    }
                    self.blocks(item.blocks, into: &out, tight: isTight)
                    out += "</li>\n"
                }
                out += "</\(tag)>\n"
            case .code(let info, let literal, _):
                // The info string's first word, as cmark-gfm takes it (any white space ends it).
                let lang = info.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" })
                    .first.map(String.init) ?? ""
                let cls = lang.isEmpty ? "" : " class=\"language-\(escapeHTML(lang))\""
                out += "<pre class=\"code\"><code\(cls)>\(escapeHTML(literal))</code></pre>\n"
            case .cell(let index):
                out += cell(index)
            case .html:
                out += "<!-- raw HTML omitted -->\n"
            case .thematicBreak:
                out += "<hr>\n"
            case .table(let aligns, let header, let rows):
                out += "<div class=\"table-wrap\"><table>\n<thead>\n<tr>"
                for (k, h) in header.enumerated() {
                    out += "<th\(align(aligns, k))>"
                    inlines(h, into: &out)
                    out += "</th>"
                }
                out += "</tr>\n</thead>\n"
                if !rows.isEmpty {
                    out += "<tbody>\n"
                    for row in rows {
                        out += "<tr>"
                        for (k, c) in row.enumerated() {
                            out += "<td\(align(aligns, k))>"
                            inlines(c, into: &out)
                            out += "</td>"
                        }
                        out += "</tr>\n"
                    }
                    out += "</tbody>\n"
                }
                out += "</table></div>\n"
            }
        }
    }

    func align(_ aligns: [TableAlignment], _ k: Int) -> String {
        guard k < aligns.count, aligns[k] != .none else { return "" }
        return " style=\"text-align: \(aligns[k].rawValue)\""
    }

    /// Appends the HTML of inlines to `out` (one buffer for the whole page:
    /// a long lecture has hundreds of thousands of inlines).
    func inlines(_ nodes: [Inline], into out: inout String) {
        for node in nodes {
            switch node {
            case .text(let t): textWithReferences(t, into: &out)
            case .softBreak: out += "\n"
            case .lineBreak: out += "<br>\n"
            case .code(let c):
                out += "<code>"
                appendEscapedHTML(c, to: &out)
                out += "</code>"
            case .html: out += "<!-- raw HTML omitted -->"
            case .emphasis(let c): wrap("em", c, into: &out)
            case .strong(let c): wrap("strong", c, into: &out)
            case .strikethrough(let c): wrap("del", c, into: &out)
            case .link(let dest, let title, let content):
                out += "<a"
                if let href = safeURL(dest) {
                    out += " href=\""
                    appendEscapedHref(href, to: &out)
                    out += "\""
                }
                appendTitle(title, to: &out)
                out += ">"
                inlines(content, into: &out)
                out += "</a>"
            case .image(let src, let title, let alt):
                // An unsafe source leaves `src` empty, as cmark-gfm does (an <img> needs one).
                out += "<img src=\""
                if let s = safeURL(src) { appendEscapedHref(s, to: &out) }
                out += "\" alt=\""
                appendEscapedHTML(alt.plainText(math: document.math, html: true, value: valueText), to: &out)
                out += "\""
                appendTitle(title, to: &out)
                out += ">"
            case .footnoteReference(let number, let occurrence):
                let label = number <= document.footnotes.count ? document.footnotes[number - 1].label : String(number)
                out += "<sup class=\"footnote-ref\"><a href=\"#fn-"
                appendEscapedHref(label, to: &out)
                out += "\" id=\"fnref-"
                appendEscapedHref(label, to: &out)
                if occurrence > 1 { out += "-\(occurrence)" }
                out += "\" data-footnote-ref>\(number)</a></sup>"
            case .math(let k):
                let m = document.math[k]
                // data-at: where the TeX starts in the .md, for a TeX error's line (see MathMarkup).
                out += m.display ? "<span class=\"math display\"" : "<span class=\"math inline\""
                if sourceOffsets { out += " data-at=\"\(m.range.lowerBound + (m.source.utf8.count - m.tex.utf8.count) / 2)\"" }
                out += ">"
                appendEscapedHTML(m.tex, to: &out)
                out += "</span>"
            case .value(let k):
                out += switchable("span") { $0.inlineValue(k) }
            }
        }
    }

    /// The ` title="…"` of a link or an image; nothing when the title is empty.
    func appendTitle(_ title: String, to out: inout String) {
        guard !title.isEmpty else { return }
        out += " title=\""
        appendEscapedHTML(title, to: &out)
        out += "\""
    }

    func wrap(_ tag: String, _ content: [Inline], into out: inout String) {
        out += "<"
        out += tag
        out += ">"
        inlines(content, into: &out)
        out += "</"
        out += tag
        out += ">"
    }

    /// cmark-gfm's safe-mode rule (`_scan_dangerous_url`), for links and
    /// images alike: no `javascript:`, `vbscript:` or `file:`, and `data:`
    /// only for PNG, GIF, JPEG and WebP images.
    func safeURL(_ url: String) -> String? {
        let lower = url.lowercased()
        for bad in ["javascript:", "vbscript:", "file:"] where lower.hasPrefix(bad) { return nil }
        if lower.hasPrefix("data:") {
            let ok = ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"].contains { lower.hasPrefix($0) }
            return ok ? url : nil
        }
        return url
    }

    /// The text an inline value shows (for alt text and headings), nil before it ran.
    func valueText(_ k: Int) -> String? { LectureRenderer.inlineValueText(run, k) }

    func textWithReferences(_ text: String, into out: inout String) {
        guard text.utf8.contains(UInt8(ascii: "@")) else { return appendEscapedHTML(text, to: &out) }
        let bytes = Array(text.utf8)
        let found = CrossReferences.find(in: bytes)
        var pos = 0
        for f in found {
            appendEscapedHTML(String(decoding: bytes[pos..<f.range.lowerBound], as: UTF8.self), to: &out)
            if let t = refs.targets[f.id] {
                out += "<a class=\"xref\" href=\"#\(escapeHTML(t.id))\">\(t.label)</a>"
            } else {
                // Reported with its line by `LectureRenderer.referenceDiagnostics`.
                out += "<span class=\"xref missing\">@\(escapeHTML(f.id))</span>"
            }
            pos = f.range.upperBound
        }
        appendEscapedHTML(String(decoding: bytes[pos...], as: UTF8.self), to: &out)
    }

    func inlineValue(_ k: Int) -> String {
        let code = document.inlines[k]
        let result = k < run.inlines.count ? run.inlines[k] : .notRun
        switch result {
        case .value(let v):
            return "<span class=\"value\">\(escapeHTMLKeepingNumbers(v))</span>"
        case .claim(let claim) where !claimsChecked && !claim.passed:
            return "<span class=\"value\" title=\"\(escapeHTML("claimed \(claim.literal) at the default values"))\">\(escapeHTMLKeepingNumbers(claim.text))</span>"
        case .claim(let claim):
            let cls = claim.passed ? "claim" : "claim failed"
            let title = claim.passed ? "computed: \(claim.text)" : claim.message
            return "<span class=\"\(cls)\" title=\"\(escapeHTML(title))\">\(escapeHTML(claim.literal))</span>"
        case .failed(let d):
            let message = d.text
            return "<span class=\"value error\" title=\"\(escapeHTML(message))\">⚠ \(escapeHTML(code.expression))</span>"
        case .notRun:
            // Nothing computed: show the author's literal for a claim, else the expression as code.
            if let literal = code.claim { return "<span class=\"claim unchecked\">\(escapeHTML(literal))</span>" }
            return "<code class=\"value pending\">\(escapeHTML(code.expression))</code>"
        }
    }

    func cell(_ index: Int) -> String {
        let cell = document.cells[index]
        let target = refs.target(for: cell)
        var out = "<figure class=\"cell\" id=\"\(escapeHTML(cell.anchor))\">\n"
        if cell.options.echo || !cell.options.eval {
            out += "<pre class=\"code swift\"><code class=\"language-swift\">\(SwiftHighlighter.html(cell.code))</code></pre>\n"
        }
        out += switchable("div") { $0.cellBody(index) }
        let caption = cell.options.caption ?? ""
        if target != nil || !caption.isEmpty {
            let label = target.map { "<span class=\"label\">\($0.label)</span>" + (caption.isEmpty ? "" : ": ") } ?? ""
            out += "<figcaption>\(label)\(textWithMath(caption))</figcaption>\n"
        }
        out += "</figure>\n"
        return out
    }

    /// What a cell shows below its code: outputs and status.
    func cellBody(_ index: Int) -> String {
        let cell = document.cells[index]
        let result = index < run.cells.count ? run.cells[index] : CellResult(status: .notRun)
        var body = ""
        if cell.options.output {
            for output in result.outputs { body += CellOutputHTML.render(output) }
        }
        switch result.status {
        case .ok, .skipped: break
        case .notRun:
            if cell.options.eval && anyCellFailed {
                body += "<div class=\"cell-status not-run\">not run: an earlier cell failed</div>\n"
            }
        case .failed(let d):
            body += "<pre class=\"cell-error\" role=\"alert\">\(escapeHTML(d.text))</pre>\n"
        case .expectedFailure(let d):
            body += "<pre class=\"cell-error expected\">\(escapeHTML(d.text))</pre>\n"
        }
        return body.isEmpty ? "" : "<div class=\"cell-output\">\n\(body)</div>\n"
    }
}

/// Appends a URL as cmark-gfm writes it into `href` and `src`
/// (`houdini_escape_href`): letters, digits and `-_.+!*(),%#@?=;:/$~` stay,
/// `&` and `'` become entities, every other byte is percent-encoded (so a
/// backslash, a space, a control character or a non-ASCII letter cannot
/// change where the link goes or what the attribute holds).
func appendEscapedHref(_ url: String, to out: inout String) {
    let hex = Array("0123456789ABCDEF".unicodeScalars)
    for b in url.utf8 {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A,
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "!"),
             UInt8(ascii: "*"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: "%"),
             UInt8(ascii: "#"), UInt8(ascii: "@"), UInt8(ascii: "?"), UInt8(ascii: "="), UInt8(ascii: ";"),
             UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "$"), UInt8(ascii: "~"):
            out.unicodeScalars.append(Unicode.Scalar(b))
        case UInt8(ascii: "&"): out += "&amp;"
        case UInt8(ascii: "'"): out += "&#x27;"
        default:
            out.unicodeScalars.append("%")
            out.unicodeScalars.append(hex[Int(b >> 4)])
            out.unicodeScalars.append(hex[Int(b & 0xF)])
        }
    }
}

/// HTML of a short text (a caption) whose math spans KaTeX renders.
func textWithMath(_ text: String) -> String {
    splitMath(text).map { piece in
        switch piece {
        case .text(let t): return escapeHTMLKeepingNumbers(t)
        case .math(let tex, let display):
            return "<span class=\"math \(display ? "display" : "inline")\">\(escapeHTML(tex))</span>"
        }
    }.joined()
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
