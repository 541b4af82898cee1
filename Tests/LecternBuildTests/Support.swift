import Foundation
@testable import LecternBuild

/// A temporary course folder: `Lectures/` with the given files, removed at the end.
final class TempCourse {
    let root: String
    var lectures: String { root + "/Lectures" }
    var output: String { root + "/Output" }

    init(_ files: [String: String]) throws {
        root = NSTemporaryDirectory() + "lectern-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/Lectures", withIntermediateDirectories: true)
        for (name, text) in files { try write(name, text) }
    }

    /// Builds the course into `Output/` with its own cache; `only` picks lectures.
    /// `mathAtBuild: false` leaves the math to the browser (the TeX stays in the page).
    func build(useCache: Bool = false, only: [String] = [], mathAtBuild: Bool = true) throws -> BuildReport {
        var o = BuildOptions()
        o.mathAtBuild = mathAtBuild
        o.outputDirectory = output
        o.cacheDirectory = root + "/.lectern-cache"
        o.useCache = useCache
        o.only = only
        return try CourseBuilder(course: try Course.load(lectures), options: o).build()
    }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: lectures + "/" + name))
    }

    func read(_ relative: String) -> String? {
        try? String(contentsOfFile: output + "/" + relative, encoding: .utf8)
    }

    /// Every file under Output/, relative path -> bytes.
    func snapshot() -> [String: Data] {
        var out: [String: Data] = [:]
        let files = FileManager.default
        guard let e = files.enumerator(atPath: output) else { return out }
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if files.fileExists(atPath: output + "/" + rel, isDirectory: &isDir), !isDir.boolValue {
                out[rel] = files.contents(atPath: output + "/" + rel)
            }
        }
        return out
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

/// Folder for artefacts a test keeps (screenshots): `test-artifacts/` at the package root.
func artifactsDirectory() -> String {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    let dir = url.appendingPathComponent("test-artifacts").path
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}
