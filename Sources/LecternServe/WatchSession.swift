import Foundation
import LecternBuild

/// `lectern watch` as a library: serve the output folder, build the course
/// once, then rebuild on every change of its sources and tell the open pages
/// to reload. The methods block; builds run on the watcher's thread, never
/// on the tasks that serve requests.
public final class WatchSession: @unchecked Sendable {
    public let server: WatchServer
    public let rebuilder: Rebuilder
    public let watcher: Watcher
    /// Lines to show: one per build, and the diagnostics of each build.
    private let log: @Sendable (String) -> Void
    public private(set) var port = 0

    public init(lecturesDirectory: String, options: BuildOptions, host: String = "127.0.0.1", port: Int = 8000,
                pollInterval: TimeInterval = 0.3, log: @escaping @Sendable (String) -> Void) throws {
        guard (0...65535).contains(port) else { throw ServeError.cannotListen("port \(port) is not between 0 and 65535") }
        server = try WatchServer(root: options.outputDirectory, host: host, port: UInt16(port))
        rebuilder = Rebuilder(lecturesDirectory: lecturesDirectory, options: options)
        watcher = Watcher(directory: lecturesDirectory)
        watcher.interval = pollInterval
        self.log = log
    }

    /// Binds the port and starts serving. Throws `ServeError.portInUse` when
    /// the port is taken.
    public func serve() throws -> Int {
        try? FileManager.default.createDirectory(atPath: rebuilder.options.outputDirectory, withIntermediateDirectories: true)
        let server = self.server
        port = try blocking { try await server.start() }
        return port
    }

    public var url: String { server.url(port: port) }

    /// Builds the course, then watches its sources from what that build saw.
    public func buildAndWatch() {
        let baseline = SourceSnapshot.take(rebuilder.lecturesDirectory)
        report(rebuilder.rebuild(nil), changes: nil)
        watcher.start(from: baseline) { [self] changes, _ in
            report(rebuilder.rebuild(changes), changes: changes)
        }
    }

    private func report(_ outcome: Rebuilder.Rebuild, changes: SourceChanges?) {
        for d in outcome.report?.diagnostics ?? [] { log(d.description) }
        log(Rebuilder.summary(outcome, changes: changes))
        if outcome.wroteFiles {
            server.liveReload.reload(outcome.report!.filesWritten.joined(separator: " "))
        }
    }

    /// Stops serving (the port is free when this returns), then waits for a
    /// build in progress to finish so that the output folder is whole.
    public func stop() {
        let server = self.server
        try? blocking { await server.stop() }
        watcher.stop()
    }
}

/// Runs async work from synchronous code and waits for its result. Never
/// call it on a task of the cooperative pool.
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let result = Mutex<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let r: Result<T, any Error>
        do { r = .success(try await body()) } catch { r = .failure(error) }
        result.withLock { $0 = r }
        done.signal()
    }
    done.wait()
    return try result.withLock { $0! }.get()
}
