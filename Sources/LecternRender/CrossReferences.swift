import LecternDocument

/// Figure and table numbers, from cell ids in document order: `#fig-...`
/// cells are figures, `#tbl-...` cells tables. Known before anything runs,
/// so prose can say "@fig-decay" above or below the figure.
public struct CrossReferences: Sendable {
    public struct Target: Sendable, Equatable {
        public var kind: String  // "Figure" or "Table"
        public var number: Int
        public var id: String
        public var label: String { "\(kind) \(number)" }
    }

    public private(set) var targets: [String: Target] = [:]

    public init(_ document: Document) {
        var figures = 0, tables = 0
        for cell in document.cells {
            guard let id = cell.id else { continue }
            if id.hasPrefix("fig-") { figures += 1; targets[id] = Target(kind: "Figure", number: figures, id: id) }
            else if id.hasPrefix("tbl-") { tables += 1; targets[id] = Target(kind: "Table", number: tables, id: id) }
        }
    }

    public func target(for cell: Cell) -> Target? { cell.id.flatMap { targets[$0] } }

    /// A reference found in text: its byte range within the text and its id.
    struct Found { var range: Range<Int>; var id: String }

    /// Finds `@fig-id` / `@tbl-id` in a run of text. An `@` that follows a word
    /// character (an e-mail address) is not a reference.
    static func find(in bytes: [UInt8]) -> [Found] {
        var out: [Found] = []
        var i = 0
        func isWord(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b >= 0x80
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "@"), i + 5 < bytes.count, i == 0 || !isWord(bytes[i - 1]) {
                let prefix = String(decoding: bytes[(i + 1)..<(i + 5)], as: UTF8.self)
                if prefix == "fig-" || prefix == "tbl-" {
                    var j = i + 5
                    while j < bytes.count && (isWord(bytes[j]) || bytes[j] == UInt8(ascii: "-")) { j += 1 }
                    while j > i + 5 && bytes[j - 1] == UInt8(ascii: "-") { j -= 1 }
                    if j > i + 5 {
                        out.append(Found(range: i..<j, id: String(decoding: bytes[(i + 1)..<j], as: UTF8.self)))
                        i = j
                        continue
                    }
                }
            }
            i += 1
        }
        return out
    }
}
