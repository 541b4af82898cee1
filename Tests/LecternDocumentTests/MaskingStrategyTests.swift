import Foundation
import Testing
@testable import LecternDocument

/// The single-parse fast path must give exactly what parsing twice gives
/// (code found first, then math masked and parsed again), whatever the input.
@Suite struct MaskingStrategy {
    /// Everything a renderer or the runner reads from a document.
    struct Parsed: Equatable {
        var blocks: [Block], math: [MathSpan], cells: [Cell], inlines: [InlineCode]
        var headings: [Heading], diagnostics: [String], verbatim: [Range<Int>]
        init(_ d: Document) {
            blocks = d.blocks; math = d.math; cells = d.cells; inlines = d.inlines
            headings = d.headings; diagnostics = d.diagnostics.map(\.description); verbatim = d.verbatimRanges
        }
    }

    /// `splitAbove: 0` cuts every document that has a cut point, however short.
    func both(_ text: String, splitAbove: Int = SplitParse.minimumBytes) -> (fast: Parsed, exact: Parsed) {
        let bytes = Array(text.utf8)
        return (Parsed(Document.parse(path: "t.md", bytes: bytes, strategy: .guessThenVerify, splitAbove: splitAbove)),
                Parsed(Document.parse(path: "t.md", bytes: bytes, strategy: .parseTwice)))
    }

    func singleParse(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return Document.parseMasked(bytes, source: SourceText(path: "t.md", bytes: bytes), strategy: .guessThenVerify).singleParse
    }

    /// Pieces that meet in awkward ways: math next to code spans, fences, raw
    /// HTML, links, autolinks, tables, list and quote markers inside display math.
    static let pieces = [
        "$x$", "$a|b$", "$\\|W\\|_2$", "$$\nx = 1\n$$", "$$ a \\\\ b $$", "\\(y\\)", "\\[z\\]", "$5", "$10",
        "`code`", "``a ` b``", "`$x$`", "```\n$x$\n```", "~~~\n$y$\n~~~", "```swift {#c}\nlet a = 1\n```",
        "```output\n1\n```", "<div>", "</div>", "<span title=\"$q$\">", "<a href=x>$t$</a>", "[link](http://e.org/$x$)",
        "[$a$](u)", "http://e.org/$x", "www.a.com/$y$", "| a | b |", "|---|---|", "| $p|q$ | `r` |", "- item",
        "1. one", "> quote", "    indented $x$", "# Head $h$", "text", "*em*", "_u_", "$[0,1)$", "$f'(x)$",
        "$a<b$", "\\$", "`{swift} a`", "`{swift} a ≈ 1`", "\\`", "$x `y$ z`", "---", "===", "$$\n- x\n$$",
        "$$\n# h\n    y\n$$", "$$\n1. a\n$$", "$a\nb$", "\\[\n> q\n\\]", "$x$`y`", "`a`$b$", "[x]: /u \"t `$\"",
        "<!-- $c$ -->", "$`$", "``", "$$", "\\(", "e@x.org", "~~s~~", "- [x] $t$", "&amp;", "$x$\\",
    ]
    static let separators = [" ", " ", "", "\n", "\n", "\n\n", "\n   ", "\n> ", "\n- "]

    @Test func randomDocumentsParseAlikeBothWays() {
        var rng = SplitMix(seed: 20261121)
        var fast = 0
        for trial in 0..<6000 {
            var text = ""
            for _ in 0..<rng.below(14) + 1 {
                text += Self.pieces[rng.below(Self.pieces.count)]
                text += Self.separators[rng.below(Self.separators.count)]
            }
            // Every fourth document with Windows line endings.
            if trial % 4 == 3 { text = text.replacingOccurrences(of: "\n", with: "\r\n") }
            let (f, e) = both(text)
            #expect(f == e, "trial \(trial): \(text.debugDescription)")
            if f != e { return }
            if singleParse(text) { fast += 1 }
        }
        // The point of the fast path: most documents take it.
        #expect(fast > 2000)
    }

    /// Blocks that could run on past a blank line, for the split parse.
    static let longBlocks = [
        "<!--\n\nc $x$ -->", "<pre>\n\nx $y$\n</pre>", "- a\n\n  b $z$", "> q\n>\nfoo", "1. a\n\n2. b",
        "[^1]", "Text\n===", "```\n\ncode\n\n```", "    code\n\n    more", "<div>\n\n*a*\n</div>",
        "- ```\n  x\n\n  y\n  ```", "Para $m$ with `code`", "# H", "| a |\n|---|\n| $b|c$ |", "2024 was a year",
    ]

    @Test func randomDocumentsParseAlikeWhenSplit() {
        var rng = SplitMix(seed: 7)
        var cut = 0
        for trial in 0..<4000 {
            var text = ""
            for _ in 0..<rng.below(12) + 2 {
                let pool = rng.below(2) == 0 ? Self.pieces : Self.longBlocks
                text += pool[rng.below(pool.count)]
                text += ["\n\n", "\n\n", "\n", " ", "\n\n\n"][rng.below(5)]
            }
            let (f, e) = both(text, splitAbove: 0)
            #expect(f == e, "trial \(trial): \(text.debugDescription)")
            if f != e { return }
            if SplitParse.cutPoint(Array(text.utf8), near: text.utf8.count / 2) != nil { cut += 1 }
        }
        #expect(cut > 800)
    }

    @Test(arguments: [
        // A URL glued to math, then a code span: an autolink could swallow the backtick.
        "see http://e.org/$a b$`c` and $d$\n",
        // Display math whose lines would start a list or heading and an indented code block.
        "$$\n- x\n$$\n", "$$\n# h\n    y $z$\n$$\n",
        // A pipe in math on a table's header row changes the column count.
        "| $a|b$ | c |\n|---|---|---|\n| 1 | 2 | 3 |\n",
        // Math inside what turns out to be a code span only by cmark's pairing.
        "`` a $x$ ` b ``\n", "`a\n\nb $x$ c`\n",
        // An HTML block that does not follow a blank line is paragraph text.
        "text\n<span>$x$</span>\n",
        // Link destinations and titles consume backticks.
        "[a]($x$ \"`t`\") $y$\n",
        // So does an autolink: no code span here, and no math either.
        "> http://e.org/$x``a ` b`` $z$\n",
        // cmark puts this code span on line 2; it is on line 3.
        "- a\nb\\\n  `$c$` $d$\n",
    ])
    func trickyCasesParseAlike(_ text: String) {
        let (f, e) = both(text)
        #expect(f == e)
    }

    /// The course's lectures, one after another until past the size at which
    /// the parse is split: the same document both ways, and it was cut.
    @Test func aLongLectureIsSplitAndParsesAlike() throws {
        var text = ""
        while text.utf8.count < 2 * SplitParse.minimumBytes {
            for f in try Self.lectureFiles() {
                let lecture = try String(contentsOf: f, encoding: .utf8)
                // Drop the front matter: only the first one is front matter.
                let body = lecture.components(separatedBy: "\n---\n").dropFirst().joined(separator: "\n---\n")
                text += body + "\n\n"
            }
        }
        let bytes = Array(text.utf8)
        let parsed = Document.parseMasked(bytes, source: SourceText(path: "t.md", bytes: bytes), strategy: .guessThenVerify)
        #expect(parsed.singleParse && parsed.split)
        let (fast, exact) = both(text)
        #expect(fast == exact)
        #expect(fast.cells.count > 50)
    }

    static func lectureFiles() throws -> [URL] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lectures")
        return try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".md") }.sorted()
            .map { root.appendingPathComponent($0) }
    }

    @Test func theCourseTakesTheSingleParse() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lectures")
        let files = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".md") }
        #expect(files.count >= 6)
        for f in files {
            let text = try String(contentsOf: root.appendingPathComponent(f), encoding: .utf8)
            let (fast, exact) = both(text)
            #expect(fast == exact, "\(f)")
            #expect(singleParse(text), "\(f)")
        }
    }
}

/// A small deterministic generator (SplitMix64), so failures reproduce.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
