import Foundation
@testable import LecternRender
import LecternDocument
import LecternResults

/// cmark-gfm's spec examples and the tools the conformance tests compare with:
/// the `cmark-gfm` program (the reference), cmark's HTML normalisation
/// (`scripts/html-normalize.py`) and the strict HTML5 check
/// (`scripts/html-validate.py`, python3-html5lib).
enum Conformance {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let folder = repository.deletingLastPathComponent().appendingPathComponent("shared/conformance")
    static let files = ["spec.txt", "extensions.txt", "regression.txt"]

    struct Example: Sendable {
        var file: String
        var number: Int
        var line: Int
        var section: String
        var markdown: String
        var name: String { "\(file):\(number)" }
    }

    /// The examples of one file, read as cmark-gfm's `test/spec_tests.py`
    /// reads them: numbered from 1, `→` standing for a tab.
    static func examples(_ file: String) throws -> [Example] {
        let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        let fence = String(repeating: "`", count: 32)
        var out: [Example] = []
        var state = 0, number = 0, start = 0
        var section = "", markdown = ""
        for (k, line) in text.components(separatedBy: "\n").enumerated() {
            let l = line.trimmingCharacters(in: .whitespaces)
            if state == 0 {
                if line.hasPrefix(fence + " example") {
                    state = 1
                    start = k + 1
                    markdown = ""
                } else if line.hasPrefix("#") {
                    section = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
                }
            } else if state == 1 {
                if l == "." { state = 2 } else { markdown += line.replacingOccurrences(of: "→", with: "\t") + "\n" }
            } else if l == fence {
                state = 0
                number += 1
                out.append(Example(file: file, number: number, line: start, section: section, markdown: markdown))
            }
        }
        return out
    }

    /// Why conformance cannot run here, or nil.
    static var missing: String? {
        if !FileManager.default.fileExists(atPath: folder.appendingPathComponent("spec.txt").path) {
            return "\(folder.path) is absent"
        }
        if cmark == nil { return "the cmark-gfm program is not installed (scripts/install-deps test)" }
        if python == nil { return "python3 is not installed (scripts/install-deps test)" }
        return nil
    }

    static func which(_ name: String, preferring: [String] = []) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in preferring + path.split(separator: ":").map(String.init) {
            let candidate = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static let cmark = which("cmark-gfm")
    /// Debian's python3 first: python3-html5lib is installed for it.
    static let python = which("python3", preferring: ["/usr/bin"])

    /// Lectern's configuration of cmark-gfm: safe mode (the default), the
    /// extensions `CmarkTree` attaches, and footnotes; table alignment as
    /// style attributes, as Lectern writes it.
    static let cmarkArguments = ["-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter",
                                 "-e", "tasklist", "-e", "footnotes", "--table-prefer-style-attributes"]

    /// Runs a program with `input` on stdin; returns stdout and the exit status.
    static func run(_ executable: String, _ arguments: [String], input: Data) throws -> (Data, Int32) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let stdin = Pipe(), stdout = Pipe()
        p.standardInput = stdin
        p.standardOutput = stdout
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Write on another thread: a large output could fill the pipe first.
        let writer = Thread {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (data, p.terminationStatus)
    }

    /// cmark-gfm's HTML for `markdown`, in Lectern's configuration.
    static func reference(_ markdown: String) throws -> String {
        let (data, status) = try run(cmark!, cmarkArguments, input: Data(markdown.utf8))
        guard status == 0 else { throw Failure("cmark-gfm exited with \(status)") }
        return String(decoding: data, as: UTF8.self)
    }

    /// The reference for many inputs, one program after another (the suite
    /// runs other tests that start processes at the same time).
    static func references(_ inputs: [String]) throws -> [String] {
        try inputs.map(reference)
    }

    /// cmark's `test/normalize.py` applied to each string.
    static func normalised(_ html: [String]) throws -> [String] {
        let input = try JSONEncoder().encode(html)
        let script = repository.appendingPathComponent("scripts/html-normalize.py").path
        let (data, status) = try run(python!, [script], input: input)
        guard status == 0 else { throw Failure("html-normalize.py exited with \(status)") }
        return try JSONDecoder().decode([String].self, from: data)
    }

    /// Problems the strict HTML5 check finds in the pages (empty when none).
    static func validationProblems(_ pages: [(name: String, html: String)]) throws -> [String] {
        struct Page: Encodable { var name: String; var html: String }
        let input = try JSONEncoder().encode(pages.map { Page(name: $0.name, html: $0.html) })
        let script = repository.appendingPathComponent("scripts/html-validate.py").path
        let (data, status) = try run(python!, [script], input: input)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        if status != 0 && lines.isEmpty { throw Failure("html-validate.py exited with \(status) (is python3-html5lib installed?)") }
        return lines
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// Lectern's HTML body for a Markdown text (no cells run).
    static func lecternHTML(_ markdown: String) -> String {
        let doc = Document.parse(path: "example.md", bytes: Array(markdown.utf8))
        return HTMLRenderer(document: doc, run: .notRun(doc), refs: CrossReferences(doc)).body()
    }

    /// Lectern's GFM output for a Markdown text (no cells run).
    static func lecternMarkdown(_ markdown: String) -> String {
        let doc = Document.parse(path: "example.md", bytes: Array(markdown.utf8))
        return MarkdownRenderer(document: doc, run: .notRun(doc), refs: CrossReferences(doc), figures: [],
                                references: LectureRenderer.references(in: doc)).render()
    }

    /// Lectern's decorations undone, so that what is left is what cmark-gfm
    /// would write: heading ids and anchor links, the table wrapper, the code
    /// block class, the task-list classes and the checkbox's boolean attributes.
    static func undecorated(_ html: String) -> String {
        var s = html
        func replace(_ pattern: String, _ template: String) {
            let re = try! NSRegularExpression(pattern: pattern)
            s = re.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: template)
        }
        replace(#"<h([1-6]) id="[^"]*">"#, "<h$1>")
        replace(##"<a class="anchor" href="#[^"]*" aria-label="Link to this section">#</a></h([1-6])>"##, "</h$1>")
        replace(#"<div class="table-wrap"><table>"#, "<table>")
        replace(#"</table></div>"#, "</table>")
        replace(#"<pre class="code">"#, "<pre>")
        replace(#"<(ul|ol)([^>]*) class="tasks">"#, "<$1$2>")
        replace(#"<li class="task">"#, "<li>")
        replace(#"<input type="checkbox" disabled checked>"#, #"<input type="checkbox" checked="" disabled="" />"#)
        replace(#"<input type="checkbox" disabled>"#, #"<input type="checkbox" disabled="" />"#)
        return s
    }

    /// A body as a page of its own, for the HTML5 check.
    static func page(_ body: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>example</title>\n</head>\n<body>\n"
            + body + "</body>\n</html>\n"
    }
}
