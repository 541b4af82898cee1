import CLapack

// MARK: - Constructors

extension Matrix {
    /// The n×n identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m.storage[i + i * n] = 1 }
        return m
    }
    /// A rows×cols matrix of zeros.
    public static func zeros(_ rows: Int, _ cols: Int) -> Matrix { Matrix(rows: rows, cols: cols) }
    /// A rows×cols matrix of ones.
    public static func ones(_ rows: Int, _ cols: Int) -> Matrix { Matrix(rows: rows, cols: cols, repeating: 1) }
    /// The square matrix with `d` on its diagonal.
    public static func diagonal(_ d: [Double]) -> Matrix {
        let n = d.count
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m.storage[i + i * n] = d[i] }
        return m
    }
    public static func diagonal(_ d: Vector) -> Matrix { diagonal(d.elements) }

    /// Builds a matrix whose columns are the given vectors (all of the same length).
    public init(columns: [Vector]) {
        let r = columns.first?.count ?? 0
        var buf: [Double] = []
        buf.reserveCapacity(r * columns.count)
        for (j, c) in columns.enumerated() {
            precondition(c.count == r, lengthMismatchMessage("Matrix(columns:) column \(j)", c.count, r))
            buf.append(contentsOf: c.elements)
        }
        self.init(rows: r, cols: columns.count, columnMajor: buf)
    }

    /// A one-column matrix holding `v`.
    public init(column v: Vector) { self.init(rows: v.count, cols: 1, columnMajor: v.elements) }

    /// The main diagonal.
    public var diagonal: Vector {
        Vector((0..<Swift.min(rows, cols)).map { storage[$0 + $0 * rows] })
    }
    /// Sum of the diagonal.
    public var trace: Double { diagonal.elements.reduce(0, +) }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        storage.withUnsafeBufferPointer { s in
            t.storage.withUnsafeMutableBufferPointer { d in
                for j in 0..<cols { for i in 0..<rows { d[j + i * cols] = s[i + j * rows] } }
            }
        }
        return t
    }
    /// The transpose (short form, as in numpy).
    public var T: Matrix { transposed }

    /// All entries in row-major reading order.
    public var rowMajor: [Double] { transposed.storage }

    /// Applies `f` to every entry.
    public func map(_ f: (Double) throws -> Double) rethrows -> Matrix {
        Matrix(rows: rows, cols: cols, columnMajor: try storage.map(f))
    }

    /// True when every entry is finite (no NaN, no ±infinity).
    public var isFinite: Bool { storage.allSatisfy { $0.isFinite } }

    /// Largest absolute entry (0 for an empty matrix).
    public var maxAbs: Double { storage.reduce(0) { Swift.max($0, abs($1)) } }

    /// Element-wise (Hadamard) product.
    public func hadamard(_ other: Matrix) -> Matrix {
        precondition(rows == other.rows && cols == other.cols,
                     shapeMismatchMessage("Matrix.hadamard", shape, other.shape))
        var r = self
        for k in 0..<storage.count { r.storage[k] *= other.storage[k] }
        return r
    }

    /// Reads/writes the columns storage directly (column-major, `i + j*rows`).
    @inlinable
    public func withUnsafeColumnMajorBuffer<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }
    @inlinable
    public mutating func withUnsafeMutableColumnMajorBuffer<R>(_ body: (inout UnsafeMutableBufferPointer<Double>) throws -> R) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer(body)
    }
}

extension Vector {
    public static func zeros(_ n: Int) -> Vector { Vector(count: n) }
    public static func ones(_ n: Int) -> Vector { Vector(count: n, repeating: 1) }
    /// The i-th standard basis vector of length n.
    public static func basis(_ n: Int, _ i: Int) -> Vector { var v = Vector(count: n); v[i] = 1; return v }

    /// Applies `f` to every element, keeping the result a `Vector`.
    public func map(_ f: (Double) throws -> Double) rethrows -> Vector { Vector(try elements.map(f)) }

    public func dot(_ other: Vector) -> Double {
        precondition(count == other.count, lengthMismatchMessage("Vector.dot", count, other.count))
        var s = 0.0
        for i in 0..<elements.count { s += elements[i] * other.elements[i] }
        return s
    }
    /// Euclidean norm ‖v‖₂ (overflow-safe scaling).
    public var norm: Double {
        let m = elements.reduce(0) { Swift.max($0, abs($1)) }
        guard m > 0, m.isFinite else { return m }
        var s = 0.0
        for x in elements { let y = x / m; s += y * y }
        return m * s.squareRoot()
    }
    /// ‖v‖₁ = Σ|vᵢ|.
    public var norm1: Double { elements.reduce(0) { $0 + abs($1) } }
    /// ‖v‖∞ = max|vᵢ|.
    public var normInf: Double { elements.reduce(0) { Swift.max($0, abs($1)) } }
    /// p-norm for p ≥ 1 (`.infinity` allowed).
    public func norm(_ p: Double) -> Double {
        precondition(p >= 1, "Vector.norm: p must be ≥ 1, got \(p)")
        if p == 1 { return norm1 }
        if p == 2 { return norm }
        if p == .infinity { return normInf }
        return Foundation_pow(elements.reduce(0) { $0 + Foundation_pow(abs($1), p) }, 1 / p)
    }
    /// Outer product v wᵀ (count × w.count).
    public func outer(_ w: Vector) -> Matrix {
        Matrix(rows: count, cols: w.count) { i, j in self.elements[i] * w.elements[j] }
    }
    /// Element-wise product.
    public func hadamard(_ other: Vector) -> Vector {
        precondition(count == other.count, lengthMismatchMessage("Vector.hadamard", count, other.count))
        return Vector(zip(elements, other.elements).map { $0 * $1 })
    }
    public var isFinite: Bool { elements.allSatisfy { $0.isFinite } }
    /// The vector as a 1-column matrix.
    public var asColumn: Matrix { Matrix(column: self) }
}

import Numerics
@inline(__always) func Foundation_pow(_ x: Double, _ y: Double) -> Double { Double.pow(x, y) }

/// Dot product.
public func dot(_ a: Vector, _ b: Vector) -> Double { a.dot(b) }
/// Outer product a bᵀ.
public func outer(_ a: Vector, _ b: Vector) -> Matrix { a.outer(b) }

// MARK: - Element-wise operators

infix operator .*: MultiplicationPrecedence

extension Matrix {
    public static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.cols == b.cols, shapeMismatchMessage("Matrix + Matrix", a.shape, b.shape))
        var r = a
        for k in 0..<r.storage.count { r.storage[k] += b.storage[k] }
        return r
    }
    public static func - (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.cols == b.cols, shapeMismatchMessage("Matrix - Matrix", a.shape, b.shape))
        var r = a
        for k in 0..<r.storage.count { r.storage[k] -= b.storage[k] }
        return r
    }
    public static prefix func - (a: Matrix) -> Matrix { a.map { -$0 } }
    public static func * (s: Double, a: Matrix) -> Matrix { a.map { s * $0 } }
    public static func * (a: Matrix, s: Double) -> Matrix { a.map { $0 * s } }
    public static func / (a: Matrix, s: Double) -> Matrix { a.map { $0 / s } }
    public static func += (a: inout Matrix, b: Matrix) { a = a + b }
    public static func -= (a: inout Matrix, b: Matrix) { a = a - b }
    public static func *= (a: inout Matrix, s: Double) { for k in 0..<a.storage.count { a.storage[k] *= s } }
    /// Hadamard product.
    public static func .* (a: Matrix, b: Matrix) -> Matrix { a.hadamard(b) }

    /// Matrix product (BLAS dgemm).
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.cols == b.rows, shapeMismatchMessage("Matrix * Matrix", a.shape, b.shape,
                     detail: "columns of the left \(a.cols) ≠ rows of the right \(b.rows)"))
        var c = Matrix(rows: a.rows, cols: b.cols)
        if a.rows == 0 || b.cols == 0 || a.cols == 0 { return c }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans,
                                Int32(a.rows), Int32(b.cols), Int32(a.cols), 1.0,
                                pa.baseAddress, Int32(a.rows), pb.baseAddress, Int32(b.rows),
                                0.0, pc.baseAddress, Int32(a.rows))
                }
            }
        }
        return c
    }

    /// Matrix–vector product (BLAS dgemv).
    public static func * (a: Matrix, x: Vector) -> Vector {
        precondition(a.cols == x.count, shapeMismatchMessage("Matrix * Vector", a.shape, (x.count, 1),
                     detail: "columns of the matrix \(a.cols) ≠ length of the vector \(x.count)"))
        var y = Vector(count: a.rows)
        if a.rows == 0 || a.cols == 0 { return y }
        a.storage.withUnsafeBufferPointer { pa in
            x.elements.withUnsafeBufferPointer { px in
                y.elements.withUnsafeMutableBufferPointer { py in
                    cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(a.rows), Int32(a.cols), 1.0,
                                pa.baseAddress, Int32(a.rows), px.baseAddress, 1, 0.0, py.baseAddress, 1)
                }
            }
        }
        return y
    }

    /// Matrix power Aⁿ for n ≥ 0 (repeated squaring).
    public func power(_ n: Int) -> Matrix {
        precondition(isSquare, "Matrix.power: needs a square matrix, got \(shapeDescription)")
        precondition(n >= 0, "Matrix.power: exponent must be ≥ 0, got \(n)")
        var result = Matrix.identity(rows), base = self, e = n
        while e > 0 { if e & 1 == 1 { result = result * base }; base = base * base; e >>= 1 }
        return result
    }
}

extension Vector {
    public static func + (a: Vector, b: Vector) -> Vector {
        precondition(a.count == b.count, lengthMismatchMessage("Vector + Vector", a.count, b.count))
        return Vector(zip(a.elements, b.elements).map { $0 + $1 })
    }
    public static func - (a: Vector, b: Vector) -> Vector {
        precondition(a.count == b.count, lengthMismatchMessage("Vector - Vector", a.count, b.count))
        return Vector(zip(a.elements, b.elements).map { $0 - $1 })
    }
    public static prefix func - (a: Vector) -> Vector { a.map { -$0 } }
    public static func * (s: Double, a: Vector) -> Vector { a.map { s * $0 } }
    public static func * (a: Vector, s: Double) -> Vector { a.map { $0 * s } }
    public static func / (a: Vector, s: Double) -> Vector { a.map { $0 / s } }
    public static func += (a: inout Vector, b: Vector) { a = a + b }
    public static func -= (a: inout Vector, b: Vector) { a = a - b }
    public static func .* (a: Vector, b: Vector) -> Vector { a.hadamard(b) }
}
