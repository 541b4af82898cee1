import Foundation
import Testing
import LecternBuild
@testable import LecternServe

@Suite struct SourceChangeTests {
    func stamp(_ m: Double, _ size: Int = 10, _ inode: Int = 1) -> FileStamp { FileStamp(modified: m, size: size, inode: inode) }

    @Test func diffNamesAddedRemovedAndModified() {
        let old = SourceSnapshot(files: ["01-a.md": stamp(1), "02-b.md": stamp(1), "course.yml": stamp(1)])
        let new = SourceSnapshot(files: ["01-a.md": stamp(2), "03-c.md": stamp(1), "course.yml": stamp(1, 10, 7)])
        let c = SourceChanges(from: old, to: new)
        #expect(c == SourceChanges(added: ["03-c.md"], removed: ["02-b.md"], modified: ["01-a.md", "course.yml"]))
        #expect(c.description == "01-a.md, course.yml changed; 03-c.md added; 02-b.md removed")
        #expect(SourceChanges(from: old, to: old).isEmpty)
        #expect(SourceChanges(from: old, to: SourceSnapshot(files: old.files.mapValues { stamp($0.modified, 11) })).modified.count == 3)
    }

    @Test func snapshotSeesLecturesAndCourseFileOnly() throws {
        let c = try TempCourse(["01-a.md": "# A\n", "course.yml": "title: T\n", "notes.txt": "x", ".01-a.md.swp": "x"])
        try FileManager.default.createDirectory(atPath: c.lectures + "/sub.md", withIntermediateDirectories: true)
        let s = SourceSnapshot.take(c.lectures)
        #expect(Set(s.files.keys) == ["01-a.md", "course.yml"])
        #expect(s.files["01-a.md"]?.size == 4)
        #expect(SourceSnapshot.take(c.root + "/missing") == SourceSnapshot())
    }

    @Test func anEditIsSeenEvenWithinTheSameSecond() throws {
        let c = try TempCourse(["01-a.md": "# A\n"])
        let before = SourceSnapshot.take(c.lectures)
        // Same size, saved as editors do: a new file renamed over the old one.
        try Data("# B\n".utf8).write(to: URL(fileURLWithPath: c.lectures + "/01-a.md"), options: .atomic)
        let after = SourceSnapshot.take(c.lectures)
        #expect(SourceChanges(from: before, to: after).modified == ["01-a.md"])
    }
}

@Suite struct BuildPlanTests {
    func course(_ files: [String: String]) throws -> (TempCourse, Course) {
        let c = try TempCourse(files)
        return (c, try Course.load(c.lectures))
    }

    let three = ["01-a.md": "# A\n\nProse a.\n", "02-b.md": "# B\n\nProse b.\n", "03-c.md": "# C\n\nProse c.\n"]

    @Test func firstBuildBuildsAll() throws {
        let (_, now) = try course(three)
        #expect(BuildPlan.make(previous: nil, current: now, changes: SourceChanges()) == .all)
    }

    @Test func proseChangeBuildsOnlyThatLecture() throws {
        let (c, before) = try course(three)
        try c.write("02-b.md", "# B\n\nOther prose.\n")
        let now = try Course.load(c.lectures)
        #expect(BuildPlan.make(previous: before, current: now, changes: SourceChanges(modified: ["02-b.md"]))
                == .only([c.lectures + "/02-b.md"]))
    }

    @Test func titleChangeBuildsAllSoNeighboursLinksFollow() throws {
        let (c, before) = try course(three)
        try c.write("02-b.md", "# Bee\n\nProse b.\n")
        let now = try Course.load(c.lectures)
        #expect(BuildPlan.make(previous: before, current: now, changes: SourceChanges(modified: ["02-b.md"])) == .all)
    }

    @Test func orderChangeAddedRemovedAndCourseFileBuildAll() throws {
        let (c, before) = try course(three)
        try c.write("02-b.md", "---\norder: 9\n---\n# B\n")
        let now = try Course.load(c.lectures)
        #expect(BuildPlan.make(previous: before, current: now, changes: SourceChanges(modified: ["02-b.md"])) == .all)
        #expect(BuildPlan.make(previous: before, current: before, changes: SourceChanges(added: ["04-d.md"])) == .all)
        #expect(BuildPlan.make(previous: before, current: before, changes: SourceChanges(removed: ["03-c.md"])) == .all)
        #expect(BuildPlan.make(previous: before, current: before, changes: SourceChanges(modified: ["course.yml"])) == .all)
    }
}

/// Rebuilds of a course without cells (nothing to compile): which pages are
/// written, and that links between pages stay right.
@Suite struct RebuilderTests {
    func rebuilder(_ c: TempCourse) -> Rebuilder {
        var o = BuildOptions()
        o.outputDirectory = c.output
        o.cacheDirectory = c.root + "/.lectern-cache"
        return Rebuilder(lecturesDirectory: c.lectures, options: o)
    }

    @Test func proseEditRewritesOnlyItsPages() throws {
        let c = try TempCourse(["01-a.md": "# A\n\nProse a.\n", "02-b.md": "# B\n\nProse b.\n"])
        let r = rebuilder(c)
        let first = r.rebuild(nil)
        #expect(first.plan == .all && first.report?.lecturesBuilt == 2)
        let base = SourceSnapshot.take(c.lectures)
        try c.write("02-b.md", "# B\n\nNew prose b.\n")
        let changes = SourceChanges(from: base, to: SourceSnapshot.take(c.lectures))
        let second = r.rebuild(changes)
        #expect(second.plan == .only([c.lectures + "/02-b.md"]))
        #expect(second.report?.lecturesBuilt == 1)
        #expect(Set(second.report?.filesWritten ?? []) == ["b.html", "b.md", "assets/search/b.js"])
        #expect(c.read("b.html")?.contains("New prose b.") == true)
        #expect(Rebuilder.summary(second, changes: changes).hasPrefix("02-b.md changed: built 1 lecture, 3 files written ("))
    }

    @Test func titleEditUpdatesNeighbourAndIndex() throws {
        let c = try TempCourse(["01-a.md": "# A\n\nProse a.\n", "02-b.md": "# B\n\nProse b.\n"])
        let r = rebuilder(c)
        _ = r.rebuild(nil)
        let base = SourceSnapshot.take(c.lectures)
        try c.write("02-b.md", "# Renamed lecture\n\nProse b.\n")
        let out = r.rebuild(SourceChanges(from: base, to: SourceSnapshot.take(c.lectures)))
        #expect(out.plan == .all)
        #expect(c.read("a.html")?.contains("Renamed lecture") == true)  // the "next" link
        #expect(c.read("index.html")?.contains("Renamed lecture") == true)
    }

    @Test func deletedLectureIsPrunedAndNewOneIndexed() throws {
        let c = try TempCourse(["01-a.md": "# A\n", "02-b.md": "# B\n"])
        let r = rebuilder(c)
        _ = r.rebuild(nil)
        #expect(c.read("b.html") != nil)
        let base = SourceSnapshot.take(c.lectures)
        try FileManager.default.removeItem(atPath: c.lectures + "/02-b.md")
        try c.write("03-c.md", "# Sea\n")
        let changes = SourceChanges(from: base, to: SourceSnapshot.take(c.lectures))
        #expect(changes == SourceChanges(added: ["03-c.md"], removed: ["02-b.md"]))
        let out = r.rebuild(changes)
        #expect(out.plan == .all)
        #expect(c.read("b.html") == nil && c.read("b.md") == nil)
        #expect(c.read("index.html")?.contains("Sea") == true)
    }

    @Test func missingFolderIsAnErrorNotACrash() throws {
        let c = try TempCourse([:])
        try FileManager.default.removeItem(atPath: c.lectures)
        let out = rebuilder(c).rebuild(SourceChanges(modified: ["01-a.md"]))
        #expect(out.report == nil)
        #expect(Rebuilder.summary(out, changes: SourceChanges(modified: ["01-a.md"])).contains("build failed: lectures folder"))
    }
}
