import Foundation

/// The commands `swiftc` runs to compile and link a lecture program, learned
/// once from the driver itself (`swiftc -### ...`, which prints its jobs
/// without running them) and then run directly: the frontend, the autolink
/// extractor and the link. Each compile saves the driver's own start (about
/// 50 ms of a 0.3 s compile) and nothing else changes: the same commands, the
/// same diagnostics (the frontend prints them), the same executable.
///
/// The jobs are learned for placeholder paths and module name and kept per
/// compiler and flags, in memory and in the cache folder; when the driver's
/// answer is not the three jobs expected, or names a path that would need
/// quoting beyond plain single quotes, the compile goes through `swiftc`.
public struct CompileJobs: Sendable, Equatable {
    /// Each command: the program and its arguments, placeholders in place.
    var commands: [[String]]

    static let workPlaceholder = "/LECTERN-WORK-PLACEHOLDER"
    static let modulePlaceholder = "LecternModulePlaceholder"

    /// The commands for one compile: `work` replaces the placeholder folder (the
    /// driver's temporary folder too, so objects land in `work`).
    func commands(work: String, module: String) -> [[String]] {
        commands.map { $0.map { arg in
            arg.replacingOccurrences(of: Self.workPlaceholder, with: work)
                .replacingOccurrences(of: Self.modulePlaceholder, with: module)
        } }
    }

    /// Reads `swiftc -###` output; nil unless it is the frontend, the autolink
    /// extractor and a link, in that order, the frontend writing the object
    /// the others read and the link writing the program.
    static func parse(_ text: String) -> CompileJobs? {
        var lines: [[String]] = []
        for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let words = words(String(line)) else { return nil }
            lines.append(words)
        }
        guard lines.count == 3,
              lines[0].first?.hasSuffix("/swift-frontend") == true, lines[0].dropFirst().prefix(2) == ["-frontend", "-c"],
              lines[1].first?.hasSuffix("/swift-autolink-extract") == true,
              let o = lines[0].lastIndex(of: "-o"), o + 1 < lines[0].count else { return nil }
        // The driver's temporary folder (of the object file) becomes the work folder.
        let object = lines[0][o + 1]
        let temporary = (object as NSString).deletingLastPathComponent
        guard !temporary.isEmpty, temporary != "/", lines[1].contains(object), lines[2].contains(object),
              lines[2].suffix(2) == ["-o", workPlaceholder + "/lecture"],
              lines[1].count >= 3, lines[1][lines[1].count - 2] == "-o" else { return nil }
        try? FileManager.default.removeItem(atPath: temporary)  // the driver made it, empty
        // Anywhere in a word: the link reads its libraries as `@<folder>/x.autolink`.
        let commands = lines.map { $0.map { $0.replacingOccurrences(of: temporary + "/", with: workPlaceholder + "/") } }
        return CompileJobs(commands: commands)
    }

    /// A line of the driver's `-###`: words separated by spaces, a word with a
    /// space in single quotes. nil for anything else (double quotes, escapes).
    static func words(_ line: String) -> [String]? {
        guard !line.contains("\""), !line.contains("\\") else { return nil }
        var out: [String] = []
        var word = "", quoted = false, started = false
        for c in line {
            if c == "'" { quoted.toggle(); started = true; continue }
            if c == " " && !quoted {
                if started { out.append(word) }
                word = ""; started = false
                continue
            }
            word.append(c); started = true
        }
        guard !quoted else { return nil }
        if started { out.append(word) }
        return out
    }

    // MARK: Learning and remembering

    /// What each compiler and flags gave in this process (nil inside: use `swiftc`).
    private final class Memo: @unchecked Sendable {
        let lock = NSLock()
        var known: [String: CompileJobs?] = [:]
        func get(_ id: String) -> CompileJobs?? { lock.withLock { known[id] } }
        func set(_ id: String, _ jobs: CompileJobs?) { lock.withLock { known[id] = .some(jobs) } }
    }
    private static let memo = Memo()
    private static let learning = NSLock()

    /// The compile arguments with the placeholders for the work folder and module.
    static func placeholderArguments(_ toolchain: Toolchain, include: String) -> [String] {
        toolchain.compileArguments(source: workPlaceholder + "/main.swift", output: workPlaceholder + "/lecture",
                                   moduleName: modulePlaceholder, includes: [include])
    }

    /// Learns the jobs of a toolchain's compiles ahead of the first one.
    static func prepare(_ toolchain: Toolchain, cacheDirectory: String) {
        guard let include = try? toolchain.systemModules(in: cacheDirectory) else { return }
        _ = jobs(toolchain, arguments: placeholderArguments(toolchain, include: include), cacheDirectory: cacheDirectory)
    }

    /// The jobs for compiling with `arguments` (as `Toolchain.compileArguments`
    /// gives them for the placeholders), learned or remembered; nil: use `swiftc`.
    /// Kept under the driver's and the frontend's path, size and time (a new
    /// toolchain learns again), the working folder and the arguments.
    public static func jobs(_ toolchain: Toolchain, arguments: [String], cacheDirectory: String) -> CompileJobs? {
        let cwd = FileManager.default.currentDirectoryPath
        let id = ([toolchain.swiftc, stamp(toolchain.swiftc), cwd] + arguments).joined(separator: "\u{0}")
        let memoID = cacheDirectory + "\u{0}" + id  // each cache folder gets its copy
        if let known = memo.get(memoID) { return known }
        return learning.withLock {
            if let known = memo.get(memoID) { return known }
            var h = SHA256()
            h.update(id)
            let file = "\(cacheDirectory)/compile-jobs/\(h.finalize().prefix(32))"
            var jobs: CompileJobs?
            if let data = FileManager.default.contents(atPath: file),
               let stored = try? JSONDecoder().decode([[String]].self, from: data) {
                jobs = CompileJobs(commands: stored)
            } else if let r = try? ChildProcess.run(toolchain.swiftc, arguments + ["-###"], timeout: 60), r.status == 0 {
                jobs = parse(String(decoding: r.stdout, as: UTF8.self))
                if let jobs, let data = try? JSONEncoder().encode(jobs.commands) {
                    try? FileManager.default.createDirectory(atPath: "\(cacheDirectory)/compile-jobs", withIntermediateDirectories: true)
                    AtomicFile.write(file, data)
                }
            }
            memo.set(memoID, jobs)
            return jobs
        }
    }

    static func stamp(_ swiftc: String) -> String {
        let driver = URL(fileURLWithPath: swiftc).resolvingSymlinksInPath().path
        let frontend = (driver as NSString).deletingLastPathComponent + "/swift-frontend"
        return [driver, frontend].map { p -> String in
            var st = stat()
            guard stat(p, &st) == 0 else { return p }
            return "\(p) \(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
        }.joined(separator: "; ")
    }

    /// Runs the jobs in order; nil when all succeeded, else what the failing
    /// one printed (the frontend's diagnostics, or the link's). With `source`
    /// and `cacheDirectory`, the autolink extractor's answer (the libraries the
    /// imported modules ask for) is kept under the program's import lines and
    /// reused for a program that imports the same, instead of running it.
    func run(work: String, module: String, timeout: Double, source: String? = nil,
             cacheDirectory: String? = nil) -> String? {
        var kept: String?
        if let source, let cacheDirectory {
            var h = SHA256()
            h.update(commands.map { $0.joined(separator: "\u{0}") }.joined(separator: "\n"))
            h.update("\u{1}" + Self.imports(of: source))
            kept = "\(cacheDirectory)/compile-jobs/autolink-\(h.finalize().prefix(32))"
        }
        for (k, command) in commands(work: work, module: module).enumerated() {
            let answer = k == 1 ? command.last : nil  // the extractor's `-o` file
            if let answer, let kept, let known = FileManager.default.contents(atPath: kept),
               AtomicFile.write(answer, known) { continue }
            do {
                let r = try ChildProcess.run(command[0], Array(command.dropFirst()), timeout: timeout)
                guard r.status == 0, !r.timedOut else {
                    let text = String(decoding: r.stderr + r.stdout, as: UTF8.self)
                    let name = (command[0] as NSString).lastPathComponent
                    return text.isEmpty ? "\(name) exited with status \(r.status)" : text
                }
            } catch {
                return "\(error)"
            }
            if let answer, let kept, let made = FileManager.default.contents(atPath: answer) { AtomicFile.write(kept, made) }
        }
        return nil
    }

    /// The lines of a program that can change which modules it imports: `import`
    /// declarations (after any attributes) and `canImport` conditions.
    static func imports(of source: String) -> String {
        source.split(separator: "\n").filter { line in
            var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
            while let w = words.first, w.hasPrefix("@") { words = words.dropFirst() }
            return words.first == "import" || line.contains("canImport")
        }.joined(separator: "\n")
    }
}
