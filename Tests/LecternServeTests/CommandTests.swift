import Foundation
import LecternBuild
import Testing

/// The `lectern` executable SwiftPM built next to the test bundle.
func lecternExecutable() -> String? {
    guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    // .build/<config>/LecternPackageTests.xctest or a folder inside it.
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("lectern").path
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue,
           FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        dir.deleteLastPathComponent()
    }
    return nil
}

/// A running `lectern watch`, its output collected as it comes.
final class WatchProcess: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()

    init(_ arguments: [String], in directory: String) throws {
        process.executableURL = URL(fileURLWithPath: lecternExecutable()!)
        process.arguments = ["watch"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let o = Pipe(), e = Pipe()
        process.standardOutput = o
        process.standardError = e
        o.fileHandleForReading.readabilityHandler = { [weak self] h in self?.add(h.availableData, err: false) }
        e.fileHandleForReading.readabilityHandler = { [weak self] h in self?.add(h.availableData, err: true) }
        try process.run()
    }

    private func add(_ d: Data, err isErr: Bool) {
        lock.lock(); defer { lock.unlock() }
        if isErr { err.append(d) } else { out.append(d) }
    }

    var stdout: String { lock.lock(); defer { lock.unlock() }; return String(decoding: out, as: UTF8.self) }
    var stderr: String { lock.lock(); defer { lock.unlock() }; return String(decoding: err, as: UTF8.self) }

    /// Waits until `condition` holds on (stdout, stderr), or the timeout.
    func wait(for seconds: Double, _ condition: (String, String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(stdout, stderr) { return true }
            if !process.isRunning { return condition(stdout, stderr) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    /// Waits for the process to end; nil when it did not within the timeout.
    func exitStatus(within seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate(); kill(process.processIdentifier, SIGKILL); return nil }
        Thread.sleep(forTimeInterval: 0.1)  // let the pipes drain
        return process.terminationStatus
    }
}

@Suite(.serialized, .enabled(if: lecternExecutable() != nil, "needs the lectern executable (swift build)"))
struct WatchCommandTests {
    /// The port in "serving Output/ at http://127.0.0.1:PORT/".
    func servedPort(_ stdout: String) -> Int? {
        guard let r = stdout.range(of: "http://127.0.0.1:") else { return nil }
        return Int(stdout[r.upperBound...].prefix { $0.isNumber })
    }

    func run(signal sig: Int32) async throws {
        let c = try TempCourse(["01-a.md": "# A\n\nHello.\n"])
        let w = try WatchProcess(["--port", "0"], in: c.root)
        let ready = try await offPool { w.wait(for: 60) { _, err in err.contains("watching Lectures/ for changes") } }
        #expect(ready, "stdout: \(w.stdout)\nstderr: \(w.stderr)")
        let port = try #require(servedPort(w.stdout), "\(w.stdout)")
        let page = try await offPool { try rawGet(port: port, "/a.html") }
        #expect(page.status == 200 && page.body.contains("Hello."))
        kill(w.process.processIdentifier, sig)
        let status = try await offPool { w.exitStatus(within: 15) }
        #expect(status == 0, "stderr: \(w.stderr)")
        #expect(w.stderr.contains("stopping"))
        #expect(portIsFree(port))
        #expect(c.read("a.html")?.contains("Hello.") == true)
        #expect(!FileManager.default.fileExists(atPath: c.output + "/.a.html.tmp-\(w.process.processIdentifier)"))
    }

    @Test func interruptStopsCleanly() async throws { try await run(signal: SIGINT) }

    /// With pdf: true in course.yml, watch serves the pages, prints no PDF and says so.
    @Test func watchSaysItPrintsNoPDFs() async throws {
        let c = try TempCourse(["01-a.md": "# A\n\nHello.\n"])
        try Data("title: Printed\npdf: true\n".utf8).write(to: URL(fileURLWithPath: c.root + "/course.yml"))
        let w = try WatchProcess(["--port", "0"], in: c.root)
        let ready = try await offPool { w.wait(for: 60) { _, err in err.contains("watching Lectures/ for changes") } }
        #expect(ready, "stdout: \(w.stdout)\nstderr: \(w.stderr)")
        #expect(w.stderr.contains("PDFs are not printed while watching; lectern build prints them"), "\(w.stderr)")
        #expect(c.read("a.html")?.contains("Hello.") == true)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: c.output)) ?? []
        #expect(!files.contains { $0.hasSuffix(".pdf") }, "\(files)")
        kill(w.process.processIdentifier, SIGINT)
        #expect(try await offPool { w.exitStatus(within: 15) } == 0)
    }

    @Test func terminateStopsCleanly() async throws { try await run(signal: SIGTERM) }

    /// Ctrl-C while clients keep sending over-long heads, trickle theirs a byte
    /// a second, sit idle or listen for events: pages are still served at once,
    /// and the command stops within a few seconds.
    @Test func interruptUnderLoadStopsWithinSeconds() async throws {
        let c = try TempCourse(["01-a.md": "# A\n\nHello.\n"])
        let w = try WatchProcess(["--port", "0"], in: c.root)
        let ready = try await offPool { w.wait(for: 60) { _, err in err.contains("watching Lectures/ for changes") } }
        #expect(ready, "stdout: \(w.stdout)\nstderr: \(w.stderr)")
        let port = try #require(servedPort(w.stdout), "\(w.stdout)")

        let done = Mutex(false)
        let until = Date().addingTimeInterval(20)  // every loop below ends by then at the latest
        let longLine = Array(("GET /" + String(repeating: "a", count: 1 << 20) + " HTTP/1.1\r\n\r\n").utf8)
        let bigHeader = Array(("GET / HTTP/1.1\r\nX-Big: " + String(repeating: "b", count: 2 << 20) + "\r\n\r\n").utf8)
        let attackers = (0..<2).map { i in
            let ended = DispatchSemaphore(value: 0)
            Thread {
                defer { ended.signal() }
                while !done.withLock({ $0 }) && Date() < until {
                    guard let conn = try? RawConnection(port: port, timeout: 2) else { return }
                    conn.sendInBackground(i == 0 ? longLine : bigHeader).wait()
                    _ = conn.receiveAll()
                }
            }.start()
            return ended
        }
        let held = try await offPool { () -> [RawConnection] in
            let slow = try (0..<8).map { _ in try RawConnection(port: port, timeout: 1) }
            let idle = try (0..<4).map { _ in try RawConnection(port: port, timeout: 1) }
            let events = try RawConnection(port: port, timeout: 1)
            try events.send(Array("GET /__lectern/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
            var seen: [UInt8] = []
            _ = events.receive(until: ": connected", within: 5, seen: &seen)
            Thread {
                let head = Array("GET /a.html HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8) + Array(repeating: UInt8(ascii: "s"), count: 30)
                for byte in head where !done.withLock({ $0 }) && Date() < until {
                    for s in slow { try? s.send([byte]) }
                    Thread.sleep(forTimeInterval: 1)
                }
            }.start()
            return slow + idle + [events]
        }
        try await Task.sleep(nanoseconds: 1_500_000_000)  // the attacks are under way

        let (page, seconds) = try await offPool { () -> (RawResponse, Double) in
            let started = Date()
            return (try rawGet(port: port, "/a.html"), Date().timeIntervalSince(started))
        }
        #expect(page.status == 200 && page.body.contains("Hello."))
        #expect(seconds < 1, "a page took \(seconds) s under load")

        kill(w.process.processIdentifier, SIGINT)
        let started = Date()
        let status = try await offPool { w.exitStatus(within: 10) }
        let stoppedAfter = Date().timeIntervalSince(started)
        done.withLock { $0 = true }
        #expect(status == 0, "stderr: \(w.stderr)")
        #expect(stoppedAfter < 5, "stopped after \(stoppedAfter) s")
        #expect(portIsFree(port))
        let ended = try await offPool { held.map { $0.receiveAll().count >= 0 && $0.read() == .end } }
        #expect(ended.allSatisfy { $0 })
        try await offPool { for a in attackers { a.wait() } }
    }

    @Test func busyPortExitsWithTwoAndNamesThePort() async throws {
        let c = try TempCourse(["01-a.md": "# A\n"])
        let holder = try WatchServerHolder()
        let w = try WatchProcess(["--port", String(holder.port)], in: c.root)
        let status = try await offPool { w.exitStatus(within: 30) }
        #expect(status == 2)
        #expect(w.stderr.contains("port \(holder.port)") && w.stderr.contains("--port"), "\(w.stderr)")
    }

    @Test func usageErrorsExitWithTwoBeforeServing() async throws {
        let c = try TempCourse(["01-a.md": "# A\n"])
        for args in [["--port", "0", "-P", "nope=1"], ["--port", "0", "--lectures", "missing"], ["--port", "0", "--host", "example"]] {
            let w = try WatchProcess(args, in: c.root)
            let status = try await offPool { w.exitStatus(within: 30) }
            #expect(status == 2, "\(args)")
            #expect(w.stderr.hasPrefix("lectern: error: "), "\(w.stderr)")
            #expect(w.stdout.isEmpty)
        }
    }

    @Test func helpExplainsWithAnExample() async throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: lecternExecutable()!)
        p.arguments = ["watch", "--help"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let help = String(decoding: data, as: UTF8.self)
        #expect(help.contains("Rebuild lectures on save"))
        #expect(help.contains("lectern watch --port 8123"))
        #expect(help.contains("--host"))
    }
}

/// A plain listening socket that keeps a port busy.
final class WatchServerHolder {
    let fd: Int32
    let port: Int
    init() throws {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(s, $0, len) == 0 && listen(s, 1) == 0 && getsockname(s, $0, &len) == 0
            }
        }
        guard ok else { close(s); throw ClientError(description: "cannot hold a port") }
        fd = s
        port = Int(UInt16(bigEndian: addr.sin_port))
    }
    deinit { close(fd) }
}
