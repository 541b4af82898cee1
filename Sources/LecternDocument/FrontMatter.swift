import Yams

/// A value of a lecture parameter. Cells see it as a typed Swift constant.
public enum ParamValue: Equatable, Hashable, Sendable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)

    /// The Swift type the generated program declares.
    public var swiftType: String {
        switch self {
        case .int: "Int"
        case .double: "Double"
        case .string: "String"
        case .bool: "Bool"
        }
    }

    /// A Swift literal of the value (strings escaped).
    public var swiftLiteral: String {
        switch self {
        case .int(let i): return String(i)
        case .double(let d):
            if d.isNaN { return "Double.nan" }
            if d.isInfinite { return d < 0 ? "-Double.infinity" : "Double.infinity" }
            return "\(d)"
        case .bool(let b): return b ? "true" : "false"
        case .string(let s):
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if u.value < 0x20 { out += "\\u{\(String(u.value, radix: 16))}" } else { out.unicodeScalars.append(u) }
                }
            }
            return out + "\""
        }
    }

    public var isNumber: Bool {
        switch self {
        case .int, .double: true
        case .string, .bool: false
        }
    }

    public var description: String {
        switch self {
        case .int(let i): String(i)
        case .double(let d): "\(d)"
        case .string(let s): s
        case .bool(let b): b ? "true" : "false"
        }
    }

    /// Parses a command-line override `-P name=value` against the declared type.
    /// A Double parameter accepts an integer literal; nothing else converts.
    public static func parse(_ text: String, as declared: ParamValue) -> ParamValue? {
        switch declared {
        case .int: return Int(text).map(ParamValue.int)
        case .double:
            if let d = Double(text), !text.isEmpty { return .double(d) }
            return nil
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "1": return .bool(true)
            case "false", "no", "0": return .bool(false)
            default: return nil
            }
        case .string: return .string(text)
        }
    }
}

/// A parameter the front matter declares: a typed constant in every cell.
public struct Param: Equatable, Sendable {
    public var name: String
    /// The value (for an explorable param, its default).
    public var value: ParamValue
    /// The front-matter line that declares it (1-based, as in the file).
    public var line: Int
    /// The values a reader can pick in the page (`{value:, values:}`,
    /// `{value:, range:, step:}`, a bool `{value: true}`); nil for a plain param.
    public var explore: Explorable?
    public init(name: String, value: ParamValue, line: Int, explore: Explorable? = nil) {
        self.name = name
        self.value = value
        self.line = line
        self.explore = explore
    }
}

/// What a reader can pick for an explorable param.
public struct Explorable: Equatable, Sendable {
    public enum Control: String, Equatable, Sendable {
        /// One of `values:`.
        case choice
        /// A slider over `range:` in steps of `step:`.
        case range
        /// A bool: a checkbox.
        case checkbox
    }
    /// Every value, in order; the param's default is among them.
    public var values: [ParamValue]
    public var control: Control
    /// The front matter's `label:`, shown by the control.
    public var label: String?
    public init(values: [ParamValue], control: Control, label: String? = nil) {
        self.values = values
        self.control = control
        self.label = label
    }
}

/// The YAML between `---` lines at the top of a lecture.
public struct FrontMatter: Equatable, Sendable {
    public var title: String?
    public var subtitle: String?
    public var order: Int?
    /// Declared parameters, in the order written.
    public var params: [Param]
    public var timeout: Double?
    public var rtol: Double?
    public var atol: Double?
    /// `explore: {limit: N}`: the most combinations of explorable values the
    /// lecture may run (`FrontMatter.defaultExploreLimit` when absent).
    public var exploreLimit: Int?
    /// The line of the `params:` key (where a combination count past the limit is reported).
    public var paramsLine: Int = 0
    /// Lines the front matter occupies, fences included (0 when absent).
    public var lineCount: Int

    public init() {
        params = []
        lineCount = 0
    }

    public func param(_ name: String) -> ParamValue? { params.first { $0.name == name }?.value }

    static let knownKeys = ["title", "subtitle", "order", "params", "timeout", "rtol", "atol", "explore"]
    /// Combinations of explorable values a lecture may run unless `explore: {limit: N}` says more.
    public static let defaultExploreLimit = 64

    /// How many combinations the explorable params make.
    public static func combinationCount(_ params: [Param]) -> Int {
        params.reduce(1) { n, p in
            let (r, overflow) = n.multipliedReportingOverflow(by: p.explore?.values.count ?? 1)
            return overflow ? Int.max : r
        }
    }
    /// The shortest `timeout:` accepted, in seconds.
    public static let minimumTimeout = 0.1
}

enum FrontMatterParser {
    /// Splits off the front matter, if the file starts with `---`.
    /// Returns the parsed front matter and its diagnostics.
    static func parse(_ source: SourceText) -> (FrontMatter, [Diagnostic]) {
        var fm = FrontMatter()
        guard source.lineCount >= 1, isFence(source.lineText(1), opening: true) else { return (fm, []) }
        var close: Int?
        var line = 2
        while line <= source.lineCount {
            if isFence(source.lineText(line), opening: false) { close = line; break }
            line += 1
        }
        guard let closeLine = close else {
            return (fm, [Diagnostic(.error, file: source.path, line: 1, column: 1,
                                    "front matter opened with '---' is never closed (expected a line '---')")])
        }
        fm.lineCount = closeLine
        let yaml = source.string(source.lineStart(2)..<source.lineStart(closeLine))
        var diags: [Diagnostic] = []
        // YAML lines are offset by one (the opening fence).
        func diag(_ sev: Diagnostic.Severity, _ mark: Mark?, _ msg: String) {
            let line = (mark?.line ?? 0) + 1
            var column = mark?.column ?? 0
            // libyaml counts columns in scalars; convert to bytes for the compiler form.
            if let m = mark, m.line + 1 <= source.lineCount {
                let text = source.lineText(m.line + 1)
                let prefix = text.unicodeScalars.prefix(max(m.column - 1, 0))
                column = String(String.UnicodeScalarView(prefix)).utf8.count + 1
            }
            diags.append(Diagnostic(sev, file: source.path, line: mark == nil ? 1 : line, column: column, msg))
        }

        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                 .composer(_, let problem, let mark, _):
                diag(.error, mark, "invalid YAML in front matter: \(problem)")
            default:
                diag(.error, nil, "invalid YAML in front matter: \(error)")
            }
            return (fm, diags)
        } catch {
            diag(.error, nil, "invalid YAML in front matter: \(error)")
            return (fm, diags)
        }
        guard let root else { return (fm, diags) }  // empty front matter
        guard case .mapping(let mapping) = root else {
            diag(.error, root.mark, "front matter must be a mapping of keys (title, subtitle, order, params, timeout, rtol, atol)")
            return (fm, diags)
        }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            switch key {
            case "title", "subtitle":
                guard case .scalar(let s) = value, s.tag.description != "tag:yaml.org,2002:null" else {
                    diag(.error, value.mark ?? keyNode.mark, "'\(key)' must be a string"); continue
                }
                if key == "title" { fm.title = s.string } else { fm.subtitle = s.string }
            case "order":
                guard let i = intValue(value) else { diag(.error, value.mark ?? keyNode.mark, "'order' must be an integer, got \(describe(value))"); continue }
                fm.order = i
            case "timeout":
                // 0 (or a few milliseconds) would fail every run before it starts.
                guard let d = numberValue(value), d >= FrontMatter.minimumTimeout else {
                    diag(.error, value.mark ?? keyNode.mark,
                         "'timeout' must be a number of seconds, at least \(FrontMatter.minimumTimeout), got \(describe(value))"); continue
                }
                fm.timeout = d
            case "rtol", "atol":
                guard let d = numberValue(value), d >= 0 else {
                    diag(.error, value.mark ?? keyNode.mark, "'\(key)' must be a non-negative number, got \(describe(value))"); continue
                }
                if key == "rtol" { fm.rtol = d } else { fm.atol = d }
            case "explore":
                guard case .mapping(let m) = value else {
                    diag(.error, value.mark ?? keyNode.mark, "'explore' must be a mapping, e.g. explore: {limit: 128}"); continue
                }
                for (k, v) in m {
                    guard k.string == "limit" else {
                        diag(.error, k.mark, "unknown key '\(k.string ?? "")' in 'explore' (known: limit)"); continue
                    }
                    guard let n = intValue(v), n >= 1 else {
                        diag(.error, v.mark ?? k.mark, "'explore: limit' must be a whole number of at least 1, got \(describe(v))"); continue
                    }
                    fm.exploreLimit = n
                }
            case "params":
                fm.paramsLine = (keyNode.mark?.line ?? 0) + 1
                guard case .mapping(let params) = value else {
                    diag(.error, value.mark ?? keyNode.mark, "'params' must be a mapping of name: value"); continue
                }
                for (nameNode, pv) in params {
                    let name = nameNode.string ?? ""
                    guard !swiftKeywords.contains(name) else {
                        diag(.error, nameNode.mark, "parameter name '\(name)' is a Swift keyword; choose another name"); continue
                    }
                    guard isSwiftIdentifier(name) else {
                        diag(.error, nameNode.mark, "parameter name '\(name)' is not a Swift identifier"); continue
                    }
                    if fm.params.contains(where: { $0.name == name }) {
                        diag(.error, nameNode.mark, "parameter '\(name)' is declared twice"); continue
                    }
                    let line = (nameNode.mark?.line ?? 0) + 1
                    if case .mapping(let spec) = pv {
                        if let p = explorable(name, spec, mark: pv.mark ?? nameNode.mark, line: line, diag: diag) {
                            fm.params.append(p)
                        }
                        continue
                    }
                    guard let v = paramValue(pv) else {
                        diag(.error, pv.mark ?? nameNode.mark, "parameter '\(name)' must be a number, string or bool, or an explorable {value:, values:} / {value:, range:, step:}, got \(describe(pv))"); continue
                    }
                    fm.params.append(Param(name: name, value: v, line: line))
                }
                let count = FrontMatter.combinationCount(fm.params)
                let limit = fm.exploreLimit ?? FrontMatter.defaultExploreLimit
                if count > limit {
                    let names = fm.params.filter { $0.explore != nil }
                        .map { "\($0.name) (\($0.explore!.values.count))" }.joined(separator: " × ")
                    diag(.error, keyNode.mark, "the explorable params make \(count == Int.max ? "too many" : String(count)) combinations (\(names)), more than the limit of \(limit); "
                         + "give fewer values or raise it with explore: {limit: \(count == Int.max ? limit : count)}")
                }
            default:
                let hint = FrontMatter.knownKeys.min { editDistance($0, key) < editDistance($1, key) }
                    .flatMap { editDistance($0, key) <= 2 ? " (did you mean '\($0)'?)" : nil } ?? ""
                diag(.error, keyNode.mark, "unknown front matter key '\(key)'\(hint); known keys: \(FrontMatter.knownKeys.joined(separator: ", "))")
            }
        }
        return (fm, diags)
    }

    /// An explorable param: `{value: 0.9, values: [...]}`, `{value: 30, range: [10, 100], step: 10}`,
    /// a bool `{value: true}`; each with an optional `label:`.
    static func explorable(_ name: String, _ spec: Node.Mapping, mark: Mark?, line: Int,
                           diag: (Diagnostic.Severity, Mark?, String) -> Void) -> Param? {
        var value: ParamValue?, valueNode: Node?
        var valuesNode: Node?, rangeNode: Node?, stepNode: Node?
        var label: String?
        var ok = true
        for (k, v) in spec {
            switch k.string ?? "" {
            case "value":
                valueNode = v
                value = paramValue(v)
                if value == nil {
                    diag(.error, v.mark ?? k.mark, "parameter '\(name)': 'value' must be a number, string or bool, got \(describe(v))"); ok = false
                }
            case "values": valuesNode = v
            case "range": rangeNode = v
            case "step": stepNode = v
            case "label":
                guard case .scalar(let s) = v else {
                    diag(.error, v.mark ?? k.mark, "parameter '\(name)': 'label' must be a string"); ok = false; continue
                }
                label = s.string
            default:
                diag(.error, k.mark, "parameter '\(name)': unknown key '\(k.string ?? "")' (known: value, values, range, step, label)")
                ok = false
            }
        }
        guard ok else { return nil }
        guard let value, let valueNode else {
            diag(.error, mark, "parameter '\(name)' needs a default: {value: ..., values: [...]}"); return nil
        }
        if valuesNode != nil && rangeNode != nil {
            diag(.error, rangeNode?.mark ?? mark, "parameter '\(name)': give 'values' or 'range', not both"); return nil
        }
        if let stepNode, rangeNode == nil {
            diag(.error, stepNode.mark ?? mark, "parameter '\(name)': 'step' goes with 'range'"); return nil
        }
        var values: [ParamValue]
        var control = Explorable.Control.choice
        if let valuesNode {
            guard case .sequence(let seq) = valuesNode, !seq.isEmpty else {
                diag(.error, valuesNode.mark ?? mark, "parameter '\(name)': 'values' must be a non-empty list"); return nil
            }
            values = []
            var firstType: String?
            for item in seq {
                guard let raw = paramValue(item) else {
                    diag(.error, item.mark ?? valuesNode.mark, "parameter '\(name)': every entry of 'values' must be a number, string or bool, got \(describe(item))"); return nil
                }
                // An integer in a list of Doubles is a Double; nothing else converts.
                let v: ParamValue
                if case .double = value, case .int(let i) = raw { v = .double(Double(i)) } else { v = raw }
                if let t = firstType, t != raw.swiftType, !(raw.isNumber && value.swiftType == "Double") {
                    diag(.error, item.mark ?? valuesNode.mark, "parameter '\(name)': the entries of 'values' have different types (\(t) and \(raw.swiftType))"); return nil
                }
                firstType = firstType ?? raw.swiftType
                guard v.swiftType == value.swiftType else {
                    diag(.error, item.mark ?? valuesNode.mark, "parameter '\(name)': \(raw) in 'values' is \(article(raw.swiftType)), but 'value' (\(value)) is \(article(value.swiftType))"); return nil
                }
                if values.contains(v) {
                    diag(.error, item.mark ?? valuesNode.mark, "parameter '\(name)': \(v) is in 'values' twice"); return nil
                }
                values.append(v)
            }
        } else if let rangeNode {
            guard value.isNumber else {
                diag(.error, rangeNode.mark ?? mark, "parameter '\(name)': 'range' needs a number 'value', got \(value.swiftType) \(value)"); return nil
            }
            guard case .sequence(let seq) = rangeNode, seq.count == 2,
                  let lo = numberValue(seq[0]), let hi = numberValue(seq[1]), lo < hi else {
                diag(.error, rangeNode.mark ?? mark, "parameter '\(name)': 'range' must be [low, high] with low < high, got \(describe(rangeNode))"); return nil
            }
            guard let stepNode else {
                diag(.error, rangeNode.mark ?? mark, "parameter '\(name)': 'range' needs a 'step'"); return nil
            }
            guard let step = numberValue(stepNode), step > 0 else {
                diag(.error, stepNode.mark ?? mark, "parameter '\(name)': 'step' must be a number greater than 0, got \(describe(stepNode))"); return nil
            }
            let count = (hi - lo) / step
            guard abs(count - count.rounded()) < 1e-9 * max(1, count), count.rounded() < 10_000 else {
                diag(.error, stepNode.mark ?? mark, "parameter '\(name)': step \(describe(stepNode).dropFirst().dropLast()) does not divide the range [\(seq[0].string ?? ""), \(seq[1].string ?? "")] into whole steps"); return nil
            }
            let isInt: Bool
            if case .int = value, intValue(seq[0]) != nil, intValue(seq[1]) != nil, intValue(stepNode) != nil { isInt = true } else { isInt = false }
            if case .int = value, !isInt {
                diag(.error, rangeNode.mark ?? mark, "parameter '\(name)': 'value' is an Int, so 'range' and 'step' must be whole numbers"); return nil
            }
            // Values rounded to the decimals the author wrote, so 0.1 + 2 × 0.1 reads 0.3.
            let decimals = [seq[0], seq[1], stepNode].map { n -> Int in
                let t = n.string ?? ""
                guard let dot = t.firstIndex(of: "."), !t.lowercased().contains("e") else { return 0 }
                return t.distance(from: dot, to: t.endIndex) - 1
            }.max() ?? 0
            values = (0...Int(count.rounded())).map { k in
                if isInt { return .int(Int(lo) + k * Int(step)) }
                let v = lo + Double(k) * step
                let scale = (0..<min(decimals, 15)).reduce(1.0) { r, _ in r * 10 }
                return .double(decimals > 0 ? (v * scale).rounded() / scale : v)
            }
            control = .range
        } else if case .bool = value {
            values = [.bool(false), .bool(true)]
            control = .checkbox
        } else {
            diag(.error, mark, "parameter '\(name)' is a mapping but lists no 'values' (or 'range' and 'step'); "
                 + "write \(name): \(value) for a plain parameter"); return nil
        }
        if case .bool = value, control == .choice { control = .checkbox }
        guard values.contains(value) else {
            diag(.error, valueNode.mark ?? mark, "parameter '\(name)': the default \(value) is not among its values (\(values.map(\.description).joined(separator: ", ")))"); return nil
        }
        return Param(name: name, value: value, line: line, explore: Explorable(values: values, control: control, label: label))
    }

    static func isFence(_ line: Substring, opening: Bool) -> Bool {
        var s = String(line)
        // A byte-order mark some editors write at the start of the file.
        if opening && s.unicodeScalars.first == "\u{FEFF}" { s.unicodeScalars.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s == "---" || (!opening && s == "...")
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return "'\(s.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        default: return "an unsupported value"
        }
    }

    static func intValue(_ node: Node) -> Int? {
        guard case .scalar(let s) = node, s.style == .plain else { return nil }
        return Int(s.string)
    }

    static func numberValue(_ node: Node) -> Double? {
        guard case .scalar(let s) = node, s.style == .plain else { return nil }
        if let i = Int(s.string) { return Double(i) }
        return node.float
    }

    static func paramValue(_ node: Node) -> ParamValue? {
        guard case .scalar(let s) = node else { return nil }
        if s.style != .plain { return .string(s.string) }
        let text = s.string
        if let i = Int(text) { return .int(i) }
        switch text {
        case "true", "True", "TRUE", "yes", "Yes": return .bool(true)
        case "false", "False", "FALSE", "no", "No": return .bool(false)
        case "", "~", "null", "Null", "NULL": return nil
        default: break
        }
        if let d = node.float { return .double(d) }
        return .string(text)
    }
}

/// Swift's reserved words: a parameter becomes `let <name>` in the program, so none can be one.
let swiftKeywords: Set<String> = [
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
    "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows",
    "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default",
    "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch",
    "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true",
    "try", "_",
]

/// "an Int", "a Double".
public func article(_ type: String) -> String { (type.first.map { "AEIOU".contains($0) } ?? false ? "an " : "a ") + type }

func isSwiftIdentifier(_ s: String) -> Bool {
    guard let first = s.unicodeScalars.first else { return false }
    if swiftKeywords.contains(s) { return false }
    if !(first.properties.isXIDStart || first == "_") { return false }
    return s.unicodeScalars.dropFirst().allSatisfy { $0.properties.isXIDContinue }
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    for i in 1...a.count {
        var cur = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        prev = cur
    }
    return prev[b.count]
}
