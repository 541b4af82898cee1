import Foundation
import LecternDocument

/// `lectern check --update`: rewrites the text between the fences of the
/// `output` blocks that disagree with their cells, by byte position in the
/// source the lecture was parsed from. Every other byte stays as it was:
/// the fences, the prose, the line endings (CRLF stays CRLF) and the final
/// newline or its absence.
public enum OutputBlockUpdater {
    public enum Failure: Error, CustomStringConvertible {
        case changedOnDisk(String)
        case io(String)
        public var description: String {
            switch self {
            case .changedOnDisk(let p):
                return "\(p): error: the file changed on disk while it was being checked; not rewritten (run `lectern check --update` again)"
            case .io(let m): return m
            }
        }
    }

    /// The new bytes of a source after replacing the blocks' contents.
    /// `updates` are (content range, new text); ranges must not overlap.
    public static func apply(_ source: [UInt8], _ updates: [(range: Range<Int>, text: String)]) -> [UInt8] {
        var out = source
        for u in updates.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            let newline = lineEnding(in: source, near: u.range.lowerBound)
            var text = body(u.text, newline: newline)
            // A block left open at the end of a file without a final newline stays without one.
            if u.range.upperBound == source.count, source.last != 10, text.hasSuffix(newline) {
                text.removeLast()  // "\r\n" is one Character
            }
            out.replaceSubrange(u.range, with: Array(text.utf8))
        }
        return out
    }

    /// The block's new content: one line per output line, each ended by the
    /// file's line ending (the closing fence follows on its own line).
    static func body(_ text: String, newline: String) -> String {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            var s = Substring(line)
            while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
            return s
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.map { $0 + newline }.joined()
    }

    /// The line ending of the line before `offset` (the opening fence's).
    static func lineEnding(in bytes: [UInt8], near offset: Int) -> String {
        let k = min(offset, bytes.count)
        if k >= 2, bytes[k - 1] == 10, bytes[k - 2] == 13 { return "\r\n" }
        if k >= 1, bytes[k - 1] == 10 { return "\n" }
        // No line ending right before: use the file's first one.
        if let nl = bytes.firstIndex(of: 10) { return nl > 0 && bytes[nl - 1] == 13 ? "\r\n" : "\n" }
        return "\n"
    }

    /// Rewrites `path` atomically, unless its bytes are no longer `parsed`.
    /// Returns false when nothing needed to change.
    @discardableResult
    public static func write(path: String, parsed: [UInt8], updates: [(range: Range<Int>, text: String)]) throws -> Bool {
        guard let now = FileManager.default.contents(atPath: path) else { throw Failure.io("\(path): error: cannot read the file") }
        // The parser repaired invalid UTF-8; compare the way it saw the file.
        guard Array(String(decoding: now, as: UTF8.self).utf8) == parsed else { throw Failure.changedOnDisk(path) }
        let new = apply(parsed, updates)
        if new == parsed { return false }
        let tmp = path + ".lectern-update-\(getpid())"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(new)) else {
            throw Failure.io("\(path): error: cannot write \(tmp)")
        }
        // Keep the file's permissions.
        if let attrs = try? FileManager.default.attributesOfItem(atPath: path), let perms = attrs[.posixPermissions] {
            try? FileManager.default.setAttributes([.posixPermissions: perms], ofItemAtPath: tmp)
        }
        // Last look: refuse if the file moved on while we were writing.
        guard let again = FileManager.default.contents(atPath: path), again == now else {
            unlink(tmp)
            throw Failure.changedOnDisk(path)
        }
        if rename(tmp, path) != 0 {
            let err = String(cString: strerror(errno))
            unlink(tmp)
            throw Failure.io("\(path): error: cannot write: \(err)")
        }
        return true
    }
}
