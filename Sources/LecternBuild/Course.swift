import Foundation
import LecternDocument

/// The lectures of a course folder, parsed and in order.
public struct Course: Sendable {
    public var lecturesDirectory: String
    public var title: String
    /// In course order: `order` (front matter or file number), then file name.
    public var documents: [Document]
    /// Problems with the course as a whole (duplicate slugs, unreadable files).
    public var diagnostics: [Diagnostic]

    public static let defaultTitle = "Course notes"

    /// Parses every `*.md` in the folder. `course.yml` in it may set `title:`.
    public static func load(_ directory: String) throws -> Course {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw BuildError.usage("lectures folder '\(directory)' does not exist")
        }
        let names = try fm.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted()
        var docs: [Document] = []
        var diags: [Diagnostic] = []
        for name in names {
            let path = directory == "." ? name : "\(directory)/\(name)"
            guard let data = fm.contents(atPath: path) else {
                diags.append(Diagnostic(.error, file: path, line: 0, "cannot read file"))
                continue
            }
            docs.append(Document.parse(path: path, bytes: Array(data)))
        }
        docs.sort { a, b in
            let ka = (a.order ?? Int.max, a.path), kb = (b.order ?? Int.max, b.path)
            return ka < kb
        }
        docs = docs.filter { d in
            guard let problem = slugProblem(d.slug) else { return true }
            let file = (d.path as NSString).lastPathComponent
            diags.append(Diagnostic(.error, file: d.path, line: 0,
                                    "lecture slug '\(d.slug)' \(problem); rename \(file) (the slug is the file name "
                                    + "without its number and .md: 03-eigen.md makes eigen.html)"))
            return false
        }
        var seen: [String: String] = [:]
        docs = docs.filter { d in
            if let first = seen[d.slug] {
                diags.append(Diagnostic(.error, file: d.path, line: 0,
                                        "lecture slug '\(d.slug)' is also the slug of \(first); rename one of the files"))
                return false
            }
            seen[d.slug] = d.path
            return true
        }
        return Course(lecturesDirectory: directory, title: readTitle(directory) ?? defaultTitle,
                      documents: docs, diagnostics: diags)
    }

    /// Why a slug cannot name a lecture's files (`<slug>.html`, `<slug>.md`,
    /// `<slug>/`) in the output folder, or nil. A slug is a file name: not empty,
    /// not `.` or `..`, no path separator, no leading dot, and not one of the
    /// course's own names.
    public static func slugProblem(_ slug: String) -> String? {
        if slug.isEmpty { return "is empty" }
        if slug == "." || slug == ".." { return "would put its pages and figures outside the output folder" }
        if slug.contains("/") || slug.contains("\\") { return "contains a path separator" }
        if slug.hasPrefix(".") { return "starts with a dot (its pages would be hidden files)" }
        switch slug.lowercased() {
        case "index": return "is the course index's name (index.html)"
        case "assets": return "is the name of the course's assets folder (assets/)"
        default: return nil
        }
    }

    /// `title: ...` from `course.yml`, the one course-wide setting.
    static func readTitle(_ directory: String) -> String? {
        guard let text = try? String(contentsOfFile: "\(directory)/course.yml", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("title:") {
            var t = line.dropFirst(6).trimmingCharacters(in: .whitespaces)
            if t.count >= 2, (t.first == "\"" && t.last == "\"") || (t.first == "'" && t.last == "'") {
                t = String(t.dropFirst().dropLast())
            }
            return t.isEmpty ? nil : t
        }
        return nil
    }

    public func index(ofPath path: String) -> Int? {
        let want = URL(fileURLWithPath: path).standardizedFileURL.path
        return documents.firstIndex { URL(fileURLWithPath: $0.path).standardizedFileURL.path == want }
    }
}
