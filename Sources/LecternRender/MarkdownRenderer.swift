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
        for code in document.inlines {
            edits.append((code.range, inlineValue(code)))
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

    func inlineValue(_ code: InlineCode) -> String {
        let result = code.index < run.inlines.count ? run.inlines[code.index] : .notRun
        switch result {
        case .value(let v): return escapeMarkdown(v)
        case .claim(let claim): return escapeMarkdown(claim.literal)
        case .failed: return "`" + code.expression + "`"
        case .notRun: return code.claim.map(escapeMarkdown) ?? "`" + code.expression + "`"
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

/// Escapes what Markdown would otherwise read as syntax in a computed value.
func escapeMarkdown(_ s: String) -> String {
    var out = ""
    for ch in s {
        switch ch {
        case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#": out.append("\\"); out.append(ch)
        default: out.append(ch)
        }
    }
    return out
}

extension String {
    func replacingNewlines(with nl: String) -> String {
        nl == "\n" ? self : split(separator: "\n", omittingEmptySubsequences: false).joined(separator: nl)
    }
}
