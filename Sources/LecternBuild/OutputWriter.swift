import Foundation

/// Writes the built course into `Output/`: each file atomically (a temporary
/// file in the same folder, then rename), only when its bytes changed, and
/// removes files that an earlier build wrote and this one no longer makes.
/// Files Lectern never wrote are never touched. What Lectern wrote is listed in
/// `Output/.lectern-manifest`, one `owner<TAB>path` line per file, where the
/// owner is a lecture slug or `*` for the index and assets.
public final class OutputWriter {
    public let root: String
    public private(set) var written: [String] = []
    public private(set) var unchanged = 0
    private var manifest: [String: Set<String>]  // owner -> paths
    private let fm = FileManager.default

    public static let manifestName = ".lectern-manifest"

    public init(root: String) {
        self.root = root
        self.manifest = OutputWriter.readManifest(root)
    }

    public static func readManifest(_ root: String) -> [String: Set<String>] {
        guard let text = try? String(contentsOfFile: "\(root)/\(manifestName)", encoding: .utf8) else { return [:] }
        var out: [String: Set<String>] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2 else { continue }
            out[String(parts[0]), default: []].insert(String(parts[1]))
        }
        return out
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
        if let existing = fm.contents(atPath: path), existing.count == bytes.count, Array(existing) == bytes {
            unchanged += 1
            return
        }
        let dir = (path as NSString).deletingLastPathComponent
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let tmp = "\(dir)/.\((path as NSString).lastPathComponent).tmp-\(getpid())"
        guard fm.createFile(atPath: tmp, contents: Data(bytes)) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: tmp])
        }
        if rename(tmp, path) != 0 {
            let err = String(cString: strerror(errno))
            unlink(tmp)
            throw BuildError.io("cannot write \(path): \(err)")
        }
        if record { written.append(relative) }
    }

    func remove(_ relative: String) {
        let path = "\(root)/\(relative)"
        try? fm.removeItem(atPath: path)
        // Remove the folder too when this left it empty (a lecture's figure folder).
        let dir = (path as NSString).deletingLastPathComponent
        if dir != root, let rest = try? fm.contentsOfDirectory(atPath: dir), rest.isEmpty {
            try? fm.removeItem(atPath: dir)
        }
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
