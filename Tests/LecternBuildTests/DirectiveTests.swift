import Foundation
import Testing
@testable import LecternBuild

/// One lecture per worked-example directive.
let directiveLectures: [String: String] = [
    "01-eigen.md": """
    ---
    title: Worked eigenvalues
    ---

    The example from the source notes:

    ```swift {#ones}
    workEigenvalues([[1, 1], [1, 1]])
    ```

    A defective matrix, one eigenvector for a double root:

    ```swift
    workEigenvalues([[1, 1], [0, 1]])
    ```

    A quarter turn and a 3×3 matrix:

    ```swift
    workEigenvalues([[0, -1], [1, 0]])
    workEigenvalues([[2, 1, 0], [1, 2, 1], [0, 1, 2]])
    ```

    """,
    "02-orthogonal.md": """
    ---
    title: Rotation or reflection
    ---

    The matrix the source notes call a rotation:

    ```swift
    let s = 1 / 2.0.squareRoot()
    workOrthogonality([[s, -s], [-s, -s]])
    ```

    A rotation by $\\pi/6$:

    ```swift
    workOrthogonality(Matrix.rotation(Double.pi / 6))
    ```

    """,
    "03-clipping.md": """
    ---
    title: Clipping
    ---

    ```swift
    workClipping([80, 60], threshold: 10)
    workClipping([8, 6], threshold: 10)
    ```

    """,
    "04-bound.md": """
    ---
    title: Spectral bound
    ---

    ```swift
    spectralBoundTable(gamma: 1, rhos: [0.5, 0.9, 1, 1.1, 1.5],
                       windows: [1, 5, 10, 20, 50, 100])
    var rng = Xoshiro256(seed: 0)
    let rnn = RNN.random(hidden: 8, input: 1, spectralRadius: 0.9, using: &rng)
    let xs = (0..<50).map { _ in Vector.gaussian(1, using: &rng) }
    spectralBoundTable(gamma: 1, rhos: [0.9], windows: [1, 10, 50],
                       measuring: rnn, inputs: xs)
    ```

    """,
]

@Suite(.serialized) struct DirectiveRuns {
    @Test func lectureWithDirectivesBuildsToMathAndTables() throws {
        let c = try TempCourse(directiveLectures)
        let r = try c.build(mathAtBuild: false)  // the TeX each directive wrote, as the browser gets it
        #expect(r.diagnostics.map(\.description) == [])
        #expect(!r.failed)

        let eigen = c.read("eigen.html")!
        #expect(eigen.contains("<div class=\"math display\">\\lambda^2 - 2\\lambda = 0</div>"))
        #expect(eigen.contains("<div class=\"math display\">\\lambda^2 - 2\\lambda + 1 = (\\lambda - 1)^2</div>"))
        #expect(eigen.contains("<th style=\"text-align: right\">root of the characteristic polynomial</th>"))
        #expect(eigen.contains("<td style=\"text-align: left\"><span class=\"math inline\">\\lambda_1</span></td><td style=\"text-align: right\">2</td>"))
        #expect(eigen.contains("<div class=\"check passed\">✓ the roots of the characteristic polynomial agree with LAPACK"))
        #expect(!eigen.contains("check failed"))
        let eigenMD = c.read("eigen.md")!
        #expect(eigenMD.contains("$$\n\\lambda^2 - 2\\lambda = 0\n$$"))
        #expect(eigenMD.contains("| $\\lambda_1$ | 2 | 2 | 2 | exploding |"))
        #expect(eigenMD.contains("| $\\lambda_2$ | 0 | 0 | 0 | vanishing |"))

        let orthogonal = c.read("orthogonal.html")!
        #expect(orthogonal.contains("a reflection."))
        #expect(orthogonal.contains("&amp;= 0.523599 = \\tfrac{\\pi}{6} = 30^\\circ \\end{aligned}</div>"))
        let orthogonalMD = c.read("orthogonal.md")!
        #expect(orthogonalMD.contains("$Q$ is orthogonal ($Q^\\top Q = I$ within 1e-10) and $\\det(Q) = -1$: a reflection."))

        let clipping = c.read("clipping.html")!
        #expect(clipping.contains("<div class=\"math display\">\\|g\\| = \\sqrt{80^2 + 60^2} = \\sqrt{10000} = 100</div>"))
        #expect(clipping.contains("\\tilde{g} = s\\,g = 0.1\\begin{pmatrix} 80 \\\\ 60 \\end{pmatrix} = \\begin{pmatrix} 8 \\\\ 6 \\end{pmatrix}"))
        #expect(c.read("clipping.md")!.contains("$$\n\\|g\\| = \\sqrt{8^2 + 6^2} = \\sqrt{100} = 10\n$$"))

        let bound = c.read("bound.html")!
        #expect(bound.contains("<td style=\"text-align: right\">↓ <span class=\"num\">2.65614e-5</span></td>"))
        #expect(bound.contains("✓ ‖∂h_T/∂h_(T−L)‖₂ ≤ ∏‖D_j‖₂‖W_h‖₂ ≤ (γ‖W_h‖₂)^L for L = 1, 10, 50: holds"))
        #expect(c.read("bound.md")!.contains("| 100 | ↓ 7.88861e-31 | ↓ 2.65614e-5 | 1 | ↑ 13780.6 | ↑ 4.06561e17 |"))
    }

    @Test func aDirectiveThatCannotWorkFailsTheBuildAtItsLine() throws {
        let c = try TempCourse(["01-a.md": """
        # A

        ```swift
        let W = Matrix(rows: 2, cols: 3)
        workEigenvalues(W)
        print("after")
        ```

        """])
        let r = try c.build()
        #expect(r.failed)
        let m = r.diagnostics.map(\.description)
        #expect(m.count == 1)
        #expect(m.first?.hasPrefix(c.lectures + "/01-a.md:5:") == true, "\(m)")
        #expect(m.first?.hasSuffix("error: workEigenvalues: needs a non-empty square matrix, got 2×3") == true, "\(m)")
        let page = c.read("a.html")!
        #expect(page.contains("<div class=\"check failed\">✗ workEigenvalues: needs a non-empty square matrix, got 2×3</div>"))
        #expect(page.contains("after"))  // a failed check does not stop the cell
    }
}

@Suite(.serialized) struct DirectiveBrowser {
    @Test(.enabled(if: chromiumPath() != nil, "Chromium is installed by scripts/test"))
    func everyDirectiveRendersItsMath() throws {
        let c = try TempCourse(directiveLectures)
        var o = BuildOptions()
        o.outputDirectory = c.output
        _ = try CourseBuilder(course: try Course.load(c.lectures), options: o).build()
        let heights = ["eigen": 4400, "orthogonal": 2500, "clipping": 1300, "bound": 1700]
        for slug in ["eigen", "orthogonal", "clipping", "bound"] {
            let url = "file://\(c.output)/\(slug).html"
            let dom = try runChromium(["--virtual-time-budget=5000", "--dump-dom", url])
            let displays = dom.components(separatedBy: "class=\"math display\"").count - 1
            #expect(displays > 0)
            // Every display formula became KaTeX, none is an error.
            #expect(dom.components(separatedBy: "class=\"katex-display\"").count - 1 == displays, "\(slug)")
            #expect(!dom.contains("katex-error"), "\(slug)")
            #expect(!dom.contains("check failed"), "\(slug)")
            let shot = artifactsDirectory() + "/directive-\(slug).png"
            try runChromium(["--virtual-time-budget=5000", "--window-size=1000,\(heights[slug]!)", "--screenshot=\(shot)", url])
            #expect(FileManager.default.fileExists(atPath: shot))
        }
    }
}
