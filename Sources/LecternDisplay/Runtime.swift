import Foundation

/// Where records go.
public protocol RecordSink: AnyObject, Sendable {
    func write(_ record: DisplayRecord)
}

/// Collects records in memory (for tests and for tools that run cells in-process).
public final class MemorySink: RecordSink, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [DisplayRecord] = []
    public init() {}
    public func write(_ record: DisplayRecord) { lock.withLock { stored.append(record) } }
    public var records: [DisplayRecord] { lock.withLock { stored } }
}

/// Appends records, one JSON line per `write(2)`, to a file descriptor.
public final class FileSink: RecordSink, @unchecked Sendable {
    private let lock = NSLock()
    public let fd: Int32

    /// Opens (creating, appending) the file at `path`.
    public init?(path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        self.fd = fd
    }

    /// Writes to an already open descriptor (not closed by the sink).
    public init(fd: Int32) { self.fd = fd }

    public func write(_ record: DisplayRecord) {
        let line = Array((record.jsonLine() + "\n").utf8)
        lock.withLock {
            line.withUnsafeBytes { raw in
                var off = 0
                while off < raw.count {
                    let n = Foundation.write(fd, raw.baseAddress! + off, raw.count - off)
                    if n < 0 { if errno == EINTR { continue } else { return } }
                    off += n
                }
            }
        }
    }
}

/// Used when the program runs outside Lectern (no `LECTERN_RECORDS`):
/// a readable summary of each record goes to stderr.
public final class ConsoleSink: RecordSink, @unchecked Sendable {
    public init() {}
    public func write(_ record: DisplayRecord) {
        guard let text = ConsoleSink.describe(record) else { return }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func describe(_ r: DisplayRecord) -> String? {
        switch r {
        case .cellStart, .cellEnd: return nil
        case .inline(let v): return "[inline \(v.index)] \(v.text)"
        case .claim(let c): return "[claim] \(c.message)"
        case .value(let v): return v.label.map { "\($0) = \(v.text)" } ?? v.text
        case .matrix(let m):
            let body = m.rows.map { $0.joined(separator: "  ") }.joined(separator: "\n")
            return m.label.map { "\($0) =\n\(body)" } ?? body
        case .table(let t):
            return ([t.caption].compactMap { $0 } + [t.headers.joined(separator: " | ")] + t.rows.map { $0.joined(separator: " | ") })
                .joined(separator: "\n")
        case .figure(let f): return "[figure] \(f.title): \(f.alt)"
        case .math(let m): return "$$ \(m.latex) $$"
        case .text(let n): return n.text
        case .check(let c): return "\(c.file):\(c.line): \(c.passed ? "ok" : "FAILED"): \(c.message)"
        case .error(let e): return "\(e.file):\(e.line): error: \(e.message)"
        }
    }
}

/// The process-wide display state: where records go and how `out` offsets are read.
public enum DisplayRuntime {
    /// Name of the environment variable holding the records file path.
    public static let recordsEnvironmentKey = "LECTERN_RECORDS"

    /// Overrides the sink for the current task (and its children), e.g. in tests:
    /// `DisplayRuntime.$sinkOverride.withValue(sink) { show(2.0) }`.
    @TaskLocal public static var sinkOverride: RecordSink?

    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var sink: RecordSink?
        var figureCount = 0
    }
    private static let state = State()

    /// The sink used when no task-local override is set. Created on first use
    /// from `LECTERN_RECORDS` (a `FileSink`), else a `ConsoleSink`. Creating it
    /// also makes stdout unbuffered so that offsets are exact.
    public static var processSink: RecordSink {
        get {
            state.lock.withLock {
                if let s = state.sink { return s }
                let s = makeDefaultSink()
                state.sink = s
                return s
            }
        }
        set { state.lock.withLock { state.sink = newValue } }
    }

    private static func makeDefaultSink() -> RecordSink {
        setvbuf(cStdout(), nil, _IONBF, 0)
        if let path = ProcessInfo.processInfo.environment[recordsEnvironmentKey], !path.isEmpty {
            if let s = FileSink(path: path) { return s }
            FileHandle.standardError.write(Data("lectern: cannot open records file \(path)\n".utf8))
        }
        return ConsoleSink()
    }

    /// Prepares the process: unbuffered stdout and the records file opened.
    /// Called by `_lecternBeginCell`; calling it again is harmless.
    public static func start() { _ = processSink }

    /// The sink records go to right now.
    public static var currentSink: RecordSink { sinkOverride ?? processSink }

    /// The byte offset of `fd` after flushing C stdio's stdout, or -1 if the
    /// descriptor is not seekable (pipe, terminal).
    public static func outputOffset(fd: Int32 = 1) -> Int {
        fflush(cStdout())
        let off = lseek(fd, 0, SEEK_CUR)
        return off < 0 ? -1 : Int(off)
    }

    /// Emits a record: flushes stdout, stamps the stdout offset, writes it to the current sink.
    public static func emit(_ record: DisplayRecord) {
        let sink = currentSink
        sink.write(record.with(out: outputOffset()))
    }

    /// Next figure number (1, 2, ...) of this process; used for stable element ids.
    static func nextFigureNumber() -> Int {
        state.lock.withLock { state.figureCount += 1; return state.figureCount }
    }
}

/// Collects the records emitted by `body` (in this task) instead of writing them out.
public func collectRecords(_ body: () throws -> Void) rethrows -> [DisplayRecord] {
    let sink = MemorySink()
    try DisplayRuntime.$sinkOverride.withValue(sink) { try body() }
    return sink.records
}

// MARK: - Hooks called by the generated program

/// Marks the start of cell `index` (0-based, in document order).
public func _lecternBeginCell(_ index: Int) {
    DisplayRuntime.start()
    DisplayRuntime.emit(.cellStart(.init(index: index, out: -1)))
}

/// Marks the end of cell `index`. Call it also after `_lecternReportError`.
public func _lecternEndCell(_ index: Int) {
    DisplayRuntime.emit(.cellEnd(.init(index: index, out: -1)))
}

/// Records a Swift error that escaped a cell. `file`/`line` name the cell's place in the .md file.
public func _lecternReportError(_ error: any Error, file: String, line: Int) {
    DisplayRuntime.emit(.error(.init(message: String(describing: error),
                               type: String(reflecting: type(of: error)),
                               file: file, line: line, out: -1)))
}

/// Flushes stdout; call once at the end of the program (optional).
public func _lecternFinish() {
    fflush(cStdout())
}

/// Records the value of inline expression `index`.
public func _lecternInline<T: LecternFormattable>(_ index: Int, _ value: T) {
    DisplayRuntime.emit(.inline(.init(index: index, text: value.lecternText, out: -1)))
}

/// Records the value of inline expression `index` (any other type: its description).
@_disfavoredOverload
public func _lecternInline<T>(_ index: Int, _ value: T) {
    DisplayRuntime.emit(.inline(.init(index: index, text: String(describing: value), out: -1)))
}

/// Checks claim `index`: the author wrote `literal` next to the computed `value`.
public func _lecternClaim(_ index: Int, _ value: Double, literal: String) {
    let r = Claim.check(value: value, literal: literal)
    DisplayRuntime.emit(.claim(.init(index: index, literal: literal, value: value,
                               text: Format.number(value), passed: r.passed, message: r.message, out: -1)))
}

public func _lecternClaim<I: BinaryInteger>(_ index: Int, _ value: I, literal: String) {
    _lecternClaim(index, Double(value), literal: literal)
}

public func _lecternClaim(_ index: Int, _ value: Float, literal: String) {
    _lecternClaim(index, Double(value), literal: literal)
}
