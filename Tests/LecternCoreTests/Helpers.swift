import Testing
@testable import LecternCore

func close(_ a: Double, _ b: Double, _ tol: Double = 1e-12) -> Bool {
    abs(a - b) <= tol * max(1, abs(a), abs(b))
}
func close(_ a: Matrix, _ b: Matrix, _ tol: Double = 1e-12) -> Bool {
    a.rows == b.rows && a.cols == b.cols && (a - b).maxAbs <= tol * max(1, a.maxAbs, b.maxAbs)
}
func close(_ a: Vector, _ b: Vector, _ tol: Double = 1e-12) -> Bool {
    a.count == b.count && (a - b).normInf <= tol * max(1, a.normInf, b.normInf)
}
/// Norm-wise relative error ‖a − b‖ / max(‖a‖, ‖b‖).
func relErr(_ a: [Double], _ b: [Double]) -> Double {
    let d = Vector(zip(a, b).map { $0 - $1 }).norm
    let s = max(Vector(a).norm, Vector(b).norm)
    return s == 0 ? d : d / s
}
/// Central differences of f with respect to every entry of x (step h).
func numericGradient(_ x: [Double], h: Double = 1e-5, _ f: ([Double]) -> Double) -> [Double] {
    var g = [Double](repeating: 0, count: x.count)
    var y = x
    for k in x.indices {
        y[k] = x[k] + h; let fp = f(y)
        y[k] = x[k] - h; let fm = f(y)
        y[k] = x[k]
        g[k] = (fp - fm) / (2 * h)
    }
    return g
}
