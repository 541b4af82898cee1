import CLapack
import Numerics

/// Character arguments for LAPACK (`char` imports as `CChar`).
@usableFromInline let chN = CChar(UInt8(ascii: "N"))
@usableFromInline let chV = CChar(UInt8(ascii: "V"))
@usableFromInline let chS = CChar(UInt8(ascii: "S"))
@usableFromInline let chA = CChar(UInt8(ascii: "A"))
@usableFromInline let chU = CChar(UInt8(ascii: "U"))

@usableFromInline let colMajor = Int32(LAPACK_COL_MAJOR)

@inline(__always)
func check(_ info: Int32, _ routine: String) throws {
    if info != 0 { throw LinearAlgebraError.lapack(routine: routine, info: Int(info)) }
}

extension Matrix {
    /// Throws `.nonFiniteInput` if any entry is NaN or infinite.
    func requireFinite(_ routine: String) throws {
        for x in storage where !x.isFinite { throw LinearAlgebraError.nonFiniteInput(routine: routine) }
    }
    func requireSquare(_ routine: String) throws {
        if rows != cols { throw LinearAlgebraError.notSquare(operation: routine, shape: shapeDescription) }
    }
}

// MARK: - General eigenproblem (dgeev)

/// Eigenvalues and right eigenvectors of a general real matrix: A vₖ = λₖ vₖ.
public struct Eigendecomposition: Sendable {
    /// Eigenvalues in LAPACK's order (complex-conjugate pairs adjacent, positive imaginary part first).
    public let values: [Complex<Double>]
    /// `vectors[k]` is the unit-norm (2-norm) right eigenvector for `values[k]`.
    public let vectors: [[Complex<Double>]]
}

extension Matrix {
    /// Eigenvalues of a square matrix (LAPACK dgeev, no eigenvectors), in LAPACK's order.
    public func eigenvalues() throws -> [Complex<Double>] {
        try requireSquare("eigenvalues"); try requireFinite("eigenvalues (dgeev)")
        if rows == 0 { return [] }
        let ws = EigenvalueWorkspace(size: rows)
        return try ws.eigenvalues(self)
    }

    /// Eigenvalues and right eigenvectors (LAPACK dgeev).
    public func eigen() throws -> Eigendecomposition {
        try requireSquare("eigen"); try requireFinite("eigen (dgeev)")
        let n = rows
        if n == 0 { return Eigendecomposition(values: [], vectors: []) }
        var a = storage
        var wr = [Double](repeating: 0, count: n), wi = wr
        var vr = [Double](repeating: 0, count: n * n)
        var vl = [Double](repeating: 0, count: 1)
        var q = 0.0
        try check(LAPACKE_dgeev_work(colMajor, chN, chV, Int32(n), &a, Int32(n), &wr, &wi,
                                     &vl, 1, &vr, Int32(n), &q, -1), "dgeev")
        var work = [Double](repeating: 0, count: Swift.max(1, Int(q)))
        try check(LAPACKE_dgeev_work(colMajor, chN, chV, Int32(n), &a, Int32(n), &wr, &wi,
                                     &vl, 1, &vr, Int32(n), &work, Int32(work.count)), "dgeev")
        var values: [Complex<Double>] = [], vectors: [[Complex<Double>]] = []
        var k = 0
        while k < n {
            if wi[k] == 0 {
                values.append(Complex(wr[k], 0))
                vectors.append((0..<n).map { Complex(vr[$0 + k * n], 0) })
                k += 1
            } else {
                // Conjugate pair: v = VR[:,k] ± i VR[:,k+1].
                let re = (0..<n).map { vr[$0 + k * n] }, im = (0..<n).map { vr[$0 + (k + 1) * n] }
                values.append(Complex(wr[k], wi[k])); values.append(Complex(wr[k + 1], wi[k + 1]))
                vectors.append((0..<n).map { Complex(re[$0], im[$0]) })
                vectors.append((0..<n).map { Complex(re[$0], -im[$0]) })
                k += 2
            }
        }
        return Eigendecomposition(values: values, vectors: vectors)
    }
}

/// Preallocated workspace for many eigenvalue calls on matrices of one size (LAPACK dgeev
/// with no eigenvectors). Not thread-safe: use one workspace per thread.
///
///     let ws = EigenvalueWorkspace(size: 2)
///     for θ in angles { let r = try ws.spectralRadius(Matrix.rotation(θ)) }
public final class EigenvalueWorkspace {
    public let size: Int
    // Raw buffers: allocated once, so `compute` performs no allocation and no
    // copy-on-write or exclusivity bookkeeping.
    private let a: UnsafeMutablePointer<Double>
    private let wr: UnsafeMutablePointer<Double>
    private let wi: UnsafeMutablePointer<Double>
    private let work: UnsafeMutablePointer<Double>
    private let vl: UnsafeMutablePointer<Double>
    private let vr: UnsafeMutablePointer<Double>
    private let lwork: Int32

    public init(size n: Int) {
        precondition(n >= 1, "EigenvalueWorkspace: size must be ≥ 1, got \(n)")
        size = n
        a = .allocate(capacity: n * n); a.initialize(repeating: 0, count: n * n)
        wr = .allocate(capacity: n); wr.initialize(repeating: 0, count: n)
        wi = .allocate(capacity: n); wi.initialize(repeating: 0, count: n)
        vl = .allocate(capacity: 1); vl.initialize(to: 0)
        vr = .allocate(capacity: 1); vr.initialize(to: 0)
        var q = 0.0
        _ = LAPACKE_dgeev_work(colMajor, chN, chN, Int32(n), a, Int32(n), wr, wi, vl, 1, vr, 1, &q, -1)
        let lw = Swift.max(Int(q), 4 * n, 1)
        work = .allocate(capacity: lw); work.initialize(repeating: 0, count: lw)
        lwork = Int32(lw)
    }

    deinit {
        a.deallocate(); wr.deallocate(); wi.deallocate(); work.deallocate(); vl.deallocate(); vr.deallocate()
    }

    /// Real parts of the last computed eigenvalues.
    public var real: [Double] { Array(UnsafeBufferPointer(start: wr, count: size)) }
    /// Imaginary parts of the last computed eigenvalues.
    public var imaginary: [Double] { Array(UnsafeBufferPointer(start: wi, count: size)) }

    /// Computes the eigenvalues of `m` (read them with `real`/`imaginary`, or use the
    /// other methods). Performs no heap allocation.
    public func compute(_ m: Matrix) throws {
        precondition(m.rows == size && m.cols == size,
                     shapeMismatchMessage("EigenvalueWorkspace.compute", (size, size), m.shape))
        let ok: Bool = m.storage.withUnsafeBufferPointer { src in
            var finite = true
            for k in 0..<src.count { let x = src[k]; finite = finite && x.isFinite; a[k] = x }
            return finite
        }
        if !ok { throw LinearAlgebraError.nonFiniteInput(routine: "eigenvalues (dgeev)") }
        let n = Int32(size)
        try check(LAPACKE_dgeev_work(colMajor, chN, chN, n, a, n, wr, wi, vl, 1, vr, 1, work, lwork), "dgeev")
    }

    /// Eigenvalues of `m` (LAPACK order).
    public func eigenvalues(_ m: Matrix) throws -> [Complex<Double>] {
        try compute(m)
        return (0..<size).map { Complex(wr[$0], wi[$0]) }
    }

    /// max |λ| of `m`, without allocating.
    public func spectralRadius(_ m: Matrix) throws -> Double {
        try compute(m)
        var r = 0.0
        for k in 0..<size { r = Swift.max(r, Complex(wr[k], wi[k]).length) }
        return r
    }
}

// MARK: - Symmetric eigenproblem (dsyev)

/// A = V diag(values) Vᵀ for symmetric A.
public struct SymmetricEigen: Sendable {
    /// Eigenvalues in ascending order.
    public let values: Vector
    /// Orthonormal eigenvectors as columns (column k belongs to `values[k]`).
    public let vectors: Matrix
}

extension Matrix {
    /// Eigen-decomposition of a symmetric matrix (LAPACK dsyev). Throws `.notSymmetric`
    /// when max|A − Aᵀ| > 1e-12 · max(1, max|A|).
    public func symmetricEigen() throws -> SymmetricEigen {
        try requireSquare("symmetricEigen"); try requireFinite("symmetricEigen (dsyev)")
        let n = rows
        var dev = 0.0
        for j in 0..<n { for i in 0..<j { dev = Swift.max(dev, abs(self[i, j] - self[j, i])) } }
        if dev > 1e-12 * Swift.max(1, maxAbs) { throw LinearAlgebraError.notSymmetric(deviation: dev) }
        if n == 0 { return SymmetricEigen(values: [], vectors: Matrix(rows: 0, cols: 0)) }
        var a = storage, w = [Double](repeating: 0, count: n), q = 0.0
        try check(LAPACKE_dsyev_work(colMajor, chV, chU, Int32(n), &a, Int32(n), &w, &q, -1), "dsyev")
        var work = [Double](repeating: 0, count: Swift.max(1, Int(q)))
        try check(LAPACKE_dsyev_work(colMajor, chV, chU, Int32(n), &a, Int32(n), &w, &work, Int32(work.count)), "dsyev")
        return SymmetricEigen(values: Vector(w), vectors: Matrix(rows: n, cols: n, columnMajor: a))
    }
}

// MARK: - SVD (dgesdd)

/// A = U diag(singularValues) Vᵀ.
public struct SVD: Sendable {
    public let U: Matrix
    /// Descending, non-negative.
    public let singularValues: Vector
    public let Vt: Matrix
    public var V: Matrix { Vt.transposed }
    /// diag(σ) sized to fit between U and Vᵀ.
    public var S: Matrix {
        var s = Matrix(rows: U.cols, cols: Vt.rows)
        for k in 0..<singularValues.count { s[k, k] = singularValues[k] }
        return s
    }
    /// U Σ Vᵀ.
    public var reconstructed: Matrix { U * S * Vt }
}

extension Matrix {
    /// Singular value decomposition (LAPACK dgesdd). `full: false` (default) gives the thin
    /// SVD (U is m×k, Vᵀ is k×n, k = min(m, n)); `full: true` gives square U and Vᵀ.
    public func svd(full: Bool = false) throws -> SVD {
        try requireFinite("svd (dgesdd)")
        let m = rows, n = cols, k = Swift.min(m, n)
        let ucols = full ? m : k, vtrows = full ? n : k
        if k == 0 {
            return SVD(U: .identity(m).prefixColumns(ucols), singularValues: [], Vt: .identity(n).prefixRows(vtrows))
        }
        var a = storage, s = [Double](repeating: 0, count: k)
        var u = [Double](repeating: 0, count: m * ucols), vt = [Double](repeating: 0, count: vtrows * n)
        var iwork = [Int32](repeating: 0, count: 8 * k)
        let job = full ? chA : chS
        var q = 0.0
        try check(LAPACKE_dgesdd_work(colMajor, job, Int32(m), Int32(n), &a, Int32(m), &s, &u, Int32(m),
                                      &vt, Int32(vtrows), &q, -1, &iwork), "dgesdd")
        var work = [Double](repeating: 0, count: Swift.max(1, Int(q)))
        try check(LAPACKE_dgesdd_work(colMajor, job, Int32(m), Int32(n), &a, Int32(m), &s, &u, Int32(m),
                                      &vt, Int32(vtrows), &work, Int32(work.count), &iwork), "dgesdd")
        return SVD(U: Matrix(rows: m, cols: ucols, columnMajor: u), singularValues: Vector(s),
                   Vt: Matrix(rows: vtrows, cols: n, columnMajor: vt))
    }

    /// Singular values, descending (LAPACK dgesdd with jobz = 'N').
    public func singularValues() throws -> Vector {
        try requireFinite("singularValues (dgesdd)")
        let m = rows, n = cols, k = Swift.min(m, n)
        if k == 0 { return [] }
        var a = storage, s = [Double](repeating: 0, count: k)
        var u = [Double](repeating: 0, count: 1), vt = [Double](repeating: 0, count: 1)
        var iwork = [Int32](repeating: 0, count: 8 * k)
        var q = 0.0
        // Column-major layout: leading dimensions must be ≥ 1 even though U, Vᵀ are not referenced.
        try check(LAPACKE_dgesdd_work(colMajor, chN, Int32(m), Int32(n), &a, Int32(m), &s, &u, 1,
                                      &vt, 1, &q, -1, &iwork), "dgesdd")
        var work = [Double](repeating: 0, count: Swift.max(1, Int(q)))
        try check(LAPACKE_dgesdd_work(colMajor, chN, Int32(m), Int32(n), &a, Int32(m), &s, &u, 1,
                                      &vt, 1, &work, Int32(work.count), &iwork), "dgesdd")
        return Vector(s)
    }

    func prefixColumns(_ c: Int) -> Matrix { Matrix(rows: rows, cols: c, columnMajor: Array(storage[0..<(rows * c)])) }
    func prefixRows(_ r: Int) -> Matrix { Matrix(rows: r, cols: cols) { i, j in self[i, j] } }
}

// MARK: - QR (dgeqrf + dorgqr)

/// A = Q R with Q having orthonormal columns and R upper triangular.
public struct QR: Sendable {
    /// m×k with orthonormal columns, k = min(m, n).
    public let Q: Matrix
    /// k×n upper triangular.
    public let R: Matrix
}

extension Matrix {
    /// Thin QR factorization (LAPACK dgeqrf, then dorgqr to form Q). No sign normalisation:
    /// diag(R) may be negative (see `Matrix.randomOrthogonal` for the Haar correction).
    public func qr() throws -> QR {
        try requireFinite("qr (dgeqrf)")
        let m = rows, n = cols, k = Swift.min(m, n)
        if k == 0 { return QR(Q: Matrix(rows: m, cols: 0), R: Matrix(rows: 0, cols: n)) }
        var a = storage, tau = [Double](repeating: 0, count: k), q = 0.0
        try check(LAPACKE_dgeqrf_work(colMajor, Int32(m), Int32(n), &a, Int32(m), &tau, &q, -1), "dgeqrf")
        var work = [Double](repeating: 0, count: Swift.max(1, Int(q)))
        try check(LAPACKE_dgeqrf_work(colMajor, Int32(m), Int32(n), &a, Int32(m), &tau, &work, Int32(work.count)), "dgeqrf")
        var r = Matrix(rows: k, cols: n)
        for j in 0..<n { for i in 0...Swift.min(j, k - 1) { r.storage[i + j * k] = a[i + j * m] } }
        var qa = Array(a[0..<(m * k)])
        try check(LAPACKE_dorgqr_work(colMajor, Int32(m), Int32(k), Int32(k), &qa, Int32(m), &tau, &q, -1), "dorgqr")
        if Int(q) > work.count { work = [Double](repeating: 0, count: Int(q)) }
        try check(LAPACKE_dorgqr_work(colMajor, Int32(m), Int32(k), Int32(k), &qa, Int32(m), &tau, &work, Int32(work.count)), "dorgqr")
        return QR(Q: Matrix(rows: m, cols: k, columnMajor: qa), R: r)
    }
}

// MARK: - LU (dgetrf, dgetrs, dgetri)

/// P A = L U with partial pivoting (LAPACK dgetrf).
public struct LU: Sendable {
    /// L (unit lower, below the diagonal) and U (upper) packed in one n×n matrix, as LAPACK returns them.
    public let factors: Matrix
    /// LAPACK's 1-based pivot indices: row i was interchanged with row pivots[i].
    public let pivots: [Int32]
    /// 0 if nonsingular, else the 1-based index of the first zero pivot.
    public let singularPivot: Int

    public var isSingular: Bool { singularPivot != 0 }
    public var L: Matrix {
        let n = factors.rows
        return Matrix(rows: n, cols: n) { i, j in i == j ? 1 : (i > j ? factors[i, j] : 0) }
    }
    public var U: Matrix {
        let n = factors.rows
        return Matrix(rows: n, cols: n) { i, j in i <= j ? factors[i, j] : 0 }
    }
    /// Permutation matrix P with P A = L U.
    public var P: Matrix {
        let n = factors.rows
        var perm = Array(0..<n)
        for i in 0..<n { perm.swapAt(i, Int(pivots[i]) - 1) }
        var p = Matrix(rows: n, cols: n)
        for i in 0..<n { p[i, perm[i]] = 1 }
        return p
    }
    /// det A = ± ∏ Uᵢᵢ (sign from the number of row interchanges).
    public var determinant: Double {
        var d = 1.0
        for i in 0..<factors.rows {
            d *= factors[i, i]
            if Int(pivots[i]) != i + 1 { d = -d }
        }
        return d
    }

    /// Solves A X = B (LAPACK dgetrs).
    public func solve(_ b: Matrix) throws -> Matrix {
        let n = factors.rows
        guard b.rows == n else {
            throw LinearAlgebraError.dimensionMismatch(operation: "solve", lhs: factors.shapeDescription, rhs: b.shapeDescription)
        }
        try b.requireFinite("solve (dgetrs)")
        if isSingular { throw LinearAlgebraError.singular(routine: "dgetrf", pivot: singularPivot) }
        var a = factors.storage, x = b.storage, piv = pivots
        if n == 0 || b.cols == 0 { return b }
        try check(LAPACKE_dgetrs_work(colMajor, chN, Int32(n), Int32(b.cols), &a, Int32(n), &piv, &x, Int32(n)), "dgetrs")
        return Matrix(rows: n, cols: b.cols, columnMajor: x)
    }
    public func solve(_ b: Vector) throws -> Vector {
        Vector(try solve(Matrix(column: b)).storage)
    }
    /// A⁻¹ (LAPACK dgetri).
    public func inverse() throws -> Matrix {
        let n = factors.rows
        if isSingular { throw LinearAlgebraError.singular(routine: "dgetrf", pivot: singularPivot) }
        if n == 0 { return factors }
        var a = factors.storage, piv = pivots, q = 0.0
        try check(LAPACKE_dgetri_work(colMajor, Int32(n), &a, Int32(n), &piv, &q, -1), "dgetri")
        var work = [Double](repeating: 0, count: Swift.max(1, Int(q)))
        try check(LAPACKE_dgetri_work(colMajor, Int32(n), &a, Int32(n), &piv, &work, Int32(work.count)), "dgetri")
        return Matrix(rows: n, cols: n, columnMajor: a)
    }
}

extension Matrix {
    /// LU factorization with partial pivoting (LAPACK dgetrf). A singular matrix still
    /// factors (`isSingular` is then true, the determinant is 0, and `solve`/`inverse` throw).
    public func lu() throws -> LU {
        try requireSquare("lu"); try requireFinite("lu (dgetrf)")
        let n = rows
        var a = storage, piv = [Int32](repeating: 0, count: n)
        if n == 0 { return LU(factors: self, pivots: [], singularPivot: 0) }
        let info = LAPACKE_dgetrf_work(colMajor, Int32(n), Int32(n), &a, Int32(n), &piv)
        if info < 0 { throw LinearAlgebraError.lapack(routine: "dgetrf", info: Int(info)) }
        return LU(factors: Matrix(rows: n, cols: n, columnMajor: a), pivots: piv, singularPivot: Int(info))
    }
    /// det A via LU.
    public func determinant() throws -> Double { try lu().determinant }
    /// Solves A x = b via LU.
    public func solve(_ b: Vector) throws -> Vector {
        try requireSquare("solve")
        guard b.count == rows else {
            throw LinearAlgebraError.dimensionMismatch(operation: "solve", lhs: shapeDescription, rhs: "\(b.count)")
        }
        return try lu().solve(b)
    }
    /// Solves A X = B via LU.
    public func solve(_ b: Matrix) throws -> Matrix {
        try requireSquare("solve")
        guard b.rows == rows else {
            throw LinearAlgebraError.dimensionMismatch(operation: "solve", lhs: shapeDescription, rhs: b.shapeDescription)
        }
        return try lu().solve(b)
    }
    /// A⁻¹ via LU.
    public func inverse() throws -> Matrix { try lu().inverse() }

    /// det A; stops with a message if A is not square or not finite (use `determinant()` to catch).
    public var det: Double { orStop("det") { try determinant() } }
}
