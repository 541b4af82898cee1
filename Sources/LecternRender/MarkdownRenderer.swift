import Foundation
import LecternDocument
import LecternRecords
import LecternResults

/// GitHub-flavoured Markdown of a lecture, made by splicing: the author's bytes
/// are copied as they are, and only cells, inline values, cross-references and
/// the front matter are replaced. Nothing goes through cmark's CommonMark
/// renderer, which would re-escape `_` and `*` and break math.
struct MarkdownRenderer {
    let document: Document
    let run: LectureRun
    let refs: CrossReferences
    /// The lecture's figure files (`LectureRun.figureFiles`), linked from the Markdown
    /// under the lecture's folder.
    let figures: [FigureFile]
    /// `@fig-`/`@tbl-` references in the prose (`LectureRenderer.references`).
    let references: [LectureRenderer.SourceReference]
    /// For an explorable lecture: the line under the title naming its explorable values.
    var exploreLine: String? = nil

    func render() -> String {
        let src = document.source
        let nl = src.lineEnding
        var edits: [(range: Range<Int>, text: String)] = []

        if document.frontMatter.lineCount > 0 {
            var head = ""
            if let title = document.frontMatter.title { head += "# " + title + nl + nl }
            if let sub = document.frontMatter.subtitle { head += "_" + escapeMarkdown(sub) + "_" + nl + nl }
            if let line = exploreLine { head += line + nl + nl }
            var end = src.lineEnd(document.frontMatter.lineCount)
            // Drop blank lines after the front matter: the heading brings its own.
            while end < src.bytes.count, src.bytes[end] == 0x0A || src.bytes[end] == 0x0D { end += 1 }
            edits.append((0..<end, head))
        }
        for cell in document.cells {
            let end = cell.expected?.range.upperBound ?? cell.range.upperBound
            edits.append((cell.range.lowerBound..<end, contained(self.cell(cell, nl: nl), cell, nl: nl)))
        }
        let places = Places(document)
        for code in document.inlines {
            edits.append((code.range, inlineValue(code, inTable: places.valuesInTables.contains(code.index))))
        }
        for (k, span) in document.math.enumerated() {
            let md = gfmMath(span, inTable: places.mathInTables.contains(k))
            if md != span.source { edits.append((span.range, md)) }
        }
        for ref in references {
            if let t = refs.targets[ref.id] {
                edits.append((ref.range, "[\(t.label)](#\(t.id))"))
            }
        }
        edits.sort { $0.range.lowerBound < $1.range.lowerBound }

        var out: [UInt8] = []
        out.reserveCapacity(src.bytes.count + 1024)
        var pos = 0
        for e in edits where e.range.lowerBound >= pos {
            out += src.bytes[pos..<e.range.lowerBound]
            out += Array(e.text.utf8)
            pos = e.range.upperBound
        }
        out += src.bytes[pos...]
        return String(decoding: out, as: UTF8.self)
    }

    func inlineValue(_ code: InlineCode, inTable: Bool) -> String {
        let result = code.index < run.inlines.count ? run.inlines[code.index] : .notRun
        switch result {
        case .value(let v): return escapeMarkdown(v)
        case .claim(let claim): return escapeMarkdown(claim.literal)
        case .failed: return markdownCodeSpan(code.expression, inTable: inTable)
        case .notRun:
            return code.claim.map(escapeMarkdown) ?? markdownCodeSpan(code.expression, inTable: inTable)
        }
    }

    /// Which inline values and math spans stand in table cells.
    struct Places {
        var valuesInTables: Set<Int> = []
        var mathInTables: Set<Int> = []

        init(_ document: Document) {
            func visit(_ inlines: [Inline]) {
                for node in inlines {
                    switch node {
                    case .value(let k): valuesInTables.insert(k)
                    case .math(let k): mathInTables.insert(k)
                    case .emphasis(let c), .strong(let c), .strikethrough(let c), .link(_, _, let c), .image(_, _, let c): visit(c)
                    default: break
                    }
                }
            }
            func visit(_ blocks: [Block]) {
                for block in blocks {
                    switch block {
                    case .table(_, let header, let rows): (header + rows.flatMap { $0 }).forEach(visit)
                    case .blockQuote(let inner): visit(inner)
                    case .list(_, _, _, let items): items.forEach { visit($0.blocks) }
                    default: break
                    }
                }
            }
            visit(document.blocks)
            document.footnotes.forEach { visit($0.blocks) }
        }
    }

    /// A cell's Markdown inside the container its fence stands in: each line
    /// behind the fence line's indentation and quote markers, so that a cell in
    /// a list item or a block quote stays there on GitHub.
    func contained(_ markdown: String, _ cell: Cell, nl: String) -> String {
        let prefix = String(document.source.lineText(cell.fenceLine).prefix { $0 == " " || $0 == "\t" || $0 == ">" })
        guard !prefix.isEmpty else { return markdown }
        let blank = String(prefix.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
        var lines = markdown.components(separatedBy: nl)
        let last = lines.last == "" ? lines.removeLast() : nil
        lines = lines.map { $0.isEmpty ? blank : prefix + $0 }
        return lines.joined(separator: nl) + (last.map { _ in nl } ?? "")
    }

    func cell(_ cell: Cell, nl: String) -> String {
        let result = cell.index < run.cells.count ? run.cells[cell.index] : CellResult(status: .notRun)
        var parts: [String] = []
        if cell.id != nil { parts.append("<a id=\"\(cell.anchor)\"></a>") }
        if cell.options.echo || !cell.options.eval {
            let fence = fenceFor(cell.code)
            var code = cell.code
            if code.hasSuffix("\n") { code.removeLast() }
            parts.append(fence + "swift" + nl + code.replacingNewlines(with: nl) + nl + fence)
        }
        if cell.options.output {
            for (k, output) in result.outputs.enumerated() {
                let figure = figures.first { $0.cell == cell.index && $0.output == k }
                if let md = CellOutputMarkdown.render(output, figurePath: figure.map { percentEncodedPath("\(document.slug)/\($0.name)") }, nl: nl) {
                    parts.append(md)
                }
            }
        }
        switch result.status {
        case .failed(let d), .expectedFailure(let d):
            let m = d.text
            parts.append(fenceFor(m) + "text" + nl + m.replacingNewlines(with: nl) + nl + fenceFor(m))
        case .notRun, .ok, .skipped: break
        }
        let caption = cell.options.caption ?? ""
        if let t = refs.target(for: cell) {
            parts.append("**\(t.label)**" + (caption.isEmpty ? "" : ": " + caption))
        } else if !caption.isEmpty {
            parts.append("_" + caption + "_")
        }
        return parts.joined(separator: nl + nl) + nl
    }
}

/// A relative path as a link destination: bytes other than letters, digits,
/// `-._~` and `/` percent-encoded, so a space in a lecture's file name does not
/// end the link.
func percentEncodedPath(_ path: String) -> String {
    var out = ""
    for b in path.utf8 {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E, 0x2F: out.unicodeScalars.append(Unicode.Scalar(b))
        default: out += String(format: "%%%02X", b)
        }
    }
    return out
}

/// A fence longer than any backtick run in the text.
func fenceFor(_ text: String) -> String {
    var longest = 0, run = 0
    for ch in text.utf8 {
        if ch == UInt8(ascii: "`") { run += 1; longest = max(longest, run) } else { run = 0 }
    }
    return String(repeating: "`", count: max(3, longest + 1))
}

/// A computed value as Markdown that GitHub shows as the page does: as
/// plain text on one line, wherever it stands (prose, a list item, a table
/// cell, a heading, link text, the start of a line).
/// - Line breaks become spaces (the page shows white space collapsed; in a
///   table cell a line break would end the row, in prose start a list, a
///   setext underline or a hard break).
/// - The ASCII punctuation Markdown or GitHub reads anywhere is
///   backslash-escaped: emphasis, code, links, raw HTML, entities, table
///   pipes, headings, strikethrough, escapes, emoji (`:name:`) and autolinks
///   (`http://`, and `www.`); a `:` only when a character follows it.
/// - At the start, what would begin a block when the value starts a line: a
///   list marker (`- `, `+ `), a thematic break or setext underline (`--`,
///   `==`), an ordered list marker (`1. `, `1) `).
/// - `$` and `@` go inside `<span>` (GitHub's own advice for a dollar that is
///   not math; an escaped `@` still makes an e-mail autolink).
func escapeMarkdown(_ s: String) -> String {
    var out = ""
    let chars = Array(s.replacingOccurrences(of: "\r\n", with: " ").map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    let leadingDigits = chars.prefix { $0.isASCII && $0.isNumber }.count
    for (k, ch) in chars.enumerated() {
        let atEnd = k + 1 == chars.count || chars[k + 1] == " " || chars[k + 1] == "\t"
        switch ch {
        case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "~", "&":
            out.append("\\"); out.append(ch)
        case ":" where !atEnd:
            // `http://` and `:name:` need a character after the colon; "x: y" stays as it is.
            out.append("\\"); out.append(ch)
        case "-" where k == 0 && (atEnd || chars[1] == ch), "+" where k == 0 && (atEnd || chars[1] == ch),
             "=" where k == 0 && (atEnd || chars[1] == ch):
            // A list marker (`- x`), a thematic break or setext underline (`---`, `===`); `-1` is a number.
            out.append("\\"); out.append(ch)
        case "." where k == leadingDigits && k > 0 && atEnd, ")" where k == leadingDigits && k > 0 && atEnd:
            out.append("\\"); out.append(ch)
        case "." where k >= 3 && String(chars[(k - 3)..<k]).lowercased() == "www":
            out.append("\\"); out.append(ch)
        case "$": out += "<span>$</span>"
        case "@": out += "<span>@</span>"
        default: out.append(ch)
        }
    }
    return out
}

/// A code span holding `text` on one line: a fence longer than any backtick
/// run inside, padded when the text starts or ends with a backtick, `|`
/// escaped in a table cell (GFM splits cells before it pairs backticks).
func markdownCodeSpan(_ text: String, inTable: Bool) -> String {
    var t = text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
    if inTable { t = t.replacingOccurrences(of: "|", with: "\\|") }
    var longest = 0, run = 0
    for ch in t.utf8 {
        if ch == UInt8(ascii: "`") { run += 1; longest = max(longest, run) } else { run = 0 }
    }
    let fence = String(repeating: "`", count: longest + 1)
    let pad = t.hasPrefix("`") || t.hasSuffix("`") || (t.hasPrefix(" ") && t.hasSuffix(" ") && !t.allSatisfy { $0 == " " })
    return fence + (pad ? " " + t + " " : t) + fence
}

/// A math span in the delimiters GitHub renders: `\(...\)` as `$...$` and
/// `\[...\]` as `$$...$$` (GitHub reads `\(` as an escaped parenthesis). In
/// a table cell a `|` would end the cell and `\|` would reach the math as `‖`,
/// so the TeX says `\vert` and `\Vert` instead.
func gfmMath(_ span: MathSpan, inTable: Bool) -> String {
    var tex = span.tex
    if inTable && tex.contains("|") {
        var out = ""
        let chars = Array(tex)
        var k = 0
        while k < chars.count {
            let next = k + 1 < chars.count ? chars[k + 1] : nil
            if chars[k] == "\\" && next == "|" {
                out += "\\Vert"
                k += 2
            } else if chars[k] == "\\", let next {
                out.append(chars[k]); out.append(next)
                k += 2
                continue
            } else if chars[k] == "|" {
                out += "\\vert"
                k += 1
            } else {
                out.append(chars[k])
                k += 1
                continue
            }
            // A letter after a control word would join it (`\vertx`).
            if k < chars.count, chars[k].isLetter { out += " " }
        }
        tex = out
    }
    let source = span.source
    if source.hasPrefix("\\(") {
        return "$" + tex.trimmingCharacters(in: .whitespacesAndNewlines) + "$"
    }
    if source.hasPrefix("\\[") { return "$$" + tex + "$$" }
    if tex == span.tex { return source }
    return span.display ? "$$" + tex + "$$" : "$" + tex + "$"
}

extension String {
    func replacingNewlines(with nl: String) -> String {
        nl == "\n" ? self : split(separator: "\n", omittingEmptySubsequences: false).joined(separator: nl)
    }
}
