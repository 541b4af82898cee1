import Foundation
import LecternDocument

/// What compiling a lecture's program left: the errors swiftc named (empty when
/// it compiled), and the executable when something compiled (the whole program,
/// or the cells above the first that does not compile).
struct CompiledProgram: Codable, Equatable {
    var compileErrors: [Diagnostic] = []
    var compileOutput = ""
    var brokenCells: [Int] = []
    var brokenInlines: [Int] = []
    var ranUpTo: Int?
    var skippedInlines: [Int] = []
    /// Whether an executable was made (`lecture` beside `compile.json`).
    var hasExecutable = false

    /// A failure that names the lecture, not the machine (killed compiler, no HOME):
    /// only such results are kept.
    var isCacheable: Bool { compileOutput.isEmpty || !compileErrors.isEmpty }
}

/// `.lectern-cache/programs/<key>/`: compiled lecture programs, so that a run
/// at other parameter values (`-P`, an explorable param, `watch`) starts no
/// compiler. The key is the program's (`RunInputs.programKey`) with the
/// lecture's line numbers, which the executable carries in its messages.
/// At most `byteLimit` bytes of executables are kept; the least recently
/// used go first.
struct ProgramStore: Sendable {
    var directory: String
    var byteLimit: Int = ProgramStore.defaultByteLimit

    /// 512 MB, or `LECTERN_PROGRAM_CACHE_MB` megabytes.
    static let defaultByteLimit: Int = {
        if let t = ProcessInfo.processInfo.environment["LECTERN_PROGRAM_CACHE_MB"], let mb = Int(t), mb >= 0 {
            return mb * 1_000_000
        }
        return 512_000_000
    }()

    func entry(_ key: String) -> String { "\(directory)/programs/\(key)" }
    func executable(_ key: String) -> String { "\(entry(key))/lecture" }

    static func key(_ inputs: RunInputs, lines: [Int]) -> String {
        var h = SHA256()
        h.update(inputs.programKey)
        h.update("\n" + lines.map(String.init).joined(separator: ","))
        return h.finalize()
    }

    /// The compile result stored under `key`, its executable still there; marks it used.
    func load(_ key: String) -> CompiledProgram? {
        let dir = entry(key)
        guard let data = FileManager.default.contents(atPath: "\(dir)/compile.json"),
              let compiled = try? JSONDecoder().decode(CompiledProgram.self, from: data) else { return nil }
        if compiled.hasExecutable && access(executable(key), X_OK) != 0 { return nil }
        utimes(dir, nil)  // now: the eviction order
        return compiled
    }

    /// Puts the executable at `built` (when the result has one; linked, else
    /// copied) and the result into the store. The entry appears whole or not
    /// at all (a folder renamed into place). Returns whether it is there.
    @discardableResult
    func store(_ compiled: CompiledProgram, executable built: String, key: String) -> Bool {
        let fm = FileManager.default
        let parent = "\(directory)/programs"
        let tmp = "\(parent)/.tmp-\(key)-\(getpid())-\(UUID().uuidString.prefix(8))"
        defer { try? fm.removeItem(atPath: tmp) }
        do {
            try fm.createDirectory(atPath: tmp, withIntermediateDirectories: true)
            if compiled.hasExecutable && link(built, "\(tmp)/lecture") != 0 {
                try fm.copyItem(atPath: built, toPath: "\(tmp)/lecture")
            }
            try JSONEncoder().encode(compiled).write(to: URL(fileURLWithPath: "\(tmp)/compile.json"))
            try? fm.removeItem(atPath: entry(key))
            guard rename(tmp, entry(key)) == 0 else { return false }
        } catch {
            return false
        }
        evict(keeping: key)
        return true
    }

    /// Removes the least recently used entries until the executables fit in
    /// `byteLimit` (`keeping` is never removed).
    func evict(keeping: String) {
        let fm = FileManager.default
        let parent = "\(directory)/programs"
        guard let names = try? fm.contentsOfDirectory(atPath: parent) else { return }
        var entries: [(name: String, used: Double, bytes: Int)] = []
        for name in names where !name.hasPrefix(".") {
            var st = stat()
            let used = stat("\(parent)/\(name)", &st) == 0 ? Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9 : 0
            var bytes = 0
            if stat("\(parent)/\(name)/lecture", &st) == 0 { bytes = Int(st.st_size) }
            entries.append((name, used, bytes))
        }
        var total = entries.reduce(0) { $0 + $1.bytes }
        guard total > byteLimit else { return }
        for e in entries.sorted(by: { ($0.used, $0.name) < ($1.used, $1.name) }) where total > byteLimit {
            guard e.name != keeping else { continue }
            try? fm.removeItem(atPath: "\(parent)/\(e.name)")
            total -= e.bytes
        }
    }
}

/// One lock per program key, so that runs of one program at several values in
/// this process compile it once.
final class CompileLocks: @unchecked Sendable {
    static let shared = CompileLocks()
    private let lock = NSLock()
    private var locks: [String: NSLock] = [:]
    /// Keys compiled by this process (what `--no-cache` may reuse).
    private var compiled: Set<String> = []

    func withLock<T>(_ key: String, _ body: () -> T) -> T {
        let l = lock.withLock { () -> NSLock in
            if let l = locks[key] { return l }
            let l = NSLock()
            locks[key] = l
            return l
        }
        l.lock()
        defer { l.unlock() }
        return body()
    }

    func markCompiled(_ key: String) { lock.withLock { _ = compiled.insert(key) } }
    func wasCompiled(_ key: String) -> Bool { lock.withLock { compiled.contains(key) } }
}
