import LecternCore
/// Placeholder until the display runtime lands: the record type the tool decodes.
public enum DisplayRecord: Sendable, Equatable, Codable {
    case math(latex: String)
}
