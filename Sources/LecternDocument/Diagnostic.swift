/// A message about a source file, printed in the compiler's form
/// (`Lectures/06-eigen.md:42:5: error: ...`) so editors and CI can read it.
public struct Diagnostic: Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case note, warning, error
        public static func < (a: Severity, b: Severity) -> Bool {
            let rank: [Severity: Int] = [.note: 0, .warning: 1, .error: 2]
            return rank[a]! < rank[b]!
        }
    }

    public var severity: Severity
    public var file: String
    /// 1-based line; 0 when the message concerns the whole file.
    public var line: Int
    /// 1-based column in UTF-8 bytes, as compilers count; 0 when unknown.
    public var column: Int
    public var message: String

    public init(_ severity: Severity, file: String, line: Int, column: Int = 0, _ message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var place = file
        if line > 0 { place += ":\(line)"; if column > 0 { place += ":\(column)" } }
        return "\(place): \(severity.rawValue): \(message)"
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
