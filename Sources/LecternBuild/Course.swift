import Foundation
import LecternDocument
import Yams

/// The lectures of a course folder, parsed and in order.
public struct Course: Sendable {
    public var lecturesDirectory: String
    public var title: String
    /// In course order: `order` (front matter or file number), then file name.
    public var documents: [Document]
    /// Problems with the course as a whole (course.yml, duplicate slugs, unreadable files).
    public var diagnostics: [Diagnostic]
    /// `pdf: true` in course.yml: every build prints PDFs (on `paper:`, default A4).
    public var pdf: Paper?

    public static let defaultTitle = "Course notes"

    /// Which `course.yml` holds the course's settings.
    public enum ConfigSource: Sendable, Equatable {
        /// The nearest going upward from the lectures folder (in the folder itself,
        /// where it used to live, or in the course root).
        case nearest
        /// This one (`CourseLocation.config`).
        case file(String)
        /// None: the defaults.
        case none
    }

    /// Parses every `*.md` in the folder, and the course's settings (see `CourseConfig`).
    public static func load(_ directory: String, config source: ConfigSource = .nearest) throws -> Course {
        let files = FileManager.default
        var isDir: ObjCBool = false
        guard files.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw BuildError.usage("lectures folder '\(directory)' does not exist")
        }
        let names = try files.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted()
        func pathOf(_ name: String) -> String { directory == "." ? name : "\(directory)/\(name)" }
        var diags: [Diagnostic] = []
        let configPath: String?
        switch source {
        case .nearest: configPath = CourseLocation.nearestConfig(above: directory)
        case .file(let path): configPath = path
        case .none: configPath = nil
        }
        let config = configPath.map { CourseConfig.read($0, diagnostics: &diags) } ?? CourseConfig()
        var docs: [Document] = []
        for name in names {
            let path = pathOf(name)
            guard let data = files.contents(atPath: path) else {
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
        var course = Course(lecturesDirectory: directory, title: config.title ?? defaultTitle,
                            documents: docs, diagnostics: diags)
        if config.pdf == true { course.pdf = config.paper ?? .a4 }
        return course
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

    public func index(ofPath path: String) -> Int? {
        let want = URL(fileURLWithPath: path).standardizedFileURL.path
        return documents.firstIndex { URL(fileURLWithPath: $0.path).standardizedFileURL.path == want }
    }
}

/// The course-wide settings, from `course.yml` in the course root (see
/// `CourseLocation`). Every key is optional:
/// - `title`: the course's title, on the index page and in every page's header;
/// - `lectures`: the folder holding the lectures (default `Lectures`);
/// - `output`: the folder `lectern build` writes and `lectern check` compares (default `Output`);
/// - `pdf`: `true` prints `<slug>.pdf` and `course.pdf` with every build, as `--pdf` does;
/// - `paper`: `a4` (the default) or `letter`, for the PDFs.
/// Folders are relative to the course root.
public struct CourseConfig: Equatable, Sendable {
    public var title: String?
    public var lectures: String?
    public var output: String?
    public var pdf: Bool?
    public var paper: Paper?

    public static let fileName = "course.yml"
    public static let knownKeys = ["title", "lectures", "output", "pdf", "paper"]

    /// Reads and parses the file; a missing (or not UTF-8) file is no settings.
    public static func read(_ path: String, diagnostics: inout [Diagnostic]) -> CourseConfig {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return CourseConfig() }
        return parse(text, path: path, diagnostics: &diagnostics)
    }

    /// A YAML syntax error is an error at its line; an unknown key, a warning.
    public static func parse(_ text: String, path: String, diagnostics: inout [Diagnostic]) -> CourseConfig {
        var config = CourseConfig()
        func diag(_ severity: Diagnostic.Severity, _ mark: Mark?, _ message: String) {
            diagnostics.append(Diagnostic(severity, file: path, line: mark?.line ?? 1, message))
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch YamlError.scanner(_, let problem, let mark, _), YamlError.parser(_, let problem, let mark, _),
                YamlError.composer(_, let problem, let mark, _) {
            diag(.error, mark, "invalid YAML in course.yml: \(problem)")
            return config
        } catch {
            diag(.error, nil, "invalid YAML in course.yml: \(error)")
            return config
        }
        guard let root else { return config }  // an empty file
        guard case .mapping(let mapping) = root else {
            diag(.error, root.mark, "course.yml must be a mapping of keys (\(knownKeys.joined(separator: ", ")))")
            return config
        }
        for (key, value) in mapping {
            switch key.string ?? "" {
            case "title":
                guard case .scalar(let s) = value else { diag(.error, value.mark, "'title' must be a string"); continue }
                config.title = s.string.isEmpty || s.tag.description == "tag:yaml.org,2002:null" ? nil : s.string
            case let name where name == "lectures" || name == "output":
                guard case .scalar(let s) = value, s.tag.description != "tag:yaml.org,2002:null",
                      !s.string.trimmingCharacters(in: .whitespaces).isEmpty else {
                    diag(.error, value.mark, "'\(name)' must be a folder, relative to the course root"); continue
                }
                if name == "lectures" { config.lectures = s.string } else { config.output = s.string }
            case "pdf":
                guard case .scalar(let s) = value, let b = Bool.construct(from: s) else {
                    diag(.error, value.mark, "'pdf' must be true or false"); continue
                }
                config.pdf = b
            case "paper":
                guard case .scalar(let s) = value, let p = Paper(rawValue: s.string.lowercased()) else {
                    diag(.error, value.mark, "'paper' must be a4 or letter"); continue
                }
                config.paper = p
            case let other:
                diag(.warning, key.mark, "unknown course.yml key '\(other)' (ignored); known keys: \(knownKeys.joined(separator: ", "))")
            }
        }
        return config
    }
}
