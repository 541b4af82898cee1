/// Errors thrown by decompositions and other LAPACK-backed routines.
///
/// Error model of LecternCore:
/// - Shape errors in *operators* (`A * B`, `A + B`, ...) are programmer errors and stop the
///   program with a message naming both shapes (see `shapeMismatchMessage`).
/// - Decompositions and solvers are `throws`: NaN/infinity in the input, a non-square
///   argument, or a LAPACK routine returning `info != 0` throw a `LinearAlgebraError`.
/// - Convenience properties (`spectralRadius`, `spectralNorm`, `conditionNumber`, `det`)
///   do not throw; they stop with the error's description if the underlying routine fails.
///   Use the `checked…()` / `determinant()` methods to handle errors instead.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The input contained NaN or ±infinity; `routine` is the operation that refused it.
    case nonFiniteInput(routine: String)
    /// Shapes do not fit together (`lhs`, `rhs` are descriptions such as "2×3").
    case dimensionMismatch(operation: String, lhs: String, rhs: String)
    /// The operation needs a square matrix.
    case notSquare(operation: String, shape: String)
    /// `symmetricEigen` was given a matrix with max|A − Aᵀ| = `deviation`.
    case notSymmetric(deviation: Double)
    /// The matrix is exactly singular: U(`pivot`, `pivot`) = 0 in the LU factorization (1-based).
    case singular(routine: String, pivot: Int)
    /// A LAPACK routine returned `info != 0` (negative: illegal argument; positive: no convergence).
    case lapack(routine: String, info: Int)
    /// An argument outside the routine's domain (e.g. rescaling a matrix whose spectral radius is 0).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .nonFiniteInput(let r): return "\(r): input contains NaN or infinity"
        case .dimensionMismatch(let op, let l, let r): return "\(op): shapes \(l) and \(r) do not match"
        case .notSquare(let op, let s): return "\(op): needs a square matrix, got \(s)"
        case .notSymmetric(let d): return "symmetricEigen: matrix is not symmetric (max|A − Aᵀ| = \(d))"
        case .singular(let r, let p): return "\(r): matrix is singular (zero pivot U[\(p),\(p)], 1-based)"
        case .lapack(let r, let info):
            return info < 0 ? "\(r): argument \(-info) had an illegal value (info = \(info))"
                            : "\(r): failed to converge (info = \(info))"
        case .invalidArgument(let m): return m
        }
    }
}

/// The message used when operator shapes do not fit, e.g.
/// `"Matrix * Matrix: shapes 2×3 and 2×3 do not match (columns of the left 3 ≠ rows of the right 2)"`.
public func shapeMismatchMessage(_ operation: String, _ lhs: (rows: Int, cols: Int),
                                 _ rhs: (rows: Int, cols: Int), detail: String? = nil) -> String {
    var s = "\(operation): shapes \(lhs.rows)×\(lhs.cols) and \(rhs.rows)×\(rhs.cols) do not match"
    if let detail { s += " (\(detail))" }
    return s
}

/// Length mismatch message for vectors, e.g. `"Vector + Vector: lengths 3 and 4 do not match"`.
public func lengthMismatchMessage(_ operation: String, _ lhs: Int, _ rhs: Int) -> String {
    "\(operation): lengths \(lhs) and \(rhs) do not match"
}

/// Runs a throwing computation; on error stops with the error's description.
/// Used by the non-throwing convenience properties.
func orStop<T>(_ what: String, _ body: () throws -> T) -> T {
    do { return try body() } catch {
        fatalError("\(what): \(error)")
    }
}
