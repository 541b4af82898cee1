import Foundation
import LecternBuild

/// Live reload by server-sent events: each page open under `lectern watch`
/// listens on `/__lectern/events` (see `lectern.js` in LecternRender's
/// `Assets`) and reloads itself on a `reload` event, which is sent after every
/// rebuild that wrote files.
public final class LiveReload: Sendable {
    /// The path pages listen on and the event name they reload on; `lectern.js` uses both.
    public static let path = "/__lectern/events"
    public static let eventName = "reload"

    private let state = Mutex((clients: [ObjectIdentifier: Listener](), closed: false))

    public init() {}

    /// Clients listening now.
    public var clientCount: Int { state.withLock { $0.clients.count } }

    /// A new listener: a comment at once (so the client knows it is connected),
    /// then one message per broadcast, until `close()` or the listener's own `finish()`.
    func subscribe() -> Listener {
        let listener = Listener(onFinish: { [weak self] in self?.remove($0) })
        listener.push(Array(": connected\nretry: 1000\n\n".utf8))
        let open = state.withLock { s in
            if !s.closed { s.clients[ObjectIdentifier(listener)] = listener }
            return !s.closed
        }
        if !open { listener.finish() }
        return listener
    }

    /// Sends `event: reload` with `data` (one line) to every listener.
    public func reload(_ data: String = "") {
        let line = data.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        send(Array("event: \(Self.eventName)\ndata: \(line)\n\n".utf8))
    }

    /// A comment line, which browsers ignore: finds listeners that went away.
    public func heartbeat() {
        send(Array(": ping\n\n".utf8))
    }

    /// Ends every stream; later subscribers get an empty stream.
    public func close() {
        let all = state.withLock { s in
            s.closed = true
            return exchange(&s.clients, with: [:])
        }
        for c in all.values { c.finish() }
    }

    private func send(_ bytes: [UInt8]) {
        for c in state.withLock({ Array($0.clients.values) }) { c.push(bytes) }
    }

    private func remove(_ listener: Listener) {
        state.withLock { $0.clients[ObjectIdentifier(listener)] = nil }
    }

    /// One open event stream: the messages not yet sent (the newest 16 when
    /// its client falls behind), taken by the connection that sends them.
    final class Listener: @unchecked Sendable {
        private let condition = NSCondition()
        private var pending: [[UInt8]] = []
        private var finished = false
        private let onFinish: @Sendable (Listener) -> Void

        init(onFinish: @escaping @Sendable (Listener) -> Void) {
            self.onFinish = onFinish
        }

        func push(_ message: [UInt8]) {
            condition.lock(); defer { condition.unlock() }
            guard !finished else { return }
            pending.append(message)
            if pending.count > 16 { pending.removeFirst() }
            condition.signal()
        }

        /// Ends the stream (idempotent) and stops its broadcasts.
        func finish() {
            condition.lock()
            let first = !finished
            finished = true
            condition.signal()
            condition.unlock()
            if first { onFinish(self) }
        }

        /// The messages waiting, after waiting up to `seconds` for one; and
        /// whether the stream has ended (its messages still go out first).
        func take(waitingUpTo seconds: TimeInterval) -> (messages: [[UInt8]], finished: Bool) {
            condition.lock(); defer { condition.unlock() }
            let deadline = Date(timeIntervalSinceNow: seconds)
            while pending.isEmpty && !finished && condition.wait(until: deadline) {}
            return (exchange(&pending, with: []), finished)
        }
    }
}
