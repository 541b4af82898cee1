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

    func both(_ text: String) -> (fast: Parsed, exact: Parsed) {
        let bytes = Array(text.utf8)
        return (Parsed(Document.parse(path: "t.md", bytes: bytes, strategy: .guessThenVerify)),
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
        for trial in 0..<3000 {
            var text = ""
            for _ in 0..<rng.below(14) + 1 {
                text += Self.pieces[rng.below(Self.pieces.count)]
                text += Self.separators[rng.below(Self.separators.count)]
            }
            let (f, e) = both(text)
            #expect(f == e, "trial \(trial): \(text.debugDescription)")
            if f != e { return }
            if singleParse(text) { fast += 1 }
        }
        // The point of the fast path: most documents take it.
        #expect(fast > 1000)
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
    ])
    func trickyCasesParseAlike(_ text: String) {
        let (f, e) = both(text)
        #expect(f == e)
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
