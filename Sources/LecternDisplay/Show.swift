// The cell-facing `show` family, tables, display math and notes.

// MARK: show — scalars

/// Shows a value (number, complex number, Int, Bool, String, ...) formatted with the number rule.
public func show<T: LecternFormattable>(_ x: T, label: String? = nil) {
    DisplayRuntime.emit(.value(.init(label: label, text: x.lecternText, latex: x.lecternLatex, out: -1)))
}

/// Shows a labelled value: `show("ρ(W)", rho)`.
public func show<T: LecternFormattable>(_ label: String, _ x: T) {
    show(x, label: label)
}

// MARK: show — objects

/// Shows a vector (entries zeroed relative to the largest one).
public func show(_ v: Vector, label: String? = nil) {
    DisplayRuntime.emit(.matrix(.init(label: label, kind: .vector, rows: [Format.numbers(v.elements)],
                                latex: Math.vector(v), out: -1)))
}

/// Shows a matrix (entries zeroed relative to the largest one).
public func show(_ m: Matrix, label: String? = nil) {
    DisplayRuntime.emit(.matrix(.init(label: label, kind: .matrix, rows: Format.matrix(m),
                                latex: Math.matrix(m), out: -1)))
}

/// Shows a list of numbers. With `cleanup: false` tiny entries are kept
/// (e.g. gradient norms that legitimately span many orders of magnitude).
public func show(_ list: [Double], label: String? = nil, cleanup: Bool = true) {
    let texts = cleanup ? Format.numbers(list) : list.map { Format.number($0) }
    DisplayRuntime.emit(.matrix(.init(label: label, kind: .vector, rows: [texts],
                                latex: Math.grid(texts.map { [$0] }), out: -1)))
}

/// Shows a list of complex numbers (e.g. eigenvalues).
public func show(_ list: [Complex<Double>], label: String? = nil) {
    let texts = Format.complexes(list)
    DisplayRuntime.emit(.matrix(.init(label: label, kind: .vector, rows: [texts],
                                latex: Math.grid(texts.map { [$0] }), out: -1)))
}

public func show(_ label: String, _ v: Vector) { show(v, label: label) }
public func show(_ label: String, _ m: Matrix) { show(m, label: label) }
public func show(_ label: String, _ list: [Double]) { show(list, label: label) }
public func show(_ label: String, _ list: [Complex<Double>]) { show(list, label: label) }

// MARK: math and text

/// Display math (LaTeX without `$$`): `math("\\lambda^2 - 2\\lambda = 0")`.
public func math(_ latex: String) {
    DisplayRuntime.emit(.math(.init(latex: latex, out: -1)))
}

/// A paragraph of plain text among the outputs (Markdown is not interpreted).
public func note(_ text: String) {
    DisplayRuntime.emit(.text(.init(text: text, out: -1)))
}

// MARK: tables

/// One table cell: a number (formatted with the rule), a string, ...
public protocol TableCell {
    var tableText: String { get }
    /// Numbers are right-aligned by default.
    var isNumeric: Bool { get }
}

extension TableCell where Self: LecternFormattable {
    public var tableText: String { lecternText }
}
extension Double: TableCell { public var isNumeric: Bool { true } }
extension Float: TableCell { public var isNumeric: Bool { true } }
extension Int: TableCell { public var isNumeric: Bool { true } }
extension Bool: TableCell { public var isNumeric: Bool { false } }
extension String: TableCell { public var isNumeric: Bool { false } }
extension Complex: TableCell where RealType == Double { public var isNumeric: Bool { true } }
extension Optional: TableCell where Wrapped: TableCell {
    public var tableText: String { self.map(\.tableText) ?? "" }
    public var isNumeric: Bool { self?.isNumeric ?? false }
}

/// A table built row by row:
///
///     var t = Table("L", "bound")
///     for L in [1, 10, 100] { t.row(L, pow(0.9, Double(L))) }
///     show(t, caption: "The bound shrinks geometrically")
///
/// Numbers are formatted one by one with the rule (no zeroing across a table:
/// small entries such as 1e-20 are kept).
public struct Table: Sendable, Equatable {
    public var headers: [String]
    public var rows: [[String]]
    /// Per-column alignment; nil means right for numeric columns, left otherwise.
    public var alignments: [Alignment]?
    private var numericColumns: [Bool]

    public init(_ headers: String...) { self.init(headers: headers) }

    public init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.rows = []
        self.alignments = alignments
        self.numericColumns = Array(repeating: true, count: headers.count)
    }

    /// Appends a row; missing cells are left empty, extra cells are dropped.
    public mutating func row(_ cells: any TableCell...) { row(cells) }

    public mutating func row(_ cells: [any TableCell]) {
        var texts: [String] = []
        for j in 0..<headers.count {
            if j < cells.count {
                texts.append(cells[j].tableText)
                if !cells[j].isNumeric { numericColumns[j] = false }
            } else {
                texts.append("")
            }
        }
        rows.append(texts)
    }

    /// The alignment of each column.
    public var resolvedAlignments: [Alignment] {
        if let a = alignments, a.count == headers.count { return a }
        return numericColumns.map { $0 && !rows.isEmpty ? .right : .left }
    }
}

/// Shows a table.
public func show(_ table: Table, caption: String? = nil) {
    DisplayRuntime.emit(.table(.init(headers: table.headers, rows: table.rows,
                               alignments: table.resolvedAlignments, caption: caption, out: -1)))
}

/// Shows a table given all at once: `table(headers: ["L", "bound"], rows: [[1, 0.9], [2, 0.81]])`.
public func table(headers: [String], rows: [[any TableCell]], caption: String? = nil) {
    var t = Table(headers: headers)
    for r in rows { t.row(r) }
    show(t, caption: caption)
}
