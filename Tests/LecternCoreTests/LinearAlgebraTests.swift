import Testing
import Numerics
@testable import LecternCore

// MARK: Textbook identities

@Test func eigenvaluesOfAllOnes() throws {
    let A: Matrix = [[1, 1], [1, 1]]
    let ev = try A.eigenvalues().map { $0.real }.sorted()
    #expect(close(ev[0], 0) && close(ev[1], 2))
    #expect(try A.eigenvalues().allSatisfy { $0.imaginary == 0 })
}

@Test func rotationEigenvaluesAreUnitComplex() throws {
    for theta in [0.3, 1.0, 2.5] {
        let ev = try Matrix.rotation(theta).eigenvalues().sorted { $0.imaginary > $1.imaginary }
        #expect(close(ev[0].real, Double.cos(theta)) && close(ev[0].imaginary, Double.sin(theta)))
        #expect(close(ev[1].real, Double.cos(theta)) && close(ev[1].imaginary, -Double.sin(theta)))
        #expect(close(Matrix.rotation(theta).spectralRadius, 1))
    }
}

@Test func eigenvectorsSatisfyDefinition() throws {
    let A: Matrix = [[2, -1, 0.5], [1, 3, -2], [0.5, 4, 1]]
    let e = try A.eigen()
    for (lam, v) in zip(e.values, e.vectors) {
        for i in 0..<3 {
            var av = Complex<Double>(0, 0)
            for j in 0..<3 { av = av + Complex(A[i, j], 0) * v[j] }
            #expect((av - lam * v[i]).length < 1e-12)
        }
    }
}

@Test func qrIsOrthogonalTimesTriangular() throws {
    var rng = Xoshiro256(seed: 7)
    let A = Matrix.gaussian(5, 3, using: &rng)
    let f = try A.qr()
    #expect(close(f.Q.T * f.Q, .identity(3)))
    #expect(close(f.Q * f.R, A))
    for i in 0..<3 { for j in 0..<i { #expect(f.R[i, j] == 0) } }
}

@Test func determinantIsMultiplicative() throws {
    var rng = Xoshiro256(seed: 11)
    let A = Matrix.gaussian(4, 4, using: &rng), B = Matrix.gaussian(4, 4, using: &rng)
    #expect(close(try (A * B).determinant(), try A.determinant() * B.determinant(), 1e-11))
    #expect(close(Matrix.identity(3).det, 1))
}

@Test func svdReconstructs() throws {
    var rng = Xoshiro256(seed: 3)
    for (r, c) in [(4, 4), (5, 3), (3, 6)] {
        let A = Matrix.gaussian(r, c, using: &rng)
        let s = try A.svd()
        #expect(close(s.reconstructed, A, 1e-12))
        let full = try A.svd(full: true)
        #expect(full.U.rows == r && full.U.cols == r && full.Vt.rows == c)
        #expect(close(full.reconstructed, A, 1e-12))
        #expect(close(try A.singularValues(), s.singularValues))
    }
}

@Test func luFactorsAndSolves() throws {
    let A: Matrix = [[0, 2, 1], [1, 1, 1], [2, 1, 3]]
    let f = try A.lu()
    #expect(close(f.P * A, f.L * f.U))
    let x: Vector = [1, -2, 0.5]
    #expect(close(try A.solve(A * x), x))
    #expect(close(try A.inverse() * A, .identity(3)))
}

@Test func symmetricEigenDiagonalises() throws {
    let S: Matrix = [[4, 1, 2], [1, 3, 0], [2, 0, 5]]
    let e = try S.symmetricEigen()
    #expect(close(e.vectors * .diagonal(e.values) * e.vectors.T, S))
    #expect(e.vectors.isOrthogonal())
}

// MARK: Values from numpy 2.4 (OpenBLAS 0.3.31)
//
// import numpy as np
// A = np.array([[2,-1,0.5],[1,3,-2],[0.5,4,1]])
// np.linalg.eigvals(A); np.linalg.svd(A, compute_uv=False); np.linalg.det(A); np.linalg.inv(A)
// np.linalg.norm(A,'fro'), np.linalg.norm(A,2), np.linalg.norm(A,1), np.linalg.norm(A,np.inf)
// np.linalg.cond(A); max(abs(np.linalg.eigvals(A))); np.linalg.solve(A, [1.,2.,3.])
// S = np.array([[4,1,2],[1,3,0],[2,0,5]]); np.linalg.eigh(S)[0]
// B = np.array([[1,2],[3,4],[5,6]]); np.linalg.svd(B, compute_uv=False)

let numpyA: Matrix = [[2, -1, 0.5], [1, 3, -2], [0.5, 4, 1]]

@Test func numpyEigenvalues() throws {
    let ev = try numpyA.eigenvalues().sorted { ($0.real, $0.imaginary) < ($1.real, $1.imaginary) }
    let ref: [(Double, Double)] = [(1.887825296871525, -2.7906539541953026),
                                   (1.887825296871525, 2.7906539541953026), (2.224349406256953, 0)]
    for (e, r) in zip(ev, ref) { #expect(close(e.real, r.0) && close(e.imaginary, r.1)) }
    #expect(close(numpyA.spectralRadius, 3.369218580557506))
}

@Test func numpySingularValuesAndNorms() throws {
    #expect(close(try numpyA.singularValues(), [5.169789655083641, 2.2455971983262137, 2.174986929859495]))
    let B: Matrix = [[1, 2], [3, 4], [5, 6]]
    #expect(close(try B.singularValues(), [9.525518091565107, 0.514300580658644]))
    #expect(close(numpyA.frobeniusNorm, 6.041522986797286))
    #expect(close(numpyA.spectralNorm, 5.169789655083641))
    #expect(numpyA.norm1 == 8.0 && numpyA.normInf == 6.0)
    #expect(close(try numpyA.norm(.spectral), 5.169789655083641))
    #expect(close(numpyA.conditionNumber, 2.3769290675312758))
}

@Test func numpyDeterminantInverseSolve() throws {
    #expect(close(try numpyA.determinant(), 25.25))
    let inv: Matrix = [[0.43564356435643564, 0.1188118811881188, 0.019801980198019806],
                       [-0.0792079207920792, 0.0693069306930693, 0.1782178217821782],
                       [0.099009900990099, -0.3366336633663366, 0.2772277227722772]]
    #expect(close(try numpyA.inverse(), inv))
    #expect(close(try numpyA.solve([1, 2, 3]), [0.7326732673267327, 0.594059405940594, 0.2574257425742574]))
}

@Test func numpySymmetricEigenvalues() throws {
    let S: Matrix = [[4, 1, 2], [1, 3, 0], [2, 0, 5]]
    #expect(close(try S.symmetricEigen().values, [1.8548973087995761, 3.4760236029181333, 6.669079088282287]))
}

// MARK: Operations

@Test func operationsBasics() {
    let A: Matrix = [[1, 2], [3, 4]], B: Matrix = [[0, 1], [1, 0]]
    #expect(A * B == [[2, 1], [4, 3]])
    #expect(A.T == [[1, 3], [2, 4]] && A.transposed == A.T)
    #expect(A + B == [[1, 3], [4, 4]] && A - B == [[1, 1], [2, 4]])
    #expect(2 * A == [[2, 4], [6, 8]] && A / 2 == [[0.5, 1], [1.5, 2]])
    #expect(A .* B == [[0, 2], [3, 0]] && A.map { $0 * $0 } == [[1, 4], [9, 16]])
    #expect(A * Vector([1, 1]) == [3, 7])
    #expect(Matrix.identity(2) == [[1, 0], [0, 1]] && Matrix.diagonal([2, 3]) == [[2, 0], [0, 3]])
    let v: Vector = [3, 4]
    #expect(v.norm == 5 && v.norm1 == 7 && v.normInf == 4 && dot(v, v) == 25)
    #expect(v.outer([1, 2]) == [[3, 6], [4, 8]])
    #expect(A.power(3) == A * A * A)
    #expect(Matrix(columns: [[1, 3], [2, 4]]) == A)
}

@Test func largeMatmulMatchesNaive() {
    var rng = Xoshiro256(seed: 5)
    let A = Matrix.gaussian(7, 5, using: &rng), B = Matrix.gaussian(5, 6, using: &rng)
    let naive = Matrix(rows: 7, cols: 6) { i, j in (0..<5).reduce(0) { $0 + A[i, $1] * B[$1, j] } }
    #expect(close(A * B, naive))
}

// MARK: Bad input

@Test func nanInputThrows() {
    let bad: Matrix = [[1, .nan], [0, 1]]
    let inf: Matrix = [[1, .infinity], [0, 1]]
    #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "eigenvalues (dgeev)")) { try bad.eigenvalues() }
    #expect(throws: LinearAlgebraError.self) { try inf.eigen() }
    #expect(throws: LinearAlgebraError.self) { try bad.svd() }
    #expect(throws: LinearAlgebraError.self) { try bad.singularValues() }
    #expect(throws: LinearAlgebraError.self) { try bad.qr() }
    #expect(throws: LinearAlgebraError.self) { try bad.lu() }
    #expect(throws: LinearAlgebraError.self) { try inf.symmetricEigen() }
    #expect(throws: LinearAlgebraError.self) { try bad.checkedSpectralRadius() }
    #expect(throws: LinearAlgebraError.self) { try EigenvalueWorkspace(size: 2).eigenvalues(bad) }
}

@Test func structuralErrorsThrow() throws {
    let rect: Matrix = [[1, 2, 3], [4, 5, 6]]
    #expect(throws: LinearAlgebraError.notSquare(operation: "eigenvalues", shape: "2×3")) { try rect.eigenvalues() }
    #expect(throws: LinearAlgebraError.singular(routine: "dgetrf", pivot: 2)) { try Matrix([[1, 1], [1, 1]]).inverse() }
    #expect(throws: LinearAlgebraError.self) { try Matrix([[1, 2], [3, 4]]).solve(Vector([1, 2, 3])) }
    #expect(throws: LinearAlgebraError.self) { try Matrix([[1, 2], [0, 1]]).symmetricEigen() }
    #expect(throws: LinearAlgebraError.self) { try Matrix.zeros(2, 2).rescaled(toSpectralRadius: 1) }
    #expect(try Matrix([[1, 1], [1, 1]]).determinant() == 0)
}

@Test func errorMessagesNameShapesAndRoutines() {
    let msg = shapeMismatchMessage("Matrix * Matrix", (2, 3), (4, 5))
    #expect(msg.contains("2×3") && msg.contains("4×5"))
    #expect(lengthMismatchMessage("Vector + Vector", 3, 4).contains("3") )
    #expect(LinearAlgebraError.lapack(routine: "dgesdd", info: 3).description.contains("dgesdd"))
    #expect(LinearAlgebraError.singular(routine: "dgetrf", pivot: 2).description.contains("dgetrf"))
    #expect(LinearAlgebraError.dimensionMismatch(operation: "solve", lhs: "2×2", rhs: "3").description.contains("2×2"))
}

@Test func workspaceMatchesOneShot() throws {
    let ws = EigenvalueWorkspace(size: 3)
    #expect(try ws.eigenvalues(numpyA) == numpyA.eigenvalues())
    #expect(close(try ws.spectralRadius(numpyA), 3.369218580557506))
    let ws2 = EigenvalueWorkspace(size: 2)
    for k in 0..<100 {
        let th = Double(k) * 0.01
        #expect(close(try ws2.spectralRadius(Matrix.rotation(th)), 1))
    }
}
