import Foundation
import LecternBuild

/// Whether the committed `Output/` is what the sources build now. The course
/// is built into a scratch folder; each file it holds must exist in `Output/`
/// with the same bytes, and each file `Output/`'s manifest lists for these
/// lectures must still be made. Every stale, missing or left-over file is
/// its own failure; one passing check per owner (lecture, or `*` for the
/// index and assets) otherwise. An `Output/` without the manifest (or none at
/// all) was never built: that is one failure, not one per file.
public enum OutputFreshness {
    /// - Parameters:
    ///   - fresh: the scratch folder the course was just built into.
    ///   - committed: the `Output/` folder under check.
    ///   - sources: lecture slug -> its `.md` path (names the source in messages).
    ///   - owners: the owners built (slugs, and `*`); left-over files are looked for among these.
    ///   - wholeCourse: look for pages of deleted lectures too.
    ///   - lectureSlugs: the slugs of every lecture of the course, built or not
    ///     (a shard builds some): an owner outside them is a deleted lecture.
    ///     Nil: the lectures built are the whole course.
    public static func compare(fresh: String, committed: String, sources: [String: String],
                               owners: Set<String>, wholeCourse: Bool, lectureSlugs: Set<String>? = nil) -> [CheckResult] {
        let fm = FileManager.default
        if !fm.fileExists(atPath: "\(committed)/\(OutputWriter.manifestName)") {
            var isFolder: ObjCBool = false
            let why = !fm.fileExists(atPath: committed, isDirectory: &isFolder) ? "it does not exist"
                : isFolder.boolValue ? "it holds no \(OutputWriter.manifestName), which `lectern build` writes"
                : "it is a file, not a folder"
            return [CheckResult(kind: .outputFile, passed: false, file: committed, line: 0, name: "\(committed)/",
                                message: "the course has not been built into this folder (\(why)); run `lectern build` and commit it")]
        }
        let freshManifest = OutputWriter.readManifest(fresh)
        let committedManifest = OutputWriter.readManifest(committed)
        var results: [CheckResult] = []
        for owner in freshManifest.keys.sorted() where owners.contains(owner) {
            let source = sources[owner]
            let what = source.map { "what \($0) builds now" } ?? "what this version of lectern writes"
            var failures: [CheckResult] = []
            for path in freshManifest[owner]!.sorted() {
                let target = "\(committed)/\(path)"
                guard let old = fm.contents(atPath: target) else {
                    failures.append(fail(target, "missing: \(what) includes it; run `lectern build` and commit it"))
                    continue
                }
                let new = fm.contents(atPath: "\(fresh)/\(path)")
                if old != new {
                    failures.append(fail(target, "stale: it differs from \(what); run `lectern build` and commit it"))
                }
            }
            for path in (committedManifest[owner] ?? []).subtracting(freshManifest[owner]!).sorted()
            where fm.fileExists(atPath: "\(committed)/\(path)") {
                let target = "\(committed)/\(path)"
                failures.append(fail(target, "left over: \(source ?? "the course") no longer makes it; run `lectern build` to remove it"))
            }
            if failures.isEmpty {
                results.append(CheckResult(kind: .outputFile, passed: true, file: committed, line: 0,
                                           name: owner == "*" ? "\(committed)/ index and assets" : "\(committed)/ files of \(owner)"))
            } else {
                results += failures
            }
        }
        // Lectures deleted from the sources whose pages are still committed.
        if wholeCourse {
            // PDFs (`build --pdf`) are made on request and never compared.
            let live = lectureSlugs.map { $0.union(["*"]) } ?? Set(freshManifest.keys)
            for owner in committedManifest.keys.sorted()
            where !live.contains(owner) && !owner.hasPrefix(PDFPrinter.ownerPrefix) {
                for path in committedManifest[owner]!.sorted() where fm.fileExists(atPath: "\(committed)/\(path)") {
                    let target = "\(committed)/\(path)"
                    results.append(fail(target, "left over from a lecture that no longer exists; run `lectern build` to remove it"))
                }
            }
        }
        return results
    }

    private static func fail(_ target: String, _ message: String) -> CheckResult {
        CheckResult(kind: .outputFile, passed: false, file: target, line: 0,
                    name: target, message: message)
    }
}
