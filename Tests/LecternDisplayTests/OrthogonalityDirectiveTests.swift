import Foundation
import Testing
@testable import LecternDisplay

@Suite struct OrthogonalityDirective {
    /// The matrix the source notes present under "Example: 2D Rotation Matrix".
    static let seedQ: Matrix = {
        let s = 1 / 2.0.squareRoot()
        return [[s, -s], [-s, -s]]
    }()

    @Test func theSourceNotesRotationIsAReflection() {
        // QᵀQ = I (each column has 1/2 + 1/2 = 1, the columns' dot product is −1/2 + 1/2 = 0), but
        // det Q = (1/√2)(−1/√2) − (−1/√2)(−1/√2) = −1/2 − 1/2 = −1: a reflection, eigenvalues ±1.
        // Its mirror line: Q = [[cos 2φ, sin 2φ], [sin 2φ, −cos 2φ]] with 2φ = atan2(−1/√2, 1/√2) = −π/4,
        // so φ = −π/8 = −22.5°, u = (cos π/8, −sin π/8) = (0.92388, −0.382683).
        let s = shown { workOrthogonality(Self.seedQ) }
        #expect(s.maths[0] == "Q = \\begin{pmatrix} 0.707107 & -0.707107 \\\\ -0.707107 & -0.707107 \\end{pmatrix}")
        #expect(s.maths[1] == "Q^\\top Q = \\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}, \\qquad I = \\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}")
        #expect(s.maths[2].hasPrefix("\\max_{i,j} \\lvert (Q^\\top Q - I)_{ij} \\rvert = "))
        #expect(s.maths[2].hasSuffix(" \\le 10^{-10}"))
        #expect(s.maths[3] == "\\begin{aligned} \\det(Q) &= q_{11}q_{22} - q_{12}q_{21} \\\\ "
            + "&= 0.707107 \\cdot (-0.707107) - (-0.707107) \\cdot (-0.707107) = -1 \\end{aligned}")
        #expect(s.maths[4] == "\\begin{aligned} \\varphi &= \\tfrac{1}{2}\\operatorname{atan2}(q_{21}, q_{11}) = \\tfrac{1}{2}\\operatorname{atan2}(-0.707107, 0.707107) \\\\ "
            + "&= -0.392699 = -\\tfrac{\\pi}{8} = -22.5^\\circ \\end{aligned}")
        #expect(s.maths[5] == "\\begin{aligned} u &= \\begin{pmatrix} 0.92388 \\\\ -0.382683 \\end{pmatrix}, & Qu &= \\begin{pmatrix} 0.92388 \\\\ -0.382683 \\end{pmatrix} \\\\ "
            + "n &= \\begin{pmatrix} 0.382683 \\\\ 0.92388 \\end{pmatrix}, & Qn &= \\begin{pmatrix} -0.382683 \\\\ -0.92388 \\end{pmatrix} \\end{aligned}")
        #expect(s.texts[0] == "$Q$ is orthogonal ($Q^\\top Q = I$ within 1e-10) and $\\det(Q) = -1$: a reflection.")
        #expect(!s.texts.joined().contains("rotation"))
        #expect(s.tables[0].headers == ["", "$\\lambda$ (LAPACK dgeev)", "$\\lvert\\lambda\\rvert$", "$\\arg\\lambda$", "behaviour of $\\lambda^t$"])
        let rows = s.tables[0].rows.map { Array($0.dropFirst()) }.sorted { $0[0] > $1[0] }
        #expect(rows == [["1", "1", "0°", "stable"], ["-1", "1", "180°", "stable, oscillating"]].sorted { $0[0] > $1[0] })
        #expect(s.checks.count == 4)
        #expect(s.allPassed)
        let work = OrthogonalityWork.make(Self.seedQ)
        #expect(work.kind == .reflection)
        #expect(Swift.abs(work.angle! + Double.pi / 8) < 1e-15)
    }

    @Test func rotationBySixthOfPi() {
        // R(π/6) = [[cos, −sin], [sin, cos]] = [[0.866025, −0.5], [0.5, 0.866025]], det = 3/4 + 1/4 = 1,
        // θ = atan2(1/2, √3/2) = π/6 = 30°, eigenvalues e^{±iπ/6} = √3/2 ± i/2.
        let s = shown { workOrthogonality(Matrix.rotation(Double.pi / 6)) }
        #expect(s.maths[3] == "\\begin{aligned} \\det(Q) &= q_{11}q_{22} - q_{12}q_{21} \\\\ &= 0.866025 \\cdot 0.866025 - (-0.5) \\cdot 0.5 = 1 \\end{aligned}")
        #expect(s.maths[4] == "\\begin{aligned} \\theta &= \\operatorname{atan2}(q_{21}, q_{11}) = \\operatorname{atan2}(0.5, 0.866025) \\\\ "
            + "&= 0.523599 = \\tfrac{\\pi}{6} = 30^\\circ \\end{aligned}")
        #expect(s.maths[5] == "\\lambda = e^{\\pm\\mathrm{i}\\theta} = \\cos\\theta \\pm \\mathrm{i}\\sin\\theta = 0.866025 \\pm 0.5\\mathrm{i}")
        #expect(s.texts == ["$Q$ is orthogonal ($Q^\\top Q = I$ within 1e-10) and $\\det(Q) = +1$: a rotation."])
        #expect(Set(s.tables[0].rows.map { Array($0.dropFirst()) }) ==
                [["0.866025 + 0.5i", "1", "30°", "stable, oscillating"], ["0.866025 - 0.5i", "1", "-30°", "stable, oscillating"]])
        #expect(s.checks.count == 4)
        #expect(s.allPassed)
        let work = OrthogonalityWork.make(Matrix.rotation(Double.pi / 6))
        #expect(work.kind == .rotation)
        #expect(Swift.abs(work.angle! - Double.pi / 6) < 1e-15)
    }

    @Test func notOrthogonalSaysHowFarOff() {
        // W = [[1, 2], [3, 4]]: WᵀW = [[10, 14], [14, 20]], largest deviation from I is 20 − 1 = 19; det = 4 − 6 = −2.
        let s = shown { workOrthogonality([[1, 2], [3, 4]], name: "W") }
        #expect(s.maths[1] == "W^\\top W = \\begin{pmatrix} 10 & 14 \\\\ 14 & 20 \\end{pmatrix}, \\qquad I = \\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}")
        #expect(s.maths[2] == "\\max_{i,j} \\lvert (W^\\top W - I)_{ij} \\rvert = 19 > 10^{-10}")
        #expect(s.maths[3] == "\\begin{aligned} \\det(W) &= w_{11}w_{22} - w_{12}w_{21} \\\\ &= 1 \\cdot 4 - 2 \\cdot 3 = -2 \\end{aligned}")
        #expect(s.texts == ["$W$ is not orthogonal: $W^\\top W$ differs from $I$ by up to 19 (tolerance 1e-10), so nothing holds its eigenvalues to $\\lvert\\lambda\\rvert = 1$."])
        #expect(s.checks.isEmpty)
        #expect(OrthogonalityWork.make([[1, 2], [3, 4]]).kind == .notOrthogonal(deviation: 19))
    }

    @Test func threeDimensionalRotationAngle() {
        // A Givens rotation by 0.3 in the (1, 2) plane: tr = 1 + 2cos 0.3, so arccos((tr − 1)/2) = 0.3.
        let s = shown { workOrthogonality(Matrix.givens(3, 0, 1, 0.3)) }
        #expect(s.maths.contains("\\theta = \\arccos\\frac{\\operatorname{tr}(Q) - 1}{2} = \\arccos\\frac{2.91067 - 1}{2} = 0.3 = 17.1887^\\circ"))
        #expect(s.allPassed)
        #expect(s.checks.last?.message.hasPrefix("the eigenvalues are 1 and e^(±iθ): holds") == true)
    }

    @Test func householderIsAReflectionInAnyDimension() {
        let s = shown { workOrthogonality(Matrix.householder([1, 2, 2])) }
        #expect(s.texts.first?.hasSuffix("a reflection.") == true)
        #expect(s.allPassed)
    }
}

@Suite struct ClippingDirective {
    @Test func sourceNotesExampleIsClipped() {
        // ‖(80, 60)‖ = √(6400 + 3600) = √10000 = 100 > 10, scale 10/100 = 0.1, clipped (8, 6) of norm 10.
        let s = shown { workClipping([80, 60], threshold: 10, file: "Lectures/06.md", line: 42, column: 5) }
        #expect(s.maths == [
            "g = \\begin{pmatrix} 80 \\\\ 60 \\end{pmatrix}, \\qquad \\tau = 10",
            "\\|g\\| = \\sqrt{80^2 + 60^2} = \\sqrt{10000} = 100",
            "\\|g\\| = 100 > \\tau = 10 \\;\\Rightarrow\\; s = \\frac{\\tau}{\\|g\\|} = \\frac{10}{100} = 0.1",
            "\\tilde{g} = s\\,g = 0.1\\begin{pmatrix} 80 \\\\ 60 \\end{pmatrix} = \\begin{pmatrix} 8 \\\\ 6 \\end{pmatrix}",
            "\\|\\tilde{g}\\| = 10 = \\tau, \\qquad \\cos\\angle(g, \\tilde{g}) = \\frac{g \\cdot \\tilde{g}}{\\|g\\|\\,\\|\\tilde{g}\\|} = 1",
        ])
        #expect(s.checks.map(\.message) == [
            "clipByNorm gives the same clipped gradient: 2 entries ≈ expected (rtol 1e-12, atol 0)",
            "the clipped norm is τ: 10 ≈ 10 (rtol 1e-9, atol 0)",
            "the direction is kept (cos = 1): 1 ≈ 1 (rtol 1e-9, atol 0)"])
        #expect(s.allPassed)
        #expect(s.checks.allSatisfy { $0.file == "Lectures/06.md" && $0.line == 42 && $0.column == 5 })
        let work = ClippingWork.make([80, 60], threshold: 10)
        #expect(work.norm == 100 && work.scale == 0.1)
        #expect(work.clipped == [8, 6])
    }

    @Test func gradientAtTheThresholdIsUnchanged() {
        // ‖(8, 6)‖ = √(64 + 36) = 10 ≤ 10: nothing to do.
        let s = shown { workClipping([8, 6], threshold: 10) }
        #expect(s.maths == [
            "g = \\begin{pmatrix} 8 \\\\ 6 \\end{pmatrix}, \\qquad \\tau = 10",
            "\\|g\\| = \\sqrt{8^2 + 6^2} = \\sqrt{100} = 10",
            "\\|g\\| = 10 \\le \\tau = 10 \\;\\Rightarrow\\; \\tilde{g} = g \\text{ (unchanged)}",
            "\\|\\tilde{g}\\| = \\|g\\| = 10 \\le \\tau, \\qquad \\cos\\angle(g, \\tilde{g}) = \\frac{g \\cdot \\tilde{g}}{\\|g\\|\\,\\|\\tilde{g}\\|} = 1",
        ])
        #expect(s.checks.map(\.passed) == [true, true, true])
        #expect(s.checks[1].message.hasPrefix("the norm is unchanged"))
        #expect(ClippingWork.make([8, 6], threshold: 10).scale == 1)
    }

    @Test func negativeEntriesAreSquaredInParentheses() {
        // ‖(−3, 4)‖ = √(9 + 16) = 5 > 1, scale 0.2, clipped (−0.6, 0.8).
        let s = shown { workClipping([-3, 4], threshold: 1, name: "\\nabla_W L") }
        #expect(s.maths[1] == "\\|\\nabla_W L\\| = \\sqrt{(-3)^2 + 4^2} = \\sqrt{25} = 5")
        #expect(s.maths[3] == "\\tilde{\\nabla_W L} = s\\,\\nabla_W L = 0.2\\begin{pmatrix} -3 \\\\ 4 \\end{pmatrix} = \\begin{pmatrix} -0.6 \\\\ 0.8 \\end{pmatrix}")
        #expect(s.allPassed)
    }

    @Test func longVectorsWriteTheSumAsSigma() {
        // Seven entries of 1: √7 = 2.64575 > 1.
        let s = shown { workClipping(Vector(count: 7, repeating: 1), threshold: 1) }
        #expect(s.maths[1] == "\\|g\\| = \\sqrt{\\textstyle\\sum_{i=1}^{7} g_i^2} = \\sqrt{7} = 2.64575")
        #expect(s.allPassed)
    }

    @Test func globalNormOverSeveralTensors() {
        // ‖(3, 4)‖_F = 5, ‖(12)‖_F = 12, N = √(25 + 144) = √169 = 13 > 10, s = 10/13 = 0.769231;
        // clipped norms 50/13 = 3.84615 and 120/13 = 9.23077.
        let s = shown { workClipping([[[3, 4]], [[12]]], threshold: 10) }
        #expect(s.maths[0] == "\\tau = 10")
        #expect(s.maths[1] == "\\begin{aligned} N &= \\sqrt{\\|g_1\\|_F^2 + \\|g_2\\|_F^2} \\\\ & = \\sqrt{5^2 + 12^2} = \\sqrt{169} = 13 \\end{aligned}")
        #expect(s.maths[2] == "\\begin{gathered} N = 13 > \\tau = 10 \\;\\Rightarrow\\; s = \\frac{\\tau}{N} = \\frac{10}{13} = 0.769231, \\\\ \\tilde{g}_k = s\\,g_k \\text{ for every tensor} \\end{gathered}")
        #expect(s.tables[0].rows == [["$g_1$", "1×2", "5", "3.84615"], ["$g_2$", "1×1", "12", "9.23077"]])
        #expect(s.checks.map(\.passed) == [true, true, true])
        #expect(s.checks[1].message.hasPrefix("the clipped global norm is τ"))
    }

    @Test func badThresholdIsAFailingCheck() {
        let s = shown { workClipping([1, 2], threshold: 0) }
        #expect(s.kinds == ["check"])
        #expect(!s.checks[0].passed)
        #expect(s.checks[0].message == "workClipping: the threshold τ must be positive and finite, got 0")
    }
}

@Suite struct SpectralBoundDirective {
    static let rhos = [0.5, 0.9, 1, 1.1, 1.5]
    static let windows = [1, 5, 10, 20, 50, 100]

    @Test func tableOfPowers() {
        // Values computed independently (python3: '%.6g' % (rho ** L)), written with the number rule
        // (compact exponents). 0.5^10 = 0.0009765625 exactly: a tie at six digits, which printf
        // rounds to even, 0.000976562.
        let expected: [[String]] = [
            ["1", "0.5", "0.9", "1", "1.1", "1.5"],
            ["5", "0.03125", "0.59049", "1", "1.61051", "7.59375"],
            ["10", "↓ 0.000976562", "0.348678", "1", "2.59374", "57.665"],
            ["20", "↓ 9.53674e-7", "0.121577", "1", "6.7275", "↑ 3325.26"],
            ["50", "↓ 8.88178e-16", "0.00515378", "1", "117.391", "↑ 6.37622e8"],
            ["100", "↓ 7.88861e-31", "↓ 2.65614e-5", "1", "↑ 13780.6", "↑ 4.06561e17"],
        ]
        let s = shown { spectralBoundTable(gamma: 1, rhos: Self.rhos, windows: Self.windows) }
        #expect(s.maths == ["(\\gamma \\lVert W_h \\rVert_2)^L, \\qquad \\gamma = 1"])
        // The columns are values of the spectral norm, headed as the norm (ρ is the spectral radius).
        #expect(s.tables[0].headers == ["$L$"] + ["0.5", "0.9", "1", "1.1", "1.5"].map { "$\\lVert W_h \\rVert_2 = \($0)$" })
        #expect(s.tables[0].rows == expected)
        #expect(s.texts[0].hasSuffix("↓ vanishing (below 0.001), ↑ exploding (above 1000)."))
        #expect(s.checks.count == 1 && s.allPassed)
        let work = SpectralBoundWork.make(gamma: 1, rhos: Self.rhos, windows: Self.windows)
        #expect(work.marks[1] == [nil, nil, nil, nil, nil, .vanishing])
        #expect(work.marks[4] == [nil, nil, nil, .exploding, .exploding, .exploding])
    }

    @Test func thresholdsAreParameters() {
        // With 0.01 and 100: 0.9^50 = 0.00515378 now vanishes, 1.1^50 = 117.391 now explodes.
        let work = SpectralBoundWork.make(gamma: 1, rhos: [0.9, 1.1], windows: [50], vanishingBelow: 0.01, explodingAbove: 100)
        #expect(work.marks == [[.vanishing], [.exploding]])
    }

    @Test func gammaScalesRho() {
        // Sigmoid γ = 1/4 with ρ = 4: γρ = 1, every power is 1.
        let s = shown { spectralBoundTable(gamma: 0.25, rhos: [4], windows: [10, 100]) }
        #expect(s.tables[0].headers == ["$L$", "$\\lVert W_h \\rVert_2 = 4,\\ \\gamma \\lVert W_h \\rVert_2 = 1$"])
        #expect(s.tables[0].rows == [["10", "1"], ["100", "1"]])
    }

    @Test func measuredGradientStaysBelowTheBound() {
        var rng = Xoshiro256(seed: 0)
        let rnn = RNN.random(hidden: 8, input: 1, spectralRadius: 0.9, using: &rng)
        let xs = (0..<50).map { _ in Vector.gaussian(1, using: &rng) }
        let s = shown { spectralBoundTable(gamma: 1, rhos: [0.9], windows: [1, 10, 50, 100], measuring: rnn, inputs: xs) }
        #expect(s.tables.count == 2)
        #expect(s.tables[1].rows.map { $0[0] } == ["1", "10", "50"])
        #expect(s.texts.contains("Not measured for L = 100: longer than the sequence (T = 50)."))
        #expect(s.checks.count == 2 && s.allPassed)
        #expect(s.checks[1].message == "‖∂h_T/∂h_(T−L)‖₂ ≤ ∏‖D_j‖₂‖W_h‖₂ ≤ (γ‖W_h‖₂)^L for L = 1, 10, 50: holds")
        // The note on the last column: neither a bound nor the rate the tanh gradient settles to.
        let note = s.texts.first { $0.hasPrefix("$(\\gamma\\rho(W_h))^L$") } ?? ""
        #expect(note.contains("is not a bound") && note.contains("Nor is it in general the rate of the measured gradient"))
        #expect(!note.contains("settles to"))
        let work = SpectralBoundWork.make(gamma: 1, rhos: [0.9], windows: [1, 10, 50, 100], measuring: rnn, inputs: xs)
        let tr = rnn.forward(xs)
        #expect(work.measured[1] == rnn.jacobianNorms(tr)[10])
        #expect(work.measured[3] == nil)
    }

    @Test func missingInputsAreAFailingCheck() {
        var rng = Xoshiro256(seed: 0)
        let rnn = RNN.random(hidden: 2, input: 1, using: &rng)
        let s = shown { spectralBoundTable(gamma: 1, rhos: [1], windows: [1], measuring: rnn) }
        #expect(s.checks.map(\.passed) == [false])
    }
}

/// Every piece of LaTeX the directives write must parse in KaTeX (the renderer of the HTML pages).
@Suite struct DirectiveLatexParses {
    static let katex = "/usr/share/javascript/katex/katex.min.js"
    static var available: Bool {
        FileManager.default.fileExists(atPath: katex) && FileManager.default.isExecutableFile(atPath: "/usr/bin/node")
    }

    @Test(.enabled(if: available, "needs node and Debian's libjs-katex"))
    func katexAcceptsEverything() throws {
        var rng = Xoshiro256(seed: 3)
        let rnn = RNN.random(hidden: 4, input: 1, spectralRadius: 1.1, using: &rng)
        let xs = (0..<20).map { _ in Vector.gaussian(1, using: &rng) }
        let records = collectRecords {
            workEigenvalues([[1, 1], [1, 1]]); workEigenvalues([[0, -1], [1, 0]]); workEigenvalues([[1, 1], [0, 1]])
            workEigenvalues([[1e-7, 2], [3, -4]], name: "W_h")
            workEigenvalues([[2, 1, 0], [1, 2, 1], [0, 1, 2]]); workEigenvalues([[0, -1, 0], [1, 0, 0], [0, 0, 2]])
            workEigenvalues([[2, 1, 0], [0, 2, 1], [0, 0, 2]]); workEigenvalues(Matrix.diagonal([1, 1, 2]))
            workEigenvalues(Matrix.diagonal([0.5, 1, -1.2, 2]))
            workOrthogonality(OrthogonalityDirective.seedQ); workOrthogonality(Matrix.rotation(Double.pi / 6))
            workOrthogonality([[1, 2], [3, 4]], name: "W_h"); workOrthogonality(Matrix.givens(3, 0, 2, 1))
            workClipping([80, 60], threshold: 10); workClipping([8, 6], threshold: 10)
            workClipping([1.5e-7, -3], threshold: 1); workClipping(Vector(count: 20, repeating: 2), threshold: 1)
            workClipping([[[3, 4]], [[12]]], threshold: 10, names: ["W_h", "b"])
            spectralBoundTable(gamma: 1, rhos: [0.5, 1.5], windows: [1, 100], measuring: rnn, inputs: xs)
        }
        let pieces = latexPieces(records)
        #expect(pieces.count > 100)
        let dir = NSTemporaryDirectory() + "lectern-katex-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try JSONSerialization.data(withJSONObject: pieces).write(to: URL(fileURLWithPath: dir + "/pieces.json"))
        let script = """
        const katex = require(\(String(reflecting: Self.katex)));
        const pieces = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
        for (const p of pieces) {
          try { katex.renderToString(p, { displayMode: true, throwOnError: true }); }
          catch (e) { console.log(e.message + ' IN ' + p); }
        }
        """
        try Data(script.utf8).write(to: URL(fileURLWithPath: dir + "/check.js"))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/node")
        p.arguments = [dir + "/check.js", dir + "/pieces.json"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(String(decoding: data, as: UTF8.self) == "")
    }
}
