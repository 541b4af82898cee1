import Foundation
import Testing
import LecternDocument
@testable import LecternCheck

/// `check --update` changes only the output blocks, whatever the file holds
/// around them. Each test writes a lecture, rewrites it through
/// `OutputBlockUpdater.write` as `check --update` does, and compares the whole
/// file with what it must be: every byte outside the blocks as it was.
@Suite final class UpdateSafety {
    let folder = NSTemporaryDirectory() + "lectern-update-safety-" + UUID().uuidString

    init() throws { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// Parses `path`, gives its output blocks the new `texts`, rewrites it; the file's bytes after.
    func update(file path: String, _ texts: [String]) throws -> [UInt8] {
        let doc = Document.parse(path: path, bytes: Array(FileManager.default.contents(atPath: path)!))
        let blocks = doc.cells.compactMap(\.expected)
        #expect(blocks.count == texts.count)
        try OutputBlockUpdater.write(path: path, parsed: doc.source.bytes,
                                     updates: zip(blocks, texts).map { ($0.contentRange, $1) })
        return Array(FileManager.default.contents(atPath: path)!)
    }

    func update(_ source: [UInt8], _ texts: [String]) throws -> [UInt8] {
        let path = folder + "/\(UUID().uuidString).md"
        FileManager.default.createFile(atPath: path, contents: Data(source))
        return try update(file: path, texts)
    }

    func update(_ source: String, _ texts: [String]) throws -> String {
        String(decoding: try update(Array(source.utf8), texts), as: UTF8.self)
    }

    /// `source` with its blocks' new `texts` must be `expected`, read back with
    /// those texts, and stay as it is when updated again.
    func expectUpdate(_ source: String, _ texts: [String], gives expected: String) throws {
        let new = try update(source, texts)
        #expect(new == expected)
        #expect(outputs(new) == texts)
        #expect(try update(new, texts) == new)
    }

    /// The output blocks' texts as the parser reads them back.
    func outputs(_ text: String) -> [String] {
        Document.parse(path: "t.md", bytes: Array(text.utf8)).cells.compactMap { $0.expected?.text }
    }

    @Test func bytesThatAreNotUTF8StayAsTheyWere() throws {
        // Latin-1 é (0xE9) before, inside and after the block; the parser sees U+FFFD.
        func latin1(_ s: String) -> [UInt8] { s.unicodeScalars.map { UInt8($0.value) } }
        let before = latin1("# Caf\u{E9}\n\nNa\u{EF}ve prose.\n\n```swift\nprint(1)\n```\n```output\n")
        let after = latin1("```\n\nR\u{E9}sum\u{E9} \u{FF}\n")
        let source = before + latin1("old \u{E9}\n") + after
        #expect(String(validating: source, as: UTF8.self) == nil)
        let new = try update(source, ["1\n"])
        #expect(new == before + Array("1\n".utf8) + after)
        // Nothing left to change: the file is not written again.
        let path = folder + "/again.md"
        FileManager.default.createFile(atPath: path, contents: Data(new))
        #expect(try update(file: path, ["1\n"]) == new)
    }

    @Test func aFenceInTheOutputLengthensTheBlocksFences() throws {
        try expectUpdate("```swift\nprint(1)\n```\n```output {#x}\nold\n```\n\nAfter.\n\n```swift\nprint(2)\n```\n~~~output\nold\n~~~\n",
                         ["a\n```\nb ````` c\n", "~~~\nd\n"],
                         gives: "```swift\nprint(1)\n```\n``````output {#x}\na\n```\nb ````` c\n``````\n\nAfter.\n\n"
                            + "```swift\nprint(2)\n```\n~~~~output\n~~~\nd\n~~~~\n")
        // A fence longer than the content needs stays as it is.
        let long = "```swift\nprint(1)\n```\n`````output\nold\n`````\n"
        #expect(try update(long, ["```\n"]) == "```swift\nprint(1)\n```\n`````output\n```\n`````\n")
    }

    @Test func newLinesKeepTheListItemsIndentation() throws {
        try expectUpdate("1. Step one:\n\n   ```swift\n   print(1)\n   ```\n   ```output\n   old\n   ```\n\n   Still the item.\n\nAfter.\n",
                         ["1\n\n  2\n"],
                         gives: "1. Step one:\n\n   ```swift\n   print(1)\n   ```\n   ```output\n   1\n\n     2\n   ```\n\n   Still the item.\n\nAfter.\n")
    }

    @Test func newLinesStayInsideTheBlockQuote() throws {
        try expectUpdate("> Quoted:\n>\n> ```swift\n> print(1)\n> ```\n> ```output\n> old\n> ```\n\nAfter.\n",
                         ["1\n\n 2\n"],
                         gives: "> Quoted:\n>\n> ```swift\n> print(1)\n> ```\n> ```output\n> 1\n>\n>  2\n> ```\n\nAfter.\n")
        // A list in a quote, with CRLF line endings and a fence in the output.
        let nested = "> - item\r\n>\r\n>   ```swift\r\n>   print(1)\r\n>   ```\r\n>   ```output\r\n>   old\r\n>   ```\r\n"
        try expectUpdate(nested, ["a\n```\n"],
                         gives: "> - item\r\n>\r\n>   ```swift\r\n>   print(1)\r\n>   ```\r\n>   ````output\r\n>   a\r\n>   ```\r\n>   ````\r\n")
    }

    @Test func aLinkedLectureIsWrittenThroughTheLink() throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder + "/real", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: folder + "/Lectures", withIntermediateDirectories: true)
        let target = folder + "/real/01-a.md", link = folder + "/Lectures/01-a.md"
        fm.createFile(atPath: target, contents: Data("```swift\nprint(1)\n```\n```output\nold\n```\n".utf8),
                      attributes: [.posixPermissions: 0o640])
        try fm.createSymbolicLink(atPath: link, withDestinationPath: "../real/01-a.md")

        #expect(try update(file: link, ["1\n"]) == Array("```swift\nprint(1)\n```\n```output\n1\n```\n".utf8))
        #expect(try fm.destinationOfSymbolicLink(atPath: link) == "../real/01-a.md")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "```swift\nprint(1)\n```\n```output\n1\n```\n")
        #expect((try fm.attributesOfItem(atPath: target)[.posixPermissions] as? NSNumber)?.intValue == 0o640)
        #expect(try fm.contentsOfDirectory(atPath: folder + "/Lectures") == ["01-a.md"])
        #expect(try fm.contentsOfDirectory(atPath: folder + "/real") == ["01-a.md"])
    }
}
