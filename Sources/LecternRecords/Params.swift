import Foundation

/// How the runner hands a lecture program its parameters: `LECTERN_PARAMS`
/// holds a JSON object of name to value text. The program reads it at run
/// time (`LecternParams`), so one compiled program runs at every value.
public enum ParamsEnvironment {
    public static let key = "LECTERN_PARAMS"

    /// The variable's text for these values, keys sorted.
    public static func encode(_ values: [(name: String, text: String)]) -> String {
        let object = Dictionary(values.map { ($0.name, $0.text) }, uniquingKeysWith: { _, b in b })
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(object)) ?? Data("{}".utf8), as: UTF8.self)
    }

    public static func decode(_ text: String) -> [String: String]? {
        try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }
}
