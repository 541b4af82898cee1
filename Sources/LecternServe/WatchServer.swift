import Foundation
import LecternBuild
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum ServeError: Error, CustomStringConvertible, Equatable {
    case portInUse(host: String, port: Int)
    case badHost(String)
    case cannotListen(String)

    public var description: String {
        switch self {
        case .portInUse(let host, let port):
            return "port \(port) on \(host) is already in use; choose another with --port, e.g. --port \(port == 8000 ? 8001 : port + 1)"
        case .badHost(let h):
            return "--host wants an IP address, such as 127.0.0.1 (this machine only) or 0.0.0.0 (every network); got '\(h)'"
        case .cannotListen(let m):
            return "cannot serve: \(m)"
        }
    }
}

/// Serves the output folder over HTTP with live reload: files through
/// `StaticFiles` (which refuses anything outside the folder), and the event
/// stream of `LiveReload` at `/__lectern/events`. Only GET and HEAD. The
/// connections are `SocketServer`'s, within `ServeLimits`.
public final class WatchServer: Sendable {
    public let files: StaticFiles
    public let liveReload: LiveReload
    public let host: String
    public let limits: ServeLimits
    private let server: SocketServer
    private let address: SocketAddress
    private let requestedPort: UInt16
    private let served = Mutex<Int?>(nil)
    private let heartbeat = Mutex<Task<Void, Never>?>(nil)

    /// `host` is an IPv4 or IPv6 address (`localhost` means 127.0.0.1);
    /// `port` 0 takes any free port (see `start()`).
    public init(root: String, host: String = "127.0.0.1", port: UInt16 = 8000, liveReload: LiveReload = LiveReload(),
                limits: ServeLimits = ServeLimits()) throws {
        let files = StaticFiles(root: root)
        self.files = files
        self.liveReload = liveReload
        self.limits = limits
        self.requestedPort = port
        let h = host == "localhost" ? "127.0.0.1" : host
        self.host = h
        guard h.contains(":") || h.split(separator: ".", omittingEmptySubsequences: false).count == 4,
              let address = SocketAddress(host: h, port: port) else {
            throw ServeError.badHost(host)
        }
        self.address = address
        server = SocketServer(limits: limits) { request in
            WatchServer.respond(to: request, files: files, liveReload: liveReload)
        }
    }

    /// Binds and starts serving; returns the port served on (the one asked
    /// for, or the one the system chose for port 0).
    @discardableResult
    public func start() async throws -> Int {
        let port: Int
        do {
            port = try server.start(address: address)
        } catch let failure as SocketFailure {
            if failure.code == EADDRINUSE { throw ServeError.portInUse(host: host, port: Int(requestedPort)) }
            throw ServeError.cannotListen("\(failure.call) \(host):\(requestedPort): \(failure.message)")
        }
        served.withLock { $0 = port }
        startHeartbeat()
        return port
    }

    /// A comment on the event streams every 15 seconds, so that listeners that
    /// went away (a closed tab) are noticed and dropped.
    private func startHeartbeat() {
        let liveReload = self.liveReload
        heartbeat.withLock { task in
            task?.cancel()
            task = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: 15_000_000_000)
                    if !Task.isCancelled { liveReload.heartbeat() }
                }
            }
        }
    }

    /// The port listened on, while serving.
    public var port: Int? {
        get async { served.withLock { $0 } }
    }

    /// Connections open now (event streams included).
    public var connectionCount: Int { server.connectionCount }

    /// The address to open in a browser.
    public func url(port: Int) -> String {
        let shown = host == "0.0.0.0" ? "127.0.0.1" : host
        return host.contains(":") ? "http://[\(shown)]:\(port)/" : "http://\(shown):\(port)/"
    }

    /// Ends the event streams, closes the listening socket and every open
    /// connection (a response being sent is cut short: they are small files
    /// from the local disk). The port is free afterwards.
    public func stop() async {
        heartbeat.withLock { $0?.cancel(); $0 = nil }
        liveReload.close()
        await server.stop()
        served.withLock { $0 = nil }
    }

    static func respond(to request: RequestHead, files: StaticFiles, liveReload: LiveReload) -> Response {
        guard request.method == "GET" || request.method == "HEAD" else {
            return .plain(.methodNotAllowed, extra: [("Allow", "GET, HEAD")])
        }
        let path = request.path
        if path == LiveReload.path {
            var response = Response(status: .ok, headers: [("Content-Type", "text/event-stream; charset=utf-8"),
                                                           ("Cache-Control", "no-cache"), ("X-Accel-Buffering", "no")])
            if request.method == "GET" { response.body = .events(liveReload.subscribe()) }
            return response
        }
        switch files.resolve(path) {
        case .forbidden:
            return .plain(.forbidden)
        case .notFound:
            return .plain(.notFound)
        case .redirect(let location):
            return Response(status: .found, headers: [("Location", location)])
        case .file(let file, let type):
            guard let data = FileManager.default.contents(atPath: file) else { return .plain(.notFound) }
            return Response(status: .ok, headers: [("Content-Type", type), ("Cache-Control", "no-cache"),
                                                   ("X-Content-Type-Options", "nosniff")],
                            body: .data(data))
        }
    }
}
