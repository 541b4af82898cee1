import Foundation

/// The lecture's parameters, read at run time: the generated program declares
/// `let rho: Double = LecternParams.double("rho")`, and the runner passes the
/// values in `LECTERN_PARAMS` (a JSON object of name to value text), so one
/// compiled program runs at every value.
public enum LecternParams {
    static let environmentKey = ParamsEnvironment.key

    private static let values: [String: String] = {
        ProcessInfo.processInfo.environment[environmentKey].flatMap(ParamsEnvironment.decode) ?? [:]
    }()

    /// The text of parameter `name`; the program stops with a message when the
    /// runner did not pass it (run it through `lectern run`).
    public static func text(_ name: String) -> String {
        guard let v = values[name] else {
            fatalError("parameter '\(name)' has no value: \(environmentKey) must name it (run the lecture with lectern run)")
        }
        return v
    }

    public static func double(_ name: String) -> Double {
        guard let d = Double(text(name)) else { fatalError("parameter '\(name)': '\(text(name))' is not a Double") }
        return d
    }

    public static func int(_ name: String) -> Int {
        guard let i = Int(text(name)) else { fatalError("parameter '\(name)': '\(text(name))' is not an Int") }
        return i
    }

    public static func bool(_ name: String) -> Bool {
        switch text(name) {
        case "true": return true
        case "false": return false
        case let t: fatalError("parameter '\(name)': '\(t)' is not a Bool")
        }
    }

    public static func string(_ name: String) -> String { text(name) }
}
