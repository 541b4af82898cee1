import Foundation
import LecternDocument

/// Where a command's course is, and how paths are named inside and outside it.
///
/// The course root is the nearest folder, going upward from the first path
/// argument (or from the current folder when there is none), that holds
/// `course.yml`, as git finds `.git`; with none, it is the current folder.
/// The lectures folder, the output folder and `.lectern-cache/` live in the
/// root, and commands run with the root as their working folder (`enter`), so
/// every path inside the course (in documents, generated programs and cache
/// entries) is relative to the root and the same in every checkout. `display`
/// turns such a path into one relative to the folder the command was started
/// in, for messages an editor can follow.
///
/// A `course.yml` inside a folder named `Lectures`, with no `lectures:` key and
/// no `Lectures/` folder of its own, is where the settings used to live: its
/// course root is the folder above.
public struct CourseLocation: Sendable, Equatable {
    /// The course root, absolute.
    public var root: String
    /// The folder the command was started in, absolute.
    public var caller: String
    /// The `course.yml` read, relative to the root; nil when the course has none.
    public var configFile: String?
    /// Relative to the root (absolute when outside it).
    public var lecturesDirectory: String
    public var outputDirectory: String

    public static let defaultLectures = "Lectures"
    public static let defaultOutput = "Output"
    public static let cacheDirectory = ".lectern-cache"

    /// Path arguments that name no lecture of the course, as diagnostics naming them.
    public struct PathProblems: Error, CustomStringConvertible {
        public var diagnostics: [Diagnostic]
        public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
    }

    /// - Parameters:
    ///   - paths: the command's lecture and folder arguments, as typed.
    ///   - lectures, output: `--lectures` and `--out` as typed, nil for the course's settings.
    ///   - requireLectures: the lectures folder must exist (`build`, `check`, `watch`; not `run`).
    public static func find(paths: [String], lectures: String? = nil, output: String? = nil,
                            requireLectures: Bool = true,
                            caller: String = FileManager.default.currentDirectoryPath) throws -> CourseLocation {
        let caller = standardized(caller)
        let starts = paths.isEmpty ? [caller] : paths.map { p -> String in
            let abs = absolute(p, in: caller)
            return isDirectory(abs) ? abs : parent(abs)
        }
        let found = starts.map { configAbove($0) }
        if let other = found.firstIndex(where: { $0?.root != found[0]?.root }) {
            let name = { (k: Int) in found[k].map { "the course in \(relative($0.root, from: caller))" } ?? "no course" }
            throw BuildError.usage("\(paths[0]) is in \(name(0)) and \(paths[other]) in \(name(other)); "
                                   + "give the paths of one course at a time")
        }
        var location = CourseLocation(root: found[0]?.root ?? caller, caller: caller, configFile: nil,
                                      lecturesDirectory: defaultLectures, outputDirectory: defaultOutput)
        var config = CourseConfig()
        if let f = found[0] {
            location.configFile = location.inRoot(f.file)
            var ignored: [Diagnostic] = []  // reported when the course is loaded
            config = CourseConfig.read(f.file, diagnostics: &ignored)
            if let legacy = f.legacyLectures { config.lectures = legacy }
        }
        location.lecturesDirectory = lectures.map { location.inRoot(absolute($0, in: caller)) }
            ?? config.lectures.map { location.inRoot(absolute($0, in: location.root)) } ?? defaultLectures
        location.outputDirectory = output.map { location.inRoot(absolute($0, in: caller)) }
            ?? config.output.map { location.inRoot(absolute($0, in: location.root)) } ?? defaultOutput
        if requireLectures && !isDirectory(absolute(location.lecturesDirectory, in: location.root)) {
            let where_ = location.root == caller ? "" : " (course root \(location.display(".")))"
            throw BuildError.usage("lectures folder '\(location.display(location.lecturesDirectory))' does not exist\(where_)")
        }
        return location
    }

    /// Makes the course root the working folder. `LECTERN_KIT` and `SWIFTC`
    /// given relative to the caller's folder are made absolute first.
    public func enter() throws {
        guard root != caller else { return }
        for name in ["LECTERN_KIT", "SWIFTC"] {
            if let v = ProcessInfo.processInfo.environment[name], !v.isEmpty, !v.hasPrefix("/") {
                setenv(name, CourseLocation.absolute(v, in: caller), 1)
            }
        }
        guard FileManager.default.changeCurrentDirectoryPath(root) else {
            throw BuildError.usage("cannot enter the course root \(root)")
        }
    }

    /// The `Course.load` configuration source for this course.
    public var config: Course.ConfigSource { configFile.map { .file($0) } ?? .none }

    /// A path relative to the root, as named from the caller's folder (an
    /// absolute path stays as it is).
    public func display(_ path: String) -> String {
        if root == caller || path.hasPrefix("/") || path.isEmpty { return path }
        return CourseLocation.relative(CourseLocation.absolute(path, in: root), from: caller)
    }

    /// The diagnostic with its file named from the caller's folder.
    public func display(_ d: Diagnostic) -> Diagnostic {
        var d = d
        d.file = display(d.file)
        return d
    }

    /// An absolute path as the course names it: relative to the root when inside it.
    public func inRoot(_ absolutePath: String) -> String {
        let p = CourseLocation.standardized(absolutePath)
        if p == root { return "." }
        if p.hasPrefix(root == "/" ? "/" : root + "/") { return String(p.dropFirst(root == "/" ? 1 : root.count + 1)) }
        return p
    }

    /// A path argument (relative to the caller's folder) as the course names it.
    public func argument(_ path: String) -> String { inRoot(CourseLocation.absolute(path, in: caller)) }

    /// The lectures the path arguments name, as the course names them; empty
    /// means every lecture. A file must be a lecture of the course; a folder
    /// means its `NN-*.md` lectures, and the course root or a folder holding
    /// the lectures folder means all of them.
    public func lectures(_ paths: [String], of course: Course) throws -> [String] {
        var selected: [String] = []
        var problems: [Diagnostic] = []
        let lecturesAbs = CourseLocation.absolute(lecturesDirectory, in: root)
        let hint = configFile == nil ? "; no course.yml was found above it, so the course is the one in the current folder" : ""
        let elsewhere = "not a lecture of the course in \(display(".")) (its lectures are the .md files in \(display(lecturesDirectory))/)"
        for p in paths {
            let abs = CourseLocation.absolute(p, in: caller)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: abs, isDirectory: &isDir) else {
                problems.append(Diagnostic(.error, file: p, line: 0, "no such lecture or folder"))
                continue
            }
            if isDir.boolValue {
                if abs == lecturesAbs || lecturesAbs.hasPrefix(abs == "/" ? "/" : abs + "/") { return [] }
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: abs)) ?? [])
                    .filter(CourseLocation.isLectureFileName).sorted()
                if names.isEmpty {
                    problems.append(Diagnostic(.error, file: p, line: 0,
                                               "holds no lectures (a folder argument means its NN-name.md files)"))
                }
                for name in names {
                    let inside = inRoot(abs + "/" + name)
                    if course.index(ofPath: inside) != nil { selected.append(inside) } else {
                        problems.append(Diagnostic(.error, file: display(inside), line: 0, elsewhere + hint))
                    }
                }
            } else {
                let inside = inRoot(abs)
                if course.index(ofPath: inside) != nil { selected.append(inside) } else {
                    problems.append(Diagnostic(.error, file: p, line: 0,
                                               (p.hasSuffix(".md") ? elsewhere : "not a lecture (a .md file) nor a folder of lectures") + hint))
                }
            }
        }
        if !problems.isEmpty { throw PathProblems(diagnostics: problems) }
        var seen = Set<String>()
        return selected.filter { seen.insert($0).inserted }
    }

    /// `NN-name.md`: what a folder argument selects.
    public static func isLectureFileName(_ name: String) -> Bool {
        guard name.hasSuffix(".md"), let dash = name.firstIndex(of: "-"), dash > name.startIndex else { return false }
        return name[..<dash].allSatisfy(\.isASCII) && name[..<dash].allSatisfy(\.isNumber)
    }

    /// The nearest `course.yml` going upward from a folder, named as the folder is
    /// (relative paths stay relative); nil when there is none up to `/`.
    public static func nearestConfig(above directory: String) -> String? {
        var dir = directory.isEmpty ? "." : directory
        let base = FileManager.default.currentDirectoryPath
        for _ in 0..<256 {
            let candidate = dir == "." ? CourseConfig.fileName : "\(dir)/\(CourseConfig.fileName)"
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            if standardized(absolute(dir, in: base)) == "/" { return nil }
            dir = dir == "." ? ".." : (dir.hasSuffix("..") || dir == ".." ? dir + "/.." : parent(dir))
            if dir.isEmpty { dir = "." }
        }
        return nil
    }

    /// The root above a folder (absolute), its `course.yml`, and for the old
    /// layout (`Lectures/course.yml`) the lectures folder's name.
    static func configAbove(_ start: String) -> (root: String, file: String, legacyLectures: String?)? {
        var dir = standardized(start)
        while true {
            let file = dir == "/" ? "/course.yml" : "\(dir)/course.yml"
            if FileManager.default.fileExists(atPath: file) {
                var ignored: [Diagnostic] = []
                let config = CourseConfig.read(file, diagnostics: &ignored)
                let name = (dir as NSString).lastPathComponent
                if config.lectures == nil && name == defaultLectures && dir != "/"
                    && !isDirectory("\(dir)/\(defaultLectures)") {
                    return (parent(dir), file, name)
                }
                return (dir, file, nil)
            }
            if dir == "/" { return nil }
            dir = parent(dir)
        }
    }

    // MARK: - Paths, lexically (no symlink is resolved)

    public static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    static func absolute(_ path: String, in base: String) -> String {
        standardized(path.hasPrefix("/") ? path : (base == "/" ? "/" : base + "/") + path)
    }

    /// `.` and `..` resolved, repeated and trailing slashes dropped.
    static func standardized(_ path: String) -> String {
        var parts: [Substring] = []
        for c in path.split(separator: "/") {
            if c == "." { continue }
            if c == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(c)
        }
        return "/" + parts.joined(separator: "/")
    }

    static func parent(_ path: String) -> String {
        let p = (path as NSString).deletingLastPathComponent
        return p.isEmpty ? "." : p
    }

    /// `target` as seen from `base` (both absolute): `Lectures/a.md`, `../x/b.md`, `.`.
    static func relative(_ target: String, from base: String) -> String {
        let t = standardized(target).split(separator: "/"), b = standardized(base).split(separator: "/")
        var common = 0
        while common < t.count && common < b.count && t[common] == b[common] { common += 1 }
        let parts = Array(repeating: "..", count: b.count - common) + t[common...].map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
