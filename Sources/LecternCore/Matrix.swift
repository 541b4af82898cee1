/// Dense `Double` matrices and vectors.
///
/// Storage is column-major (LAPACK's native order), so decompositions pass the
/// buffer straight to LAPACK without a transposed copy. Callers never see the
/// order: they index with `m[i, j]` (row `i`, column `j`) and build matrices
/// from row literals such as `[[1, 1], [1, 1]]`.
public struct Matrix: Equatable, Hashable, Sendable {
    public let rows: Int
    public let cols: Int
    /// Column-major: element (i, j) sits at `i + j * rows`.
    @usableFromInline internal var storage: [Double]

    @inlinable
    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && cols >= 0, "Matrix: negative shape \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.storage = Array(repeating: value, count: rows * cols)
    }

    /// Builds a matrix from its rows. All rows must have the same length.
    public init(_ rowArrays: [[Double]]) {
        let r = rowArrays.count
        let c = rowArrays.first?.count ?? 0
        for (i, row) in rowArrays.enumerated() where row.count != c {
            preconditionFailure("Matrix: row \(i) has \(row.count) entries, row 0 has \(c)")
        }
        self.init(rows: r, cols: c)
        for i in 0..<r { for j in 0..<c { storage[i + j * r] = rowArrays[i][j] } }
    }

    /// Wraps a column-major buffer (used by the LAPACK bridges).
    @inlinable
    public init(rows: Int, cols: Int, columnMajor: [Double]) {
        precondition(columnMajor.count == rows * cols,
                     "Matrix: \(columnMajor.count) values for a \(rows)×\(cols) matrix")
        self.rows = rows
        self.cols = cols
        self.storage = columnMajor
    }

    /// Builds a matrix entry by entry.
    @inlinable
    public init(rows: Int, cols: Int, _ entry: (Int, Int) -> Double) {
        self.init(rows: rows, cols: cols)
        for j in 0..<cols { for i in 0..<rows { storage[i + j * rows] = entry(i, j) } }
    }

    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        get {
            precondition(i >= 0 && i < rows && j >= 0 && j < cols,
                         "Matrix: index (\(i), \(j)) outside a \(rows)×\(cols) matrix")
            return storage[i + j * rows]
        }
        set {
            precondition(i >= 0 && i < rows && j >= 0 && j < cols,
                         "Matrix: index (\(i), \(j)) outside a \(rows)×\(cols) matrix")
            storage[i + j * rows] = newValue
        }
    }

    /// The buffer in column-major order (for LAPACK/BLAS bridges).
    @inlinable public var columnMajor: [Double] { storage }

    public var shape: (rows: Int, cols: Int) { (rows, cols) }
    public var isSquare: Bool { rows == cols }

    /// The rows as arrays, top to bottom.
    public var rowArrays: [[Double]] {
        (0..<rows).map { i in (0..<cols).map { j in storage[i + j * rows] } }
    }

    public func row(_ i: Int) -> Vector { Vector((0..<cols).map { self[i, $0] }) }
    public func column(_ j: Int) -> Vector { Vector(Array(storage[(j * rows)..<((j + 1) * rows)])) }

    /// "2×3", for messages.
    public var shapeDescription: String { "\(rows)×\(cols)" }
}

extension Matrix: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: [Double]...) { self.init(elements) }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        "[" + rowArrays.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }
            .joined(separator: ", ") + "]"
    }
}

/// A dense column vector of `Double`.
public struct Vector: Equatable, Hashable, Sendable, RandomAccessCollection, MutableCollection {
    public var elements: [Double]

    @inlinable public init(_ elements: [Double]) { self.elements = elements }
    @inlinable public init(count: Int, repeating value: Double = 0) {
        self.elements = Array(repeating: value, count: count)
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { elements.count }
    @inlinable public subscript(i: Int) -> Double {
        get { elements[i] }
        set { elements[i] = newValue }
    }
}

extension Vector: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Double...) { self.init(elements) }
}

extension Vector: CustomStringConvertible {
    public var description: String { "[" + elements.map { "\($0)" }.joined(separator: ", ") + "]" }
}
