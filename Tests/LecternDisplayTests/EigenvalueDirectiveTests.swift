import Foundation
import Testing
@testable import LecternDisplay

// The expected LaTeX below is written from the math, not copied from output:
// for a 2×2 matrix det(A − λI) = λ² − tr(A) λ + det(A) and Δ = tr² − 4 det;
// for a 3×3 one det(λI − A) = λ³ − tr λ² + (M₁₁ + M₂₂ + M₃₃) λ − det, and
// λ = t + tr/3 gives t³ + p t + q with p = c₁ − tr²/3, q = −2tr³/27 + tr·c₁/3 − det.

@Suite struct EigenvalueDirective {
    @Test func allOnesMatrixFromTheSourceNotes() {
        // [[1,1],[1,1]]: tr = 2, det = 0, so λ² − 2λ = 0, Δ = 4, λ = (2 ± 2)/2 = 2 or 0.
        let s = shown { workEigenvalues([[1, 1], [1, 1]], file: "Lectures/06-eigen.md", line: 12, column: 1) }
        #expect(s.maths == [
            "A = \\begin{pmatrix} 1 & 1 \\\\ 1 & 1 \\end{pmatrix}, \\qquad A - \\lambda I = \\begin{pmatrix} 1 - \\lambda & 1 \\\\ 1 & 1 - \\lambda \\end{pmatrix}",
            "\\det(A - \\lambda I) = \\lambda^2 - \\operatorname{tr}(A)\\,\\lambda + \\det(A)",
            "\\begin{aligned} \\operatorname{tr}(A) &= 1 + 1 = 2 \\\\ \\det(A) &= 1 \\cdot 1 - 1 \\cdot 1 = 0 \\end{aligned}",
            "\\lambda^2 - 2\\lambda = 0",
            "\\Delta = \\operatorname{tr}(A)^2 - 4\\det(A) = 2^2 - 4 \\cdot 0 = 4 > 0",
            "\\lambda = \\frac{2 \\pm \\sqrt{4}}{2}: \\quad \\lambda_1 = 2, \\quad \\lambda_2 = 0",
            "\\lambda^2 - 2\\lambda = \\lambda(\\lambda - 2)",
        ])
        #expect(s.texts == ["$\\Delta > 0$: two distinct real roots."])
        #expect(s.tables.count == 1)
        #expect(s.tables[0].headers == ["", "root of the characteristic polynomial", "LAPACK (dgeev)",
                                        "$\\lvert\\lambda\\rvert$", "behaviour of $\\lambda^t$"])
        #expect(s.tables[0].rows == [["$\\lambda_1$", "2", "2", "2", "exploding"],
                                     ["$\\lambda_2$", "0", "0", "0", "vanishing"]])
        #expect(s.kinds == ["math", "math", "math", "math", "math", "text", "math", "math", "table", "check"])
        #expect(s.checks.count == 1)
        #expect(s.checks[0].passed)
        #expect(s.checks[0].message.hasPrefix("the roots of the characteristic polynomial agree with LAPACK's eigenvalues (dgeev)"))
        #expect(s.checks[0].file == "Lectures/06-eigen.md" && s.checks[0].line == 12 && s.checks[0].column == 1)
    }

    @Test func theCallsLocationIsTheDefault() {
        let line = #line + 1
        let s = shown { workEigenvalues([[2, 0], [0, 3]]) }
        #expect(s.checks.first?.file == #filePath)
        #expect(s.checks.first?.line == line)
    }

    @Test func complexPairOfTheQuarterTurn() {
        // [[0,−1],[1,0]]: tr = 0, det = 0·0 − (−1)·1 = 1, so λ² + 1 = 0, Δ = −4, λ = ±i, |λ| = 1.
        let s = shown { workEigenvalues([[0, -1], [1, 0]]) }
        #expect(s.maths[0] == "A = \\begin{pmatrix} 0 & -1 \\\\ 1 & 0 \\end{pmatrix}, \\qquad A - \\lambda I = \\begin{pmatrix} -\\lambda & -1 \\\\ 1 & -\\lambda \\end{pmatrix}")
        #expect(s.maths[2] == "\\begin{aligned} \\operatorname{tr}(A) &= 0 + 0 = 0 \\\\ \\det(A) &= 0 \\cdot 0 - (-1) \\cdot 1 = 1 \\end{aligned}")
        #expect(s.maths[3] == "\\lambda^2 + 1 = 0")
        #expect(s.maths[4] == "\\Delta = \\operatorname{tr}(A)^2 - 4\\det(A) = 0^2 - 4 \\cdot 1 = -4 < 0")
        #expect(s.texts == ["$\\Delta < 0$: a complex conjugate pair."])
        #expect(s.maths[5] == "\\lambda = \\pm\\frac{\\mathrm{i}\\sqrt{4}}{2}: \\quad \\lambda_{1,2} = \\pm \\mathrm{i}")
        #expect(s.maths.count == 6)  // no factored form over the reals
        #expect(s.tables[0].rows == [["$\\lambda_1$", "i", "i", "1", "stable, oscillating"],
                                     ["$\\lambda_2$", "-i", "-i", "1", "stable, oscillating"]])
        #expect(s.allPassed)
    }

    @Test func rotationBySixthOfPiHasTheConjugatePairOnTheUnitCircle() {
        // tr = 2cos(π/6) = √3 = 1.73205, det = 1, Δ = 3 − 4 = −1, λ = (√3 ± i)/2.
        let s = shown { workEigenvalues(Matrix.rotation(Double.pi / 6), name: "R") }
        #expect(s.maths[0] == "R = \\begin{pmatrix} 0.866025 & -0.5 \\\\ 0.5 & 0.866025 \\end{pmatrix}")
        #expect(s.maths[1] == "R - \\lambda I = \\begin{pmatrix} 0.866025 - \\lambda & -0.5 \\\\ 0.5 & 0.866025 - \\lambda \\end{pmatrix}")
        #expect(s.maths[3] == "\\begin{aligned} \\operatorname{tr}(R) &= 0.866025 + 0.866025 = 1.73205 \\\\ \\det(R) &= 0.866025 \\cdot 0.866025 - (-0.5) \\cdot 0.5 = 1 \\end{aligned}")
        #expect(s.maths[4] == "\\lambda^2 - 1.73205\\lambda + 1 = 0")
        #expect(s.maths[5] == "\\Delta = \\operatorname{tr}(R)^2 - 4\\det(R) = 1.73205^2 - 4 \\cdot 1 = -1 < 0")
        #expect(s.maths[6] == "\\lambda = \\frac{1.73205 \\pm \\mathrm{i}\\sqrt{1}}{2}: \\quad \\lambda_{1,2} = 0.866025 \\pm 0.5\\mathrm{i}")
        #expect(s.tables[0].rows.map { $0[4] } == ["stable, oscillating", "stable, oscillating"])
        #expect(s.allPassed)
    }

    @Test func defectiveMatrixHasARepeatedRoot() {
        // [[1,1],[0,1]]: tr = 2, det = 1, λ² − 2λ + 1 = (λ − 1)², Δ = 0; one eigenvector only.
        let s = shown { workEigenvalues([[1, 1], [0, 1]]) }
        #expect(s.maths[2] == "\\begin{aligned} \\operatorname{tr}(A) &= 1 + 1 = 2 \\\\ \\det(A) &= 1 \\cdot 1 - 1 \\cdot 0 = 1 \\end{aligned}")
        #expect(s.maths[3] == "\\lambda^2 - 2\\lambda + 1 = 0")
        #expect(s.maths[4] == "\\Delta = \\operatorname{tr}(A)^2 - 4\\det(A) = 2^2 - 4 \\cdot 1 = 0")
        #expect(s.texts == ["$\\Delta = 0$: a repeated real root."])
        #expect(s.maths[5] == "\\lambda_1 = \\lambda_2 = \\frac{\\operatorname{tr}(A)}{2} = \\frac{2}{2} = 1")
        #expect(s.maths[6] == "\\lambda^2 - 2\\lambda + 1 = (\\lambda - 1)^2")
        #expect(s.tables[0].rows.map { $0[4] } == ["stable", "stable"])
        #expect(s.allPassed)
        #expect(s.checks[0].message.contains("multiplicity 2"))
    }

    @Test func defectiveMatrixThatLAPACKSolvesOnlyToSquareRootOfEpsilon() {
        // [[2,1],[−1,0]]: tr = 2, det = 0·2 − 1·(−1) = 1, so (λ − 1)² again, but not triangular:
        // dgeev's two eigenvalues straddle 1 by about √ε, which the tolerance allows.
        let work = EigenvalueWork.make([[2, 1], [-1, 0]])
        #expect(work.roots?.kind == .repeatedReal)
        #expect(work.roots?.values == [Complex(1, 0), Complex(1, 0)])
        #expect(work.passed)
        let spread = work.eigenvalues.map { ($0 - Complex(1, 0)).length }.max() ?? 0
        #expect(spread <= EigenvalueWork.tolerance(multiplicity: 2, scale: work.polynomial!.scale))
        #expect(EigenvalueWork.tolerance(multiplicity: 1, scale: 1) == 1e-9)
    }

    @Test func seedMatrixIsSolvedAsPlusMinusOne() {
        // The source notes' Q = [[1/√2, −1/√2], [−1/√2, −1/√2]]: tr = 0, det = −1/2 − 1/2 = −1, λ² − 1 = 0.
        let s = 1 / 2.0.squareRoot()
        let out = shown { workEigenvalues([[s, -s], [-s, -s]], name: "Q") }
        #expect(out.maths[3] == "\\begin{aligned} \\operatorname{tr}(Q) &= 0.707107 - 0.707107 = 0 \\\\ "
            + "\\det(Q) &= 0.707107 \\cdot (-0.707107) - (-0.707107) \\cdot (-0.707107) = -1 \\end{aligned}")
        #expect(out.maths[4] == "\\lambda^2 - 1 = 0")
        #expect(out.maths[6] == "\\lambda = \\pm\\frac{\\sqrt{4}}{2}: \\quad \\lambda_1 = 1, \\quad \\lambda_2 = -1")
        #expect(out.maths[7] == "\\lambda^2 - 1 = (\\lambda - 1)(\\lambda + 1)")
        #expect(out.tables[0].rows.map { $0[4] } == ["stable", "stable, oscillating"])
        #expect(out.allPassed)
    }

    @Test func diagonalThreeByThree() {
        // diag(1, 2, 3): tr = 6, M₁₁ = 6, M₂₂ = 3, M₃₃ = 2, det = 6: λ³ − 6λ² + 11λ − 6.
        // p = 11 − 36/3 = −1, q = −16 + 22 − 6 = 0, Δ = −4p³ = 4.
        let s = shown { workEigenvalues([[1, 0, 0], [0, 2, 0], [0, 0, 3]]) }
        #expect(s.maths == [
            "A = \\begin{pmatrix} 1 & 0 & 0 \\\\ 0 & 2 & 0 \\\\ 0 & 0 & 3 \\end{pmatrix}, \\qquad A - \\lambda I = \\begin{pmatrix} 1 - \\lambda & 0 & 0 \\\\ 0 & 2 - \\lambda & 0 \\\\ 0 & 0 & 3 - \\lambda \\end{pmatrix}",
            "\\det(\\lambda I - A) = \\lambda^3 - \\operatorname{tr}(A)\\,\\lambda^2 + (M_{11} + M_{22} + M_{33})\\,\\lambda - \\det(A)",
            "\\begin{aligned} \\operatorname{tr}(A) &= 1 + 2 + 3 = 6 \\\\ M_{11} + M_{22} + M_{33} &= 6 + 3 + 2 = 11 \\\\ "
                + "\\det(A) &= a_{11}M_{11} - a_{12}M_{12} + a_{13}M_{13} \\\\ &= 1 \\cdot 6 - 0 \\cdot 0 + 0 \\cdot 0 = 6 \\end{aligned}",
            "\\lambda^3 - 6\\lambda^2 + 11\\lambda - 6 = 0",
            "\\begin{aligned} \\lambda &= t + \\tfrac{\\operatorname{tr}(A)}{3} = t + 2 \\;\\Rightarrow\\; t^3 + p\\,t + q = 0 \\\\ "
                + "p &= -1, \\quad q = 0 \\\\ \\Delta &= -(4p^3 + 27q^2) = 4 > 0 \\end{aligned}",
            "t_k = 2\\sqrt{-p/3}\\,\\cos\\Big(\\tfrac{1}{3}\\arccos\\big(\\tfrac{3q}{2p}\\sqrt{-3/p}\\big) - \\tfrac{2\\pi k}{3}\\Big), \\quad k = 0, 1, 2",
            "\\lambda_1 = 3, \\quad \\lambda_2 = 2, \\quad \\lambda_3 = 1",
            "\\lambda^3 - 6\\lambda^2 + 11\\lambda - 6 = (\\lambda - 3)(\\lambda - 2)(\\lambda - 1)",
        ])
        #expect(s.texts == ["Here $a_{ij}$ are the entries of $A$ and $M_{ij}$ is the minor of $A$ without row $i$ and column $j$.",
                            "$\\Delta > 0$: three distinct real roots."])
        #expect(s.kinds == ["math", "math", "text", "math", "math", "math", "text", "math", "math", "math", "table", "check"])
        #expect(s.tables[0].rows.map { $0[4] } == ["exploding", "exploding", "stable"])
        #expect(s.allPassed)
    }

    @Test func tridiagonalThreeByThree() {
        // [[2,1,0],[1,2,1],[0,1,2]]: tr = 6; M₁₁ = 4 − 1 = 3, M₂₂ = 4 − 0 = 4, M₃₃ = 4 − 1 = 3 (sum 10);
        // M₁₂ = 1·2 − 1·0 = 2, M₁₃ = 1·1 − 2·0 = 1, det = 2·3 − 1·2 + 0·1 = 4.
        // λ³ − 6λ² + 10λ − 4; p = 10 − 12 = −2, q = −16 + 20 − 4 = 0, Δ = −4(−8) = 32;
        // roots 2 + √2 = 3.41421, 2, 2 − √2 = 0.585786.
        let s = shown { workEigenvalues([[2, 1, 0], [1, 2, 1], [0, 1, 2]]) }
        #expect(s.maths[2] == "\\begin{aligned} \\operatorname{tr}(A) &= 2 + 2 + 2 = 6 \\\\ M_{11} + M_{22} + M_{33} &= 3 + 4 + 3 = 10 \\\\ "
            + "\\det(A) &= a_{11}M_{11} - a_{12}M_{12} + a_{13}M_{13} \\\\ &= 2 \\cdot 3 - 1 \\cdot 2 + 0 \\cdot 1 = 4 \\end{aligned}")
        #expect(s.maths[3] == "\\lambda^3 - 6\\lambda^2 + 10\\lambda - 4 = 0")
        #expect(s.maths[4] == "\\begin{aligned} \\lambda &= t + \\tfrac{\\operatorname{tr}(A)}{3} = t + 2 \\;\\Rightarrow\\; t^3 + p\\,t + q = 0 \\\\ "
            + "p &= -2, \\quad q = 0 \\\\ \\Delta &= -(4p^3 + 27q^2) = 32 > 0 \\end{aligned}")
        #expect(s.maths[6] == "\\lambda_1 = 3.41421, \\quad \\lambda_2 = 2, \\quad \\lambda_3 = 0.585786")
        #expect(s.maths[7] == "\\lambda^3 - 6\\lambda^2 + 10\\lambda - 4 = (\\lambda - 3.41421)(\\lambda - 2)(\\lambda - 0.585786)")
        #expect(s.tables[0].rows.map { $0[4] } == ["exploding", "exploding", "vanishing"])
        #expect(s.allPassed)
    }

    @Test func threeByThreeWithAComplexPair() {
        // [[0,−1,0],[1,0,0],[0,0,2]]: tr = 2, M₁₁ = 0, M₂₂ = 0, M₃₃ = 1, M₁₂ = 2, M₁₃ = 0,
        // det = 0·0 − (−1)·2 + 0·0 = 2: λ³ − 2λ² + λ − 2 = (λ − 2)(λ² + 1).
        // p = 1 − 4/3 = −1/3, q = −16/27 + 2/3 − 2 = −52/27 = −1.92593, Δ = 4/27 − 2704/27 = −100.
        let s = shown { workEigenvalues([[0, -1, 0], [1, 0, 0], [0, 0, 2]]) }
        #expect(s.maths[2].hasSuffix("\\\\ &= 0 \\cdot 0 - (-1) \\cdot 2 + 0 \\cdot 0 = 2 \\end{aligned}"))
        #expect(s.maths[3] == "\\lambda^3 - 2\\lambda^2 + \\lambda - 2 = 0")
        #expect(s.maths[4] == "\\begin{aligned} \\lambda &= t + \\tfrac{\\operatorname{tr}(A)}{3} = t + 0.666667 \\;\\Rightarrow\\; t^3 + p\\,t + q = 0 \\\\ "
            + "p &= -0.333333, \\quad q = -1.92593 \\\\ \\Delta &= -(4p^3 + 27q^2) = -100 < 0 \\end{aligned}")
        #expect(s.texts[1] == "$\\Delta < 0$: one real root and a complex conjugate pair.")
        #expect(s.maths[5].hasSuffix(", \\quad \\lambda_1 = 2"))
        #expect(s.maths[6] == "\\lambda^3 - 2\\lambda^2 + \\lambda - 2 = (\\lambda - 2)(\\lambda^2 + 1)")
        #expect(s.maths[7] == "\\lambda^2 + 1 = 0: \\quad \\lambda_{2,3} = \\pm \\mathrm{i}")
        #expect(s.tables[0].rows.map { $0[4] } == ["exploding", "stable, oscillating", "stable, oscillating"])
        #expect(s.allPassed)
    }

    @Test func jordanBlockOfSizeThreeHasATripleRoot() {
        // [[2,1,0],[0,2,1],[0,0,2]]: tr = 6, minors 4 + 4 + 4 = 12, det = 8: (λ − 2)³, p = 12 − 12 = 0,
        // q = −16 + 24 − 8 = 0.
        let s = shown { workEigenvalues([[2, 1, 0], [0, 2, 1], [0, 0, 2]]) }
        #expect(s.maths[3] == "\\lambda^3 - 6\\lambda^2 + 12\\lambda - 8 = 0")
        #expect(s.maths[4].hasSuffix("p &= 0, \\quad q = 0 \\\\ \\Delta &= -(4p^3 + 27q^2) = 0 \\end{aligned}"))
        #expect(s.texts[1] == "$p = q = 0$: a triple root.")
        #expect(s.maths[5] == "\\lambda_1 = \\lambda_2 = \\lambda_3 = \\tfrac{\\operatorname{tr}(A)}{3} = 2")
        #expect(s.maths[6] == "\\lambda^3 - 6\\lambda^2 + 12\\lambda - 8 = (\\lambda - 2)^3")
        #expect(s.allPassed)
        #expect(s.checks[0].message.contains("multiplicity 3"))
    }

    @Test func doubleAndSimpleRoot() {
        // diag(1, 1, 2): tr = 4, minors 2 + 2 + 1 = 5, det = 2: λ³ − 4λ² + 5λ − 2 = (λ − 1)²(λ − 2).
        // p = 5 − 16/3 = −1/3, q = −128/27 + 20/3 − 2 = −2/27 = −0.0740741, Δ = 4/27 − 4/27 = 0.
        let s = shown { workEigenvalues(Matrix.diagonal([1, 1, 2])) }
        #expect(s.maths[4] == "\\begin{aligned} \\lambda &= t + \\tfrac{\\operatorname{tr}(A)}{3} = t + 1.33333 \\;\\Rightarrow\\; t^3 + p\\,t + q = 0 \\\\ "
            + "p &= -0.333333, \\quad q = -0.0740741 \\\\ \\Delta &= -(4p^3 + 27q^2) = 0 \\end{aligned}")
        #expect(s.texts[1] == "$\\Delta = 0$: a double root and a simple root.")
        #expect(s.maths[5] == "t = -\\tfrac{3q}{2p} \\text{ (double)}, \\quad t = \\tfrac{3q}{p}: \\quad \\lambda_1 = 2, \\quad \\lambda_2 = \\lambda_3 = 1")
        #expect(s.maths[6] == "\\lambda^3 - 4\\lambda^2 + 5\\lambda - 2 = (\\lambda - 2)(\\lambda - 1)^2")
        #expect(s.allPassed)
    }

    @Test func largerMatricesGetATableCheckedAgainstTraceAndDeterminant() {
        // diag(0.5, 1, −1.2, 2): Σλ = 2.3 = tr, Πλ = −1.2 = det; by decreasing |λ|: 2, −1.2, 1, 0.5.
        let s = shown { workEigenvalues(Matrix.diagonal([0.5, 1, -1.2, 2])) }
        #expect(s.kinds == ["math", "text", "table", "check", "check"])
        #expect(s.tables[0].rows == [["$\\lambda_1$", "2", "2", "exploding"],
                                     ["$\\lambda_2$", "-1.2", "1.2", "exploding, oscillating"],
                                     ["$\\lambda_3$", "1", "1", "stable"],
                                     ["$\\lambda_4$", "0.5", "0.5", "vanishing"]])
        #expect(s.checks.map(\.passed) == [true, true])
        #expect(s.checks[0].message.hasPrefix("Σλ = tr(A): holds (Σλ = 2.3, tr = 2.3"))
        #expect(s.checks[1].message.hasPrefix("Πλ = det(A): holds (Πλ = -1.2, det = -1.2"))
    }

    @Test func badInputIsAFailingCheckNotACrash() {
        let s = shown { workEigenvalues(Matrix(rows: 2, cols: 3), file: "L.md", line: 3, column: 1) }
        #expect(s.kinds == ["check"])
        #expect(!s.checks[0].passed)
        #expect(s.checks[0].message == "workEigenvalues: needs a non-empty square matrix, got 2×3")
        let n = shown { workEigenvalues([[1, .nan], [0, 1]]) }
        #expect(n.checks.map(\.passed) == [false])
        let huge = shown { workEigenvalues([[1e200, 1e200], [1e200, 1e200]]) }
        #expect(huge.checks.map(\.message) == ["workEigenvalues: ‖A‖_F = 2e200 is too large to work by hand "
            + "(its discriminant would leave the range of Double); scale the matrix first"])
        let tiny = shown { workEigenvalues(Matrix.diagonal([1e-60, 2e-60, 3e-60])) }
        #expect(tiny.checks.map(\.passed) == [false])
        #expect(tiny.checks[0].message.contains("is too small to work by hand"))
    }
}

/// The agreement between the characteristic roots and LAPACK must fail loudly when it does not hold.
@Suite struct RootAgreement {
    @Test func perturbedRootFails() {
        let (_, r) = EigenvalueWork.compare(roots: [Complex(2, 0), Complex(0, 0)], multiplicities: [1, 1],
                                            eigenvalues: [Complex(0.001, 0), Complex(2, 0)], scale: 2)
        #expect(!r.passed)
        #expect(r.message == "the roots of the characteristic polynomial disagree with LAPACK's eigenvalues (dgeev): "
            + "root 0 and eigenvalue 0.001 differ by 0.001, allowed 2e-9")
        #expect(r.expected == "[2, 0]")
        #expect(r.actual == "[2, 0.001]")  // LAPACK's values in the order of the roots
    }

    @Test func pairingIgnoresLAPACKsOrder() {
        let (paired, r) = EigenvalueWork.compare(roots: [Complex(3, 0), Complex(1, 1), Complex(1, -1)], multiplicities: [1, 1, 1],
                                                 eigenvalues: [Complex(1, -1), Complex(3, 0), Complex(1, 1)], scale: 4)
        #expect(r.passed)
        #expect(paired == [Complex(3, 0), Complex(1, 1), Complex(1, -1)])
    }

    @Test func squareRootOfEpsilonIsAllowedOnlyForARepeatedRoot() {
        let spread = [Complex(1 + 1e-8, 0), Complex(1 - 1e-8, 0)]
        let double = EigenvalueWork.compare(roots: [Complex(1, 0), Complex(1, 0)], multiplicities: [2, 2],
                                            eigenvalues: spread, scale: 3.0.squareRoot())
        #expect(double.result.passed)
        let simple = EigenvalueWork.compare(roots: [Complex(1, 0), Complex(1, 0)], multiplicities: [1, 1],
                                            eigenvalues: spread, scale: 3.0.squareRoot())
        #expect(!simple.result.passed)
    }

    @Test func countMismatchFails() {
        let (_, r) = EigenvalueWork.compare(roots: [Complex(1, 0)], multiplicities: [1],
                                            eigenvalues: [Complex(1, 0), Complex(2, 0)], scale: 1)
        #expect(!r.passed)
    }

    @Test func aDisagreementIsEmittedAsAFailingCheckAtTheCall() {
        var w = WorkedExample()
        w.math("\\lambda = 0")
        w.check(EigenvalueWork.compare(roots: [Complex(0, 0)], multiplicities: [1], eigenvalues: [Complex(1e-3, 0)], scale: 1).result)
        #expect(!w.passed)
        let records = collectRecords { w.emit(file: "Lectures/06-eigen.md", line: 40, column: 1) }
        guard case let .check(c) = records.last else {
            Issue.record("no check record"); return
        }
        #expect(!c.passed)
        #expect(c.message.contains("disagree"))
        #expect(c.file == "Lectures/06-eigen.md" && c.line == 40 && c.column == 1)
    }
}

@Suite struct DirectivePieces {
    @Test func polynomialsAreWrittenCleanly() {
        #expect(TeX.polynomial(["1", "-2", "0"]) == "\\lambda^2 - 2\\lambda")
        #expect(TeX.polynomial(["1", "0", "1"]) == "\\lambda^2 + 1")
        #expect(TeX.polynomial(["1", "-1", "-1"]) == "\\lambda^2 - \\lambda - 1")
        #expect(TeX.polynomial(["1", "1.5e-7", "-1"]) == "\\lambda^2 + (1.5 \\times 10^{-7})\\,\\lambda - 1")
        #expect(TeX.polynomial(["-1", "1", "0", "-6"]) == "-\\lambda^3 + \\lambda^2 - 6")
        #expect(TeX.polynomial(["0", "0"]) == "0")
        #expect(TeX.polynomial(["1", "0", "0"], variable: "t") == "t^2")
    }

    @Test func factoredForms() {
        #expect(TeX.factored([("2", 1), ("0", 1)]) == "\\lambda(\\lambda - 2)")
        #expect(TeX.factored([("1", 2)]) == "(\\lambda - 1)^2")
        #expect(TeX.factored([("-0.5", 1), ("3", 2)]) == "(\\lambda + 0.5)(\\lambda - 3)^2")
    }

    @Test func anglesAsFractionsOfPi() {
        #expect(TeX.piFraction(Double.pi / 6) == "\\tfrac{\\pi}{6}")
        #expect(TeX.piFraction(-3 * Double.pi / 4) == "-\\tfrac{3\\pi}{4}")
        #expect(TeX.piFraction(Double.pi) == "\\pi")
        #expect(TeX.piFraction(1) == nil)
        #expect(TeX.angle(Double.pi / 6) == "0.523599 = \\tfrac{\\pi}{6} = 30^\\circ")
        #expect(TeX.angle(1) == "1 = 57.2958^\\circ")
    }

    @Test func factorsAndSums() {
        #expect(TeX.factor("-2") == "(-2)")
        #expect(TeX.factor("1.5 \\times 10^{-7}") == "(1.5 \\times 10^{-7})")
        #expect(TeX.factor("0.5") == "0.5")
        #expect(TeX.sum(["1", "-2", "3"]) == "1 - 2 + 3")
    }

    @Test func regimes() {
        #expect(Regime.of(Complex(0.9, 0)).description == "vanishing")
        #expect(Regime.of(Complex(1 + 1e-12, 0)).description == "stable")
        #expect(Regime.of(Complex(-1.1, 0)).description == "exploding, oscillating")
        #expect(Regime.of(Complex(0, 1)).description == "stable, oscillating")
        // A LAPACK zero such as −2.2e-16 next to an eigenvalue 2 is 0: vanishing, not oscillating.
        #expect(Regime.of(Complex(-2.2e-16, 0), scale: 2).description == "vanishing")
    }
}

/// The agreement check must not raise false alarms: over many matrices the
/// hand-formula roots and LAPACK agree within the stated tolerance.
@Suite struct RootAgreementHoldsWidely {
    @Test func randomGaussianIntegerAndScaledMatrices() {
        var rng = Xoshiro256(seed: 7)
        var failures: [String] = []
        for trial in 0..<3000 {
            let n = 2 + trial % 2
            var a: Matrix
            switch trial % 5 {
            case 0: a = Matrix.gaussian(n, n, using: &rng)
            case 1: a = Matrix(rows: n, cols: n) { _, _ in Double(rng.int(below: 7)) - 3 }
            case 2: a = Matrix.gaussian(n, n, using: &rng) * 1e-8
            case 3: a = Matrix.gaussian(n, n, using: &rng) * 1e8
            default: a = Matrix.randomOrthogonal(n, using: &rng)
            }
            let w = EigenvalueWork.make(a)
            if !w.passed { failures.append("\(a.rowArrays): \(w.example.checks.map(\.message))") }
        }
        #expect(failures.isEmpty, "\(failures.count) disagreements, first: \(failures.first ?? "")")
    }

    @Test func defectiveMatricesHiddenBySimilarity() {
        // S J S⁻¹ with a Jordan block J: repeated roots that LAPACK finds only to ε^(1/m).
        var rng = Xoshiro256(seed: 11)
        var failures: [String] = []
        for trial in 0..<500 {
            let three = trial % 2 == 1
            let lambda = Double(rng.int(below: 5)) - 2
            let j: Matrix = three ? [[lambda, 1, 0], [0, lambda, 1], [0, 0, lambda]] : [[lambda, 1], [0, lambda]]
            let s = Matrix(rows: j.rows, cols: j.rows) { i, k in Double(rng.int(below: 5)) - 2 + (i == k ? 3 : 0) }
            guard let inv = try? s.inverse(), Swift.abs(s.det) > 0.5 else { continue }
            let w = EigenvalueWork.make(s * j * inv)
            if !w.passed { failures.append("\((s * j * inv).rowArrays): \(w.example.checks.map(\.message))") }
            if w.roots?.kind != (three ? .triple : .repeatedReal) { failures.append("case \(String(describing: w.roots?.kind)) for \((s * j * inv).rowArrays)") }
        }
        #expect(failures.isEmpty, "\(failures.count) problems, first: \(failures.first ?? "")")
    }
}
