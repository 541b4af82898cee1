import Testing
@testable import LecternRunner
import LecternDocument

func lecture(_ text: String, path: String = "Lectures/01-test.md") -> Document {
    Document.parse(path: path, bytes: Array(text.utf8))
}

@Suite struct GeneratorTests {
    @Test func cellsRunInOrderBehindTheirMdLines() {
        let doc = lecture("# T\n\n```swift\nlet a = 1\n```\n\nText.\n\n```swift {eval=false}\nlet b = 2\n```\n\n```swift\nprint(a)\n```\n")
        let p = Generator.program(for: doc, params: [])
        #expect(p.cells == [0, 2])
        // Line 4 is `let a = 1`, line 14 is `print(a)` in the .md file.
        #expect(p.source.contains("#sourceLocation(file: \"Lectures/01-test.md\", line: 4)\nlet a = 1\n"))
        #expect(p.source.contains("#sourceLocation(file: \"Lectures/01-test.md\", line: 14)\nprint(a)\n"))
        #expect(!p.source.contains("let b = 2"))
    }
}

@Suite struct GeneratedProgramTests {
    @Test func paramsAreTypedConstantsReadAtRunTimeAboveTheCells() {
        let doc = lecture("---\nparams:\n  rho: 0.9\n  steps: 30\n---\n\n```swift\nprint(rho)\n```\n")
        let p = Generator.program(for: doc, params: doc.frontMatter.params)
        #expect(doc.frontMatter.params.map(\.line) == [3, 4])
        #expect(p.source.contains("let rho: Double = LecternParams.double(\"rho\")\nlet steps: Int = LecternParams.int(\"steps\")\n"))
        // The values are not in the program: another value runs the same program.
        var other = doc.frontMatter.params
        other[0].value = .double(1.1)
        #expect(Generator.program(for: doc, params: other).source == p.source)
        #expect(p.source.range(of: "let rho")!.lowerBound < p.source.range(of: "_lecternBeginCell(0)")!.lowerBound)
    }

    @Test func inlineValuesRunAfterTheCellsAboveThem() {
        let doc = lecture("```swift\nlet a = 2\n```\n\nIt is `{swift} a * 3`.\n\n```swift\nlet b = 1\n```\n")
        let p = Generator.program(for: doc, params: [])
        let inline = p.source.range(of: "_lecternInline(0, (a * 3))")!.lowerBound
        #expect(p.source.range(of: "_lecternEndCell(0)")!.lowerBound < inline)
        #expect(inline < p.source.range(of: "_lecternBeginCell(1)")!.lowerBound)
        #expect(p.inlines == [0])
    }

    @Test func cuttingAboveABrokenCellLeavesItAndTheCellsBelowOut() {
        let doc = lecture("```swift\nlet a = 1\n```\n\n```swift\nbroken(\n```\n\n```swift\nprint(a)\n```\n")
        let p = Generator.program(for: doc, params: [], upTo: 1)
        #expect(p.cells == [0])
        #expect(!p.source.contains("broken(") && !p.source.contains("print(a)"))
    }

    @Test func anInlineValueAboveItsDeclarationIsRefused() {
        let doc = lecture("The value `{swift} later` comes first.\n\n```swift\nlet later = 4\n```\n")
        let problems = ForwardReferences.find(in: doc)
        #expect(problems.map(\.inline) == [0])
        #expect(problems[0].message.hasPrefix("'later' is declared further down (line 4)"))
        // Declared above: allowed.
        #expect(ForwardReferences.find(in: lecture("```swift\nlet x = 4\n```\n\nThen `{swift} x`.\n")).isEmpty)
    }
}

@Suite struct InlineColumnTests {
    @Test func spansSharingALineGetColumnsThatDoNotOverlap() {
        let doc = lecture("```swift\nlet a = 1\n```\n\n`{swift} a` and `{swift} a + a` and `{swift} a ≈ 1`.\n")
        let p = Generator.program(for: doc, params: [])
        let ranges = p.inlines.compactMap { p.inlineColumns[$0] }
        #expect(ranges.count == 3)
        for (r, s) in zip(ranges, ranges.dropFirst()) { #expect(r.upperBound < s.lowerBound) }
        // Each range is where the expression really is in its generated line.
        let lines = p.source.split(separator: "\n").map(String.init).filter { $0.hasPrefix("_lectern") && $0.contains("(") && !$0.contains("Cell") && !$0.contains("Finish") }
        for (line, (k, expr)) in zip(lines, zip(p.inlines, ["a", "a + a", "a"])) {
            let r = p.inlineColumns[k]!
            let bytes = Array(line.utf8)
            #expect(String(decoding: bytes[(r.lowerBound - 1)..<(r.upperBound - 1)], as: UTF8.self) == expr)
        }
    }
}
