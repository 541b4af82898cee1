import Foundation
import Testing
@testable import LecternDocument

/// Documents where math, code and cmark-gfm's extensions meet in awkward ways.
/// Expected results are counted by hand, with the trees from the cmark-gfm
/// program (Debian's `cmark-gfm -e table -e autolink ... -t xml --sourcepos`)
/// run first on the text, for the code regions, then on the masked text.
@Suite struct TrickyDocuments {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var math: [String]
        var blocks: [Block]
        var verbatim: [Range<Int>]
        var diagnostics: [String] = []
        var testDescription: String { text.debugDescription }
    }

    static let cases: [Case] = [
        // A URL glued to a dollar: the autolink is found first (pass 1 knows it), so
        // its `$` starts no math; `$` before the code span closes nothing (space before `$`).
        Case(text: "see http://e.org/$a b$`c` and $d$\n", math: ["$d$"],
             blocks: [.paragraph([.text("see "),
                                  .link(destination: "http://e.org/$a", title: "", content: [.text("http://e.org/$a")]),
                                  .text(" b$"), .code("c"), .text(" and "), .math(0)])],
             verbatim: [4..<19, 22..<25, 30..<33]),
        // Display math whose lines would start a list, or a heading and an indented code block.
        Case(text: "$$\n- x\n$$\n", math: ["$$\n- x\n$$"], blocks: [.paragraph([.math(0)])], verbatim: [0..<9]),
        Case(text: "$$\n# h\n    y $z$\n$$\n", math: [],
             blocks: [.paragraph([.text("$$")]),
                      .heading(Heading(level: 1, text: "h", anchor: "h", line: 2), content: [.text("h")]),
                      .code(info: "", literal: "y $z$\n", lines: 3...3), .paragraph([.text("$$")])],
             verbatim: [7..<17],
             diagnostics: ["t.md:1:1: warning: unterminated display math '$$': kept as written",
                           "t.md:4:1: warning: unterminated display math '$$': kept as written"]),
        // A pipe in math on a table's header row: two header cells, three in the delimiter row, no table.
        Case(text: "| $a|b$ | c |\n|---|---|---|\n| 1 | 2 | 3 |\n", math: ["$a|b$"],
             blocks: [.paragraph([.text("| "), .math(0), .text(" | c |"), .softBreak, .text("|---|---|---|"),
                                  .softBreak, .text("| 1 | 2 | 3 |")])],
             verbatim: [2..<7]),
        // Math inside what is a code span only by cmark's pairing, and backticks a blank line apart.
        Case(text: "`` a $x$ ` b ``\n", math: [], blocks: [.paragraph([.code("a $x$ ` b")])], verbatim: [0..<15]),
        Case(text: "`a\n\nb $x$ c`\n", math: ["$x$"],
             blocks: [.paragraph([.text("`a")]), .paragraph([.text("b "), .math(0), .text(" c`")])],
             verbatim: [6..<9]),
        // An HTML block that does not follow a blank line is paragraph text.
        Case(text: "text\n<span>$x$</span>\n", math: ["$x$"],
             blocks: [.paragraph([.text("text"), .softBreak, .html("<span>"), .math(0), .html("</span>")])],
             verbatim: [5..<21]),
        // Math is not looked for in link destinations and titles.
        Case(text: "[a]($x$ \"`t`\") $y$\n", math: ["$y$"],
             blocks: [.paragraph([.link(destination: "$x$", title: "`t`", content: [.text("a")]),
                                  .text(" "), .math(0)])],
             verbatim: [2..<14, 15..<18]),
        // Nor in an autolink: it ends at the space, and the math after it is its own.
        Case(text: "> http://e.org/$x``a ` b`` $z$\n", math: ["$z$"],
             blocks: [.blockQuote([.paragraph([.text(""),
                                               .link(destination: "http://e.org/$x``a", title: "",
                                                     content: [.text("http://e.org/$x``a")]),
                                               .text(" ` b`` "), .math(0)])])],
             verbatim: [2..<20, 27..<30]),
        // cmark puts this code span on line 2; it is on line 3 (with LF and with CRLF).
        Case(text: "- a\nb\\\n  `$c$` $d$\n", math: ["$d$"], blocks: Self.lazyList, verbatim: [9..<14, 15..<18]),
        Case(text: "- a\r\nb\\\r\n  `$c$` $d$\r\n", math: ["$d$"], blocks: Self.lazyList, verbatim: [11..<16, 17..<20]),
        // Display math over CRLF lines, one of them indented, one ending in a backslash.
        Case(text: "$$\r\na \\\\\r\n  b\r\n$$\r\n", math: ["$$\r\na \\\\\r\n  b\r\n$$"],
             blocks: [.paragraph([.math(0)])], verbatim: [0..<17]),
    ]

    static let lazyList: [Block] = [.list(ordered: false, start: 0, tight: true, items: [
        ListItem(task: nil, blocks: [.paragraph([.text("a"), .softBreak, .text("b"), .lineBreak, .code("$c$"),
                                                 .text(" "), .math(0)])]),
    ])]

    @Test(arguments: cases)
    func parsesAsCmarkGFMDoes(_ c: Case) {
        let doc = Document.parse(path: "t.md", bytes: Array(c.text.utf8))
        #expect(doc.math.map(\.source) == c.math)
        #expect(doc.blocks == c.blocks)
        #expect(doc.verbatimRanges == c.verbatim)
        #expect(doc.diagnostics.map(\.description) == c.diagnostics)
    }

    /// An inline value after a hard line break in a CRLF list item keeps its bytes and place.
    @Test func inlineValueAfterAHardBreakWithCRLF() {
        let doc = Document.parse(path: "t.md", bytes: Array("- a\r\nb\\\r\n  `{swift} c` $d$\r\n".utf8))
        #expect(doc.inlines.map(\.expression) == ["c"])
        #expect(doc.source.string(doc.inlines[0].range) == "`{swift} c`")
        #expect(doc.inlines.map(\.line) == [3] && doc.inlines.map(\.column) == [4])
        #expect(doc.math.map(\.source) == ["$d$"])
    }

    /// The course's lectures one after another, past 200 KB: one document with
    /// every cell of every lecture, in order.
    @Test func aLongLectureHasEveryCell() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lectures")
        let files = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".md") }.sorted()
        #expect(files.count >= 6)
        var text = ""
        var codes: [String] = []
        while text.utf8.count < 200 * 1024 {
            for f in files {
                let lecture = try String(contentsOf: root.appendingPathComponent(f), encoding: .utf8)
                // Drop the front matter: only the first one is front matter.
                text += lecture.components(separatedBy: "\n---\n").dropFirst().joined(separator: "\n---\n") + "\n\n"
                codes += Document.parse(path: f, bytes: Array(lecture.utf8)).cells.map(\.code)
            }
        }
        let doc = Document.parse(path: "t.md", bytes: Array(text.utf8))
        let fences = text.split(separator: "\n").filter { $0.hasPrefix("```swift") }.count
        #expect(doc.cells.count == fences && fences > 100)
        #expect(doc.cells.map(\.code) == codes)
    }
}
