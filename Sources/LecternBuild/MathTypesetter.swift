import Foundation
import LecternRunner

/// A formula as KaTeX sees it.
public struct Formula: Hashable, Sendable {
    public var tex: String
    public var display: Bool
    public init(tex: String, display: Bool) {
        self.tex = tex
        self.display = display
    }
}

/// What KaTeX made of a formula.
public enum TypesetFormula: Equatable, Sendable {
    case html(String)
    /// KaTeX's message, and the UTF-16 offset into the TeX it points at (nil when none).
    case error(String, position: Int?)
}

/// Where KaTeX for node is: Debian's `katex` package puts the module in
/// `/usr/share/nodejs/katex` (its `dist/` is `libjs-katex`, the files the pages
/// load), and `nodejs` runs it. `LECTERN_NODE` and `LECTERN_KATEX` override.
public struct KaTeXEngine: Sendable, Equatable {
    public var node: String
    public var module: String
    public var version: String

    public static let defaultModule = "/usr/share/nodejs/katex"

    /// The engine, or why there is none (one sentence, for the build's warning).
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> Result<KaTeXEngine, Missing> {
        let fm = FileManager.default
        let node: String?
        if let n = environment["LECTERN_NODE"] {
            node = fm.isExecutableFile(atPath: n) ? n : nil
        } else {
            let dirs = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
            node = ["node", "nodejs"].lazy.compactMap { name in
                dirs.lazy.map { "\($0)/\(name)" }.first { fm.isExecutableFile(atPath: $0) }
            }.first
        }
        guard let node else { return .failure(Missing(reason: "node was not found on PATH")) }
        let module = environment["LECTERN_KATEX"] ?? defaultModule
        guard let data = fm.contents(atPath: "\(module)/package.json"),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let version = json["version"] as? String else {
            return .failure(Missing(reason: "KaTeX for node was not found at \(module)"))
        }
        return .success(KaTeXEngine(node: node, module: module, version: version))
    }

    public struct Missing: Error, Equatable, Sendable { public var reason: String }
}

/// Typesets formulas with KaTeX: from the cache in `.lectern-cache/math/` when
/// it holds them, else in one node process fed every formula missing (JSON
/// lines in, JSON lines out; see `driver`). A warm build, or one after a
/// prose-only edit that added no formula, starts no process. When the prose
/// holds formulas the cache lacks, or a lecture is about to run (its output may
/// hold new ones), `prepare` starts node early, so that KaTeX loads while the
/// lectures compile; if it turns out not to be needed, it is killed.
public final class MathTypesetter: @unchecked Sendable {
    public let engine: KaTeXEngine
    public let cacheFile: String
    /// How many formulas the last `typeset` sent to node (0: all from the cache).
    public private(set) var rendered = 0
    /// The cache as read at the first use.
    private var known: [Formula: TypesetFormula]?
    /// The node process `prepare` started, waiting for its formulas.
    private var early: NodeRun?
    /// Guards `known` and `early` (`prepare` is called from the lectures' threads).
    private let lock = NSLock()

    /// The driver's options are part of the cache file's name, with KaTeX's version.
    public init(engine: KaTeXEngine, cacheDirectory: String) {
        self.engine = engine
        var h = SHA256()
        h.update(Self.driver)
        let stamp = h.finalize().prefix(12)
        cacheFile = "\(cacheDirectory)/math/katex-\(engine.version)-\(stamp).cache"
    }

    deinit { early?.abandon() }

    public enum Failure: Error, CustomStringConvertible {
        case node(String)
        public var description: String { switch self { case .node(let s): return s } }
    }

    private func cached() -> [Formula: TypesetFormula] {
        if let known { return known }
        let k = MathCache.load(cacheFile)
        known = k
        return k
    }

    /// Starts node now if any of `expected` is not in the cache (nil: in any
    /// case); `typeset` then feeds it.
    public func prepare(_ expected: Set<Formula>? = nil) {
        lock.withLock {
            guard early == nil else { return }
            if let expected {
                let known = cached()
                guard expected.contains(where: { known[$0] == nil }) else { return }
            }
            early = try? NodeRun(engine: engine)
        }
    }

    /// Every formula typeset, or the reason node could not do it (then nothing is cached).
    public func typeset(_ formulas: Set<Formula>) throws -> [Formula: TypesetFormula] {
        let (cachedNow, node) = lock.withLock { () -> ([Formula: TypesetFormula], NodeRun?) in
            defer { early = nil }
            return (cached(), early)
        }
        var known = cachedNow
        let missing = formulas.filter { known[$0] == nil }.sorted { ($0.tex, $0.display ? 1 : 0) < ($1.tex, $1.display ? 1 : 0) }
        rendered = missing.count
        guard !missing.isEmpty else {
            node?.abandon()
            return known.filter { formulas.contains($0.key) }
        }
        let fresh = try (node ?? NodeRun(engine: engine)).finish(missing)
        MathCache.save(cacheFile, adding: fresh)
        for (k, v) in fresh { known[k] = v }
        lock.withLock { self.known = known }
        return known.filter { formulas.contains($0.key) }
    }

    /// The node program: loads KaTeX, waits for its standard input to end (the
    /// go: the formulas are written by then), then reads one JSON object per
    /// line (`tex`, `display`) from the file `LECTERN_KATEX_INPUT` and writes one
    /// per line (`html`, or `error` and `position`), in the same order. MathML
    /// is kept beside the HTML for screen readers, as in the browser.
    static let driver = #"""
    "use strict";
    const katex = require(process.env.LECTERN_KATEX_MODULE);
    const fs = require("fs");
    fs.readFileSync(0);
    const lines = fs.readFileSync(process.env.LECTERN_KATEX_INPUT, "utf8").split("\n");
    const out = [];
    for (const line of lines) {
      if (line === "") continue;
      const q = JSON.parse(line);
      let r;
      try {
        r = { html: katex.renderToString(q.tex, { displayMode: q.display, throwOnError: true,
                                                  output: "htmlAndMathml", strict: "ignore" }) };
      } catch (e) {
        const isParse = e instanceof katex.ParseError;
        r = { error: isParse ? e.message : "KaTeX failed: " + String(e && e.message || e),
              position: isParse && typeof e.position === "number" ? e.position : -1 };
      }
      out.push(JSON.stringify(r));
    }
    process.stdout.write(out.length ? out.join("\n") + "\n" : "");
    """#
}

/// One node process running `MathTypesetter.driver`, started at once: KaTeX
/// loads while the caller goes on. Its standard input is a pipe that nothing
/// is written to; closing it tells node that the input file is complete (so
/// no write can meet a node that has died).
final class NodeRun {
    struct Reply: Decodable {
        var html: String?
        var error: String?
        var position: Int?
    }

    let engine: KaTeXEngine
    let dir: String
    private var go: Int32
    private let ended = DispatchSemaphore(value: 0)
    private let outcome = Mutex<Result<ChildProcess.Result, Error>?>(nil)
    private let pid = Mutex<pid_t?>(nil)

    init(engine: KaTeXEngine) throws {
        self.engine = engine
        let fm = FileManager.default
        dir = NSTemporaryDirectory() + "lectern-katex-\(getpid())-\(UUID().uuidString)"
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var ends: [Int32] = [0, 0]
        // No descriptor leaks into other children without FD_CLOEXEC either: `lectern_spawn` closes them.
        guard pipe(&ends) == 0 else {
            try? fm.removeItem(atPath: dir)
            throw MathTypesetter.Failure.node("cannot start \(engine.node): no pipe (\(String(cString: strerror(errno))))")
        }
        go = ends[1]
        for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let (readEnd, dir, ended, outcome, pid) = (ends[0], dir, ended, outcome, pid)
        // Its own thread: the child's parent-death signal is tied to the thread that starts it.
        Thread {
            let r = Result {
                try ChildProcess.run(engine.node, ["-e", MathTypesetter.driver],
                                     environment: ["LECTERN_KATEX_MODULE": engine.module,
                                                   "LECTERN_KATEX_INPUT": dir + "/in"],
                                     timeout: 300, stdoutFile: dir + "/out", stderrFile: dir + "/err",
                                     stdinDescriptor: readEnd, started: { p in pid.withLock { $0 = p } })
            }
            close(readEnd)
            outcome.withLock { $0 = r }
            ended.signal()
        }.start()
    }

    /// Gives node the formulas and waits for its answers.
    func finish(_ formulas: [Formula]) throws -> [Formula: TypesetFormula] {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var input = ""
        for f in formulas {
            let q = try JSONSerialization.data(withJSONObject: ["tex": f.tex, "display": f.display], options: [])
            input += String(decoding: q, as: UTF8.self) + "\n"
        }
        let written = Result { try Data(input.utf8).write(to: URL(fileURLWithPath: dir + "/in")) }
        let result = wait()
        try written.get()
        let r = try result.get()
        let out = (try? Data(contentsOf: URL(fileURLWithPath: dir + "/out"))) ?? Data()
        let err = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: dir + "/err"))) ?? Data(), as: UTF8.self)
        guard r.status == 0, !r.timedOut else {
            let why = r.timedOut ? "timed out" : "exited with status \(r.status)"
            let first = err.split(separator: "\n").first(where: { !$0.isEmpty }).map { ": \($0)" } ?? ""
            throw MathTypesetter.Failure.node("\(engine.node) (KaTeX \(engine.version)) \(why)\(first)")
        }
        let lines = out.split(separator: UInt8(ascii: "\n"))
        guard lines.count == formulas.count else {
            throw MathTypesetter.Failure.node("\(engine.node) (KaTeX \(engine.version)) answered \(lines.count) of \(formulas.count) formulas")
        }
        var typeset: [Formula: TypesetFormula] = [:]
        let decoder = JSONDecoder()
        for (f, line) in zip(formulas, lines) {
            guard let r = try? decoder.decode(Reply.self, from: Data(line)) else {
                throw MathTypesetter.Failure.node("\(engine.node) (KaTeX \(engine.version)) answered a line that is not JSON")
            }
            if let html = r.html { typeset[f] = .html(html) }
            else { typeset[f] = .error(r.error ?? "KaTeX failed", position: r.position.flatMap { $0 >= 0 ? $0 : nil }) }
        }
        return typeset
    }

    /// Ends node, which has nothing to do.
    func abandon() {
        if let p = pid.withLock({ $0 }) { kill(-p, SIGKILL) }
        _ = wait()
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Closes the pipe (the go) and waits for node to end.
    private func wait() -> Result<ChildProcess.Result, Error> {
        if go >= 0 { close(go); go = -1 }
        ended.wait()
        ended.signal()
        return outcome.withLock { $0! }
    }
}

/// The cache of typeset formulas: one file per KaTeX version and driver, read
/// whole at the start of a build and rewritten (atomically, merged with what
/// another build may have added) when formulas were added. Records:
/// `i`|`d` (inline, display), TeX, `H`|`E` (HTML, error), position, text;
/// strings as a 4-byte little-endian length and UTF-8 bytes.
enum MathCache {
    static let magic = Array("lectern-math 1\n".utf8)

    static func load(_ file: String) -> [Formula: TypesetFormula] {
        guard let data = FileManager.default.contents(atPath: file) else { return [:] }
        let b = [UInt8](data)
        guard b.count >= magic.count, Array(b[0..<magic.count]) == magic else { return [:] }
        var out: [Formula: TypesetFormula] = [:]
        var i = magic.count
        func u32() -> Int? {
            guard i + 4 <= b.count else { return nil }
            let v = Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16 | Int(b[i + 3]) << 24
            i += 4
            return v
        }
        func string() -> String? {
            guard let n = u32(), i + n <= b.count else { return nil }
            defer { i += n }
            return String(decoding: b[i..<(i + n)], as: UTF8.self)
        }
        while i < b.count {
            // A record cut short (a build killed while writing cannot leave one: the file is renamed into place) ends the read.
            let kind = b[i]; i += 1
            guard let tex = string(), i < b.count else { break }
            let status = b[i]; i += 1
            guard let pos = u32(), let text = string() else { break }
            let f = Formula(tex: tex, display: kind == UInt8(ascii: "d"))
            out[f] = status == UInt8(ascii: "H") ? .html(text) : .error(text, position: pos == 0xFFFF_FFFF ? nil : pos)
        }
        return out
    }

    static func save(_ file: String, adding fresh: [Formula: TypesetFormula]) {
        var all = load(file)
        for (k, v) in fresh { all[k] = v }
        var b = magic
        func u32(_ v: Int) { for s in [0, 8, 16, 24] { b.append(UInt8((v >> s) & 0xFF)) } }
        func string(_ s: String) { u32(s.utf8.count); b += Array(s.utf8) }
        for (f, t) in all.sorted(by: { ($0.key.tex, $0.key.display ? 1 : 0) < ($1.key.tex, $1.key.display ? 1 : 0) }) {
            b.append(UInt8(ascii: f.display ? "d" : "i"))
            string(f.tex)
            switch t {
            case .html(let h): b.append(UInt8(ascii: "H")); u32(0); string(h)
            case .error(let m, let p): b.append(UInt8(ascii: "E")); u32(p ?? 0xFFFF_FFFF); string(m)
            }
        }
        let fm = FileManager.default
        let dir = (file as NSString).deletingLastPathComponent
        try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        AtomicFile.write(file, b)
    }
}
