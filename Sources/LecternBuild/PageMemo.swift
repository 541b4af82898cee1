import Foundation
import LecternDocument
import LecternRender
import LecternRunner

/// What a lecture's last build wrote, remembered under everything that decides
/// it, so that a rebuild finding the same inputs and the same files in
/// `Output/` skips the lecture: no run is read from the cache, nothing is
/// rendered or compared. The key covers the lecture's bytes and params, the
/// toolchain (compiler, kit, numeric kernel, flags: what the run cache keys
/// by), the course around it (title, every lecture's title and slug, for the
/// navigation), how math is rendered, and the `lectern` executable itself (its
/// path, size and time: a new build of the tool renders afresh). A file is
/// trusted only while its size and modification time are those recorded after
/// writing it. Kept in `.lectern-cache/pages/<slug>`; local to the machine.
struct PageMemo: Codable {
    struct File: Codable, Equatable {
        var path: String
        var size: Int
        var mtime: Int64  // nanoseconds
    }

    var key: String
    var files: [File]
    /// The lecture's diagnostics (run, rendering and math), as the build reported them.
    var diagnostics: [Diagnostic]
    var failedCells: Int
    var searchIndexBytes: Int?

    /// What `--explain` says of a lecture skipped so.
    static let explanation = "unchanged: same inputs as the last build, its files as it wrote them"

    /// The memo folder's entries, for one build.
    struct Store {
        let directory: String
        let output: String
        /// What every lecture's key shares: the toolchain, the course, the math, the tool.
        let context: String

        init(cacheDirectory: String, outputDirectory: String, toolchain: Toolchain, courseTitle: String,
             links: [LectureLink], math: String) {
            directory = "\(cacheDirectory)/pages"
            output = outputDirectory
            var parts = [Self.executableStamp, toolchain.compilerVersion, toolchain.kitHash,
                         toolchain.numericKernel ?? "-", toolchain.keyedCompileArguments.joined(separator: " "),
                         courseTitle, math, outputDirectory]
            parts += links.map { "\($0.slug)\u{1}\($0.title)\u{1}\($0.subtitle ?? "")" }
            context = parts.joined(separator: "\u{0}")
        }

        func key(_ doc: Document, params: [Param]) -> String {
            var h = SHA256()
            h.update(context)
            h.update("\u{0}\(doc.path)\u{0}\(params)\u{0}")
            doc.source.bytes.withUnsafeBytes { h.update($0) }
            return h.finalize()
        }

        func file(_ slug: String) -> String { "\(directory)/\(slug).json" }

        /// The memo of `slug` when its key is `key`, the manifest lists exactly
        /// its files, and each is as it was written.
        func hit(_ slug: String, key: String, manifest: Set<String>) -> PageMemo? {
            guard let data = FileManager.default.contents(atPath: file(slug)),
                  let memo = try? JSONDecoder().decode(PageMemo.self, from: data), memo.key == key,
                  Set(memo.files.map(\.path)) == manifest else { return nil }
            for f in memo.files where Self.stat(f.path, in: output) != f { return nil }
            return memo
        }

        /// Remembers what was just written for `slug` (atomically; a failure only costs the next build time).
        func save(_ slug: String, key: String, paths: [String], diagnostics: [Diagnostic], failedCells: Int,
                  searchIndexBytes: Int?) {
            let files = paths.compactMap { Self.stat($0, in: output) }
            guard files.count == paths.count else { return }
            let memo = PageMemo(key: key, files: files, diagnostics: diagnostics, failedCells: failedCells,
                                searchIndexBytes: searchIndexBytes)
            guard let data = try? JSONEncoder().encode(memo) else { return }
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            AtomicFile.write(file(slug), data)
        }

        /// Forgets `slug`'s memo (its lecture was rebuilt and cannot be reused).
        func forget(_ slug: String) { unlink(file(slug)) }

        static func stat(_ relative: String, in output: String) -> File? {
            var st = Foundation.stat()
            guard lstat(output.isEmpty ? relative : "\(output)/\(relative)", &st) == 0 else { return nil }
            let ns = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
            return File(path: relative, size: Int(st.st_size), mtime: ns)
        }

        /// The running tool: a rebuilt `lectern` may render differently.
        static let executableStamp: String = {
            let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0]
            guard let f = stat(exe, in: "") else { return "\(exe) \(UUID().uuidString)" }
            return "\(exe) \(f.size) \(f.mtime)"
        }()
    }
}
