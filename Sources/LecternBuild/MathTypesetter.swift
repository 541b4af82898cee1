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
/// prose-only edit that added no formula, starts no process.
public final class MathTypesetter {
    public let engine: KaTeXEngine
    public let cacheFile: String
    /// How many formulas the last `typeset` sent to node (0: all from the cache).
    public private(set) var rendered = 0

    /// The driver's options are part of the cache file's name, with KaTeX's version.
    public init(engine: KaTeXEngine, cacheDirectory: String) {
        self.engine = engine
        var h = SHA256()
        h.update(Self.driver)
        let stamp = h.finalize().prefix(12)
        cacheFile = "\(cacheDirectory)/math/katex-\(engine.version)-\(stamp).cache"
    }

    public enum Failure: Error, CustomStringConvertible {
        case node(String)
        public var description: String { switch self { case .node(let s): return s } }
    }

    /// Every formula typeset, or the reason node could not do it (then nothing is cached).
    public func typeset(_ formulas: Set<Formula>) throws -> [Formula: TypesetFormula] {
        var known = MathCache.load(cacheFile)
        let missing = formulas.filter { known[$0] == nil }.sorted { ($0.tex, $0.display ? 1 : 0) < ($1.tex, $1.display ? 1 : 0) }
        rendered = missing.count
        guard !missing.isEmpty else { return known.filter { formulas.contains($0.key) } }
        let fresh = try run(missing)
        MathCache.save(cacheFile, adding: fresh)
        for (k, v) in fresh { known[k] = v }
        return known.filter { formulas.contains($0.key) }
    }

    struct Reply: Decodable {
        var html: String?
        var error: String?
        var position: Int?
    }

    func run(_ formulas: [Formula]) throws -> [Formula: TypesetFormula] {
        let fm = FileManager.default
        let dir = NSTemporaryDirectory() + "lectern-katex-\(getpid())-\(UUID().uuidString)"
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: dir) }
        var input = ""
        for f in formulas {
            let q = try JSONSerialization.data(withJSONObject: ["tex": f.tex, "display": f.display], options: [])
            input += String(decoding: q, as: UTF8.self) + "\n"
        }
        try Data(input.utf8).write(to: URL(fileURLWithPath: dir + "/in"))
        let result = try ChildProcess.run(engine.node, ["-e", Self.driver], environment: ["LECTERN_KATEX_MODULE": engine.module],
                                          timeout: 300, stdoutFile: dir + "/out", stderrFile: dir + "/err",
                                          stdinFile: dir + "/in")
        let out = (try? Data(contentsOf: URL(fileURLWithPath: dir + "/out"))) ?? Data()
        let err = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: dir + "/err"))) ?? Data(), as: UTF8.self)
        guard result.status == 0, !result.timedOut else {
            let why = result.timedOut ? "timed out" : "exited with status \(result.status)"
            let first = err.split(separator: "\n").first(where: { !$0.isEmpty }).map { ": \($0)" } ?? ""
            throw Failure.node("\(engine.node) (KaTeX \(engine.version)) \(why)\(first)")
        }
        let lines = out.split(separator: UInt8(ascii: "\n"))
        guard lines.count == formulas.count else {
            throw Failure.node("\(engine.node) (KaTeX \(engine.version)) answered \(lines.count) of \(formulas.count) formulas")
        }
        var typeset: [Formula: TypesetFormula] = [:]
        let decoder = JSONDecoder()
        for (f, line) in zip(formulas, lines) {
            guard let r = try? decoder.decode(Reply.self, from: Data(line)) else {
                throw Failure.node("\(engine.node) (KaTeX \(engine.version)) answered a line that is not JSON")
            }
            if let html = r.html { typeset[f] = .html(html) }
            else { typeset[f] = .error(r.error ?? "KaTeX failed", position: r.position.flatMap { $0 >= 0 ? $0 : nil }) }
        }
        return typeset
    }

    /// The node program: one JSON object per line in (`tex`, `display`), one
    /// per line out (`html`, or `error` and `position`), in the same order.
    /// MathML is kept beside the HTML for screen readers, as in the browser.
    static let driver = #"""
    "use strict";
    const katex = require(process.env.LECTERN_KATEX_MODULE);
    const lines = require("fs").readFileSync(0, "utf8").split("\n");
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
        let tmp = "\(file).\(getpid()).\(UUID().uuidString).tmp"
        guard fm.createFile(atPath: tmp, contents: Data(b)) else { return }
        if rename(tmp, file) != 0 { try? fm.removeItem(atPath: tmp) }
    }
}
