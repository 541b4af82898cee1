import Foundation
import LecternDocument

/// `lectern check --update`: rewrites the text between the fences of the
/// `output` blocks that disagree with their cells, by byte position in the
/// file as it is on disk. Every other byte stays as it was: the prose (even
/// bytes that are not UTF-8), the line endings (CRLF stays CRLF) and the final
/// newline or its absence. The new lines carry the block's container prefix
/// (`> ` in a block quote, the indentation of a list item), and when the new
/// text holds a run of fence characters as long as the fence, both fences are
/// lengthened so that the block still ends where it did. A symbolic link is
/// written through, to the file it names.
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
            let block = Fences(source, content: u.range)
            let newline = lineEnding(in: source, near: u.range.lowerBound)
            let fenceLength = max(block.length, longestRun(of: block.char, in: u.text) + 1)
            var text = body(u.text, newline: newline, prefix: block.prefix)
            // A block left open at the end of a file without a final newline stays without one.
            if block.content.upperBound == source.count, source.last != 10, text.hasSuffix(newline) {
                text.removeLast()  // "\r\n" is one Character
            }
            // Back to front, so that the earlier offsets stay true.
            if let closing = block.closing, closing.count < fenceLength {
                out.replaceSubrange(closing, with: repeatElement(block.char, count: fenceLength))
            }
            out.replaceSubrange(block.content, with: Array(text.utf8))
            if fenceLength > block.length {
                out.replaceSubrange(block.opening, with: repeatElement(block.char, count: fenceLength))
            }
        }
        return out
    }

    /// Where a block's fences and content lie, found from its content range:
    /// the opening fence is the line before it, the closing fence the line
    /// after it, or its own last line when that is a fence behind `>` (the
    /// parser's range for a block in a block quote runs over the closing fence).
    struct Fences {
        var char: UInt8
        var length: Int
        /// The run of fence characters on the opening line.
        var opening: Range<Int>
        /// The run on the closing line; nil when the block is never closed.
        var closing: Range<Int>?
        var content: Range<Int>
        /// What starts each content line: the opening line's containers, list
        /// markers as spaces, plus the fence's indentation.
        var prefix: [UInt8]

        init(_ s: [UInt8], content range: Range<Int>) {
            content = range
            var open = range.lowerBound
            if open > 0 { open -= 1 }  // the opening line's newline
            while open > 0 && s[open - 1] != 10 { open -= 1 }
            var k = open
            while k < range.lowerBound, !(s[k] == 0x60 || s[k] == 0x7E) { k += 1 }
            let lead = Array(s[open..<k])
            char = k < s.count ? s[k] : 0x60
            var e = k
            while e < s.count && s[e] == char { e += 1 }
            length = max(e - k, 3)
            opening = k..<e
            prefix = Fences.continuation(of: lead)
            closing = nil
            if let run = closingRun(s, at: range.upperBound) {
                closing = run
            } else if range.upperBound > range.lowerBound {
                var last = range.upperBound - 1  // the newline of the range's last line, if any
                if s[last] == 10 && last > range.lowerBound { last -= 1 }
                while last > range.lowerBound && s[last - 1] != 10 { last -= 1 }
                // Only there: elsewhere a last line that looks like a fence (indented
                // four spaces, say) is content of a block that never closes.
                if let run = closingRun(s, at: last), s[last..<run.lowerBound].contains(0x3E) {
                    closing = run
                    content = range.lowerBound..<last
                }
            }
        }

        /// The fence run of a closing fence starting at `line`: container
        /// markers and spaces, at least `length` fence characters, blanks.
        func closingRun(_ s: [UInt8], at line: Int) -> Range<Int>? {
            guard line < s.count else { return nil }
            var k = line
            while k < s.count, s[k] == 0x20 || s[k] == 0x09 || s[k] == 0x3E { k += 1 }
            var e = k
            while e < s.count && s[e] == char { e += 1 }
            guard e - k >= length else { return nil }
            var t = e
            while t < s.count, s[t] == 0x20 || s[t] == 0x09 || s[t] == 0x0D { t += 1 }
            return t == s.count || s[t] == 10 ? k..<e : nil
        }

        /// The opening line's text before its fence, as continuation lines
        /// repeat it: `>` stays (with one space after it), a list marker becomes
        /// spaces of its width, spaces and tabs stay.
        static func continuation(of lead: [UInt8]) -> [UInt8] {
            var out: [UInt8] = []
            var k = 0
            while k < lead.count {
                let b = lead[k]
                if b == 0x3E {
                    out += [0x3E, 0x20]
                    k += 1
                    if k < lead.count && lead[k] == 0x20 { k += 1 }
                    continue
                }
                out.append(b == 0x09 ? 0x09 : 0x20)
                k += 1
            }
            return out
        }
    }

    /// The longest run of `char` in `text`.
    static func longestRun(of char: UInt8, in text: String) -> Int {
        var best = 0, run = 0
        for b in text.utf8 {
            run = b == char ? run + 1 : 0
            best = max(best, run)
        }
        return best
    }

    /// The block's new content: one line per output line, each after the
    /// container prefix (without its trailing blanks on an empty line) and
    /// ended by the file's line ending (the closing fence follows on its own line).
    static func body(_ text: String, newline: String, prefix: [UInt8] = []) -> String {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            var s = Substring(line)
            while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
            return s
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        let full = String(decoding: prefix, as: UTF8.self)
        var bare = Substring(full)
        while let last = bare.last, last == " " || last == "\t" { bare = bare.dropLast() }
        return lines.map { ($0.isEmpty ? bare : Substring(full)) + $0 + newline }.joined()
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

    /// Offsets in the bytes as read (`raw`) of offsets in the text the parser
    /// saw, where each invalid UTF-8 sequence became U+FFFD (3 bytes).
    static func rawOffsets(_ raw: [UInt8], of offsets: [Int]) -> [Int: Int] {
        let wanted = Set(offsets).sorted()
        var out: [Int: Int] = [:]
        var k = 0, rawAt = 0, parsedAt = 0
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = raw.makeIterator()
        while true {
            while k < wanted.count && wanted[k] <= parsedAt { out[wanted[k]] = rawAt; k += 1 }
            switch parser.parseScalar(from: &bytes) {
            case .valid(let scalar): rawAt += scalar.count; parsedAt += scalar.count
            case .error(let length): rawAt += length; parsedAt += 3
            case .emptyInput:
                while k < wanted.count { out[wanted[k]] = rawAt; k += 1 }
                return out
            }
        }
    }

    /// Rewrites `path` atomically, unless its bytes are no longer `parsed`.
    /// The ranges are positions in `parsed`; the file's own bytes are spliced.
    /// Returns false when nothing needed to change.
    @discardableResult
    public static func write(path: String, parsed: [UInt8], updates: [(range: Range<Int>, text: String)]) throws -> Bool {
        guard let now = FileManager.default.contents(atPath: path) else { throw Failure.io("\(path): error: cannot read the file") }
        // The parser repaired invalid UTF-8; compare the way it saw the file.
        guard Array(String(decoding: now, as: UTF8.self).utf8) == parsed else { throw Failure.changedOnDisk(path) }
        let raw = Array(now)
        var inRaw = updates
        if raw != parsed {
            let map = rawOffsets(raw, of: updates.flatMap { [$0.range.lowerBound, $0.range.upperBound] })
            inRaw = updates.map { (map[$0.range.lowerBound]!..<map[$0.range.upperBound]!, $0.text) }
        }
        let new = apply(raw, inRaw)
        if new == raw { return false }
        // A link is written through: the file it names is replaced, the link stays.
        var target = path
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil, let real = realpath(path, nil) {
            target = String(cString: real)
            free(real)
        }
        let tmp = target + ".lectern-update-\(getpid())"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(new)) else {
            throw Failure.io("\(path): error: cannot write \(tmp)")
        }
        // Keep the file's permissions.
        if let attrs = try? FileManager.default.attributesOfItem(atPath: target), let perms = attrs[.posixPermissions] {
            try? FileManager.default.setAttributes([.posixPermissions: perms], ofItemAtPath: tmp)
        }
        // Last look: refuse if the file moved on while we were writing.
        guard let again = FileManager.default.contents(atPath: path), again == now else {
            unlink(tmp)
            throw Failure.changedOnDisk(path)
        }
        if rename(tmp, target) != 0 {
            let err = String(cString: strerror(errno))
            unlink(tmp)
            throw Failure.io("\(path): error: cannot write: \(err)")
        }
        return true
    }
}
