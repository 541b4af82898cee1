import Foundation
import Testing

/// No process a lecture starts outlives its run: after a timeout, after a
/// normal exit, when lectern is interrupted. Runs the built `lectern` (it is
/// the subreaper and handles the signals) on a course whose cell starts three
/// `/bin/sleep`s: one with Foundation's `Process` (a process group of its own),
/// one that calls `setsid` and is orphaned, one that also clears its
/// environment. Each has a unique number as its argument, which is how the
/// test looks for survivors.
@Suite(.serialized) struct ProcessTrees {
    /// The `lectern` SwiftPM built beside the test bundle.
    static let lectern: String = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 where !FileManager.default.isExecutableFile(atPath: dir.path + "/lectern") {
            dir.deleteLastPathComponent()
        }
        return dir.path + "/lectern"
    }()

    /// A course of one lecture whose cell starts the sleeps, waits until all
    /// three run, prints how many do, then does `then`.
    final class Course {
        let folder: TempCourse
        /// The sleeps' arguments, unique to this course.
        let markers: [String]

        init(timeout: Int, then: String) throws {
            let tag = String(UInt32.random(in: 100_000_000...999_999_999))
            markers = (1...3).map { "90\($0).\(tag)" }
            folder = try TempCourse(["01-a.md": """
            ---
            title: A
            timeout: \(timeout)
            ---

            ```swift
            import Foundation
            let markers = \(markers)
            let sleeper = Process()
            sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
            sleeper.arguments = [markers[0]]
            try sleeper.run()
            let script = "setsid /bin/sleep \\(markers[1]) & env -i /usr/bin/setsid /bin/sleep \\(markers[2]) &"
            var shell: pid_t = 0
            let words = ["/bin/sh", "-c", script]
            let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
            posix_spawn(&shell, "/bin/sh", nil, nil, argv, environ)
            var status: Int32 = 0
            waitpid(shell, &status, 0)
            func running() -> Int {
                let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
                return pids.filter { pid in
                    let args = FileManager.default.contents(atPath: "/proc/\\(pid)/cmdline").map { Array($0) } ?? []
                    return args.split(separator: 0).contains { markers.contains(String(decoding: $0, as: UTF8.self)) }
                }.count
            }
            var waited = 0
            while running() < 3 && waited < 500 { usleep(10_000); waited += 1 }
            print("running:", running())
            fflush(stdout)
            \(then)
            ```

            """])
        }

        /// lectern's stderr.
        var log: String { folder.root + "/stderr.txt" }
        var stderr: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

        /// Pids of the processes with a marker among their arguments.
        func survivors() -> [pid_t] { ProcessTrees.processes { args in args.contains { markers.contains($0) } } }

        /// Kills what the test found alive, so that a failing test leaves nothing behind.
        func cleanUp() { for pid in survivors() { kill(pid, SIGKILL) } }

        deinit { cleanUp() }
    }

    /// Pids of the processes whose arguments `matches` picks.
    static func processes(_ matches: ([String]) -> Bool) -> [pid_t] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { name -> pid_t? in
            guard let pid = pid_t(name), let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline") else { return nil }
            let args = Array(data).split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return matches(args) ? pid : nil
        }
    }

    /// Waits until `condition` holds, or `seconds` pass.
    static func wait(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    /// Starts `lectern args…` in the course folder.
    func start(_ c: Course, _ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ProcessTrees.lectern)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: c.folder.root)
        p.environment = ProcessInfo.processInfo.environment.merging(["CI": "true"]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        FileManager.default.createFile(atPath: c.log, contents: nil)
        p.standardError = FileHandle(forWritingAtPath: c.log)
        try p.run()
        return p
    }

    /// The lecture program lectern `p` runs (`.lectern-cache/programs/<key>/lecture`,
    /// its records in the work folder `.lectern-cache/work/a-<pid>-…`).
    func lectureProgram(of p: Process) -> [pid_t] {
        let records = "LECTERN_RECORDS=.lectern-cache/work/a-\(p.processIdentifier)-"
        return ProcessTrees.processes { $0.first?.hasPrefix(".lectern-cache/programs/") == true && $0.first?.hasSuffix("/lecture") == true }
            .filter { pid in
                guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
                return Array(data).split(separator: 0).contains { String(decoding: $0, as: UTF8.self).hasPrefix(records) }
            }
    }

    func finish(_ p: Process, within seconds: Double = 60) -> Int32? {
        ProcessTrees.wait(seconds) { !p.isRunning } ? p.terminationStatus : nil
    }

    /// Builds to the end: exit `status`, the three sleeps ran, none is left.
    func buildToTheEnd(timeout: Int, then: String, status: Int32) throws {
        let c = try Course(timeout: timeout, then: then)
        let p = try start(c, ["build"])
        #expect(finish(p, within: 300) == status, "\(c.stderr)")
        #expect(c.folder.read("a.md")?.contains("running: 3") == true)
        #expect(c.survivors() == [])
    }

    @Test func nothingOutlivesANormalExit() throws { try buildToTheEnd(timeout: 60, then: "", status: 0) }

    @Test func nothingOutlivesATimeout() throws { try buildToTheEnd(timeout: 8, then: "while true { sleep(1) }", status: 1) }

    /// Interrupts lectern once the sleeps run; it must exit with `status` and
    /// leave neither the lecture program nor the sleeps.
    func interrupt(_ args: [String], with signals: [Int32], status: Int32) throws {
        let c = try Course(timeout: 600, then: "while true { sleep(1) }")
        let p = try start(c, args)
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        try #require(ProcessTrees.wait(300) { !p.isRunning || c.survivors().count >= 3 } && p.isRunning, "\(c.stderr)")
        let lecture = lectureProgram(of: p)
        #expect(lecture.count == 1)
        for sig in signals {
            kill(p.processIdentifier, sig)
            usleep(300_000)
        }
        #expect(finish(p, within: 30) == status)
        #expect(c.survivors() == [])
        #expect(lectureProgram(of: p) == [])
    }

    @Test func sigintToBuild() throws { try interrupt(["build"], with: [SIGINT], status: 130) }

    @Test func sigtermToRun() throws { try interrupt(["run", "Lectures/01-a.md"], with: [SIGTERM], status: 143) }

    /// Watch finishes a build in progress on the first Ctrl-C; the second one stops it at once.
    @Test func secondSigintToWatch() throws { try interrupt(["watch", "--port", "0"], with: [SIGINT, SIGINT], status: 130) }

    /// `kill -9` cannot be caught: the lecture program still ends (its
    /// parent-death signal); what it started is adopted by init and may survive.
    @Test func lectureProgramEndsWhenLecternIsKilled() throws {
        let c = try Course(timeout: 600, then: "while true { sleep(1) }")
        let p = try start(c, ["build"])
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        try #require(ProcessTrees.wait(300) { !p.isRunning || c.survivors().count >= 3 } && p.isRunning, "\(c.stderr)")
        #expect(lectureProgram(of: p).count == 1)
        kill(p.processIdentifier, SIGKILL)
        #expect(finish(p, within: 10) == SIGKILL)
        #expect(ProcessTrees.wait(10) { lectureProgram(of: p) == [] })
        c.cleanUp()
    }
}
