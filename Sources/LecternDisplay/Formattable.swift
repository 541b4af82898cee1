/// A value that the display rule knows how to write as text.
public protocol LecternFormattable {
    /// The value as text, with the number rule.
    var lecternText: String { get }
    /// Formats several values as one object (numbers share the zeroing scale).
    static func lecternTexts(_ items: [Self]) -> [String]
    /// LaTeX for the value (nil when it is not a number-like value).
    var lecternLatex: String? { get }
}

extension LecternFormattable {
    public static func lecternTexts(_ items: [Self]) -> [String] { items.map(\.lecternText) }
    public var lecternLatex: String? { nil }
}

extension Double: LecternFormattable {
    public var lecternText: String { Format.number(self) }
    public static func lecternTexts(_ items: [Double]) -> [String] { Format.numbers(items) }
    public var lecternLatex: String? { Format.latex(self) }
}

extension Float: LecternFormattable {
    public var lecternText: String { Format.number(Double(self)) }
    public static func lecternTexts(_ items: [Float]) -> [String] { Format.numbers(items.map(Double.init)) }
    public var lecternLatex: String? { Format.latex(Double(self)) }
}

extension Int: LecternFormattable {
    public var lecternText: String { String(self) }
    public var lecternLatex: String? { String(self) }
}

extension Bool: LecternFormattable {
    public var lecternText: String { self ? "true" : "false" }
}

extension String: LecternFormattable {
    public var lecternText: String { self }
}

extension Complex: LecternFormattable where RealType == Double {
    public var lecternText: String { Format.complex(self) }
    public static func lecternTexts(_ items: [Complex<Double>]) -> [String] { Format.complexes(items) }
    public var lecternLatex: String? { Format.latex(fromText: Format.complex(self)) }
}

extension Vector: LecternFormattable {
    public var lecternText: String { "[" + Format.numbers(elements).joined(separator: ", ") + "]" }
    public var lecternLatex: String? { Math.vector(self) }
}

extension Matrix: LecternFormattable {
    public var lecternText: String {
        "[" + Format.matrix(self).map { "[" + $0.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    }
    public var lecternLatex: String? { Math.matrix(self) }
}

extension Array: LecternFormattable where Element: LecternFormattable {
    public var lecternText: String { "[" + Element.lecternTexts(self).joined(separator: ", ") + "]" }
}
