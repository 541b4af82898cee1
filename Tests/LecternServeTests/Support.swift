import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A temporary course folder: `Lectures/` with the given files, removed at the end.
final class TempCourse: @unchecked Sendable {
    let root: String
    var lectures: String { root + "/Lectures" }
    var output: String { root + "/Output" }

    init(_ files: [String: String]) throws {
        root = NSTemporaryDirectory() + "lectern-serve-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/Lectures", withIntermediateDirectories: true)
        for (name, text) in files { try write(name, text) }
    }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: lectures + "/" + name))
    }

    func read(_ relative: String) -> String? {
        try? String(contentsOfFile: output + "/" + relative, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

/// A temporary folder, removed at the end.
final class TempDirectory: @unchecked Sendable {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "lectern-serve-dir-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func write(_ relative: String, _ text: String) throws {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs blocking work (sockets, builds) on its own thread, off the small pool
/// of threads that serves the server's tasks.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let t = Thread { continuation.resume(with: Result { try body() }) }
        t.start()
    }
}

struct ClientError: Error, CustomStringConvertible {
    var description: String
}

/// A TCP connection to 127.0.0.1 that sends exactly the bytes given: no
/// client library in between to normalise `..` or re-encode the path.
final class RawConnection: @unchecked Sendable {
    let fd: Int32

    /// `source` is the loopback address to connect from (another 127.x.y.z
    /// is another client to the server).
    init(port: Int, timeout: Double = 5, from source: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError(description: "socket: \(String(cString: strerror(errno)))") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { close(fd); throw ClientError(description: "bind \(source): \(String(cString: strerror(errno)))") }
        }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let e = errno
            close(fd)
            throw ClientError(description: "connect to port \(port): \(String(cString: strerror(e)))")
        }
    }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw ClientError(description: "send: \(String(cString: strerror(errno)))") }
            sent += n
        }
    }

    enum Read: Equatable { case bytes([UInt8]), end, timeout }

    /// Reads what is there, waiting at most the receive timeout.
    func read() -> Read {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 { return .bytes(Array(buffer[0..<n])) }
        if n == 0 { return .end }
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? .timeout : .end
    }

    /// Sends `bytes` on a thread of its own, ignoring errors (the server may
    /// close before it has read them all); `done` is signalled at the end.
    @discardableResult
    func sendInBackground(_ bytes: [UInt8]) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        Thread { try? self.send(bytes); done.signal() }.start()
        return done
    }

    /// Reads until the stream ends (or a read times out).
    func receiveAll() -> [UInt8] {
        var out: [UInt8] = []
        while case .bytes(let chunk) = read() { out += chunk }
        return out
    }

    /// Reads until the text seen so far (with `seen`) contains `needle`, the
    /// stream ends, or `seconds` pass.
    func receive(until needle: String, within seconds: Double, seen: inout [UInt8]) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if String(decoding: seen, as: UTF8.self).contains(needle) { return true }
            if Date() >= deadline { return false }
            switch read() {
            case .bytes(let chunk): seen += chunk
            case .timeout: continue
            case .end: return String(decoding: seen, as: UTF8.self).contains(needle)
            }
        }
    }

    deinit { close(fd) }
}

struct RawResponse: Sendable {
    var status: Int
    /// Header names lowercased.
    var headers: [String: String]
    var body: String
}

/// Sends `requestLine` (e.g. "GET /../x HTTP/1.1") as it is and reads the whole answer.
func rawRequest(port: Int, _ requestLine: String, extraHeaders: String = "") throws -> RawResponse {
    let c = try RawConnection(port: port)
    try c.send(Array("\(requestLine)\r\nHost: 127.0.0.1\r\n\(extraHeaders)Connection: close\r\n\r\n".utf8))
    let bytes = c.receiveAll()
    return try parseResponse(bytes)
}

func rawGet(port: Int, _ path: String) throws -> RawResponse {
    try rawRequest(port: port, "GET \(path) HTTP/1.1")
}

func parseResponse(_ bytes: [UInt8]) throws -> RawResponse {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let split = text.range(of: "\r\n\r\n") else { throw ClientError(description: "no complete response: \(text)") }
    let head = text[..<split.lowerBound].components(separatedBy: "\r\n")
    let statusParts = head[0].split(separator: " ")
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw ClientError(description: "bad status line \(head[0])") }
    var headers: [String: String] = [:]
    for line in head.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return RawResponse(status: status, headers: headers, body: String(text[split.upperBound...]))
}

/// True when the port on 127.0.0.1 can be listened on again, as a new
/// `lectern watch` would (SO_REUSEADDR, like the server).
func portIsFree(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var on: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 && listen(fd, 1) == 0
        }
    }
}

