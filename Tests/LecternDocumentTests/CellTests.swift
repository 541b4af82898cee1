import Testing
@testable import LecternDocument

@Suite struct Cells {
    func parse(_ s: String) -> Document { Document.parse(path: "Lectures/01-x.md", bytes: Array(s.utf8)) }

    @Test func attributesAndSpan() {
        let doc = parse("""
        Intro

        ```swift {#eig echo=false caption="Eigen \\"values\\"" rtol=1e-6}
        let a = 1
        print(a)
        ```
        ```output
        1
        ```
        Outro

        """)
        #expect(doc.diagnostics.isEmpty)
        #expect(doc.cells.count == 1)
        let c = doc.cells[0]
        #expect(c.id == "eig")
        #expect(c.options.echo == false && c.options.eval && c.options.output)
        #expect(c.options.caption == "Eigen \"values\"")
        #expect(c.options.rtol == 1e-6)
        #expect(c.code == "let a = 1\nprint(a)\n")
        #expect(c.fenceLine == 3 && c.endLine == 6 && c.firstCodeLine == 4)
        #expect(c.expected?.text == "1\n")
        #expect(c.expected?.fenceLine == 7)
        let src = doc.source
        #expect(src.string(c.range).hasPrefix("```swift {#eig"))
        #expect(src.string(c.expected!.contentRange) == "1\n")
        #expect(doc.blocks.count == 3)  // paragraph, cell (with its output), paragraph
    }

    @Test func plainSwiftFenceIsACell() {
        let doc = parse("```swift\nlet x = 1\n```\n")
        #expect(doc.cells.count == 1 && doc.cells[0].id == nil)
    }

    @Test func unknownOptionWarnsAtItsColumn() {
        let doc = parse("```swift {#a ecko=false}\n```\n")
        #expect(doc.diagnostics.map(\.description) == [
            "Lectures/01-x.md:1:14: warning: unknown cell option 'ecko' (did you mean 'echo'?); ignored",
        ])
    }

    @Test func unclosedQuoteIsAnErrorAtItsColumn() {
        let doc = parse("```swift {caption=\"never closed}\nlet x = 1\n```\n")
        #expect(doc.diagnostics.map(\.description) == [
            "Lectures/01-x.md:1:19: error: quoted value of 'caption' is never closed",
        ])
    }

    @Test func unclosedBraceAndBadBool() {
        let d1 = parse("```swift {#a\n```\n").diagnostics.map(\.description)
        #expect(d1 == ["Lectures/01-x.md:1:13: error: attribute list is not closed: expected '}'"])
        let d2 = parse("```swift {echo=maybe}\n```\n").diagnostics.map(\.description)
        #expect(d2 == ["Lectures/01-x.md:1:16: error: option 'echo' takes true or false, not 'maybe'"])
    }

    @Test func duplicateIds() {
        let doc = parse("```swift {#a}\n```\n\n```swift {#a}\n```\n")
        #expect(doc.diagnostics.map(\.description) == ["Lectures/01-x.md:4:1: error: cell id '#a' is already used by the cell at line 1"])
    }

    @Test func unterminatedFenceWarnsAndRuns() {
        let doc = parse("Text\n\n```swift\nlet x = 1\n")
        #expect(doc.cells.count == 1)
        #expect(doc.cells[0].code == "let x = 1\n")
        #expect(doc.diagnostics.map(\.description) == ["Lectures/01-x.md:3:1: warning: code fence is never closed; it runs to the end of the file"])
    }

    @Test func strayOutputBlockWarns() {
        let doc = parse("Text\n\n```output\n1\n```\n")
        #expect(doc.cells.isEmpty)
        #expect(doc.diagnostics.first?.severity == .warning)
    }

    @Test func inlineValuesAndClaims() {
        let doc = parse("A `{swift} rho` and `{swift} eig[1] ≈ 0.59` and `{swift} x ~= 2` and `plain`.\n")
        #expect(doc.inlines.map(\.expression) == ["rho", "eig[1]", "x"])
        #expect(doc.inlines.map(\.claim) == [nil, "0.59", "2"])
        #expect(doc.inlines.map(\.column) == [4, 22, 52])
        #expect(doc.source.string(doc.inlines[1].range) == "`{swift} eig[1] ≈ 0.59`")
    }

    /// cmark misplaces code spans on lazy continuation lines (it adds the list's
    /// indentation); the range still has to hold the span, or Markdown output
    /// would splice the value into the wrong bytes.
    @Test(arguments: ["- a\n`{swift} x` and `{swift} x`\n", "> a\n`{swift} x` and `{swift} x`\n",
                      "   - [x] b\n`{swift} x` and `{swift} x`\n"])
    func inlineValuesOnLazyLinesKeepTheirPlace(_ text: String) {
        let doc = parse(text)
        #expect(doc.inlines.count == 2)
        for v in doc.inlines { #expect(doc.source.string(v.range) == "`{swift} x`") }
        #expect(doc.inlines.map(\.line) == [2, 2])
        #expect(doc.inlines.map(\.column) == [2, 18])
    }

    /// Fences inside a quote or a list item close behind their markers.
    @Test(arguments: ["> ```python\n> x\n> ```\n", "- ```\n  x\n  ```\n", "1. a\n\n   ~~~~\n   x\n   ~~~~~\n"])
    func closedFencesInContainersDoNotWarn(_ text: String) {
        #expect(parse(text).diagnostics.isEmpty)
    }

    @Test func anUnclosedFenceInAQuoteStillWarns() {
        #expect(parse("> ```\n> x\n\ny\n").diagnostics.map(\.message) == ["code fence is never closed; it runs to the end of the file"])
    }

    @Test func cellsOnListMarkerLinesAreRefusedAndSaySo() {
        let doc = parse("> ```swift\n> print(1)\n> ```\n\n- ```swift\n  print(2)\n  ```\n\n- item\n\n  ```swift\n  print(3)\n  ```\n")
        #expect(doc.diagnostics.map(\.line) == [5])
        #expect(doc.diagnostics[0].message.hasPrefix("a swift cell on a list item's marker line is not supported"))
        // In a quote, and indented on its own line under an item, a cell is a cell.
        #expect(doc.cells.map(\.fenceLine) == [1, 11])
        #expect(doc.cells.map(\.code) == ["print(1)\n", "print(3)\n"])
    }

    @Test func anUnreadableClaimLiteralIsNotAParseError() {
        // The claim still runs, and fails there with its own message (one failing claim, not a lecture that does not run).
        let doc = parse("See `{swift} x ≈ about`.\n")
        #expect(doc.diagnostics.isEmpty)
        #expect(doc.inlines.map(\.claim) == ["about"])
    }

    @Test func headingAnchorsAreStableAndUnique() {
        let doc = parse("# Intro\n\n## The (γρ)^L bound!\n\n## Intro\n\n## Intro\n")
        #expect(doc.headings.map(\.anchor) == ["intro", "the-γρl-bound", "intro-1", "intro-2"])
        // The blocks carry the same headings, so renderers need not count them.
        #expect(doc.blocks.compactMap { if case .heading(let h, _) = $0 { h } else { nil } } == doc.headings)
    }

    @Test func slugs() {
        #expect(Document.slugAndNumber(fileName: "06-eigen.md") == (6, "eigen"))
        #expect(Document.slugAndNumber(fileName: "notes.md") == (nil, "notes"))
    }
}

@Suite struct CaptionEscapes {
    @Test func texInQuotedValuesKeepsItsBackslashes() {
        let doc = Document.parse(path: "a.md", bytes: Array(#"```swift {caption="Powers of $\rho$, \"quoted\", \\ done"}"#.utf8) + Array("\n```\n".utf8))
        #expect(doc.cells.first?.options.caption == #"Powers of $\rho$, "quoted", \ done"#)
    }
}
