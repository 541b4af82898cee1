import Foundation
import Testing
@testable import LecternBuild

/// The build writes and deletes only inside the output folder, whatever the
/// committed manifest says and whatever the lectures are called.
@Suite struct OutputSafety {
    let fm = FileManager.default

    func build(_ c: TempCourse) throws -> BuildReport {
        var o = BuildOptions()
        o.outputDirectory = c.output
        o.cacheDirectory = c.root + "/.lectern-cache"
        return try CourseBuilder(course: try Course.load(c.lectures), options: o).build()
    }

    /// A folder beside the course (a TempCourse of its own) holding `tree/sentinel.txt`.
    func victim() throws -> (folder: TempCourse, tree: String) {
        let v = try TempCourse([:])
        try fm.createDirectory(atPath: v.root + "/tree", withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: v.root + "/tree/sentinel.txt"))
        return (v, v.root + "/tree")
    }

    /// Every file under `folder`, relative path -> contents.
    func files(under folder: String) -> [String: Data] {
        var out: [String: Data] = [:]
        let e = fm.enumerator(atPath: folder)
        while let rel = e?.nextObject() as? String {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: folder + "/" + rel, isDirectory: &isDir), !isDir.boolValue {
                out[rel] = fm.contents(atPath: folder + "/" + rel)
            }
        }
        return out
    }

    func put(_ path: String, _ text: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }
    func text(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    @Test func manifestEntriesOutsideTheFolderAreIgnoredWithAWarning() throws {
        let c = try TempCourse(["01-a.md": "# A\n\nText.\n"])
        let (v, tree) = try victim()
        let up = "../../" + (v.root as NSString).lastPathComponent + "/tree"  // from Output/ to the victim's tree
        // Links inside Output/ that lead out of it, and files Lectern never wrote.
        try fm.createDirectory(atPath: c.output + "/mine", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: c.output + "/link", withDestinationPath: tree)
        try fm.createSymbolicLink(atPath: c.output + "/escape.html", withDestinationPath: tree + "/sentinel.txt")
        try put(c.output + "/mine/keep.txt", "mine")
        try put(c.output + "/old.html", "from an earlier build")
        let manifest = c.output + "/.lectern-manifest"
        try put(manifest, [
            "ghost\t\(up)",
            "ghost\t\(tree)/sentinel.txt",
            "ghost\tlink/sentinel.txt",
            "ghost\tescape.html",
            "ghost\tmine/../\(up)/sentinel.txt",
            "ghost\t./old.html",
            "ghost\tmine",
            "ghost\told.html",
        ].joined(separator: "\n") + "\n")
        #expect(fm.fileExists(atPath: c.output + "/" + up + "/sentinel.txt"))  // the path does reach it
        let victimBefore = files(under: v.root)

        let report = try build(c)

        #expect(files(under: v.root) == victimBefore)
        #expect(text(tree + "/sentinel.txt") == "keep me")
        let warnings = report.diagnostics.filter { $0.severity == .warning && $0.file == manifest }
        #expect(warnings.map(\.line) == [1, 2, 3, 4, 5, 6])
        #expect(warnings.first?.description == "\(manifest):1: warning: entry '\(up)' ignored: it is not a plain "
                + "relative path (empty, '.' or '..' segments); Lectern only writes and deletes inside \(c.output)/")
        #expect(warnings[1].message.contains("absolute path"))
        #expect(warnings[2].message.contains("symbolic link"))
        #expect(warnings[3].message.contains("symbolic link"))
        #expect(!report.failed)
        // A folder is never deleted, even one the manifest names; a file it names is.
        #expect(c.read("mine/keep.txt") == "mine")
        #expect(!fm.fileExists(atPath: c.output + "/old.html"))
        #expect(c.read("a.html") != nil)
        // The rewritten manifest names only what this build wrote.
        let rewritten = c.read(".lectern-manifest") ?? ""
        #expect(!rewritten.contains("ghost") && rewritten.contains("a\ta.html"))
    }

    @Test func nothingIsWrittenThroughALinkOutOfTheFolder() throws {
        let c = try TempCourse(["01-a.md": "# A\n\nText.\n"])
        let (v, tree) = try victim()
        try fm.createDirectory(atPath: c.output, withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: c.output + "/assets", withDestinationPath: tree)
        let victimBefore = files(under: v.root)
        #expect(throws: BuildError.self) { try build(c) }
        #expect(files(under: v.root) == victimBefore)
    }

    @Test func aLectureWhoseSlugLeavesTheFolderIsRefused() throws {
        // `01-...md` has the slug `..`: its figures would go to Output/../ and,
        // once the lecture is gone, be deleted there. The sentinel sits where
        // its figure would be written.
        let c = try TempCourse([
            "01-...md": "# Up\n\n```swift {#fig-up}\nvar f = Figure(title: \"up\")\nf.line([1, 2], label: \"a\")\nshow(f)\n```\n",
            "02-b.md": "# B\n\nText.\n",
        ])
        try put(c.root + "/fig-up-1.svg", "keep me")
        // What the previous version's build recorded for that lecture.
        try fm.createDirectory(atPath: c.output, withIntermediateDirectories: true)
        try put(c.output + "/.lectern-manifest", "..\t../fig-up-1.svg\n..\t...html\n")
        let courseBefore = files(under: c.root).filter { !$0.key.hasPrefix("Output/") }

        let report = try build(c)

        #expect(text(c.root + "/fig-up-1.svg") == "keep me")
        #expect(files(under: c.root).filter { !$0.key.hasPrefix("Output/") } == courseBefore)
        let errors = report.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.description) == [
            "\(c.lectures)/01-...md: error: lecture slug '..' would put its pages and figures outside the output folder; "
                + "rename 01-...md (the slug is the file name without its number and .md: 03-eigen.md makes eigen.html)",
        ])
        // The rest of the course is built.
        #expect(c.read("b.html")?.contains("Text.") == true)
        #expect(!fm.fileExists(atPath: c.output + "/...html"))
    }

    @Test func slugsThatCollideWithTheCourseOrAreNoFileNamesAreRefused() throws {
        let c = try TempCourse(["00-index.md": "# Index lecture\n", "01-assets.md": "# Assets\n", "02-.hidden.md": "# H\n",
                             "03..md": "# Dot\n", "04-fine.md": "# Fine\n"])
        let course = try Course.load(c.lectures)
        #expect(course.documents.map(\.slug) == ["fine"])
        #expect(course.diagnostics.map(\.file) == ["00-index.md", "01-assets.md", "02-.hidden.md", "03..md"].map { c.lectures + "/" + $0 })
        #expect(course.diagnostics.allSatisfy { $0.severity == .error && $0.line == 0 && $0.message.contains("rename") })
        _ = try build(c)
        // The course index is the course's, not the lecture's.
        #expect(c.read("index.html")?.contains("Index lecture") == false)

        #expect(Course.slugProblem("index") == "is the course index's name (index.html)")
        #expect(Course.slugProblem("Assets") == "is the name of the course's assets folder (assets/)")
        #expect(Course.slugProblem("") == "is empty")
        #expect(Course.slugProblem(".") != nil && Course.slugProblem("..") != nil)
        #expect(Course.slugProblem("a/b") == "contains a path separator")
        #expect(Course.slugProblem(".git") == "starts with a dot (its pages would be hidden files)")
        #expect(Course.slugProblem("rnn-dynamics") == nil && Course.slugProblem("index2") == nil)
    }
}
