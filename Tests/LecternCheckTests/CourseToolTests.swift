import Foundation
import Testing

/// Runs `lectern args…` in `folder`.
@discardableResult
func lectern(in folder: String, _ args: [String], environment extra: [String: String] = [:]) throws -> CourseFolder.Result {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: lecternExecutable())
    p.arguments = args
    p.currentDirectoryURL = URL(fileURLWithPath: folder)
    var env = ProcessInfo.processInfo.environment
    env["CI"] = "true"
    env["NO_COLOR"] = "1"
    env.merge(extra) { _, new in new }
    p.environment = env
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return .init(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                 stderr: String(decoding: e, as: UTF8.self))
}

/// The `N` of the closing `N passed, M failed` line.
func passedCount(_ stdout: String) -> Int? {
    guard let line = stdout.split(separator: "\n").last(where: { $0.contains(" passed, ") }) else { return nil }
    return Int(line.split(separator: " ").first ?? "")
}

/// Every regular file under `folder`, relative path -> bytes.
func files(under folder: String) -> [String: Data] {
    var out: [String: Data] = [:]
    let fm = FileManager.default
    guard let e = fm.enumerator(atPath: folder) else { return out }
    while let rel = e.nextObject() as? String {
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: folder + "/" + rel, isDirectory: &isDir), !isDir.boolValue {
            out[rel] = fm.contents(atPath: folder + "/" + rel)
        }
    }
    return out
}

func temporaryFolder(_ name: String) throws -> String {
    let path = NSTemporaryDirectory() + "lectern-\(name)-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A `swiftc` stand-in: answers `--version` with `version` (the real
/// compiler's when nil) and, for anything else, appends a line to `calls`
/// and then fails, or hands over to the real compiler.
func fakeCompiler(in folder: String, version: String?, compiles: Bool) throws -> (path: String, calls: String) {
    let real = try #require(ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
        .map { "\($0)/swiftc" }.first { FileManager.default.isExecutableFile(atPath: $0) })
    let path = folder + "/swiftc"
    let calls = folder + "/swiftc-calls"
    let versionLine = version.map { "printf '%s\\n' '\($0)'; exit 0" } ?? "exec '\(real)' --version"
    let script = """
    #!/bin/sh
    if [ "$1" = "--version" ]; then \(versionLine); fi
    echo "$*" >> '\(calls)'
    \(compiles ? "exec '\(real)' \"$@\"" : "echo 'this compiler must not be called' >&2; exit 1")

    """
    try Data(script.utf8).write(to: URL(fileURLWithPath: path))
    chmod(path, 0o755)
    return (path, calls)
}

func computing(_ n: Int) -> String {
    lecture("""
    ```swift {#c\(n)}
    let x = \(n) * 2
    expect(x, \(2 * n))
    print("x =", x)
    ```

    Twice \(n) is `{swift} x`.

    """)
}

/// `--shard I/N`: N jobs of a CI matrix together check the course once.
@Suite(.serialized) struct Shards {
    @Test func threeShardsCheckEveryLectureOnceAndAStalePageInOneOfThem() throws {
        var lectures: [String: String] = [:]
        for n in 1...5 { lectures[String(format: "%02d-l%d.md", n, n)] = computing(n) }
        let c = try CourseFolder(lectures)
        #expect(try c.lectern("build").status == 0)
        let whole = try c.lectern("check")
        #expect(whole.status == 0, "\(whole.stdout)\(whole.stderr)")
        let total = try #require(passedCount(whole.stdout))

        var seen: [String] = []
        var passed = 0
        for i in 1...3 {
            let r = try c.lectern("check", "--shard", "\(i)/3")
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
            passed += try #require(passedCount(r.stdout))
            // One progress line per lecture run: "[k/n] Lectures/0N-lN.md: cached".
            seen += r.stderr.split(separator: "\n").compactMap { line in
                line.hasPrefix("[") ? line.split(separator: " ")[1].split(separator: ":")[0].description : nil
            }
        }
        #expect(seen.sorted() == (1...5).map { String(format: "Lectures/%02d-l%d.md", $0, $0) })
        #expect(passed == total)

        // A stale page is reported by the one shard that holds its lecture.
        let page = c.root + "/Output/l4.html"
        let text = try #require(c.read("Output/l4.html"))
        try Data((text + "<!-- edited -->\n").utf8).write(to: URL(fileURLWithPath: page))
        var reporting: [Int] = []
        for i in 1...3 {
            let r = try c.lectern("check", "--shard", "\(i)/3")
            if r.stdout.contains("Output/l4.html: error: stale") {
                reporting.append(i)
                #expect(r.status == 1)
            } else {
                #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
            }
        }
        #expect(reporting.count == 1, "shards reporting the stale page: \(reporting)")
        // The build of one shard writes only its lectures' pages.
        let owner = try #require(reporting.first)
        let built = try c.lectern("build", "--shard", "\(owner)/3")
        #expect(built.status == 0, "\(built.stderr)")
        #expect(c.read("Output/l4.html") == text)
        #expect(built.stderr.contains("Lectures/04-l4.md"), "\(built.stderr)")
        for n in 1...5 { #expect(c.read("Output/l\(n).html") != nil, "the shard's build removed l\(n).html") }
        #expect(try c.lectern("check").status == 0)
        // A lecture deleted from the sources: its pages are left over, reported by shard 1 only.
        try FileManager.default.removeItem(atPath: c.root + "/Lectures/05-l5.md")
        for i in 1...3 {
            let r = try c.lectern("check", "--shard", "\(i)/3")
            #expect(r.stdout.contains("Output/l5.html: error: left over") == (i == 1), "shard \(i)/3: \(r.stdout)")
        }
    }

    @Test func badSharesAreUsageErrors() throws {
        let c = try CourseFolder(["01-t.md": lecture("Prose.\n")])
        for bad in ["0/2", "3/2", "a/b", "1/0", "1/", "/2", "1/2/3", "2/-1"] {
            for command in ["check", "build"] {
                let r = try c.lectern(command, "--shard", bad)
                #expect(r.status == 2, "\(command) --shard \(bad): \(r.status) \(r.stderr)")
                #expect(r.stderr.contains("--shard takes I/N with whole numbers 1 ≤ I ≤ N"), "\(r.stderr)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: c.root + "/Output"))
    }
}

/// The run cache is portable: its keys come from content, never from paths.
@Suite(.serialized) struct PortableCache {
    @Test func aWarmCacheCopiedToAnotherPathStartsNoCompiler() throws {
        let c = try CourseFolder(["01-a.md": computing(1), "02-b.md": computing(2)])
        try c.write("course.yml", "title: Moved\n")
        #expect(try c.lectern("build").status == 0)
        let built = files(under: c.root + "/Output")

        let elsewhere = try temporaryFolder("moved")
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let clone = elsewhere + "/deeper/course"
        try FileManager.default.createDirectory(atPath: elsewhere + "/deeper", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: c.root, toPath: clone)
        try FileManager.default.removeItem(atPath: clone + "/Output")
        let swiftc = try fakeCompiler(in: elsewhere, version: nil, compiles: false)

        let r = try lectern(in: clone, ["build", "--explain"], environment: ["SWIFTC": swiftc.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: swiftc.calls), "the compiler was called: \(r.stderr)")
        #expect(r.stderr.contains("Lectures/01-a.md: cached"), "\(r.stderr)")
        #expect(r.stderr.contains("Lectures/02-b.md: cached"), "\(r.stderr)")
        #expect(files(under: clone + "/Output") == built)
        // And the copy checks with that compiler too.
        let checked = try lectern(in: clone, ["check"], environment: ["SWIFTC": swiftc.path])
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        #expect(!FileManager.default.fileExists(atPath: swiftc.calls))
    }

    @Test func aCacheEntryFromAnotherCompilerIsAMiss() throws {
        let c = try CourseFolder(["01-a.md": computing(3)])
        #expect(try c.lectern("build").status == 0)
        let folder = try temporaryFolder("compiler")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let other = try fakeCompiler(in: folder, version: "Swift version 99.0 (a different compiler)", compiles: true)

        let r = try c.lectern("build", "--explain", environment: ["SWIFTC": other.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("Lectures/01-a.md: ok"), "\(r.stderr)")
        #expect(r.stderr.contains("ran: compiler changed"), "\(r.stderr)")
        let calls = try String(contentsOfFile: other.calls, encoding: .utf8)
        #expect(calls.split(separator: "\n").count == 1, "\(calls)")
        // That compiler's run is now cached under its own key; the first compiler's entry still serves it.
        let again = try c.lectern("build", "--explain", environment: ["SWIFTC": other.path])
        #expect(again.stderr.contains("Lectures/01-a.md: cached"), "\(again.stderr)")
        let back = try c.lectern("build", "--explain")
        #expect(back.stderr.contains("Lectures/01-a.md: cached"), "\(back.stderr)")
        #expect(try String(contentsOfFile: other.calls, encoding: .utf8) == calls)
    }
}

/// Lecture paths from any folder; messages name paths from where the command ran.
@Suite(.serialized) struct CoursePaths {
    @Test func foldersFilesAndSubFolders() throws {
        let c = try CourseFolder(["01-a.md": computing(1), "02-b.md": computing(2)])
        try c.write("course.yml", "title: Paths\n")
        let folder = try lectern(in: c.root, ["build", "Lectures/"])
        #expect(folder.status == 0, "\(folder.stderr)")
        #expect(folder.stderr.contains("Lectures/01-a.md: ok"), "\(folder.stderr)")
        #expect(folder.stderr.contains("Lectures/02-b.md: ok"), "\(folder.stderr)")
        #expect(folder.stderr.contains("into Output/"), "\(folder.stderr)")

        // One file, from a folder outside the course: the path is named as given.
        let outside = try temporaryFolder("outside")
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let name = (c.root as NSString).lastPathComponent
        let relative = "../\(name)/Lectures/02-b.md"
        try FileManager.default.createDirectory(atPath: outside + "/x", withIntermediateDirectories: true)
        let one = try lectern(in: outside + "/x", ["build", "../" + relative])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stderr.contains("] ../\(relative): cached"), "\(one.stderr)")
        #expect(!one.stderr.contains("01-a.md"), "\(one.stderr)")
        #expect(one.stderr.contains("into ../../\(name)/Output/"), "\(one.stderr)")

        // check of a file, from the lectures' folder: the failure names it from there.
        try c.write("Lectures/02-b.md", lecture("""
        ```swift
        expect(1 + 1, 3)
        ```

        """))
        let sub = try lectern(in: c.root + "/Lectures", ["check", "02-b.md", "--no-output"])
        #expect(sub.status == 1, "\(sub.stdout)\(sub.stderr)")
        #expect(sub.stdout.contains("\n02-b.md:7:") || sub.stdout.hasPrefix("02-b.md:7:"), "\(sub.stdout)")
        #expect(sub.stdout.hasSuffix("0 passed, 1 failed\n"), "\(sub.stdout)")

        // A path that is neither a lecture nor a folder of lectures.
        try c.write("notes.txt", "x")
        for bad in ["notes.txt", "Lectures/03-missing.md", "Output-nowhere/"] {
            let r = try lectern(in: c.root, ["build", bad])
            #expect(r.status == 2, "\(bad): \(r.stderr)")
            #expect(r.stderr.contains(bad.hasSuffix("/") ? String(bad.dropLast()) : bad), "\(bad): \(r.stderr)")
        }
    }
}

/// `lectern new` and `lectern --version`.
@Suite(.serialized) struct NewCourse {
    @Test func aNewCourseBuildsAndChecksAtOnce() throws {
        let parent = try temporaryFolder("new")
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let r = try lectern(in: parent, ["new", "linear-algebra", "--title", "Linear \"algebra\""])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let root = parent + "/linear-algebra"
        for file in ["course.yml", "Lectures/01-introduction.md", ".gitignore", "README.md",
                     ".github/workflows/lectern.yml", "Output/index.html", "Output/introduction.html"] {
            #expect(FileManager.default.fileExists(atPath: root + "/" + file), "\(file)")
        }
        let check = try lectern(in: root + "/Lectures", ["check"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect((passedCount(check.stdout) ?? 0) >= 4, "\(check.stdout)")
        let index = try String(contentsOfFile: root + "/Output/index.html", encoding: .utf8)
        #expect(index.contains("Linear &quot;algebra&quot;") || index.contains("Linear \"algebra\""))
    }

    @Test func aFolderThatIsNotEmptyIsRefusedAndLeftAlone() throws {
        let root = try temporaryFolder("taken")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: root + "/notes.md"))
        let r = try lectern(in: root, ["new", "."])
        #expect(r.status == 2)
        #expect(r.stderr.contains("is not empty"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["notes.md"])
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/file"))
        let file = try lectern(in: root, ["new", "file"])
        #expect(file.status == 2)
        #expect(file.stderr.contains("exists and is not a folder"), "\(file.stderr)")
    }

    @Test func versionNamesTheToolTheKitAndTheCompiler() throws {
        let r = try lectern(in: NSTemporaryDirectory(), ["--version"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 3, "\(r.stdout)")
        #expect(lines.first?.hasPrefix("lectern ") == true)
        #expect(lines.dropFirst().first?.hasPrefix("kit: /") == true && r.stdout.contains("LecternKit "), "\(r.stdout)")
        #expect(lines.last?.hasPrefix("compiler: /") == true && r.stdout.contains("Swift version"), "\(r.stdout)")
    }
}

/// The package's root folder.
func packageRoot() -> String {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}

/// actionlint on PATH, else where `scripts/install-deps test` puts it.
func actionlint() -> String? {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/actionlint" }
    return (path + [packageRoot() + "/.build/tools/bin/actionlint"])
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Both GitHub workflows pass actionlint: this repository's CI and the one `lectern new` writes.
@Suite(.serialized) struct Workflows {
    func lint(_ file: String) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(actionlint()))
        p.arguments = ["-no-color", file]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: actionlint() != nil, "actionlint is not installed (scripts/install-deps test installs it)"))
    func actionlintPassesOnBothWorkflows() throws {
        let ci = packageRoot() + "/.github/workflows/ci.yml"
        let ours = try lint(ci)
        #expect(ours.status == 0 && ours.output.isEmpty, "\(ci):\n\(ours.output)")

        let parent = try temporaryFolder("workflow")
        defer { try? FileManager.default.removeItem(atPath: parent) }
        #expect(try lectern(in: parent, ["new", "course", "--no-build"]).status == 0)
        let scaffold = parent + "/course/.github/workflows/lectern.yml"
        let theirs = try lint(scaffold)
        #expect(theirs.status == 0 && theirs.output.isEmpty, "\(scaffold):\n\(theirs.output)")
        let text = try String(contentsOfFile: scaffold, encoding: .utf8)
        for part in ["lectern check --shard", "--format github --junit", "actions/cache/restore@", "actions/cache/save@",
                     "hashFiles('Lectures/**'", "actions/upload-artifact@", "actions/deploy-pages@"] {
            #expect(text.contains(part), "\(part)")
        }
    }

    @Test(.enabled(if: actionlint() != nil, "actionlint is not installed (scripts/install-deps test installs it)"))
    func actionlintFindsAMistake() throws {
        // So that a pass above means something: a broken workflow is reported.
        let folder = try temporaryFolder("broken")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/broken.yml"
        try Data("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n".utf8)
            .write(to: URL(fileURLWithPath: file))
        let r = try lint(file)
        #expect(r.status != 0 && r.output.contains("matrix"), "\(r.output)")
    }
}
