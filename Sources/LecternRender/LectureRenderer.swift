import LecternDocument
import LecternRecords
import LecternResults

/// A neighbour in the course, for previous/next links.
public struct LectureLink: Sendable, Equatable {
    public var slug: String
    public var title: String
    public var subtitle: String?
    public init(slug: String, title: String, subtitle: String? = nil) {
        self.slug = slug
        self.title = title
        self.subtitle = subtitle
    }
}

/// One lecture's rendered files, paths relative to `Output/`.
public struct RenderedLecture: Sendable {
    public var files: [(path: String, bytes: [UInt8])]
    public var diagnostics: [Diagnostic]
}

public enum LectureRenderer {
    /// Renders the HTML page, the GFM Markdown and the figure files of a lecture.
    public static func render(_ document: Document, run: LectureRun? = nil, courseTitle: String,
                              previous: LectureLink?, next: LectureLink?) -> RenderedLecture {
        let run = run ?? .notRun(document)
        // Headings that hold an inline value take their anchor and contents entry from its text.
        let document = document.withHeadingValues { LectureRenderer.inlineValueText(run, $0) }
        let refs = CrossReferences(document)
        let html = HTMLRenderer(document: document, run: run, refs: refs)
        let body = html.body()
        let page = Page.lecture(document: document, body: body, courseTitle: courseTitle,
                                previous: previous, next: next)
        let figures = run.figureFiles(document)
        let references = references(in: document)
        let markdown = MarkdownRenderer(document: document, run: run, refs: refs, figures: figures,
                                        references: references).render()
        var files: [(String, [UInt8])] = [
            ("\(document.slug).html", Array(page.utf8)),
            ("\(document.slug).md", Array(markdown.utf8)),
        ]
        // Only the figures of cells whose output the page shows.
        files += figures.filter { document.cells[$0.cell].options.output }
            .map { ("\(document.slug)/\($0.name)", Array($0.svg.utf8)) }
        return RenderedLecture(files: files, diagnostics: referenceDiagnostics(document, refs, references))
    }

    /// The text an inline value shows, nil when it has none yet.
    static func inlineValueText(_ run: LectureRun, _ k: Int) -> String? {
        guard k < run.inlines.count else { return nil }
        switch run.inlines[k] {
        case .value(let v): return v
        case .claim(let c): return c.literal
        case .failed, .notRun: return nil
        }
    }

    struct SourceReference { var range: Range<Int>; var id: String }

    /// `@fig-`/`@tbl-` references in the prose, with their byte ranges in the source.
    static func references(in document: Document) -> [SourceReference] {
        let bytes = document.source.bytes
        var skip = document.verbatimRanges + document.inlines.map(\.range)
            + document.cells.map { $0.range.lowerBound..<($0.expected?.range.upperBound ?? $0.range.upperBound) }
        skip.sort { $0.lowerBound < $1.lowerBound }
        var out: [SourceReference] = []
        var pos = 0
        for r in skip + [bytes.count..<bytes.count] {
            if r.lowerBound > pos {
                for f in CrossReferences.find(in: Array(bytes[pos..<r.lowerBound])) {
                    out.append(SourceReference(range: (f.range.lowerBound + pos)..<(f.range.upperBound + pos), id: f.id))
                }
            }
            pos = max(pos, r.upperBound)
        }
        return out
    }

    static func referenceDiagnostics(_ document: Document, _ refs: CrossReferences,
                                     _ found: [SourceReference]) -> [Diagnostic] {
        found.compactMap { ref in
            guard refs.targets[ref.id] == nil else { return nil }
            let loc = document.source.location(of: ref.range.lowerBound)
            return Diagnostic(.warning, file: document.path, line: loc.line, column: loc.column,
                              "reference '@\(ref.id)' names no cell; name one with ```swift {#\(ref.id)}")
        }
    }
}
