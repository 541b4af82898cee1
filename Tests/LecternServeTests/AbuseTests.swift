import Foundation
import Testing
@testable import LecternServe

/// The server under abuse on the loopback interface: over-long heads, slow and
/// idle clients, too many connections. Each attack is followed or accompanied
/// by a normal GET that must answer at once. Timeouts are shortened so that
/// each test takes a few seconds at most.
@Suite(.serialized) struct AbuseTests {
    final class Site: @unchecked Sendable {
        let dir: TempDirectory
        let server: WatchServer
        let port: Int

        init(_ configure: (inout ServeLimits) -> Void = { _ in }) async throws {
            dir = try TempDirectory()
            try dir.write("site/a.html", "<p>lecture a</p>")
            var limits = ServeLimits()
            configure(&limits)
            server = try WatchServer(root: dir.path + "/site", port: 0, limits: limits)
            port = try await server.start()
        }
        func stop() async { await server.stop() }
    }

    /// A GET on a new connection, and how long it took to be answered.
    static func timedGet(_ port: Int) throws -> (RawResponse, Double) {
        let started = Date()
        let r = try rawGet(port: port, "/a.html")
        return (r, Date().timeIntervalSince(started))
    }

    /// The start of what the server sent before closing, and how long that took.
    static func answer(to bytes: [UInt8], port: Int) throws -> (String, Double) {
        let c = try RawConnection(port: port, timeout: 5)
        let started = Date()
        c.sendInBackground(bytes)
        let got = c.receiveAll()
        return (String(decoding: got.prefix(200), as: UTF8.self), Date().timeIntervalSince(started))
    }

    @Test func megabyteRequestLineIsRefusedAndTheNextGetAnswers() async throws {
        let s = try await Site()
        let port = s.port
        let line = "GET /" + String(repeating: "a", count: 1 << 20) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        let (text, seconds) = try await offPool { try Self.answer(to: Array(line.utf8), port: port) }
        #expect(text.isEmpty || text.hasPrefix("HTTP/1.1 414 URI Too Long"), "\(text)")
        #expect(seconds < 3)
        let (r, after) = try await offPool { try Self.timedGet(port) }
        #expect(r.status == 200 && r.body == "<p>lecture a</p>")
        #expect(after < 1)
        await s.stop()
    }

    @Test func requestLineAtTheLimitIsServed() async throws {
        let s = try await Site()
        let port = s.port
        let path = "/a.html?" + String(repeating: "q", count: 8 * 1024 - "GET /a.html? HTTP/1.1".count)
        #expect("GET \(path) HTTP/1.1".utf8.count == 8 * 1024)
        let r = try await offPool { try rawGet(port: port, path) }
        #expect(r.status == 200)
        await s.stop()
    }

    @Test func twoMegabyteHeaderBlockIsRefusedAndTheNextGetAnswers() async throws {
        let s = try await Site()
        let port = s.port
        let oneHeader = "GET /a.html HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + String(repeating: "b", count: 2 << 20) + "\r\n\r\n"
        let manyHeaders = "GET /a.html HTTP/1.1\r\n" + String(repeating: "X-Many: " + String(repeating: "m", count: 1000) + "\r\n", count: 2000) + "\r\n"
        for head in [oneHeader, manyHeaders] {
            let (text, seconds) = try await offPool { try Self.answer(to: Array(head.utf8), port: port) }
            #expect(text.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large"), "\(text)")
            #expect(seconds < 3)
            let (r, after) = try await offPool { try Self.timedGet(port) }
            #expect(r.status == 200)
            #expect(after < 1)
        }
        let tooManyLines = "GET /a.html HTTP/1.1\r\n" + String(repeating: "X-Short: 1\r\n", count: 101) + "\r\n"
        let (text, _) = try await offPool { try Self.answer(to: Array(tooManyLines.utf8), port: port) }
        #expect(text.hasPrefix("HTTP/1.1 431"), "\(text)")
        await s.stop()
    }

    /// A client that sends its head one byte a second is answered 408 when the
    /// head timeout has passed; a normal GET meanwhile is answered at once.
    @Test func slowClientIsCutOffWhileOthersAreServed() async throws {
        let headTimeout = 2.0
        let s = try await Site { $0.headTimeout = headTimeout }
        let port = s.port
        async let slow = offPool { () -> (String, Double) in
            let c = try RawConnection(port: port, timeout: 1)
            let head = Array("GET /a.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
            let started = Date()
            for byte in head {
                guard (try? c.send([byte])) != nil else { break }
                switch c.read() {  // waits a second, unless the server answers or closes
                case .bytes(let b): return (String(decoding: b, as: UTF8.self), Date().timeIntervalSince(started))
                case .end: return ("", Date().timeIntervalSince(started))
                case .timeout: continue
                }
            }
            return ("not cut off", Date().timeIntervalSince(started))
        }
        try await Task.sleep(nanoseconds: 500_000_000)
        let (r, seconds) = try await offPool { try Self.timedGet(port) }
        #expect(r.status == 200)
        #expect(seconds < 1)
        let (text, cutAfter) = try await slow
        #expect(text.hasPrefix("HTTP/1.1 408 Request Timeout"), "\(text)")
        #expect(cutAfter >= headTimeout - 0.1 && cutAfter < headTimeout + 2, "cut after \(cutAfter) s")
        await s.stop()
    }

    @Test func idleKeepAliveConnectionIsClosed() async throws {
        let idle = 0.5
        let s = try await Site { $0.idleTimeout = idle }
        let port = s.port
        let (answered, closedAfter) = try await offPool { () -> (Bool, Double) in
            let c = try RawConnection(port: port, timeout: 3)
            try c.send(Array("GET /a.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
            var seen: [UInt8] = []
            let answered = c.receive(until: "<p>lecture a</p>", within: 2, seen: &seen)
            let started = Date()
            let end = c.read()
            return (answered && end == .end, Date().timeIntervalSince(started))
        }
        #expect(answered)
        #expect(closedAfter >= idle - 0.1 && closedAfter < idle + 1.5, "closed after \(closedAfter) s")
        await s.stop()
    }

    /// Two requests in one write are answered in order on the one connection.
    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let s = try await Site()
        let port = s.port
        let text = try await offPool { () -> String in
            let c = try RawConnection(port: port, timeout: 2)
            try c.send(Array("GET /a.html HTTP/1.1\r\nHost: x\r\n\r\nHEAD /missing HTTP/1.1\nHost: x\nConnection: close\n\n".utf8))
            return String(decoding: c.receiveAll(), as: UTF8.self)
        }
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(text)")
        #expect(text.contains("<p>lecture a</p>HTTP/1.1 404 Not Found\r\n"), "\(text)")
        #expect(text.hasSuffix("Connection: close\r\n\r\n"), "HEAD has no body: \(text)")
        await s.stop()
    }

    @Test func connectionsOverTheLimitsAreAnswered503() async throws {
        let s = try await Site { $0.maxConnections = 4; $0.maxConnectionsPerClient = 2 }
        let port = s.port
        let outcome = try await offPool { () -> [String] in
            func status(_ c: RawConnection) throws -> String {
                try c.send(Array("GET /a.html HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
                var seen: [UInt8] = []
                _ = c.receive(until: "\r\n", within: 2, seen: &seen)
                return String(String(decoding: seen, as: UTF8.self).prefix(12))
            }
            // Two from 127.0.0.1 are let in, the third is not; other clients still are, up to four in all.
            var first = try [RawConnection(port: port), RawConnection(port: port)]
            let third = try RawConnection(port: port)
            let others = try [RawConnection(port: port, from: "127.0.0.2"), RawConnection(port: port, from: "127.0.0.3")]
            let fifth = try RawConnection(port: port, from: "127.0.0.4")
            var out = try [status(first[0]), status(third), status(others[0]), status(others[1]), status(fifth)]
            first.removeAll()  // closes both: their slots are free again once the server has seen it
            var again = ""
            for _ in 0..<20 where again != "HTTP/1.1 200" {
                again = try status(RawConnection(port: port))
                if again != "HTTP/1.1 200" { Thread.sleep(forTimeInterval: 0.05) }
            }
            out.append(again)
            return out
        }
        #expect(outcome == ["HTTP/1.1 200", "HTTP/1.1 503", "HTTP/1.1 200", "HTTP/1.1 200", "HTTP/1.1 503", "HTTP/1.1 200"],
                "\(outcome)")
        await s.stop()
    }

    /// A listener whose tab was closed is dropped without waiting for the heartbeat.
    @Test func closedEventStreamIsDroppedAtOnce() async throws {
        let s = try await Site()
        let port = s.port
        try await offPool {
            let events = try RawConnection(port: port, timeout: 1)
            try events.send(Array("GET /__lectern/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
            var seen: [UInt8] = []
            _ = events.receive(until: ": connected", within: 5, seen: &seen)
        }
        let deadline = Date().addingTimeInterval(2)
        while (s.server.liveReload.clientCount > 0 || s.server.connectionCount > 0) && Date() < deadline {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        #expect(s.server.liveReload.clientCount == 0)
        #expect(s.server.connectionCount == 0)
        await s.stop()
    }

    /// stop() ends slow, idle and half-sent connections at once and frees the port.
    @Test func stopEndsEveryConnectionAtOnce() async throws {
        let s = try await Site()
        let port = s.port
        let clients = try await offPool { () -> [RawConnection] in
            let slow = try RawConnection(port: port, timeout: 3)
            try slow.send(Array("GET /a.html HTTP/1.1\r\nHo".utf8))
            let idle = try RawConnection(port: port, timeout: 3)
            let events = try RawConnection(port: port, timeout: 3)
            try events.send(Array("GET /__lectern/events HTTP/1.1\r\n\r\n".utf8))
            var seen: [UInt8] = []
            _ = events.receive(until: ": connected", within: 2, seen: &seen)
            return [slow, idle, events]
        }
        let deadline = Date().addingTimeInterval(2)
        while s.server.connectionCount < 3 && Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        #expect(s.server.connectionCount == 3)
        let started = Date()
        await s.stop()
        #expect(Date().timeIntervalSince(started) < 1)
        #expect(s.server.connectionCount == 0)
        #expect(portIsFree(port))
        let ends = try await offPool { clients.map { $0.receiveAll().count >= 0 && $0.read() == .end } }
        #expect(ends == [true, true, true])
    }
}
