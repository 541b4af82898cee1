import Foundation
import LecternDocument
import LecternRunner

/// Writes the built course into `Output/`: each file atomically (a temporary
/// file in the same folder, then rename), only when its bytes changed, and
/// removes files that an earlier build wrote and this one no longer makes.
/// Files Lectern never wrote are never touched. What Lectern wrote is listed in
/// `Output/.lectern-manifest`, one `owner<TAB>path` line per file, where the
/// owner is a lecture slug or `*` for the index and assets.
///
/// The manifest is committed with the course, so it is untrusted input: an
/// entry is used only when it names a file inside the output folder, symbolic
/// links resolved; others are ignored with a warning. Nothing is written or
/// deleted through a link that leads out of the folder, and only files are
/// deleted, never folders (except a figure folder left empty).
public final class OutputWriter {
    public let root: String
    public private(set) var written: [String] = []
    public private(set) var unchanged = 0
    /// Manifest entries ignored, as warnings at the manifest's lines.
    public private(set) var diagnostics: [Diagnostic] = []
    private var manifest: [String: Set<String>]  // owner -> paths
    private let fm = FileManager.default

    public static let manifestName = ".lectern-manifest"

    public init(root: String) {
        self.root = root
        (manifest, diagnostics) = OutputWriter.loadManifest(root)
    }

    /// The manifest's entries that lie inside `root`.
    public static func readManifest(_ root: String) -> [String: Set<String>] { loadManifest(root).entries }

    static func loadManifest(_ root: String) -> (entries: [String: Set<String>], ignored: [Diagnostic]) {
        let file = "\(root)/\(manifestName)"
        guard let data = FileManager.default.contents(atPath: file) else { return ([:], []) }
        var out: [String: Set<String>] = [:]
        var ignored: [Diagnostic] = []
        let realRoot = realPath(root)
        for (k, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let path = String(parts[1])
            if let problem = outsideProblem(path, root: root, realRoot: realRoot) {
                ignored.append(Diagnostic(.warning, file: file, line: k + 1,
                                          "entry '\(path)' ignored: \(problem); Lectern only writes and deletes inside \(root)/"))
                continue
            }
            out[String(parts[0]), default: []].insert(path)
        }
        return (out, ignored)
    }

    /// Why `relative` does not name a file inside the folder, or nil when it does.
    static func outsideProblem(_ relative: String, root: String, realRoot: String?) -> String? {
        if relative.hasPrefix("/") { return "it is an absolute path" }
        if !isPlainRelative(relative) { return "it is not a plain relative path (empty, '.' or '..' segments)" }
        if relative == manifestName { return "it names the manifest itself" }
        guard let realRoot, isInside(root + "/" + relative, realRoot: realRoot) else {
            return "it leads out of the folder through a symbolic link"
        }
        return nil
    }

    /// No empty, `.` or `..` segment, not absolute.
    static func isPlainRelative(_ relative: String) -> Bool {
        !relative.contains("\0") && !relative.split(separator: "/", omittingEmptySubsequences: false)
            .contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }

    /// Whether `path` resolves inside `realRoot`: the real path of its longest
    /// existing prefix (the rest has no `..`, so it cannot climb back out).
    static func isInside(_ path: String, realRoot: String) -> Bool {
        var probe = path
        while true {
            if let real = realPath(probe) { return real == realRoot || real.hasPrefix(realRoot == "/" ? "/" : realRoot + "/") }
            let parent = (probe as NSString).deletingLastPathComponent
            if parent == probe || parent.isEmpty { return false }
            probe = parent
        }
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// Files an owner wrote in the previous build.
    public func previousFiles(of owner: String) -> Set<String> { manifest[owner] ?? [] }

    /// Replaces an owner's files: writes the new ones, deletes the ones it no longer makes.
    public func replace(owner: String, files: [(path: String, bytes: [UInt8])]) throws {
        let old = manifest[owner] ?? []
        var new = Set<String>()
        for f in files {
            try write(f.path, f.bytes)
            new.insert(f.path)
        }
        for stale in old.subtracting(new) { remove(stale) }
        manifest[owner] = new
    }

    /// Keeps an owner's files as the previous build wrote them (counted as unchanged).
    public func keep(owner: String) { unchanged += manifest[owner]?.count ?? 0 }

    /// Removes everything an owner wrote (its lecture was deleted).
    public func removeOwner(_ owner: String) {
        for path in manifest[owner] ?? [] { remove(path) }
        manifest[owner] = nil
    }

    public var owners: [String] { Array(manifest.keys) }

    public func saveManifest() throws {
        var lines: [String] = []
        for owner in manifest.keys.sorted() {
            for path in manifest[owner]!.sorted() { lines.append("\(owner)\t\(path)") }
        }
        try write(OutputWriter.manifestName, Array((lines.joined(separator: "\n") + "\n").utf8), record: false)
    }

    /// Writes one file atomically, unless it already holds these bytes.
    public func write(_ relative: String, _ bytes: [UInt8], record: Bool = true) throws {
        let path = "\(root)/\(relative)"
        let dir = (path as NSString).deletingLastPathComponent
        guard OutputWriter.isPlainRelative(relative) else { throw BuildError.io("cannot write \(path): not a plain relative path") }
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: root, isDirectory: &isDir), !isDir.boolValue {
            throw BuildError.io("cannot write the course into \(root): it is a file, not a folder; move it away or choose another output folder")
        }
        if OutputWriter.realPath(root) == nil { try makeFolder(root) }
        guard let realRoot = OutputWriter.realPath(root), OutputWriter.isInside(dir, realRoot: realRoot) else {
            throw BuildError.io("cannot write \(path): \(dir) leads out of \(root)/ through a symbolic link")
        }
        if let existing = fm.contents(atPath: path), existing.count == bytes.count, Array(existing) == bytes {
            unchanged += 1
            return
        }
        try makeFolder(dir)
        let tmp = "\(dir)/.\((path as NSString).lastPathComponent).tmp-\(getpid())"
        // Not FileManager.createFile: that writes a temporary file of its own
        // and syncs it to disk, twice the work of this rename.
        guard AtomicFile.create(tmp, bytes) else {
            throw BuildError.io("cannot write \(path): "
                + (fm.isWritableFile(atPath: dir) ? "the file system refused it (is the disk full?)" : "the folder \(dir) is not writable"))
        }
        if rename(tmp, path) != 0 {
            let err = String(cString: strerror(errno))
            unlink(tmp)
            throw BuildError.io("cannot write \(path): \(err)")
        }
        if record { written.append(relative) }
    }

    /// Creates a folder (and those above it), with a sentence a person can act on when it cannot.
    func makeFolder(_ dir: String) throws {
        do {
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            var parent = (dir as NSString).deletingLastPathComponent
            while !parent.isEmpty && !fm.fileExists(atPath: parent) { parent = (parent as NSString).deletingLastPathComponent }
            var isDir: ObjCBool = false
            // The nearest folder on the way that exists may be a file.
            let blocking = fm.fileExists(atPath: dir) ? dir : parent
            let why = fm.fileExists(atPath: blocking, isDirectory: &isDir) && !isDir.boolValue ? "\(blocking) is a file, not a folder"
                : !fm.isWritableFile(atPath: parent.isEmpty ? "." : parent) ? "\(parent.isEmpty ? "." : parent) is not writable"
                : "\(error.localizedDescription)"
            throw BuildError.io("cannot create the folder \(dir): \(why)")
        }
    }

    /// Deletes a file (or link) Lectern wrote; never a folder, never outside the
    /// output folder (looked at again now: the manifest was read a while ago).
    func remove(_ relative: String) {
        let path = "\(root)/\(relative)"
        let dir = (path as NSString).deletingLastPathComponent
        guard OutputWriter.isPlainRelative(relative), let realRoot = OutputWriter.realPath(root),
              OutputWriter.isInside(dir, realRoot: realRoot) else { return }
        unlink(path)
        // Remove the folder too when this left it empty (a lecture's figure folder).
        if let realDir = OutputWriter.realPath(dir), realDir != realRoot { rmdir(dir) }
    }
}

public enum BuildError: Error, CustomStringConvertible {
    case io(String)
    case usage(String)
    public var description: String {
        switch self {
        case .io(let m), .usage(let m): return m
        }
    }
}
