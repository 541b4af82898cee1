import Foundation
@testable import LecternDisplay

/// The sample figures whose SVG is kept under Golden/ (regenerate with
/// `LECTERN_UPDATE_GOLDEN=1 swift test --filter LecternDisplayTests`).
enum GoldenFigures {
    static var all: [(name: String, figure: Figure)] {
        var out: [(String, Figure)] = []

        var g = Figure(title: "Gradient norm over L steps", x: "L", y: "‖∂h_T/∂h_{T-L}‖", yScale: .log)
        let L = Array(1...50)
        for rho in [0.9, 1.0, 1.1] {
            g.line(L, L.map { pow(rho, Double($0)) }, label: "ρ = \(Format.number(rho))")
        }
        g.hline(1e-2, label: "10^{-2}")
        out.append(("line-log", g))

        var h = Figure(title: "Hidden state h_t", x: "t", y: "h_t")
        let t = Array(0...40)
        h.line(t, t.map { sin(Double($0) / 4) }, label: "tanh RNN")
        h.line(t, t.map { $0 == 20 ? .nan : 0.8 * cos(Double($0) / 5) }, label: "with a gap (NaN at t = 20)")
        h.line(t, t.map { 0.5 * exp(-Double($0) / 15) }, label: "decay γ^t", markers: true)
        out.append(("line-linear", h))

        var s = Figure(title: "Spectral radius vs. gradient growth", x: "ρ(W)", y: "growth rate", xScale: .linear)
        s.scatter([0.5, 0.7, 0.8, 0.9, 1.0, 1.05, 1.1, 1.2], [-0.69, -0.36, -0.22, -0.1, 0, 0.05, 0.1, 0.18], label: "measured")
        s.scatter([0.6, 0.95, 1.15], [-0.5, -0.05, 0.14], label: "other seed")
        s.vline(1, label: "ρ = 1")
        out.append(("scatter", s))

        let theta = 0.6
        let zs: [Complex<Double>] = [Complex(0.9 * cos(theta), 0.9 * sin(theta)), Complex(0.9 * cos(theta), -0.9 * sin(theta)),
                                     Complex(1.1, 0), Complex(-0.5, 0), Complex(0, 0)]
        var c = Figure.complexPlane(zs, title: "Eigenvalues of W", label: "λ_i(W)")
        c.points([Complex(0, 1.2), Complex(0, -1.2)], label: "λ_i(W^⊤)")
        out.append(("complex-plane", c))

        let m = Matrix(rows: 6, cols: 6) { i, j in i == j ? 1 : (Double(i) - Double(j)) / 10 }
        out.append(("heatmap-signed", Figure.heatmap(m, title: "Recurrent weights W_{hh}")))

        let big = Matrix(rows: 12, cols: 12) { i, j in exp(-abs(Double(i - j)) / 3) }
        out.append(("heatmap-sequential", Figure.heatmap(big, title: "|⟨h_i, h_j⟩|")))

        out.append(("bars", Figure.bars(["σ_1", "σ_2", "σ_3", "σ_4", "σ_5"], [2.1, 1.3, 0.7, -0.2, 0.05],
                                        title: "Singular values (one negative for the test)", x: "index", y: "value")))

        var n = Figure(title: "Narrow log range", x: "step", y: "loss", yScale: .log)
        n.line([1, 2, 3, 4, 5], [0.32, 0.41, 0.55, 0.63, 0.78], label: "loss")
        out.append(("log-narrow", n))

        var w = Figure(title: "Log axis with bad data", x: "t", y: "‖g_t‖", xScale: .linear, yScale: .log)
        w.line([0, 1, 2, 3, 4, 5, 6], [1, 1e-2, 0, -1, 1e-4, .infinity, 1e-6])
        out.append(("log-bad-data", w))

        out.append(("empty", Figure(title: "Nothing yet", x: "x", y: "y")))
        return out
    }
}
