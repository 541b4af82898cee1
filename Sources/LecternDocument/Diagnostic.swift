/// A message about a source file: a value from the moment a problem is found
/// (parsing, compiling, running, checking) to the moment a reporter prints it,
/// in the compiler's form (`Lectures/06-eigen.md:42:5: error: ...`) so editors
/// and CI can read it.
public struct Diagnostic: Equatable, Hashable, Codable, Sendable, CustomStringConvertible {
    public enum Severity: String, Codable, Sendable, Comparable {
        case note, warning, error
        public static func < (a: Severity, b: Severity) -> Bool {
            let rank: [Severity: Int] = [.note: 0, .warning: 1, .error: 2]
            return rank[a]! < rank[b]!
        }
    }

    /// What went wrong, so that checks and reporters sort failures without
    /// reading their text.
    public enum Kind: String, Codable, Sendable {
        /// The lecture's text: Markdown, front matter, cell attributes, parameters.
        case source
        /// swiftc rejected the program.
        case compile
        /// An `expect` did not hold.
        case expect
        /// A claim in the prose did not hold.
        case claim
        /// A Swift error was thrown out of a cell.
        case thrown
        /// The program crashed (a trap, a signal, a non-zero exit).
        case crash
        /// The program ended, with status 0, before its last cell ran.
        case exited
        /// The program ran past its time limit.
        case timeout
        /// The program printed past the output limit.
        case outputLimit
        /// The records file the program wrote could not be read.
        case records
        /// The program could not be compiled or started for a reason outside the lecture.
        case launch
        /// KaTeX could not render a formula (a warning to the build, a failure to `check`).
        case math
    }

    public var severity: Severity
    public var kind: Kind
    public var file: String
    /// 1-based line; 0 when the message concerns the whole file.
    public var line: Int
    /// 1-based column in UTF-8 bytes, as compilers count; 0 when unknown.
    public var column: Int
    public var message: String
    /// Further lines printed below the message (the compiler's whole output,
    /// for a program that fails to compile outside any cell).
    public var notes: [String]

    public init(_ severity: Severity, _ kind: Kind = .source, file: String, line: Int, column: Int = 0,
                _ message: String, notes: [String] = []) {
        self.severity = severity
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.notes = notes
    }

    /// `file:line:col: severity: message`, without the notes.
    public var headline: String {
        var place = file
        if line > 0 { place += ":\(line)"; if column > 0 { place += ":\(column)" } }
        return "\(place): \(severity.rawValue): \(message)"
    }

    /// The headline and the notes, one per line.
    public var description: String { ([headline] + notes).joined(separator: "\n") }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Each in compiler form, one per line: how a page or a terminal shows them.
    public var text: String { map(\.description).joined(separator: "\n") }

    /// The diagnostics without repeats, in their first order.
    public var uniqued: [Diagnostic] {
        var seen = Set<Diagnostic>()
        return filter { seen.insert($0).inserted }
    }
}
