import Foundation
import LecternBuild
import LecternDocument

/// What identifies a version of a source file: change any of these and the
/// file is taken as changed (editors that save by rename change the inode).
public struct FileStamp: Equatable, Sendable {
    public var modified: Double
    public var size: Int
    public var inode: Int
}

/// The watched sources of a course: `*.md` (not hidden) in the lectures
/// folder, by file name, and `course.yml` (the nearest upward, as the course reads it).
public struct SourceSnapshot: Equatable, Sendable {
    public var files: [String: FileStamp]

    public init(files: [String: FileStamp] = [:]) { self.files = files }

    public static let courseFile = "course.yml"

    static func isSource(_ name: String) -> Bool {
        !name.hasPrefix(".") && (name.hasSuffix(".md") || name == courseFile)
    }

    /// Reads the folder's listing and each source's stamp. A folder that is
    /// missing gives an empty snapshot.
    public static func take(_ directory: String) -> SourceSnapshot {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: directory) else { return SourceSnapshot() }
        var files: [String: FileStamp] = [:]
        func stamp(_ name: String, _ path: String) {
            guard let a = try? fileManager.attributesOfItem(atPath: path),
                  (a[.type] as? FileAttributeType) == .typeRegular else { return }
            files[name] = FileStamp(modified: (a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0,
                                    size: (a[.size] as? NSNumber)?.intValue ?? 0,
                                    inode: (a[.systemFileNumber] as? NSNumber)?.intValue ?? 0)
        }
        for name in names where isSource(name) { stamp(name, directory + "/" + name) }
        if files[courseFile] == nil, let config = CourseLocation.nearestConfig(above: directory) { stamp(courseFile, config) }
        return SourceSnapshot(files: files)
    }
}

/// File names added, removed and modified between two snapshots, sorted.
public struct SourceChanges: Equatable, Sendable, CustomStringConvertible {
    public var added: [String] = []
    public var removed: [String] = []
    public var modified: [String] = []

    public init(added: [String] = [], removed: [String] = [], modified: [String] = []) {
        self.added = added
        self.removed = removed
        self.modified = modified
    }

    public init(from old: SourceSnapshot, to new: SourceSnapshot) {
        for (name, stamp) in new.files {
            if let before = old.files[name] {
                if before != stamp { modified.append(name) }
            } else {
                added.append(name)
            }
        }
        removed = old.files.keys.filter { new.files[$0] == nil }
        added.sort(); removed.sort(); modified.sort()
    }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && modified.isEmpty }

    public var all: [String] { added + removed + modified }

    /// "01-intro.md changed", "02-new.md added, 03-old.md removed".
    public var description: String {
        var parts: [String] = []
        if !modified.isEmpty { parts.append(modified.joined(separator: ", ") + " changed") }
        if !added.isEmpty { parts.append(added.joined(separator: ", ") + " added") }
        if !removed.isEmpty { parts.append(removed.joined(separator: ", ") + " removed") }
        return parts.isEmpty ? "nothing changed" : parts.joined(separator: "; ")
    }
}

/// Which lectures a rebuild must build.
public enum BuildPlan: Equatable, Sendable {
    /// Every lecture (unchanged ones come from the run cache): needed when
    /// what other pages show of a lecture changed (a title, the order, a
    /// lecture added or removed) or when the course title changed.
    case all
    /// Only these lecture files (their paths as `Course` has them); the index
    /// and assets are written too, and pages of deleted lectures pruned.
    case only([String])

    /// A page shows its own lecture, the course title, and the titles and
    /// slugs of its neighbours (previous/next links); the index shows every
    /// title. So a change that leaves the course title and the list of
    /// (slug, title, subtitle) as they were needs only the changed lectures.
    public static func make(previous: Course?, current: Course, changes: SourceChanges) -> BuildPlan {
        guard let previous else { return .all }
        if changes.all.contains(SourceSnapshot.courseFile) || !changes.added.isEmpty || !changes.removed.isEmpty {
            return .all
        }
        if previous.title != current.title || links(previous) != links(current) { return .all }
        let byName = Dictionary(current.documents.map { (($0.path as NSString).lastPathComponent, $0.path) },
                                uniquingKeysWith: { a, _ in a })
        let paths = changes.modified.compactMap { byName[$0] }
        // A changed file that is not a lecture of the course (a duplicate slug): build all
        // so that its diagnostics are reported as `lectern build` would.
        if paths.count != changes.modified.count { return .all }
        return .only(paths)
    }

    struct Link: Equatable { var slug: String; var title: String; var subtitle: String? }

    static func links(_ course: Course) -> [Link] {
        course.documents.map { Link(slug: $0.slug, title: $0.title, subtitle: $0.subtitle) }
    }
}

/// Polls the lectures folder and calls `onChange` once the sources have
/// settled (two polls `debounce` apart agree), on its own thread, so that
/// builds never block the server's tasks.
public final class Watcher: @unchecked Sendable {
    public let directory: String
    public var interval: TimeInterval = 0.3
    public var debounce: TimeInterval = 0.1

    private let lock = NSCondition()
    private var stopping = false
    private var finished = false
    private var thread: Thread?

    public init(directory: String) {
        self.directory = directory
    }

    /// Starts watching from `baseline` (the sources the last build saw).
    /// `onChange` gets the changes and the snapshot it should record as built.
    public func start(from baseline: SourceSnapshot, onChange: @escaping @Sendable (SourceChanges, SourceSnapshot) -> Void) {
        let t = Thread { [self] in
            var built = baseline
            while !shouldStop(after: interval) {
                var settled = SourceSnapshot.take(directory)
                if settled == built { continue }
                while true {
                    if shouldStop(after: debounce) { break }
                    let again = SourceSnapshot.take(directory)
                    if again == settled { break }
                    settled = again
                }
                if isStopping { break }
                onChange(SourceChanges(from: built, to: settled), settled)
                built = settled
            }
            lock.lock(); finished = true; lock.broadcast(); lock.unlock()
        }
        t.name = "lectern-watch"
        lock.lock(); thread = t; lock.unlock()
        t.start()
    }

    /// Asks the watcher to stop and waits until it has: a rebuild in progress
    /// runs to its end, so the output folder is left whole.
    public func stop() {
        lock.lock()
        stopping = true
        lock.broadcast()
        while thread != nil && !finished { lock.wait() }
        lock.unlock()
    }

    private var isStopping: Bool {
        lock.lock(); defer { lock.unlock() }
        return stopping
    }

    /// Waits `seconds` unless asked to stop first; true when stopping.
    private func shouldStop(after seconds: TimeInterval) -> Bool {
        lock.lock(); defer { lock.unlock() }
        let deadline = Date().addingTimeInterval(seconds)
        while !stopping && Date() < deadline { _ = lock.wait(until: deadline) }
        return stopping
    }
}
