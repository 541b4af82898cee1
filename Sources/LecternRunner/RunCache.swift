import Foundation
import LecternDocument
import LecternRecords

/// Everything a lecture's run depends on, by name. The cache key hashes all of
/// it; `--explain` compares the named parts with the last run's to say what
/// changed. One list serves both, so the two cannot disagree.
struct RunInputs: Equatable {
    /// Bumped when what a run stores changes, so old cache entries are not reused.
    static let formatVersion = "3"

    /// What the program is made of, by name: already in the program, named
    /// here so that `--explain` can say which of them changed.
    var sources: [(name: String, text: String)]
    /// What the compiled program depends on besides its source: part of the
    /// program's key and named for `--explain`.
    var compileEnvironment: [(name: String, text: String)]
    /// What a run depends on besides the compiled program: the parameter
    /// values (read by the program at run time), the OpenBLAS kernel and the
    /// timeout. Part of the run's key, not the program's.
    var runEnvironment: [(name: String, text: String)]
    /// The generated program without its `#sourceLocation` line numbers, so
    /// that prose added above a cell does not force a recompile.
    var lineFreeProgram: String
    /// The values as the program reads them (`LECTERN_PARAMS`).
    var paramValues: [(name: String, text: String)]

    init(_ doc: Document, program: Program, params: [Param], toolchain: Toolchain, timeout: Double) {
        paramValues = params.map { ($0.name, $0.value.description) }
        sources = [
            ("cells", doc.cells.map { "\($0.options.eval)|\($0.options.error)|\($0.code)" }.joined(separator: "\u{1}")),
            ("inline expressions", doc.inlines.map { "\($0.expression)|\($0.claim ?? "")" }.joined(separator: "\u{1}")),
        ]
        compileEnvironment = [
            ("compiler", toolchain.compilerVersion),
            ("core library", toolchain.kitHash),
            ("compile flags", toolchain.keyedCompileArguments.joined(separator: " ")),
        ]
        runEnvironment = [
            ("params", params.map { "\($0.name)=\($0.value.swiftLiteral)" }.joined(separator: ",")),
            ("numeric kernel", toolchain.numericKernel ?? "chosen by OpenBLAS"),
            ("timeout", "\(timeout)"),
        ]
        source = doc.source.bytes
        lineFreeProgram = program.source.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("#sourceLocation(file:") ? "#sourceLocation" : $0 }.joined(separator: "\n")
        programKey = RunInputs.programKey(compileEnvironment, lineFreeProgram)
    }

    /// The document's bytes (to tell a memoised program's lecture from an edited one).
    var source: [UInt8] = []

    /// The same program run with other values (and timeout).
    func with(params: [Param], timeout: Double) -> RunInputs {
        var r = self
        r.paramValues = params.map { ($0.name, $0.value.description) }
        r.runEnvironment[0].text = params.map { "\($0.name)=\($0.value.swiftLiteral)" }.joined(separator: ",")
        r.runEnvironment[2].text = "\(timeout)"
        return r
    }

    var parts: [(name: String, text: String)] { sources + compileEnvironment + runEnvironment }

    static func == (a: RunInputs, b: RunInputs) -> Bool {
        a.parts.map(\.name) == b.parts.map(\.name) && a.parts.map(\.text) == b.parts.map(\.text)
            && a.lineFreeProgram == b.lineFreeProgram
    }

    /// The compiled program's key: its source (line numbers left out) and what
    /// compiling it depends on. Parameter values are not part of it.
    private(set) var programKey = ""

    static func programKey(_ compileEnvironment: [(name: String, text: String)], _ lineFreeProgram: String) -> String {
        var h = SHA256()
        h.update("lectern-program \(RunInputs.formatVersion)\n")
        for p in compileEnvironment { h.update("\(p.name)\n\(p.text)\n\u{0}") }
        h.update(lineFreeProgram)
        return h.finalize()
    }

    /// The run's key: the program's key and the values it runs with. An edit
    /// of an `eval=false` cell or of prose leaves it as it was.
    var key: String {
        var h = SHA256()
        h.update("lectern-run \(RunInputs.formatVersion)\n\(programKey)\n")
        for p in runEnvironment { h.update("\(p.name)\n\(p.text)\n\u{0}") }
        return h.finalize()
    }

    /// Hash of each named part, and of the program.
    var hashes: [String: String] {
        var out = Dictionary(uniqueKeysWithValues: parts.map { ($0.name, SHA256.hex($0.text)) })
        out["program"] = SHA256.hex(lineFreeProgram)
        return out
    }
}

/// `.lectern-cache/`: one folder per run key holding what the run left
/// (`runs/<key>/run.json`) and how long it took to compile and run
/// (`runs/<key>/seconds`, for `--shard`), and the inputs of each lecture's last
/// run (`last/<slug>.json`) for `--explain`. Nothing in `runs/` names a path
/// outside the course or depends on where it is checked out, so the folder can
/// be restored into another checkout (CI's cache).
struct RunCache: Sendable {
    var directory: String

    func entry(_ key: String) -> String { "\(directory)/runs/\(key)" }

    func load(_ key: String) -> RawRun? {
        guard let data = FileManager.default.contents(atPath: "\(entry(key))/run.json") else { return nil }
        return try? JSONDecoder().decode(RawRun.self, from: data)
    }

    /// Stores atomically (write, then rename), so a reader never sees half an entry.
    func store(_ raw: RawRun, key: String, seconds: Double? = nil) {
        guard let data = try? JSONEncoder().encode(raw) else { return }
        let dir = entry(key)
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        if let seconds {
            AtomicFile.write("\(dir)/seconds", String(format: "%.3f\n", seconds))
        }
        AtomicFile.write("\(dir)/run.json", data)
    }

    /// How long the run stored under the key took, when it was recorded.
    func seconds(_ key: String) -> Double? {
        guard let data = FileManager.default.contents(atPath: "\(entry(key))/seconds") else { return nil }
        return Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func remember(_ inputs: RunInputs, slug: String) {
        let dir = "\(directory)/last"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        if let data = try? JSONEncoder().encode(inputs.hashes) {
            AtomicFile.write("\(dir)/\(slug).json", data)
        }
    }

    /// Why a lecture had to run: the named inputs that differ from its last run.
    func explain(_ inputs: RunInputs, slug: String) -> String {
        guard let data = FileManager.default.contents(atPath: "\(directory)/last/\(slug).json"),
              let old = try? JSONDecoder().decode([String: String].self, from: data) else {
            return "ran: no cached result"
        }
        let now = inputs.hashes
        let changed = inputs.parts.map(\.name).filter { old[$0] != now[$0] }
        return changed.isEmpty ? "ran: no cached result for this program" : "ran: " + changed.joined(separator: ", ") + " changed"
    }
}
