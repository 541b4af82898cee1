import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import LecternBuild
@testable import LecternServe
@testable import LecternRender
import LecternRunner

/// The server on the loopback interface, through real clients: URLSession for
/// ordinary requests, raw bytes on a TCP socket for the attacks (so that what
/// goes on the wire is exactly the path under test).
@Suite(.serialized) struct ServerTests {
    /// <tmp>/site served, <tmp>/secret.txt next to it.
    final class Served: @unchecked Sendable {
        let dir: TempDirectory
        let server: WatchServer
        var port = 0

        init() async throws {
            dir = try TempDirectory()
            try dir.write("secret.txt", "TOP SECRET outside the output folder")
            try dir.write("site/index.html", "<h1>index page</h1>")
            try dir.write("site/a.html", "<p>lecture a</p>")
            try dir.write("site/a.md", "# Lecture a")
            try dir.write("site/assets/lectern.js", "\"use strict\";")
            try dir.write("site/fig/1.svg", "<svg/>")
            try FileManager.default.createSymbolicLink(atPath: dir.path + "/site/leak.txt",
                                                       withDestinationPath: dir.path + "/secret.txt")
            server = try WatchServer(root: dir.path + "/site", port: 0)
            port = try await server.start()
        }
        func stop() async { await server.stop() }
    }

    @Test func servesAFileToURLSession() async throws {
        let s = try await Served()
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(s.port)/a.md")!)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 200)
        #expect(http.value(forHTTPHeaderField: "Content-Type") == "text/markdown; charset=utf-8")
        #expect(String(decoding: data, as: UTF8.self) == "# Lecture a")
        await s.stop()
    }

    @Test func servesFilesIndexAndFolders() async throws {
        let s = try await Served()
        let port = s.port
        let (page, root, js, folder, head) = try await offPool {
            (try rawGet(port: port, "/a.html"), try rawGet(port: port, "/"), try rawGet(port: port, "/assets/lectern.js"),
             try rawGet(port: port, "/fig"), try rawRequest(port: port, "HEAD /a.html HTTP/1.1"))
        }
        #expect(page.status == 200 && page.body == "<p>lecture a</p>")
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        #expect(page.headers["content-length"] == "16")
        #expect(root.status == 200 && root.body == "<h1>index page</h1>")
        #expect(js.status == 200 && js.headers["content-type"] == "text/javascript; charset=utf-8")
        #expect(folder.status == 302 && folder.headers["location"] == "/fig/")
        #expect(head.status == 200 && head.headers["content-length"] == "16" && head.body.isEmpty)
        await s.stop()
    }

    @Test func refusesOtherMethods() async throws {
        let s = try await Served()
        let port = s.port
        let r = try await offPool { try rawRequest(port: port, "POST /a.html HTTP/1.1", extraHeaders: "Content-Length: 0\r\n") }
        #expect(r.status == 405)
        #expect(r.headers["allow"] == "GET, HEAD")
        await s.stop()
    }

    /// Every way out of the folder is answered 403 or 404, never with the file.
    @Test func traversalAttemptsOnTheWireAreRefused() async throws {
        let s = try await Served()
        let port = s.port
        let attempts = [
            "/../secret.txt", "/../../../../../../etc/passwd", "/fig/../../secret.txt",
            "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/%2E%2e/secret.txt", "/.%2e/secret.txt",
            "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2fsecret.txt", "/%2F..%2Fsecret.txt", "/..%2F..%2Fetc%2Fpasswd",
            "/%252e%252e/secret.txt", "/%252e%252e%252fsecret.txt",
            "/..\\secret.txt", "/%5c..%5csecret.txt", "/a.html%00", "/%00../secret.txt",
            "//etc/passwd", "/leak.txt", "/.lectern-manifest",
            "http://127.0.0.1/../secret.txt", "\(s.dir.path)/secret.txt",
        ]
        let results = try await offPool {
            try attempts.map { path -> (String, [UInt8]) in
                let c = try RawConnection(port: port)
                try c.send(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
                return (path, c.receiveAll())
            }
        }
        for (path, bytes) in results {
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(!text.contains("TOP SECRET"), "\(path) leaked the file outside")
            #expect(!text.contains("root:"), "\(path) leaked /etc/passwd")
            #expect(!bytes.isEmpty, "\(path) was not answered")
            if !bytes.isEmpty {
                let r = try parseResponse(bytes)
                #expect([403, 404].contains(r.status), "\(path) answered \(r.status)")
            }
        }
        // Dot segments are refused as such, not looked up after normalising.
        let dotDot = try await offPool { try rawGet(port: port, "/%2e%2e/secret.txt") }
        #expect(dotDot.status == 403)
        let plain = try await offPool { try rawGet(port: port, "/../secret.txt") }
        #expect(plain.status == 403)
        await s.stop()
    }

    @Test func busyPortIsReportedWithItsNumber() async throws {
        let s = try await Served()
        let other = try WatchServer(root: s.dir.path + "/site", port: UInt16(s.port))
        await #expect(throws: ServeError.portInUse(host: "127.0.0.1", port: s.port)) { try await other.start() }
        #expect(ServeError.portInUse(host: "127.0.0.1", port: 8000).description.contains("--port"))
        await s.stop()
    }

    @Test func badHostIsRefused() {
        #expect(throws: ServeError.badHost("example")) { try WatchServer(root: "/tmp", host: "example") }
        #expect(throws: ServeError.badHost("1.2.3")) { try WatchServer(root: "/tmp", host: "1.2.3") }
    }

    @Test func urlShownForTheHost() throws {
        #expect(try WatchServer(root: "/tmp", port: 0).url(port: 8000) == "http://127.0.0.1:8000/")
        #expect(try WatchServer(root: "/tmp", host: "0.0.0.0", port: 0).url(port: 8000) == "http://127.0.0.1:8000/")
        #expect(try WatchServer(root: "/tmp", host: "::1", port: 0).url(port: 8000) == "http://[::1]:8000/")
    }

    @Test func stopReturnsAndFreesThePortWithAListenerConnected() async throws {
        let s = try await Served()
        let port = s.port
        let events = try RawConnection(port: port, timeout: 0.5)
        let connected = try await offPool { () -> Bool in
            try events.send(Array("GET /__lectern/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
            var seen: [UInt8] = []
            return events.receive(until: ": connected", within: 5, seen: &seen)
        }
        #expect(connected)
        let started = Date()
        await s.stop()
        #expect(Date().timeIntervalSince(started) < 5)
        let ended = try await offPool { () -> Bool in
            var seen: [UInt8] = []
            // The chunked stream is closed (its last chunk), or the connection.
            return events.receive(until: "0\r\n\r\n", within: 5, seen: &seen) || events.read() == .end
        }
        #expect(ended)
        #expect(portIsFree(port))
    }

    /// Under `lectern watch` lectures are compiled and run while the server
    /// listens; a child still running when the server stops must not hold the port.
    @Test func childProcessesDoNotKeepThePort() async throws {
        let s = try await Served()
        let port = s.port
        let dir = s.dir.path
        let child = Task.detached {
            try await offPool {
                try ChildProcess.run("/bin/sleep", ["3"], timeout: 10,
                                     stdoutFile: dir + "/child.out", stderrFile: dir + "/child.err")
            }
        }
        try await Task.sleep(nanoseconds: 500_000_000)  // the child is running
        await s.stop()
        #expect(portIsFree(port))
        _ = try await child.value
    }

    @Test func eventStreamSendsReloadEvents() async throws {
        let s = try await Served()
        let port = s.port
        let events = try RawConnection(port: port, timeout: 0.5)
        let head = try await offPool { () -> String in
            try events.send(Array("GET /__lectern/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
            var seen: [UInt8] = []
            _ = events.receive(until: ": connected", within: 5, seen: &seen)
            return String(decoding: seen, as: UTF8.self)
        }
        #expect(head.hasPrefix("HTTP/1.1 200"))
        #expect(head.contains("Content-Type: text/event-stream"))
        #expect(s.server.liveReload.clientCount == 1)
        s.server.liveReload.reload("a.html")
        let got = try await offPool { () -> String in
            var seen: [UInt8] = []
            _ = events.receive(until: "data: a.html\n\n", within: 5, seen: &seen)
            return String(decoding: seen, as: UTF8.self)
        }
        #expect(got.contains("event: reload\ndata: a.html\n\n"))
        await s.stop()
    }
}

/// `lectern watch` as a whole on a temporary course: a save rebuilds the
/// lecture, the page listening is told to reload, the new text is served.
@Suite(.serialized) struct LiveReloadTests {
    @Test func editingALectureReloadsThePage() async throws {
        let c = try TempCourse(["01-intro.md": "# Intro\n\nFirst words.\n", "02-next.md": "# Next\n\nMore.\n"])
        var options = BuildOptions()
        options.outputDirectory = c.output
        options.cacheDirectory = c.root + "/.lectern-cache"
        let lines = LineLog()
        let session = try WatchSession(lecturesDirectory: c.lectures, options: options, port: 0, pollInterval: 0.1,
                                       log: { lines.append($0) })
        let port = try await offPool { () -> Int in
            let p = try session.serve()
            session.buildAndWatch()
            return p
        }
        #expect(session.url == "http://127.0.0.1:\(port)/")
        #expect(lines.all.last?.hasPrefix("first build: built 2 lectures") == true)
        #expect(c.read("intro.html")?.contains("First words.") == true)

        let events = try RawConnection(port: port, timeout: 0.5)
        let connected = try await offPool { () -> Bool in
            try events.send(Array("GET /__lectern/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".utf8))
            var seen: [UInt8] = []
            return events.receive(until: ": connected", within: 5, seen: &seen)
        }
        #expect(connected)

        let before = try await offPool { try rawGet(port: port, "/intro.html") }
        #expect(before.status == 200 && before.body.contains("First words.") && !before.body.contains("Words changed on save."))
        #expect(before.body.contains("lectern.js"))  // the page runs the script that listens

        try c.write("01-intro.md", "# Intro\n\nWords changed on save.\n")
        let (reloaded, text) = try await offPool { () -> (Bool, String) in
            var seen: [UInt8] = []
            let ok = events.receive(until: "event: reload", within: 10, seen: &seen)
            return (ok, String(decoding: seen, as: UTF8.self))
        }
        #expect(reloaded, "no reload event; got \(text)")
        #expect(text.contains("intro.html"))

        let after = try await offPool { try rawGet(port: port, "/intro.html") }
        #expect(after.status == 200 && after.body.contains("Words changed on save."))
        #expect(lines.all.contains { $0.hasPrefix("01-intro.md changed: built 1 lecture, 3 files written") })

        await offPoolStop(session)
        #expect(portIsFree(port))
    }

    @Test func aLectureWithAnErrorIsReportedInCompilerForm() async throws {
        let c = try TempCourse(["01-a.md": "# A\n\nFine.\n"])
        var options = BuildOptions()
        options.outputDirectory = c.output
        options.cacheDirectory = c.root + "/.lectern-cache"
        let lines = LineLog()
        let session = try WatchSession(lecturesDirectory: c.lectures, options: options, port: 0, pollInterval: 0.1,
                                       log: { lines.append($0) })
        _ = try await offPool { () -> Int in
            let p = try session.serve()
            session.buildAndWatch()
            return p
        }
        try c.write("01-a.md", "---\norder: [\n---\n# A\n")
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline && !lines.all.contains(where: { $0.hasPrefix("01-a.md changed") }) {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        await offPoolStop(session)
        let all = lines.all
        #expect(all.contains { $0.hasPrefix(c.lectures + "/01-a.md:") && $0.contains(": error: ") }, "\(all)")
        #expect(all.contains { $0.hasPrefix("01-a.md changed: built 1 lecture") && $0.contains("1 error") }, "\(all)")
    }

    func offPoolStop(_ session: WatchSession) async {
        _ = try? await offPool { session.stop() }
    }
}

final class LineLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}

/// The page script and the server agree on where and what to listen for.
@Suite struct ScriptAgreementTests {
    @Test func pageScriptListensWhereTheServerSends() {
        #expect(Assets.script.contains("new EventSource(\"\(LiveReload.path)\")"))
        #expect(Assets.script.contains("addEventListener(\"\(LiveReload.eventName)\""))
    }
}
