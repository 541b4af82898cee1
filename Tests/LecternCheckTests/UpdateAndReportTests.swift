import Foundation
import FoundationXML
import Testing
import LecternDocument
@testable import LecternCheck

@Suite struct OutputBlockUpdaterTests {
    /// The (range, text) pairs for every output block of a document, with new texts.
    func updates(_ source: String, _ texts: [String]) -> (doc: Document, list: [(range: Range<Int>, text: String)]) {
        let doc = Document.parse(path: "t.md", bytes: Array(source.utf8))
        let blocks = doc.cells.compactMap(\.expected)
        return (doc, zip(blocks, texts).map { ($0.contentRange, $1) })
    }

    func rewrite(_ source: String, _ texts: [String]) -> String {
        let (doc, list) = updates(source, texts)
        return String(decoding: OutputBlockUpdater.apply(doc.source.bytes, list), as: UTF8.self)
    }

    @Test func rewritesOnlyTheBlockContents() {
        let source = "# T\n\nSome *prose* with \\_escapes\\_.\n\n```swift\nprint(1)\n```\n```output\nold\n```\n\nAfter.\n"
        let expected = "# T\n\nSome *prose* with \\_escapes\\_.\n\n```swift\nprint(1)\n```\n```output\n1\n2\n```\n\nAfter.\n"
        #expect(rewrite(source, ["1\n2\n"]) == expected)
        // Idempotent: the same output again changes nothing.
        #expect(rewrite(expected, ["1\n2\n"]) == expected)
    }

    @Test func keepsCRLFAndTheMissingFinalNewline() {
        let source = "```swift\r\nprint(1)\r\n```\r\n```output\r\nold\r\n```"
        let once = rewrite(source, ["a  \nb\n"])
        #expect(once == "```swift\r\nprint(1)\r\n```\r\n```output\r\na\r\nb\r\n```")
        #expect(rewrite(once, ["a  \nb\n"]) == once)
    }

    @Test func emptyOutputAndSeveralBlocks() {
        let source = "```swift\nlet a = 1\n```\n```output\nx\n```\n\ntext\n\n```swift\nprint(2)\n```\n```output\n```\n"
        let out = rewrite(source, ["", "2\n"])
        #expect(out == "```swift\nlet a = 1\n```\n```output\n```\n\ntext\n\n```swift\nprint(2)\n```\n```output\n2\n```\n")
    }

    @Test func refusesAFileThatChangedOnDisk() throws {
        let path = NSTemporaryDirectory() + "lectern-update-\(UUID().uuidString).md"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = "```swift\nprint(1)\n```\n```output\nold\n```\n"
        try Data(source.utf8).write(to: URL(fileURLWithPath: path))
        let (doc, list) = updates(source, ["1\n"])
        try Data((source + "edited\n").utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: OutputBlockUpdater.Failure.self) {
            try OutputBlockUpdater.write(path: path, parsed: doc.source.bytes, updates: list)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == source + "edited\n")
        // Unchanged on disk: written.
        try Data(source.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try OutputBlockUpdater.write(path: path, parsed: doc.source.bytes, updates: list))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "```swift\nprint(1)\n```\n```output\n1\n```\n")
    }
}

@Suite struct ReportTests {
    let report = CheckReport(results: [
        CheckResult(kind: .output, passed: false, file: "Lectures/03-e.md", line: 42, column: 5, name: "output of #ones",
                    message: "expected 2, got 2.0001 (rtol 1e-09: 50%)", detail: ["- a", "+ b"]),
        CheckResult(kind: .claim, passed: true, file: "Lectures/03-e.md", line: 9, column: 3, name: "claim at line 9"),
        CheckResult(kind: .outputFile, passed: false, file: "Output/e.html", line: 0, name: "Output/e.html",
                    message: "stale: <it> & \"that\""),
    ])

    @Test func summaryAndTextForm() {
        #expect(report.summary == "1 passed, 2 failed")
        #expect(report.textLines() == [
            "Lectures/03-e.md:42:5: error: expected 2, got 2.0001 (rtol 1e-09: 50%)",
            "    - a",
            "    + b",
            "Output/e.html: error: stale: <it> & \"that\"",
        ])
    }

    @Test func githubAnnotationsAreEscaped() {
        #expect(report.githubLines() == [
            "::error file=Lectures/03-e.md,line=42,col=5,title=lectern check%3A output of #ones::expected 2, got 2.0001 (rtol 1e-09: 50%25)%0A- a%0A+ b",
            "::error file=Output/e.html,title=lectern check%3A Output/e.html::stale: <it> & \"that\"",
        ])
    }

    @Test func aMessageWithANewlineCannotPassForAWorkflowCommand() {
        let forged = CheckReport(results: [
            CheckResult(kind: .expect, passed: false, file: "Lectures/01-a.md", line: 3, name: "expect at 01-a.md:3",
                        message: "expected 1\n::warning file=x.md,line=1::forged"),
        ])
        // In text, the second line is indented: no line but the failure's own starts at the margin.
        #expect(forged.textLines() == ["Lectures/01-a.md:3: error: expected 1", "    ::warning file=x.md,line=1::forged"])
        // For GitHub, commands are off while the text is printed; the one annotation encodes the newline.
        let lines = forged.githubOutput(token: "T0K")
        #expect(lines.first == "::stop-commands::T0K")
        let resumed = lines.firstIndex(of: "::T0K::")!
        #expect(lines[1..<resumed].allSatisfy { !$0.hasPrefix("::") })
        let annotations = lines[(resumed + 1)...].filter { $0.hasPrefix("::") }
        #expect(annotations == ["::error file=Lectures/01-a.md,line=3,title=lectern check%3A expect at 01-a.md%3A3::expected 1%0A::warning file=x.md,line=1::forged"])
    }

    @Test func junitIsWellFormedWithOneCasePerCheck() throws {
        let doc = try XMLDocument(xmlString: report.junitXML())
        let cases = try doc.nodes(forXPath: "//testcase")
        #expect(cases.count == 3)
        let failures = try doc.nodes(forXPath: "//testcase/failure")
        #expect(failures.count == 2)
        let root = try #require(doc.rootElement())
        #expect(root.attribute(forName: "tests")?.stringValue == "3")
        #expect(root.attribute(forName: "failures")?.stringValue == "2")
        let message = try #require((failures[1] as? XMLElement)?.attribute(forName: "message")?.stringValue)
        #expect(message == "stale: <it> & \"that\"")
    }
}
