import FlyingFox
import FlyingSocks
import Foundation
import LecternBuild

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
/// stream of `LiveReload` at `/__lectern/events`. Only GET and HEAD.
public final class WatchServer: Sendable {
    public let files: StaticFiles
    public let liveReload: LiveReload
    public let host: String
    private let server: HTTPServer
    private let requestedPort: UInt16
    private let heartbeat = Mutex<Task<Void, Never>?>(nil)

    /// `host` is an IPv4 or IPv6 address (`localhost` means 127.0.0.1);
    /// `port` 0 takes any free port (see `start()`).
    public init(root: String, host: String = "127.0.0.1", port: UInt16 = 8000, liveReload: LiveReload = LiveReload()) throws {
        let files = StaticFiles(root: root)
        self.files = files
        self.liveReload = liveReload
        self.requestedPort = port
        let handler = ClosureHTTPHandler { request in
            WatchServer.respond(to: request, files: files, liveReload: liveReload)
        }
        let h = host == "localhost" ? "127.0.0.1" : host
        self.host = h
        let pool = HTTPServer.defaultPool()
        if h.contains(":") {
            guard let address = try? sockaddr_in6.inet6(ip6: h, port: port) else { throw ServeError.badHost(host) }
            server = HTTPServer(address: address, timeout: 30, pool: pool, logger: .disabled, handler: handler)
        } else {
            guard h.split(separator: ".").count == 4, let address = try? sockaddr_in.inet(ip4: h, port: port) else {
                throw ServeError.badHost(host)
            }
            server = HTTPServer(address: address, timeout: 30, pool: pool, logger: .disabled, handler: handler)
        }
    }

    /// Binds and starts serving; returns the port served on (the one asked
    /// for, or the one the system chose for port 0).
    @discardableResult
    public func start() async throws -> Int {
        let server = self.server
        let running = Task { try await server.run() }
        do {
            // Whichever comes first: listening, or run() ending (a bind error).
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let pending = Mutex<CheckedContinuation<Void, any Error>?>(continuation)
                let resume: @Sendable ((any Error)?) -> Void = { error in  // the first time only
                    let c = pending.withLock { $0.take() }
                    if let error { c?.resume(throwing: error) } else { c?.resume() }
                }
                Task {
                    do {
                        try await running.value
                        resume(ServeError.cannotListen("the server stopped at once"))
                    } catch {
                        resume(error)
                    }
                }
                Task {
                    do {
                        try await server.waitUntilListening(timeout: 10)
                        resume(nil)
                    } catch {
                        resume(error)
                    }
                }
            }
        } catch SocketError.failed(let type, let code, let message) {
            running.cancel()
            if code == EADDRINUSE { throw ServeError.portInUse(host: host, port: Int(requestedPort)) }
            throw ServeError.cannotListen("\(type.lowercased()) \(host):\(requestedPort): \(message)")
        } catch {
            running.cancel()
            throw error
        }
        startHeartbeat()
        return await port ?? Int(requestedPort)
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
        get async {
            switch await server.listeningAddress {
            case .ip4(_, let port)?: return Int(port)
            case .ip6(_, let port)?: return Int(port)
            default: return nil
            }
        }
    }

    /// The address to open in a browser.
    public func url(port: Int) -> String {
        let shown = host == "0.0.0.0" ? "127.0.0.1" : host
        return host.contains(":") ? "http://[\(shown)]:\(port)/" : "http://\(shown):\(port)/"
    }

    /// Ends the event streams, closes the listening socket and gives open
    /// connections a quarter of a second to finish (responses are small files
    /// from the local disk) before they are cancelled. The port is free afterwards.
    public func stop() async {
        heartbeat.withLock { $0?.cancel(); $0 = nil }
        liveReload.close()
        await server.stop(timeout: 0.25)
    }

    static func respond(to request: HTTPRequest, files: StaticFiles, liveReload: LiveReload) -> HTTPResponse {
        let path = request.target.path(percentEncoded: true)
        guard request.method == .GET || request.method == .HEAD else {
            return plain(.methodNotAllowed, extra: [HTTPHeader("Allow"): "GET, HEAD"])
        }
        if path == LiveReload.path { return liveReload.response() }
        switch files.resolve(path) {
        case .forbidden:
            return plain(.forbidden)
        case .notFound:
            return plain(.notFound)
        case .redirect(let location):
            return HTTPResponse(statusCode: .found, headers: HTTPHeaders([.location: location]))
        case .file(let file, let type):
            guard let data = FileManager.default.contents(atPath: file) else { return plain(.notFound) }
            let headers: HTTPHeaders = [.contentType: type, .cacheControl: "no-cache",
                                        HTTPHeader("X-Content-Type-Options"): "nosniff",
                                        .contentLength: String(data.count)]
            return HTTPResponse(statusCode: .ok, headers: headers, body: request.method == .HEAD ? Data() : data)
        }
    }

    static func plain(_ status: HTTPStatusCode, extra: HTTPHeaders = [:]) -> HTTPResponse {
        var headers: HTTPHeaders = [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-cache"]
        for (k, v) in extra { headers.addValue(v, for: k) }
        return HTTPResponse(statusCode: status, headers: headers, body: Data("\(status.code) \(status.phrase)\n".utf8))
    }
}
