import Foundation

/// What the server allows a client before it gives up on it. The defaults are
/// what `lectern watch` uses; tests shorten the timeouts.
public struct ServeLimits: Sendable {
    /// Longest request line (method, target, version), without its CRLF: else 414.
    public var maxRequestLine = 8 * 1024
    /// Most bytes of header lines (with their line ends, without the blank line
    /// that ends the head), and most header lines, in one request: else 431.
    public var maxHeaderBytes = 64 * 1024
    public var maxHeaderLines = 100
    /// The whole head (request line and headers) must arrive within this many
    /// seconds of its first byte, however slowly it trickles in: else 408.
    public var headTimeout: TimeInterval = 10
    /// A connection on which no byte of a new request comes for this long is closed.
    public var idleTimeout: TimeInterval = 5
    /// A response that makes no progress for this long (a client that does not
    /// read) is abandoned and the connection closed.
    public var writeTimeout: TimeInterval = 10
    /// Open connections at once, in all and from one client address; a
    /// connection over either is answered 503 and closed. Event streams count.
    public var maxConnections = 128
    public var maxConnectionsPerClient = 32

    public init() {}
}

/// A parsed request line and its header fields, as they came on the wire.
struct RequestHead: Sendable, Equatable {
    var method: String
    /// The request target, still percent-encoded, e.g. `/a.html?x=1`.
    var target: String
    /// The minor version: 1 for HTTP/1.1, 0 for HTTP/1.0.
    var minorVersion: Int
    var headers: [Header]

    struct Header: Sendable, Equatable {
        var name: String
        var value: String
    }

    /// The first value of a header, by case-insensitive name.
    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The target without its query.
    var path: String {
        target.firstIndex(of: "?").map { String(target[..<$0]) } ?? target
    }

    /// HTTP/1.1 keeps the connection unless told `close`; HTTP/1.0 only when told `keep-alive`.
    var keepAlive: Bool {
        let tokens = (header("Connection") ?? "").lowercased().split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
        return minorVersion >= 1 ? !tokens.contains("close") : tokens.contains("keep-alive")
    }

    /// True when a body follows the head. The server reads no bodies (it answers
    /// GET and HEAD), so it closes such a connection after answering.
    var hasBody: Bool {
        if header("Transfer-Encoding") != nil { return true }
        if let length = header("Content-Length") { return length.trimmingCharacters(in: .whitespaces) != "0" }
        return false
    }
}

/// Why a head was refused, with the status it is answered with.
enum HeadError: Error, Equatable {
    case requestLineTooLong
    case headersTooLarge
    case malformed
    case versionNotSupported

    var status: HTTPStatus {
        switch self {
        case .requestLineTooLong: return .uriTooLong
        case .headersTooLarge: return .headerFieldsTooLarge
        case .malformed: return .badRequest
        case .versionNotSupported: return .versionNotSupported
        }
    }
}

/// Reads request heads out of the bytes of one connection, each byte looked at
/// once, refusing a head as soon as it passes a limit (so at most the limits
/// plus one read are ever held). Lines end in LF, with or without CR before it;
/// empty lines before a request line are skipped (and count towards its length).
/// Bytes after a head (a pipelined request) stay for the next one.
struct HeadParser {
    let limits: ServeLimits
    /// Bytes received and not yet part of a returned head.
    private(set) var buffer: [UInt8] = []
    /// Where the search for the next LF goes on.
    private var scanned = 0
    private var lineStart = 0
    /// Where the header lines start; nil while the request line is read.
    private var headersStart: Int?
    private var requestLine: (method: String, target: String, minor: Int)?
    private var headers: [RequestHead.Header] = []

    init(limits: ServeLimits) {
        self.limits = limits
    }

    var isEmpty: Bool { buffer.isEmpty }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete head, nil when more bytes are needed.
    mutating func next() throws(HeadError) -> RequestHead? {
        while let lf = buffer[scanned...].firstIndex(of: 0x0A) {
            scanned = lf + 1
            var end = lf
            if end > lineStart && buffer[end - 1] == 0x0D { end -= 1 }
            let line = buffer[lineStart..<end]
            lineStart = lf + 1
            if let start = headersStart {
                try checkHeaderSize(upTo: end, from: start)
                if line.isEmpty { return finish() }
                headers.append(try Self.header(line))
                if headers.count > limits.maxHeaderLines { throw .headersTooLarge }
            } else {
                if end > limits.maxRequestLine { throw .requestLineTooLong }
                if line.isEmpty { continue }
                requestLine = try Self.requestLine(line)
                headersStart = lineStart
            }
        }
        scanned = buffer.count
        // A line not ended yet: its last byte may be the CR, which lines are counted without.
        if let start = headersStart {
            try checkHeaderSize(upTo: buffer.count - 1, from: start)
        } else if buffer.count - 1 > limits.maxRequestLine {
            throw .requestLineTooLong
        }
        return nil
    }

    private func checkHeaderSize(upTo end: Int, from start: Int) throws(HeadError) {
        if end - start > limits.maxHeaderBytes { throw .headersTooLarge }
    }

    private mutating func finish() -> RequestHead {
        let r = requestLine!
        let head = RequestHead(method: r.method, target: r.target, minorVersion: r.minor, headers: headers)
        buffer.removeFirst(lineStart)
        scanned = 0
        lineStart = 0
        headersStart = nil
        requestLine = nil
        headers = []
        return head
    }

    /// `METHOD SP target SP HTTP/1.x`, single spaces, no control characters.
    static func requestLine(_ line: ArraySlice<UInt8>) throws(HeadError) -> (method: String, target: String, minor: Int) {
        let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty,
              parts[0].allSatisfy(isTokenByte), parts[1].allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
            throw .malformed
        }
        let version = Array(parts[2])
        guard version.count == 8, version.starts(with: Array("HTTP/".utf8)), version[6] == UInt8(ascii: "."),
              let major = digit(version[5]), let minor = digit(version[7]) else {
            throw .malformed
        }
        guard major == 1 else { throw .versionNotSupported }
        return (String(decoding: parts[0], as: UTF8.self), String(decoding: parts[1], as: UTF8.self), minor)
    }

    /// `name: value`; a folded line (starting with white space) or a name with
    /// white space before the colon is refused, as RFC 9112 asks.
    static func header(_ line: ArraySlice<UInt8>) throws(HeadError) -> RequestHead.Header {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
              line[..<colon].allSatisfy(isTokenByte) else {
            throw .malformed
        }
        let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        return RequestHead.Header(name: String(decoding: line[..<colon], as: UTF8.self), value: value)
    }

    /// A byte of an RFC 9110 token (method and header names).
    static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return tokenSymbols.contains(b)
        }
    }

    private static let tokenSymbols = Set("!#$%&'*+-.^_`|~".utf8)

    static func digit(_ b: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) ? Int(b - UInt8(ascii: "0")) : nil
    }
}
