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
    /// What names the kit library's bytes (its build ID, else their SHA-256),
    /// part of every cache key: the same kit gives the same key wherever it is
    /// installed and whenever it was copied.
    public var kitHash: String
    /// The version the kit library was built as (`LecternVersion`), read from its bytes.
    public var kitVersion: String? = nil
    /// Folders holding module maps of C modules the kit imports.
    public var includeDirectories: [String]
    /// The OpenBLAS kernel lecture programs run with (`NumericKernel`), part of every cache key.
    public var numericKernel: String? = NumericKernel.pinned
    /// `lld` when the toolchain ships it: it links a lecture program in a third
    /// of the time of the system's default linker (gold), with the same result.
    public var linker: String? = nil
    /// A folder holding CLapack's module map that no build writes (nil: each
    /// cache gets its own, `systemModules`).
    public var clapackDirectory: String? = nil
    /// Whether `swiftc` is the toolchain's own driver (not a wrapper someone put
    /// in its place): then its jobs may be run without it (`CompileJobs`).
    public var isToolchainDriver = false

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
    /// - Parameter prepareCompiles: also learn the compiler's jobs (`CompileJobs`)
    ///   in the background, while the kit is hashed: for a caller about to compile.
    public static func locate(cacheDirectory: String? = nil, prepareCompiles: Bool = false) throws -> Toolchain {
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
        // SwiftPM: .build/<triple>/<config> or .build/<config>, checkouts in .build/.
        let up1 = URL(fileURLWithPath: kit).deletingLastPathComponent()
        let shims = ["\(kit)/include/_NumericsShims"] + [up1, up1.deletingLastPathComponent()].map {
            $0.path + "/checkouts/swift-numerics/Sources/_NumericsShims/include"
        }
        let includes = shims.filter { fm.fileExists(atPath: "\($0)/module.modulemap") }
        // CLapack's module map where it outlives the cache: installed beside the
        // kit, or the package's own. clang keys its module cache by the map's path
        // and time, so a map written afresh into each new cache would rebuild the
        // LAPACK headers' module (0.3 s) on every cold build.
        let clapack = ["\(kit)/include/CLapack", up1.deletingLastPathComponent().path + "/../Sources/CLapack",
                       up1.path + "/../Sources/CLapack"].first { dir in
            fm.contents(atPath: "\(dir)/module.modulemap") == Data(clapackModuleMap.utf8)
                && fm.contents(atPath: "\(dir)/shim.h") == Data(clapackShim.utf8)
        }.map { URL(fileURLWithPath: $0).standardized.path }
        let isDriver = frontend(beside: swiftc) != nil
        if prepareCompiles, isDriver, let cacheDirectory {
            let found = Toolchain(swiftc: swiftc, kitDirectory: kit, modulesDirectory: modules, compilerVersion: "",
                                  kitHash: "", includeDirectories: Array(includes.prefix(1)),
                                  linker: linker(beside: swiftc), clapackDirectory: clapack, isToolchainDriver: true)
            // A thread of its own: it mostly waits for `swiftc -###`, and GCD's few threads are for work.
            Thread { CompileJobs.prepare(found, cacheDirectory: cacheDirectory) }.start()
        }
        // Both are remembered in the cache; when they are not, the compiler's
        // answer is awaited while the kit is hashed.
        final class Answer: @unchecked Sendable { var text = "" }
        let version = Answer(), asked = DispatchGroup()
        DispatchQueue.global().async(group: asked) { version.text = compilerVersion(swiftc, cache: cacheDirectory) }
        let library = KitLibrary.read("\(kit)/libLecternKit.so", cache: cacheDirectory)
        asked.wait()
        return Toolchain(swiftc: swiftc, kitDirectory: kit, modulesDirectory: modules,
                         compilerVersion: version.text, kitHash: library.hash,
                         kitVersion: library.version, includeDirectories: Array(includes.prefix(1)),
                         linker: linker(beside: swiftc), clapackDirectory: clapack,
                         isToolchainDriver: isDriver)
    }

    /// "lld" when `ld.lld` sits in the compiler's own folder (Swift's toolchains
    /// ship it there; clang, which the driver links with, looks there first) or
    /// on PATH (a `SWIFTC` wrapper elsewhere still gets the toolchain's).
    static func linker(beside swiftc: String) -> String? {
        let bin = (URL(fileURLWithPath: swiftc).resolvingSymlinksInPath().path as NSString).deletingLastPathComponent
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        return ([bin] + path).contains { FileManager.default.isExecutableFile(atPath: "\($0)/ld.lld") } ? "lld" : nil
    }

    /// `lectern --version`: the tool's version, the kit it would use (folder,
    /// version, content hash) and the compiler (path and version). `found` is
    /// false when the kit or the compiler is missing (the line says why).
    public static func versionReport(cacheDirectory: String? = nil) -> (lines: [String], found: Bool) {
        var lines = ["lectern \(LecternVersion.current)"]
        do {
            let t = try locate(cacheDirectory: cacheDirectory)
            lines.append("kit: \(t.kitDirectory) (LecternKit \(t.kitVersion ?? "of unknown version"), \(t.kitHash.hasPrefix("buildid:") ? "build ID \(t.kitHash.dropFirst(8).prefix(16))" : "sha256 \(t.kitHash.prefix(16))"))")
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

    /// The `swift-frontend` beside `swiftc` when `swiftc` is the toolchain's
    /// driver (named `swiftc` or `swift-driver` once links are resolved).
    static func frontend(beside swiftc: String) -> String? {
        let driver = URL(fileURLWithPath: swiftc).resolvingSymlinksInPath().path
        let frontend = (driver as NSString).deletingLastPathComponent + "/swift-frontend"
        guard ["swiftc", "swift-driver"].contains((driver as NSString).lastPathComponent),
              FileManager.default.isExecutableFile(atPath: frontend) else { return nil }
        return frontend
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
        // The driver answers --version by running the frontend's: asking the
        // frontend beside it directly skips the driver's own start (~60 ms).
        let r = try? ChildProcess.run(Toolchain.frontend(beside: swiftc) ?? swiftc, ["--version"], timeout: 30)
        let version = r.map { String(decoding: $0.stdout + $0.stderr, as: UTF8.self) } ?? swiftc
        if let file, let cache, r != nil {
            try? fm.createDirectory(atPath: cache, withIntermediateDirectories: true)
            AtomicFile.write(file, stamp + "\n" + version)
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

    /// The folder of the CLapack module map the kit's modules import, written
    /// into the cache when the toolchain has none of its own.
    func systemModules(in cache: String) throws -> String {
        if let clapackDirectory { return clapackDirectory }
        let dir = "\(cache)/include/CLapack"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in [("module.modulemap", Toolchain.clapackModuleMap), ("shim.h", Toolchain.clapackShim)] {
            let path = "\(dir)/\(name)"
            if (try? String(contentsOfFile: path, encoding: .utf8)) != text {
                guard AtomicFile.write(path, text) else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
                }
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
                    // LLVM's check of the IR the frontend made guards against compiler
                    // bugs, not program errors; skipping it saves a tenth of a compile.
                    "-Xfrontend", "-disable-llvm-verify",
                    "-diagnostic-style", "llvm", "-I", modulesDirectory, "-L", kitDirectory, "-lLecternKit",
                    "-Xlinker", "-rpath", "-Xlinker", kitDirectory, "-suppress-warnings"]
        if let linker { args.append("-use-ld=\(linker)") }
        for i in includes + includeDirectories { args += ["-I", i] }
        return args
    }

    /// The compile flags as the cache key sees them: the kit's folders named by
    /// role, not by where it is installed, so that a key does not change with the
    /// path of the kit (the real paths still go to swiftc).
    public var keyedCompileArguments: [String] {
        var roles = [kitDirectory: "<kit>", modulesDirectory: "<kit modules>"]
        for (k, i) in includeDirectories.enumerated() { roles[i] = "<kit include \(k + 1)>" }
        // The linker is left out: gold and lld link the same program.
        return compileArguments(source: "", output: "", moduleName: "", includes: [])
            .filter { !$0.hasPrefix("-use-ld=") }.map { roles[$0] ?? $0 }
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
        let result = (hash: identity(of: data), version: version(in: data))
        if let file, let cache {
            try? FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
            AtomicFile.write(file, "\(stamp)\n\(result.hash)\n\(result.version ?? "")\n")
        }
        return result
    }

    /// What names the library's bytes: the GNU build ID its linker computed
    /// from its contents (`buildid:<hex>`, read from the ELF notes: no need to
    /// hash megabytes), else their SHA-256.
    static func identity(of data: Data) -> String {
        if let id = buildID(in: data) { return "buildid:" + id }
        var sha = SHA256()
        sha.update(data)
        return sha.finalize()
    }

    /// The NT_GNU_BUILD_ID note of a little-endian ELF64 file, in hex; nil when
    /// there is none (another format, or linked without `--build-id`).
    static func buildID(in data: Data) -> String? {
        data.withUnsafeBytes { (b: UnsafeRawBufferPointer) -> String? in
            func u16(_ o: Int) -> Int? { o + 2 <= b.count ? Int(b.loadUnaligned(fromByteOffset: o, as: UInt16.self).littleEndian) : nil }
            func u32(_ o: Int) -> Int? { o + 4 <= b.count ? Int(b.loadUnaligned(fromByteOffset: o, as: UInt32.self).littleEndian) : nil }
            func u64(_ o: Int) -> Int? {
                o + 8 <= b.count ? Int(truncatingIfNeeded: b.loadUnaligned(fromByteOffset: o, as: UInt64.self).littleEndian) : nil
            }
            // "\x7FELF", 64-bit, little-endian.
            guard b.count > 64, b[0] == 0x7F, b[1] == 0x45, b[2] == 0x4C, b[3] == 0x46, b[4] == 2, b[5] == 1,
                  let phoff = u64(0x20), let phentsize = u16(0x36), let phnum = u16(0x38), phentsize >= 56 else { return nil }
            for k in 0..<phnum {
                let ph = phoff + k * phentsize
                guard let type = u32(ph), let offset = u64(ph + 8), let size = u64(ph + 32) else { return nil }
                guard type == 4, offset >= 0, size >= 0, offset + size <= b.count else { continue }  // PT_NOTE
                var n = offset
                while n + 12 <= offset + size, let namesz = u32(n), let descsz = u32(n + 4), let ntype = u32(n + 8) {
                    let name = n + 12, desc = name + (namesz + 3) / 4 * 4
                    guard desc + descsz <= offset + size else { break }
                    if ntype == 3, namesz == 4, b[name] == 0x47, b[name + 1] == 0x4E, b[name + 2] == 0x55, descsz >= 8 {
                        return b[desc..<(desc + descsz)].map { String(format: "%02x", $0) }.joined()
                    }
                    n = desc + (descsz + 3) / 4 * 4
                }
            }
            return nil
        }
    }

    /// The text after the marker's prefix up to its newline (the prefix alone
    /// may be in the library too, as a string of its own: such places are skipped).
    static func version(in data: Data) -> String? {
        let prefix = Array(LecternVersion.kitMarkerPrefix.utf8)
        return data.withUnsafeBytes { (all: UnsafeRawBufferPointer) -> String? in
            guard let base = all.baseAddress else { return nil }
            var from = 0
            // memchr and memcmp: Data's generic search takes longer than hashing the library.
            while from + prefix.count <= all.count, let hit = memchr(base + from, Int32(prefix[0]), all.count - from) {
                let at = base.distance(to: UnsafeRawPointer(hit))
                guard at + prefix.count <= all.count, memcmp(hit, prefix, prefix.count) == 0 else {
                    from = at + 1
                    continue
                }
                let start = at + prefix.count
                let tail = UnsafeRawBufferPointer(rebasing: all[start..<min(start + 32, all.count)])
                if let end = tail.firstIndex(of: 0x0A), end > 0,
                   tail[..<end].allSatisfy({ $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || (0x30...0x39).contains($0)
                       || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) {
                    return String(decoding: tail[..<end], as: UTF8.self)
                }
                from = start
            }
            return nil
        }
    }
}
