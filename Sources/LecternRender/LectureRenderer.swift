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

/// Who renders the math: the reader's browser (KaTeX's script on the page) or
/// the build (KaTeX's HTML in the page, see `MathMarkup`).
public enum MathRendering: Sendable, Equatable {
    case browser, build
}

/// One lecture's rendered files, paths relative to `Output/`.
public struct RenderedLecture: Sendable {
    public var files: [(path: String, bytes: [UInt8])]
    public var diagnostics: [Diagnostic]
    /// With `.build`: the page's index in `files` and its math elements, still
    /// to be replaced with `MathMarkup.splice`.
    public var page = 0
    public var math: [MathMarkup.Element] = []
    /// How many formulas the page has (either way).
    public var formulas = 0
}

public enum LectureRenderer {
    /// Renders the HTML page, the GFM Markdown and the figure files of a lecture.
    /// - Parameter exploration: for an explorable lecture, its runs at every
    ///   combination (`run` is the default's): the page gets controls and the
    ///   variants of every output that differs; the Markdown shows the default.
    /// With `math: .build` the page's math elements (variants included) are
    /// returned for the build to typeset; with `.browser` the page is final.
    /// `lectures`: the whole course, for the side bar.
    public static func render(_ document: Document, run: LectureRun? = nil, exploration: Exploration? = nil,
                              courseTitle: String, previous: LectureLink?, next: LectureLink?,
                              lectures: [LectureLink] = [], math: MathRendering = .browser) -> RenderedLecture {
        let run = run ?? .notRun(document)
        // Headings that hold an inline value take their anchor and contents entry from its text.
        let document = document.withHeadingValues { LectureRenderer.inlineValueText(run, $0) }
        let refs = CrossReferences(document)
        let offsets = math == .build
        var html = HTMLRenderer(document: document, run: run, refs: refs, sourceOffsets: offsets)
        var body: String
        if let e = exploration {
            let table = VariantTable()
            let renderers = e.runs.enumerated().map { k, r in
                var h = HTMLRenderer(document: document, run: r, refs: refs, sourceOffsets: offsets)
                h.claimsChecked = k == e.defaultIndex
                return h
            }
            html.variants = (renderers, e.defaultIndex, table)
            body = ExplorePage.panel(e) + html.body()
            body += ExplorePage.data(e, table)
        } else {
            body = html.body()
        }
        let page = Array(Page.lecture(document: document, body: body, courseTitle: courseTitle,
                                      previous: previous, next: next, lectures: lectures,
                                      explorable: exploration != nil, katexScript: math == .browser).utf8)
        let elements = MathMarkup.elements(in: page)  // with .browser, only counted
        let figures = run.figureFiles(document)
        let references = references(in: document)
        let markdown = MarkdownRenderer(document: document, run: run, refs: refs, figures: figures,
                                        references: references,
                                        exploreLine: exploration.map(ExplorePage.markdownLine)).render()
        var files: [(String, [UInt8])] = [
            ("\(document.slug).html", page),
            ("\(document.slug).md", Array(markdown.utf8)),
            (SearchIndex.path(slug: document.slug), SearchIndex.lectureFile(slug: document.slug, title: document.title, body: body)),
        ]
        // Only the figures of cells whose output the page shows.
        files += figures.filter { document.cells[$0.cell].options.output }
            .map { ("\(document.slug)/\($0.name)", Array($0.svg.utf8)) }
        return RenderedLecture(files: files, diagnostics: referenceDiagnostics(document, refs, references),
                               page: 0, math: math == .build ? elements : [], formulas: elements.count)
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
