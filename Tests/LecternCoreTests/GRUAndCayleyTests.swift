import Testing
import Numerics
@testable import LecternCore

@Test func gruGradientsMatchFiniteDifferences() {
    var rng = Xoshiro256(seed: 21)
    let cell = GRUCell(input: 3, hidden: 4, updateBias: 0.5, using: &rng)
    let xs = (0..<7).map { _ in Vector.gaussian(3, using: &rng) }
    let y = Vector.gaussian(4, using: &rng), h0 = Vector.gaussian(4, std: 0.5, using: &rng)
    let g = cell.gradients(xs, target: y, h0: h0)
    let fd = numericGradient(cell.W.columnMajor + cell.b.elements) { p in
        let W = Matrix(rows: 12, cols: 7, columnMajor: Array(p[0..<84]))
        let c = GRUCell(W: W, b: Vector(Array(p[84...])))
        let r = c.forward(xs, h0: h0).last!.h - y
        return 0.5 * r.dot(r)
    }
    #expect(relErr(g.dW.columnMajor + g.db.elements, fd) < 1e-6)
    let fdh = numericGradient(h0.elements) { h in
        let r = cell.forward(xs, h0: Vector(h)).last!.h - y
        return 0.5 * r.dot(r)
    }
    #expect(relErr(g.dh0.elements, fdh) < 1e-6)
    // ∂L/∂x_t from one step's backward, against a finite difference in the input.
    let s = cell.forward(x: xs[0], h: h0)
    let w = Vector.gaussian(4, using: &rng)
    let dx = cell.backward(s, dh: w).dx
    let fdx = numericGradient(xs[0].elements) { x in cell.forward(x: Vector(x), h: h0).h.dot(w) }
    #expect(relErr(dx.elements, fdx) < 1e-7)
}

@Test func gruStepJacobianMatchesFiniteDifferences() {
    var rng = Xoshiro256(seed: 22)
    let cell = GRUCell(input: 2, hidden: 5, using: &rng)
    let x = Vector.gaussian(2, using: &rng), h = Vector.gaussian(5, using: &rng)
    let J = cell.stepJacobian(cell.forward(x: x, h: h))
    for j in 0..<5 {
        let col = numericGradientVector(h, j) { hh in cell.forward(x: x, h: hh).h }
        #expect(close(J.column(j), col, 1e-8))
    }
    // The backward pass is the transpose of the Jacobian: backward(dh = e_i).dhPrev = row i.
    let s = cell.forward(x: x, h: h)
    for i in 0..<5 {
        #expect(close(cell.backward(s, dh: Vector.basis(5, i)).dhPrev, J.row(i), 1e-12))
    }
    // With the update gate saturated open (z → 1) the state is copied: the Jacobian is I.
    var b = cell.b
    for k in 0..<5 { b[k] = 40 }
    let keep = GRUCell(W: cell.W, b: b)
    #expect(close(keep.stepJacobian(keep.forward(x: x, h: h)), .identity(5), 1e-12))
    // Norms over a run agree with the product of step Jacobians.
    let xs = (0..<6).map { _ in Vector.gaussian(2, using: &rng) }
    let steps = cell.forward(xs)
    let norms = cell.jacobianNorms(steps)
    let P = steps[3...].reversed().reduce(Matrix.identity(5)) { $0 * cell.stepJacobian($1) }
    #expect(close(norms[3], P.spectralNorm, 1e-12))
}

@Test func cayleyIsOrthogonalAndItsGradientMatchesFiniteDifferences() throws {
    var rng = Xoshiro256(seed: 23)
    let n = 4
    let S = Matrix.gaussian(n, n, using: &rng)
    let A = S - S.T
    let W = try Matrix.cayley(A)
    #expect(W.orthogonalityDeviation < 1e-13)
    #expect(close(try W.determinant(), 1, 1e-12))
    // Textbook identity: (I + A) W = I − A.
    #expect(close((Matrix.identity(n) + A) * W, Matrix.identity(n) - A, 1e-12))
    // 2×2, by hand: A = [[0, −t], [t, 0]] gives W = (I + A)⁻¹(I − A) = R(−2 atan t).
    let t = 0.3
    #expect(close(try Matrix.cayley([[0, -t], [t, 0]]), Matrix.rotation(-2 * Double.atan(t)), 1e-12))
    #expect(throws: LinearAlgebraError.self) { try Matrix.cayley([[1, 0], [0, 0]]) }
    // Gradient of L(W) = Σ C ⊙ W with respect to the free entries a_ij (i < j).
    let C = Matrix.gaussian(n, n, using: &rng)
    let K = try Matrix.cayleyGradient(skew: A, dW: C)
    #expect(close(K + K.T, Matrix.zeros(n, n), 1e-14))
    var free: [Double] = []
    for i in 0..<n { for j in (i + 1)..<n { free.append(A[i, j]) } }
    func skew(_ p: [Double]) -> Matrix {
        var M = Matrix.zeros(n, n), k = 0
        for i in 0..<n { for j in (i + 1)..<n { M[i, j] = p[k]; M[j, i] = -p[k]; k += 1 } }
        return M
    }
    let fd = numericGradient(free) { p in
        let Wp = try! Matrix.cayley(skew(p))
        return (0..<n).flatMap { i in (0..<n).map { j in C[i, j] * Wp[i, j] } }.reduce(0, +)
    }
    var analytic: [Double] = []
    for i in 0..<n { for j in (i + 1)..<n { analytic.append(K[i, j]) } }
    #expect(relErr(analytic, fd) < 1e-7)
}

@Test func multiplicationTaskTargetsTheProductOfTheMarkedValues() {
    var a = Xoshiro256(seed: 5), m = Xoshiro256(seed: 5)
    for T in [5, 12, 40] {
        let (xs, y) = SyntheticTask.multiplication(length: T).sample(using: &m)
        let (xa, _) = SyntheticTask.adding(length: T).sample(using: &a)
        #expect(xs.map(\.elements) == xa.map(\.elements))     // same inputs as the adding task
        let marked = xs.filter { $0[1] == 1 }.map { $0[0] }
        #expect(marked.count == 2 && close(y, marked[0] * marked[1]))
    }
    let task = SyntheticTask.multiplication(length: 20)
    #expect(task.inputSize == 2 && task.outputSize == 1 && !task.isClassification)
    // Sample mean of y ≈ 1/4 and ½·Var(y) ≈ 7/288 (E[y²] = 1/9 for two independent U(0,1) values).
    var r = Xoshiro256(seed: 6)
    let ys = (0..<20000).map { _ in task.sample(using: &r).target }
    let mean = ys.reduce(0, +) / Double(ys.count)
    let halfVar = 0.5 * ys.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(ys.count)
    #expect(abs(mean - 0.25) < 0.01 && abs(halfVar - 7.0 / 288) < 0.002)
}
