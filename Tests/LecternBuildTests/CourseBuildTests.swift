import Foundation
import Testing
@testable import LecternBuild
import LecternDocument

let demoLecture = """
---
title: Spectral radius
subtitle: Why powers explode
---

## Powers

The eigenvalues $\\lambda$ of $W$ decide: $$\\rho(W) = \\max_i |\\lambda_i|.$$

## Table

| $L$ | $(\\gamma\\rho)^L$ |
|---|---|
| 1 | 0.9 |

"""

@Suite struct CourseBuild {
    @Test func buildsPagesIndexAndAssets() throws {
        let c = try TempCourse(["01-spectral.md": demoLecture, "02-next.md": "# Second lecture\n\nText.\n"])
        let report = try c.build(useCache: true)
        #expect(!report.failed)
        let files = c.snapshot()
        for f in ["index.html", "spectral.html", "spectral.md", "next.html", "next.md", "assets/lectern.css",
                  "assets/lectern.js", "assets/katex/katex.min.css",
                  "assets/katex/fonts/KaTeX_Main-Regular.woff2"] {
            #expect(files[f] != nil, "missing \(f)")
        }
        // KaTeX's script only when the browser renders the math.
        #expect((files["assets/katex/katex.min.js"] != nil) == (report.math == .browser))
        let index = c.read("index.html")!
        #expect(index.range(of: "Spectral radius")!.lowerBound < index.range(of: "Second lecture")!.lowerBound)
        #expect(index.contains("Why powers explode"))
        let page = c.read("spectral.html")!
        #expect(page.contains("<a class=\"next\" rel=\"next\" href=\"next.html\"><span>Next</span>Second lecture</a>"))
        #expect(c.read("next.html")!.contains("rel=\"prev\" href=\"spectral.html\""))
        #expect(!files.keys.contains { $0.contains(".tmp-") })
    }

    @Test func deterministicBytes() throws {
        let c1 = try TempCourse(["01-spectral.md": demoLecture])
        let c2 = try TempCourse(["01-spectral.md": demoLecture])
        _ = try c1.build(useCache: true)
        _ = try c2.build(useCache: true)
        #expect(c1.snapshot() == c2.snapshot())
        // A second build changes nothing and writes nothing.
        let again = try c1.build(useCache: true)
        #expect(again.filesWritten.isEmpty)
    }

    @Test func deletedLectureIsRemovedAndForeignFilesAreKept() throws {
        let c = try TempCourse(["01-spectral.md": demoLecture, "02-gone.md": "# Gone\n"])
        _ = try c.build(useCache: true)
        #expect(c.read("gone.html") != nil)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: c.output + "/notes.txt"))
        try FileManager.default.removeItem(atPath: c.lectures + "/02-gone.md")
        _ = try c.build(useCache: true)
        #expect(c.read("gone.html") == nil && c.read("gone.md") == nil)
        #expect(c.read("notes.txt") == "mine")
        #expect(!c.read("index.html")!.contains("Gone"))
    }

    @Test func badLecturesDoNotStopTheOthers() throws {
        var bad: [UInt8] = Array("---\ntitle: [oops\n---\n# Broken\n".utf8) + [0xC3, 0x28]
        bad += Array("\n```swift {caption=\"open\n".utf8)
        let c = try TempCourse(["01-spectral.md": demoLecture, "03-empty.md": ""])
        try Data(bad).write(to: URL(fileURLWithPath: c.lectures + "/02-broken.md"))
        let report = try c.build(useCache: true)
        #expect(report.failed)
        #expect(c.read("spectral.html") != nil && c.read("broken.html") != nil && c.read("empty.html") != nil)
        let text = report.diagnostics.map(\.description)
        #expect(text.contains { $0.hasPrefix(c.lectures + "/02-broken.md:") && $0.contains("invalid YAML") }, "\(text)")
        #expect(text.contains { $0.hasPrefix(c.lectures + "/02-broken.md:") && $0.contains("not valid UTF-8") })
        #expect(text.contains(c.lectures + "/03-empty.md: warning: lecture is empty"))
    }
}

@Suite struct CourseConfigFile {
    func parse(_ text: String) -> (CourseConfig, [String]) {
        var diags: [Diagnostic] = []
        let config = CourseConfig.parse(text, path: "L/course.yml", diagnostics: &diags)
        return (config, diags.map(\.description))
    }

    @Test func titleAsToday() {
        #expect(parse("title: Vanishing gradients\n").0.title == "Vanishing gradients")
        #expect(parse("title: \"Quoted: with a colon\"\n").0.title == "Quoted: with a colon")
        #expect(parse("title: 'Single'\r\n").0.title == "Single")
        #expect(parse("title:\n").0.title == nil)
        #expect(parse("title: \"\"\n").0.title == nil)
        #expect(parse("").0 == CourseConfig() && parse("").1.isEmpty)
        #expect(parse("# only a comment\n").1.isEmpty)
    }

    @Test func unknownKeyWarnsAtItsLine() {
        let (config, diags) = parse("title: T\nauthor: Me\n")
        #expect(config.title == "T")
        #expect(diags == ["L/course.yml:2: warning: unknown course.yml key 'author' (ignored); known keys: title, lectures, output, pdf, paper"])
    }

    @Test func syntaxErrorIsAnErrorAtItsLine() {
        let (config, diags) = parse("title: T\nother: [unclosed\n")
        #expect(config.title == nil)
        #expect(diags.count == 1)
        #expect(diags.first?.hasPrefix("L/course.yml:3: error: invalid YAML in course.yml: ") == true, "\(diags)")
    }

    @Test func wrongShapesAreErrors() {
        #expect(parse("just a title\n").1 == ["L/course.yml:1: error: course.yml must be a mapping of keys (title, lectures, output, pdf, paper)"])
        #expect(parse("title: [a, b]\n").1 == ["L/course.yml:1: error: 'title' must be a string"])
    }

    @Test func courseTakesTitleAndDiagnostics() throws {
        let c = try TempCourse(["01-a.md": "# A\n", "course.yml": "title: My course\ntheme: dark\n"])
        let course = try Course.load(c.lectures)
        #expect(course.title == "My course")
        #expect(course.diagnostics.map(\.description)
                == ["\(c.lectures)/course.yml:2: warning: unknown course.yml key 'theme' (ignored); known keys: title, lectures, output, pdf, paper"])
        let bare = try TempCourse(["01-a.md": "# A\n"])
        let plain = try Course.load(bare.lectures)
        #expect(plain.title == Course.defaultTitle && plain.diagnostics.isEmpty)
    }
}
