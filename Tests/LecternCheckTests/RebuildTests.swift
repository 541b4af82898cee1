import Foundation
import Testing

/// A rebuild skips a lecture whose inputs and files are as the last build left
/// them, and only such a lecture.
@Suite(.serialized) struct UnchangedLectures {
    static let first = "---\ntitle: One\n---\n# One\n\n```swift\nprint(\"one says\", 6 * 7)\n```\n\nSee $x^2$.\n"
    static let second = "---\ntitle: Two\n---\n# Two\n\n```swift\nprint(\"two says\", 2 + 2)\n```\n"

    func lines(_ r: CourseFolder.Result, _ lecture: String) -> [Substring] {
        r.stderr.split(separator: "\n").filter { $0.contains(lecture) }
    }

    @Test func aWarmRebuildSkipsEveryLectureAndWritesNothing() throws {
        let c = try CourseFolder(["01-one.md": Self.first, "02-two.md": Self.second])
        let counting = try CountingCompiler(in: c.root, fail: false)
        var r = try c.lectern("build", environment: ["SWIFTC": counting.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(counting.count == 2)
        let page = c.read("Output/one.html")
        #expect(page?.contains("one says 42") == true)
        // A compiler that fails when called: nothing may compile, and nothing runs either.
        let failing = try CountingCompiler(in: c.root + "/Lectures", fail: true)
        r = try c.lectern("build", "--explain", environment: ["SWIFTC": failing.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(lines(r, "01-one.md").first?.contains("unchanged: same inputs") == true, "\(r.stderr)")
        #expect(r.stderr.contains(" 0 files written"), "\(r.stderr)")
        #expect(failing.count == 0)
        #expect(c.read("Output/one.html") == page)
    }

    @Test func onlyTheEditedLectureIsRebuilt() throws {
        let c = try CourseFolder(["01-one.md": Self.first, "02-two.md": Self.second])
        #expect(try c.lectern("build").status == 0)
        try c.write("Lectures/02-two.md", Self.second + "\nA new sentence.\n")
        let r = try c.lectern("build", "--explain")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(lines(r, "01-one.md").first?.contains("unchanged:") == true, "\(r.stderr)")
        #expect(lines(r, "02-two.md").first?.contains("from cache") == true, "\(r.stderr)")
        #expect(c.read("Output/two.html")?.contains("A new sentence.") == true)
    }

    /// The progress line says "cached" when no combination of an explorable
    /// lecture ran, whether the page was skipped or re-rendered from the runs.
    @Test func anExplorableLectureFromTheCacheIsSaidToBeCached() throws {
        let lecture = "---\ntitle: X\nparams:\n  g: {value: 2, values: [1, 2, 3]}\n---\n# X\n\n```swift\nprint(g * g)\n```\n"
        let c = try CourseFolder(["01-x.md": lecture])
        var r = try c.lectern("build")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(lines(r, "01-x.md").first?.contains(": ok") == true, "\(r.stderr)")
        r = try c.lectern("build")
        #expect(lines(r, "01-x.md").first?.contains(": cached") == true, "\(r.stderr)")
        // A prose edit renders the page again from the three cached runs.
        try c.write("Lectures/01-x.md", lecture + "\nMore prose.\n")
        r = try c.lectern("build", "--explain")
        #expect(lines(r, "01-x.md").first?.contains(": cached") == true, "\(r.stderr)")
        #expect(lines(r, "01-x.md").first?.contains("3 combinations, 0 run") == true, "\(r.stderr)")
    }

    @Test func aPageChangedByHandIsWrittenAgain() throws {
        let c = try CourseFolder(["01-one.md": Self.first])
        #expect(try c.lectern("build").status == 0)
        let page = c.read("Output/one.html")
        try c.write("Output/one.html", "edited by hand")
        var r = try c.lectern("build", "--explain")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(c.read("Output/one.html") == page)
        // A deleted page too.
        try FileManager.default.removeItem(atPath: c.root + "/Output/one.md")
        r = try c.lectern("build")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(c.read("Output/one.md")?.contains("one says 42") == true)
    }

    @Test func aNewTitleElsewhereRebuildsTheNavigation() throws {
        let c = try CourseFolder(["01-one.md": Self.first, "02-two.md": Self.second])
        #expect(try c.lectern("build").status == 0)
        #expect(c.read("Output/one.html")?.contains("Two") == true)
        try c.write("Lectures/02-two.md", Self.second.replacingOccurrences(of: "title: Two", with: "title: Deux"))
        let r = try c.lectern("build", "--explain")
        #expect(r.status == 0, "\(r.stderr)")
        // Lecture one's pager and side bar name lecture two: it is rendered again.
        #expect(!(lines(r, "01-one.md").first?.contains("unchanged:") ?? true), "\(r.stderr)")
        #expect(c.read("Output/one.html")?.contains("Deux") == true)
    }

    @Test func aFailingLectureKeepsReportingItsFailure() throws {
        let broken = "# Broken\n\n```swift\nexpect(1 + 1, 3)\n```\n"
        let c = try CourseFolder(["01-broken.md": broken])
        var r = try c.lectern("build")
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("01-broken.md:4:7: error: expected 3, got 2"), "\(r.stderr)")
        r = try c.lectern("build", "--explain")
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("01-broken.md:4:7: error: expected 3, got 2"), "\(r.stderr)")
        #expect(r.stderr.contains("1 cell failed"), "\(r.stderr)")
        #expect(lines(r, "01-broken.md").first?.contains("FAILED") == true, "\(r.stderr)")
    }

    @Test func checkAfterAWarmBuildStillRunsEveryCheck() throws {
        let text = "# T\n\n```swift\nexpect(2 + 2, 4)\n```\n"
        let c = try CourseFolder(["01-t.md": text])
        #expect(try c.lectern("build").status == 0)
        #expect(try c.lectern("build").status == 0)
        let r = try c.lectern("check")
        #expect(r.status == 0, "\(r.stderr)\(r.stdout)")
        #expect((r.stdout + r.stderr).contains(" passed, 0 failed"), "\(r.stdout)\(r.stderr)")
        // As many checks as in a course that was never built.
        let fresh = try CourseFolder(["01-t.md": text])
        #expect(try fresh.lectern("build").status == 0)
        let f = try fresh.lectern("check")
        #expect((f.stdout + f.stderr).split(separator: "\n").last == (r.stdout + r.stderr).split(separator: "\n").last)
    }
}
