import Foundation
import LecternRecords

/// Where the compiler and the prebuilt LecternKit library (numeric core and
/// display runtime) are, for compiling lecture programs.
///
/// Search order for the kit:
/// 1. `$LECTERN_KIT`: a folder holding `libLecternKit.so` and `Modules/`;
/// 2. the folder of the running `lectern` executable: SwiftPM's build layout
///    (`.build/debug` or `.build/release`, as under `swift run`);
/// 3. `<prefix>/lib/lectern` next to `<prefix>/bin/lectern`: an installed layout.
///
/// The kit's modules import two C modules: the system library `CLapack`, whose
/// module map the runner writes into its cache folder, and swift-numerics'
/// `_NumericsShims`, found in SwiftPM's checkout beside the build folder
/// (`.build/checkouts/...`) or, installed, in `lib/lectern/include/`.
public struct Toolchain: Sendable {
    public var swiftc: String
    public var kitDirectory: String
    public var modulesDirectory: String
    /// `swiftc --version`, part of every cache key.
    public var compilerVersion: String
    /// SHA-256 of the kit library's bytes, part of every cache key: the same kit
    /// gives the same key wherever it is installed and whenever it was copied.
    public var kitHash: String
    /// The version the kit library was built as (`LecternVersion`), read from its bytes.
    public var kitVersion: String? = nil
    /// Folders holding module maps of C modules the kit imports.
    public var includeDirectories: [String]
    /// The OpenBLAS kernel lecture programs run with (`NumericKernel`), part of every cache key.
    public var numericKernel: String? = NumericKernel.pinned

    public enum Problem: Error, CustomStringConvertible {
        case noCompiler
        case noKit([String])
        case kitVariable(String)
        public var description: String {
            switch self {
            case .noCompiler:
                return "swiftc not found: put the Swift toolchain on PATH or set SWIFTC"
            case .kitVariable(let path):
                return "LECTERN_KIT is set to '\(path)', which holds no libLecternKit.so; "
                    + "point it at the folder that does (e.g. .build/release), or unset it"
            case .noKit(let tried):
                return "the LecternKit library (libLecternKit.so) was not found; looked in: "
                    + tried.joined(separator: ", ")
                    + ". Build it with `swift build` (or set LECTERN_KIT to its folder)."
            }
        }
    }

    /// - Parameter cacheDirectory: where the compiler's version string is kept
    ///   between runs (asking `swiftc --version` costs 50 ms, most of a no-op build).
    public static func locate(cacheDirectory: String? = nil) throws -> Toolchain {
        let env = ProcessInfo.processInfo.environment
        let fm = FileManager.default
        var candidates: [String] = []
        if let k = env["LECTERN_KIT"], !k.isEmpty {
            // Set on purpose: a wrong value is an error, not a reason to look elsewhere.
            guard fm.fileExists(atPath: "\(k)/libLecternKit.so") else { throw Problem.kitVariable(k) }
            candidates.append(k)
        }
        let exe = URL(fileURLWithPath: CommandLine.arguments[0].hasPrefix("/") ? CommandLine.arguments[0]
                      : (executablePath() ?? CommandLine.arguments[0])).resolvingSymlinksInPath()
        let exeDir = exe.deletingLastPathComponent().path
        candidates.append(exeDir)
        candidates.append(exe.deletingLastPathComponent().deletingLastPathComponent().path + "/lib/lectern")
        // Tests run from .build/<config>/…xctest: the kit sits in that config folder.
        if let r = exeDir.range(of: "/.build/") {
            let rest = exeDir[r.upperBound...].split(separator: "/")
            if let config = rest.first { candidates.append(String(exeDir[..<r.upperBound]) + config) }
        }
        guard let kit = candidates.first(where: { fm.fileExists(atPath: "\($0)/libLecternKit.so") }) else {
            throw Problem.noKit(candidates)
        }
        let modules = fm.fileExists(atPath: "\(kit)/Modules/LecternDisplay.swiftmodule") ? "\(kit)/Modules" : kit
        guard let swiftc = findSwiftc(env) else { throw Problem.noCompiler }
        let library = KitLibrary.read("\(kit)/libLecternKit.so", cache: cacheDirectory)
        // SwiftPM: .build/<triple>/<config> or .build/<config>, checkouts in .build/.
        let up1 = URL(fileURLWithPath: kit).deletingLastPathComponent()
        let shims = ["\(kit)/include/_NumericsShims"] + [up1, up1.deletingLastPathComponent()].map {
            $0.path + "/checkouts/swift-numerics/Sources/_NumericsShims/include"
        }
        let includes = shims.filter { fm.fileExists(atPath: "\($0)/module.modulemap") }
        return Toolchain(swiftc: swiftc, kitDirectory: kit, modulesDirectory: modules,
                         compilerVersion: compilerVersion(swiftc, cache: cacheDirectory), kitHash: library.hash,
                         kitVersion: library.version, includeDirectories: Array(includes.prefix(1)))
    }

    /// `lectern --version`: the tool's version, the kit it would use (folder,
    /// version, content hash) and the compiler (path and version). `found` is
    /// false when the kit or the compiler is missing (the line says why).
    public static func versionReport(cacheDirectory: String? = nil) -> (lines: [String], found: Bool) {
        var lines = ["lectern \(LecternVersion.current)"]
        do {
            let t = try locate(cacheDirectory: cacheDirectory)
            lines.append("kit: \(t.kitDirectory) (LecternKit \(t.kitVersion ?? "of unknown version"), sha256 \(t.kitHash.prefix(16)))")
            let version = t.compilerVersion.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            lines.append("compiler: \(t.swiftc) (\(version.joined(separator: ", ")))")
            return (lines, true)
        } catch {
            lines.append("error: \(error)")
            return (lines, false)
        }
    }

    static func executablePath() -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }

    static func findSwiftc(_ env: [String: String]) -> String? {
        if let s = env["SWIFTC"], FileManager.default.isExecutableFile(atPath: s) { return s }
        for dir in (env["PATH"] ?? "/usr/bin").split(separator: ":") {
            let p = "\(dir)/swiftc"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    static func compilerVersion(_ swiftc: String, cache: String?) -> String {
        // Remembered under a stamp of the driver and the frontend binaries (path,
        // size, modification time): a new toolchain changes the stamp.
        let fm = FileManager.default
        let driver = URL(fileURLWithPath: swiftc).resolvingSymlinksInPath().path
        let frontend = (driver as NSString).deletingLastPathComponent + "/swift-frontend"
        let stamp = [swiftc, driver, frontend].map { p -> String in
            let a = try? fm.attributesOfItem(atPath: p)
            let size = (a?[.size] as? NSNumber)?.intValue ?? -1
            let mtime = (a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(p) \(size) \(mtime)"
        }.joined(separator: "; ")
        let file = cache.map { "\($0)/compiler-version" }
        if let file, let text = try? String(contentsOfFile: file, encoding: .utf8), text.hasPrefix(stamp + "\n") {
            return String(text.dropFirst(stamp.count + 1))
        }
        let r = try? ChildProcess.run(swiftc, ["--version"], timeout: 30)
        let version = r.map { String(decoding: $0.stdout + $0.stderr, as: UTF8.self) } ?? swiftc
        if let file, let cache, r != nil {
            try? fm.createDirectory(atPath: cache, withIntermediateDirectories: true)
            try? (stamp + "\n" + version).write(toFile: file, atomically: true, encoding: .utf8)
        }
        return version
    }

    static let clapackModuleMap = """
    module CLapack [system] {
        header "shim.h"
        link "lapacke"
        link "openblas"
        export *
    }

    """
    static let clapackShim = "#include <lapacke.h>\n#include <cblas.h>\n"

    /// Writes the CLapack module map the kit's modules import; returns its folder.
    func systemModules(in cache: String) throws -> String {
        let dir = "\(cache)/include/CLapack"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in [("module.modulemap", Toolchain.clapackModuleMap), ("shim.h", Toolchain.clapackShim)] {
            let path = "\(dir)/\(name)"
            if (try? String(contentsOfFile: path, encoding: .utf8)) != text {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            }
        }
        return dir
    }

    /// swiftc arguments to compile `main.swift` against the kit.
    func compileArguments(source: String, output: String, moduleName: String, includes: [String]) -> [String] {
        var args = [source, "-o", output, "-module-name", moduleName, "-swift-version", "5", "-Onone",
                    // Line tables are all a trap's backtrace needs to name the .md line,
                    // and compile about 30% faster than full debug info.
                    "-gline-tables-only",
                    "-diagnostic-style", "llvm", "-I", modulesDirectory, "-L", kitDirectory, "-lLecternKit",
                    "-Xlinker", "-rpath", "-Xlinker", kitDirectory, "-suppress-warnings"]
        for i in includes + includeDirectories { args += ["-I", i] }
        return args
    }

    /// The compile flags as the cache key sees them: the kit's folders named by
    /// role, not by where it is installed, so that a key does not change with the
    /// path of the kit (the real paths still go to swiftc).
    var keyedCompileArguments: [String] {
        var roles = [kitDirectory: "<kit>", modulesDirectory: "<kit modules>"]
        for (k, i) in includeDirectories.enumerated() { roles[i] = "<kit include \(k + 1)>" }
        return compileArguments(source: "", output: "", moduleName: "", includes: []).map { roles[$0] ?? $0 }
    }
}

/// What the cache key and `lectern --version` need of the kit library: the
/// SHA-256 of its bytes and the version it carries (`LecternVersion.kitMarker`).
/// Hashing a few megabytes takes a moment, so the result is remembered in the
/// cache folder under the file's path, size, modification time and inode; a
/// cache moved to another machine or path recomputes it, never reuses it.
enum KitLibrary {
    static func read(_ path: String, cache: String?) -> (hash: String, version: String?) {
        var st = stat()
        let stamp = stat(path, &st) == 0
            ? "\(path) \(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec) \(st.st_ino)" : path
        let file = cache.map { "\($0)/kit-hash" }
        if let file, let text = try? String(contentsOfFile: file, encoding: .utf8) {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.count >= 3, lines[0] == stamp { return (lines[1], lines[2].isEmpty ? nil : lines[2]) }
        }
        guard let data = FileManager.default.contents(atPath: path) else { return ("unreadable", nil) }
        var sha = SHA256()
        sha.update(data)
        let result = (hash: sha.finalize(), version: version(in: data))
        if let file, let cache {
            try? FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
            try? "\(stamp)\n\(result.hash)\n\(result.version ?? "")\n".write(toFile: file, atomically: true, encoding: .utf8)
        }
        return result
    }

    /// The text after the marker's prefix up to its newline (the prefix alone
    /// may be in the library too, as a string of its own: such places are skipped).
    static func version(in data: Data) -> String? {
        let prefix = Array(LecternVersion.kitMarkerPrefix.utf8)
        var from = data.startIndex
        while let found = data[from...].firstRange(of: prefix) {
            let tail = data[found.upperBound...].prefix(32)
            if let end = tail.firstIndex(of: 0x0A), end > found.upperBound,
               tail[..<end].allSatisfy({ $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || (0x30...0x39).contains($0)
                   || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) {
                return String(decoding: data[found.upperBound..<end], as: UTF8.self)
            }
            from = found.upperBound
        }
        return nil
    }
}
