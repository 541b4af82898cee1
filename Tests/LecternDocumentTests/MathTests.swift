import Testing
@testable import LecternDocument

/// Every mangling cmark-gfm does to math (measured, listed in shared NOTES):
/// the span must come back byte for byte.
@Suite struct MathProtection {
    func parse(_ s: String) -> Document { Document.parse(path: "t.md", bytes: Array(s.utf8)) }

    func onlyMath(_ doc: Document) -> [String] { doc.math.map(\.source) }

    @Test(arguments: [
        #"$a \| b$"#,            // \| would become |
        #"$a \\ b$"#,            // \\ would become \
        ##"$\_ \{ \, \#$"##,     // backslashes before punctuation would vanish
        "$*x* and _a_$",         // would become emphasis
        "$a <b>bold</b> c$",     // would be raw HTML
        "$&amp; x$",             // entity would be decoded
        "$a|b$",                 // pipe (outside tables harmless, inside must not split)
    ])
    func inlineMathSurvivesVerbatim(_ math: String) {
        let doc = parse("Text \(math) end.\n")
        #expect(onlyMath(doc) == [math])
        guard case .paragraph(let inl)? = doc.blocks.first else { Issue.record("no paragraph"); return }
        #expect(inl == [.text("Text "), .math(0), .text(" end.")])
    }

    @Test func backslashAtLineEndInDisplayMathIsNotALineBreak() {
        let src = "$$\na \\\\\nb \\\n$$\n"
        let doc = parse(src)
        #expect(doc.math.count == 1)
        #expect(doc.math[0].tex == "\na \\\\\nb \\\n")
        guard case .paragraph(let inl)? = doc.blocks.first else { Issue.record("no paragraph"); return }
        #expect(inl == [.math(0)])
    }

    @Test func pipeInsideMathDoesNotSplitATableCell() {
        let doc = parse("| a | b |\n|---|---|\n| $x|y$ | 2 |\n")
        guard case .table(_, _, let rows)? = doc.blocks.first else { Issue.record("no table"); return }
        #expect(rows.count == 1 && rows[0].count == 2)
        #expect(rows[0][0] == [.math(0)])
        #expect(doc.math[0].source == "$x|y$")
    }

    @Test func otherDelimiters() {
        let doc = parse(#"Inline \(x_1\) and display \[y_2\]."# + "\n")
        #expect(doc.math.map(\.display) == [false, true])
        #expect(doc.math.map(\.tex) == ["x_1", "y_2"])
    }

    @Test(arguments: ["It costs $5 and $10.", "$ 5 and 10$", "from $3 to $ 4"])
    func dollarAmountsAreNotMath(_ text: String) {
        let doc = parse(text + "\n")
        #expect(doc.math.isEmpty)
        guard case .paragraph(let inl)? = doc.blocks.first else { Issue.record("no paragraph"); return }
        #expect(inl == [.text(text)])
    }

    @Test func escapedDollarIsNotMath() {
        #expect(parse(#"\$x$ and y"# + "\n").math.isEmpty)
    }

    @Test func noMathInCodeSpansOrFences() {
        let doc = parse("Code `$x$` here.\n\n```\n$$ y $$\n```\n")
        #expect(doc.math.isEmpty)
    }

    @Test func unterminatedDisplayMathWarnsAndIsKept() {
        let doc = parse("Intro.\n\n$$ a + b\n\nMore.\n")
        #expect(doc.math.isEmpty)
        #expect(doc.diagnostics.map(\.description) == ["t.md:3:1: warning: unterminated display math '$$': kept as written"])
        guard case .paragraph(let inl)? = doc.blocks.dropFirst().first else { Issue.record("no paragraph"); return }
        #expect(inl == [.text("$$ a + b")])
    }

    @Test func mathDoesNotCrossABlankLine() {
        #expect(parse("$a\n\nb$\n").math.isEmpty)
    }

    @Test func multiByteMathKeepsOffsets() {
        let doc = parse("Ünïcode $\\alpha ≈ β$ and `{swift} x`.\n")
        #expect(doc.math[0].source == "$\\alpha ≈ β$")
        #expect(doc.inlines.first?.expression == "x")
        // Bytes: "Ünïcode " is 10, the math 15, " and `" 6, so the content starts at column 32.
        #expect(doc.inlines.first?.column == 32)
    }
}
