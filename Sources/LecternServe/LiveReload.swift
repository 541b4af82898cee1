import FlyingFox
import FlyingSocks
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

    private let state = Mutex((clients: [UUID: AsyncStream<[UInt8]>.Continuation](), closed: false))

    public init() {}

    /// Clients listening now.
    public var clientCount: Int { state.withLock { $0.clients.count } }

    /// A new listener's stream of SSE bytes: a comment at once (so the client
    /// knows it is connected), then one message per broadcast, until `close()`.
    public func subscribe() -> AsyncStream<[UInt8]> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingNewest(16))
        continuation.onTermination = { [weak self] _ in self?.remove(id) }
        continuation.yield(Array(": connected\nretry: 1000\n\n".utf8))
        let open = state.withLock { s in
            if !s.closed { s.clients[id] = continuation }
            return !s.closed
        }
        if !open { continuation.finish() }
        return stream
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
        for (id, c) in state.withLock({ $0.clients }) {
            if case .terminated = c.yield(bytes) { remove(id) }
        }
    }

    private func remove(_ id: UUID) {
        state.withLock { $0.clients[id] = nil }
    }

    /// The HTTP response for a listener: `text/event-stream`, sent chunked as
    /// messages come.
    public func response() -> HTTPResponse {
        HTTPResponse(statusCode: .ok,
                     headers: [.contentType: "text/event-stream; charset=utf-8",
                               HTTPHeader("Cache-Control"): "no-cache",
                               HTTPHeader("X-Accel-Buffering"): "no"],
                     body: HTTPBodySequence(from: EventBytes(stream: subscribe())))
    }
}

/// An `AsyncStream` of byte chunks as the buffered byte sequence a FlyingFox
/// body is made from; each chunk goes out as it arrives.
struct EventBytes: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let stream: AsyncStream<[UInt8]>

    func makeAsyncIterator() -> Iterator { Iterator(base: stream.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var base: AsyncStream<[UInt8]>.Iterator
        var pending: ArraySlice<UInt8> = []

        mutating func next() async -> UInt8? {
            guard let chunk = await nextBuffer(suggested: 1) else { return nil }
            return chunk.first
        }

        mutating func nextBuffer(suggested count: Int) async -> ArraySlice<UInt8>? {
            while pending.isEmpty {
                guard let chunk = await base.next() else { return nil }
                pending = chunk[...]
            }
            let n = Swift.max(1, Swift.min(count, pending.count))
            let out = pending.prefix(n)
            pending = pending.dropFirst(n)
            return out
        }
    }
}
