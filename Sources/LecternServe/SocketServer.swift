import Foundation
import LecternBuild
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The server is our own rather than FlyingFox (0.27.1). FlyingFox reads the
// request line and headers through per-byte async iterators in time that grows
// with the square of a line's length (a 16 KiB line took 11 s, 32 KiB over 30 s),
// sets no bound on their size, no timeout on reading them (its one timeout is
// the handler's) and no limit on connections, and has no option for any of
// these. A bounded reader in front of it would have needed our own accept loop
// and response writing anyway, leaving FlyingFox nothing but its types; GET,
// HEAD and one event stream are small enough to serve directly. A thread per
// connection (at most `ServeLimits.maxConnections`) with poll(2) deadlines
// keeps every wait bounded and off the cooperative pool.

struct HTTPStatus: Sendable, Equatable {
    let code: Int
    let phrase: String

    static let ok = HTTPStatus(code: 200, phrase: "OK")
    static let found = HTTPStatus(code: 302, phrase: "Found")
    static let badRequest = HTTPStatus(code: 400, phrase: "Bad Request")
    static let forbidden = HTTPStatus(code: 403, phrase: "Forbidden")
    static let notFound = HTTPStatus(code: 404, phrase: "Not Found")
    static let methodNotAllowed = HTTPStatus(code: 405, phrase: "Method Not Allowed")
    static let requestTimeout = HTTPStatus(code: 408, phrase: "Request Timeout")
    static let uriTooLong = HTTPStatus(code: 414, phrase: "URI Too Long")
    static let headerFieldsTooLarge = HTTPStatus(code: 431, phrase: "Request Header Fields Too Large")
    static let serviceUnavailable = HTTPStatus(code: 503, phrase: "Service Unavailable")
    static let versionNotSupported = HTTPStatus(code: 505, phrase: "HTTP Version Not Supported")
}

/// A response: a body of bytes (sent with its Content-Length, left out for
/// HEAD) or an event stream (sent as it comes, until the connection closes).
struct Response {
    var status: HTTPStatus
    var headers: [(name: String, value: String)] = []
    var body: Body = .data(Data())

    enum Body {
        case data(Data)
        case events(LiveReload.Listener)
    }

    /// The status as text (`404 Not Found`), for errors and refusals.
    static func plain(_ status: HTTPStatus, extra: [(name: String, value: String)] = []) -> Response {
        Response(status: status,
                 headers: [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-cache")] + extra,
                 body: .data(Data("\(status.code) \(status.phrase)\n".utf8)))
    }

    func value(of name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Status line and headers. `connection` is the Connection header to add, if any.
    func encodedHead(connection: String?) -> [UInt8] {
        var lines = ["HTTP/1.1 \(status.code) \(status.phrase)"] + headers.map { "\($0.name): \($0.value)" }
        if case .data(let data) = body, value(of: "Content-Length") == nil { lines.append("Content-Length: \(data.count)") }
        if let connection { lines.append("Connection: \(connection)") }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }
}

/// Listens on one address and answers each request head with `handler`,
/// within `ServeLimits`. `stop()` ends every connection and frees the port.
final class SocketServer: @unchecked Sendable {
    let limits: ServeLimits
    private let handler: @Sendable (RequestHead) -> Response
    private let state = Mutex(State())

    private struct State {
        var listening: Int32 = -1
        var wake: (read: Int32, write: Int32) = (-1, -1)
        var acceptEnded = false
        var stopping = false
        /// Open connections: descriptor -> client address.
        var open: [Int32: String] = [:]
        var perClient: [String: Int] = [:]
    }

    init(limits: ServeLimits, handler: @escaping @Sendable (RequestHead) -> Response) {
        self.limits = limits
        self.handler = handler
    }

    /// Binds `address` (numeric IPv4 or IPv6) and starts accepting on a thread
    /// of its own; returns the port (the system's choice for 0).
    func start(address: SocketAddress) throws -> Int {
        let fd = socket(address.family, Self.streamType, 0)
        guard fd >= 0 else { throw SocketFailure(call: "socket", code: errno) }
        Self.setCloseOnExec(fd)
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        if !address.bindSocket(fd) || listen(fd, SOMAXCONN) != 0 {
            let failure = SocketFailure(call: "bind", code: errno)
            close(fd)
            throw failure
        }
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else {
            let failure = SocketFailure(call: "pipe", code: errno)
            close(fd)
            throw failure
        }
        pipeFDs.forEach(Self.setCloseOnExec)
        state.withLock {
            $0.listening = fd
            $0.wake = (pipeFDs[0], pipeFDs[1])
        }
        let port = SocketAddress.localPort(of: fd)
        let wake = pipeFDs[0]
        Self.spawn { [self] in acceptLoop(fd, wake: wake) }
        return port
    }

    /// Stops accepting, ends every open connection at once (event streams
    /// too) and waits up to `seconds` for their threads; the port is free
    /// when this returns.
    func stop(waitingUpTo seconds: TimeInterval = 2) async {
        let wake = state.withLock { s -> Int32? in
            guard s.wake.write >= 0, !s.stopping else { return nil }
            s.stopping = true
            for fd in s.open.keys { shutdown(fd, Int32(SHUT_RDWR)) }
            return s.wake.write
        }
        guard let wake else { return }
        var byte: UInt8 = 1
        _ = write(wake, &byte, 1)
        let deadline = Self.now + seconds
        while Self.now < deadline, !state.withLock({ $0.acceptEnded && $0.open.isEmpty }) {
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        state.withLock { s in
            guard s.acceptEnded else { return }  // never close what a thread may still poll
            close(s.wake.read)
            close(s.wake.write)
        }
    }

    var connectionCount: Int { state.withLock { $0.open.count } }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    // MARK: Accepting

    private func acceptLoop(_ listening: Int32, wake: Int32) {
        defer {
            state.withLock { s in
                close(listening)
                s.listening = -1
                s.acceptEnded = true
            }
        }
        while !isStopping {
            var fds = [pollfd(fd: listening, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            let n = poll(&fds, 2, -1)
            if n < 0 && errno != EINTR { return }
            if fds[1].revents != 0 { return }
            guard fds[0].revents != 0 else { continue }
            var peer = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listening, $0, &length) }
            }
            guard fd >= 0 else {
                if errno != EINTR && errno != EAGAIN && errno != ECONNABORTED { usleep(50_000) }  // out of descriptors: let some close
                continue
            }
            Self.setCloseOnExec(fd)
            #if canImport(Darwin)
            var on: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
            #endif
            let client = SocketAddress.host(of: peer)
            let admitted = state.withLock { s -> Bool in
                guard !s.stopping, s.open.count < limits.maxConnections,
                      s.perClient[client, default: 0] < limits.maxConnectionsPerClient else { return false }
                s.open[fd] = client
                s.perClient[client, default: 0] += 1
                return true
            }
            if admitted {
                Self.spawn { [self] in
                    serve(fd)
                    state.withLock { s in
                        s.open[fd] = nil
                        s.perClient[client, default: 1] -= 1
                        if s.perClient[client] == 0 { s.perClient[client] = nil }
                        close(fd)
                    }
                }
            } else {
                refuse(fd)
            }
        }
    }

    /// Over the limits: 503 without waiting for the client, then closed.
    private func refuse(_ fd: Int32) {
        var scratch = [UInt8](repeating: 0, count: 4096)
        _ = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Self.dontWait) }
        let bytes = Response.plain(.serviceUnavailable, extra: [("Retry-After", "1")]).encoded(connection: "close", bodyToo: true)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Self.noSignal | Self.dontWait) }
        shutdown(fd, Int32(SHUT_WR))
        close(fd)
    }

    // MARK: One connection

    private func serve(_ fd: Int32) {
        var parser = HeadParser(limits: limits)
        while true {
            let head: RequestHead
            switch readHead(fd, &parser) {
            case .closed:
                return
            case .refused(let status):
                _ = sendAll(fd, Response.plain(status).encoded(connection: "close", bodyToo: true))
                return lingeringClose(fd)
            case .head(let h):
                head = h
            }
            let response = handler(head)
            let isHead = head.method == "HEAD"
            if case .events(let listener) = response.body {
                return stream(listener, response, to: fd)
            }
            let keepAlive = head.keepAlive && !head.hasBody && !isStopping
            let connection = !keepAlive ? "close" : head.minorVersion == 0 ? "keep-alive" : nil
            guard sendAll(fd, response.encoded(connection: connection, bodyToo: !isHead)) else { return }
            if !keepAlive { return lingeringClose(fd) }
        }
    }

    private enum HeadRead { case head(RequestHead), refused(HTTPStatus), closed }

    /// Waits up to the idle timeout for the first byte of a request, then up
    /// to the head timeout for the rest of its head.
    private func readHead(_ fd: Int32, _ parser: inout HeadParser) -> HeadRead {
        var deadline: TimeInterval? = parser.isEmpty ? nil : Self.now + limits.headTimeout
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            do {
                if let head = try parser.next() { return .head(head) }
            } catch {
                return .refused(error.status)
            }
            let wait = deadline.map { $0 - Self.now } ?? limits.idleTimeout
            guard Self.waitFor(fd, Int16(POLLIN), seconds: wait) else {
                return deadline == nil ? .closed : .refused(.requestTimeout)
            }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Self.dontWait) }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { continue }
            if n <= 0 { return .closed }
            if deadline == nil { deadline = Self.now + limits.headTimeout }
            chunk.withUnsafeBytes { parser.append(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
        }
    }

    /// An event stream: the head, then each message as it comes, until the
    /// stream ends, the client goes away or the server stops.
    private func stream(_ listener: LiveReload.Listener, _ response: Response, to fd: Int32) {
        defer { listener.finish() }
        guard sendAll(fd, response.encodedHead(connection: "close")) else { return }
        while true {
            let (messages, finished) = listener.take(waitingUpTo: 0.25)
            for m in messages { guard sendAll(fd, m) else { return } }
            if finished || isStopping || Self.peerClosed(fd) { break }
        }
        lingeringClose(fd)
    }

    // MARK: Socket helpers

    /// Sends every byte, giving up when the client takes none for the write timeout.
    private func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        var lastProgress = Self.now
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Self.noSignal | Self.dontWait) }
            if n > 0 {
                sent += n
                lastProgress = Self.now
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                guard Self.waitFor(fd, Int16(POLLOUT), seconds: lastProgress + limits.writeTimeout - Self.now) else { return false }
            } else {
                return false
            }
        }
        return true
    }

    /// Closes our side for writing, then reads and drops what the client still
    /// sends (up to a second), so that the answer is not lost to a reset
    /// caused by unread bytes. The caller closes the descriptor.
    private func lingeringClose(_ fd: Int32) {
        shutdown(fd, Int32(SHUT_WR))
        let deadline = Self.now + 1
        var dropped = 0
        var scratch = [UInt8](repeating: 0, count: 16 * 1024)
        while dropped < 16 << 20, Self.waitFor(fd, Int16(POLLIN), seconds: deadline - Self.now) {
            let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Self.dontWait) }
            if n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) { return }
            dropped += max(n, 0)
        }
    }

    /// True when the client has closed its side. What it sends meanwhile is
    /// dropped, up to 64 KiB a look.
    private static func peerClosed(_ fd: Int32) -> Bool {
        var scratch = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<16 {
            guard waitFor(fd, Int16(POLLIN), seconds: 0) else { return false }
            let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, dontWait) }
            if n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) { return true }
            if n < 0 { return false }
        }
        return false
    }

    /// Waits until `fd` is ready for `events` (or has failed); false when
    /// `seconds` pass first.
    private static func waitFor(_ fd: Int32, _ events: Int16, seconds: TimeInterval) -> Bool {
        let deadline = now + max(seconds, 0)
        while true {
            var p = pollfd(fd: fd, events: events, revents: 0)
            let ms = Int32(min(max((deadline - now) * 1000, 0).rounded(.up), 60_000))
            let n = poll(&p, 1, ms)
            if n > 0 { return true }
            if n < 0 && errno != EINTR { return true }  // let the next call report the error
            if now >= deadline { return false }
        }
    }

    private static var now: TimeInterval { ProcessInfo.processInfo.systemUptime }

    private static func spawn(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.stackSize = 512 << 10
        thread.start()
    }

    private static func setCloseOnExec(_ fd: Int32) {
        _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
    }

    #if canImport(Glibc)
    private static let streamType = Int32(SOCK_STREAM.rawValue)
    private static let noSignal = Int32(MSG_NOSIGNAL)
    #else
    private static let streamType = SOCK_STREAM
    private static let noSignal: Int32 = 0  // SO_NOSIGPIPE is set on each connection
    #endif
    private static let dontWait = Int32(MSG_DONTWAIT)
}

extension Response {
    /// Head and (unless `bodyToo` is false) body, for a byte body.
    func encoded(connection: String?, bodyToo: Bool) -> [UInt8] {
        var bytes = encodedHead(connection: connection)
        if bodyToo, case .data(let data) = body { bytes += data }
        return bytes
    }
}

struct SocketFailure: Error {
    var call: String
    var code: Int32
    var message: String { String(cString: strerror(code)) }
}

/// A numeric IPv4 or IPv6 address and port, as bind(2) takes it.
struct SocketAddress {
    private var storage = sockaddr_storage()
    let family: Int32
    let length: socklen_t

    /// Nil unless `host` is a numeric address (`127.0.0.1`, `::1`).
    init?(host: String, port: UInt16) {
        if host.contains(":") {
            var a = sockaddr_in6()
            guard inet_pton(AF_INET6, host, &a.sin6_addr) == 1 else { return nil }
            (a.sin6_family, a.sin6_port) = (sa_family_t(AF_INET6), port.bigEndian)
            self.init(a, family: AF_INET6)
        } else {
            var a = sockaddr_in()
            guard inet_pton(AF_INET, host, &a.sin_addr) == 1 else { return nil }
            (a.sin_family, a.sin_port) = (sa_family_t(AF_INET), port.bigEndian)
            self.init(a, family: AF_INET)
        }
    }

    private init<Address>(_ address: Address, family: Int32) {
        self.family = family
        length = socklen_t(MemoryLayout<Address>.size)
        withUnsafeBytes(of: address) { source in
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: source) }
        }
    }

    /// Binds `fd` to this address.
    func bindSocket(_ fd: Int32) -> Bool {
        withUnsafePointer(to: storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 }
        }
    }

    /// The port a bound socket listens on.
    static func localPort(of fd: Int32) -> Int {
        var s = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &s) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return withUnsafeBytes(of: s) { raw in
            Int(UInt16(bigEndian: Int32(s.ss_family) == AF_INET6
                ? raw.load(as: sockaddr_in6.self).sin6_port : raw.load(as: sockaddr_in.self).sin_port))
        }
    }

    /// A peer's address as text, to count connections per client.
    static func host(of s: sockaddr_storage) -> String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        withUnsafeBytes(of: s) { raw in
            if Int32(s.ss_family) == AF_INET6 {
                var a = raw.load(as: sockaddr_in6.self).sin6_addr
                _ = inet_ntop(AF_INET6, &a, &text, socklen_t(text.count))
            } else {
                var a = raw.load(as: sockaddr_in.self).sin_addr
                _ = inet_ntop(AF_INET, &a, &text, socklen_t(text.count))
            }
        }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
