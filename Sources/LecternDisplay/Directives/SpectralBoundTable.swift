// spectralBoundTable(gamma:rhos:windows:): (γρ)^L for every ρ and window L,
// each entry marked vanishing or exploding past chosen thresholds. Given an RNN
// and its inputs, it also measures ‖∂h_T/∂h_{T−L}‖₂ and sets it next to the
// bounds ∏‖D_j‖‖W_h‖₂ ≤ (γ‖W_h‖₂)^L, recording that they hold.

/// A worked spectral-bound table: what `spectralBoundTable` showed and computed.
public struct SpectralBoundWork: Sendable {
    public let gamma: Double
    public let rhos: [Double]
    public let windows: [Int]
    /// `values[i][j]` = (γ ρᵢ)^{Lⱼ}.
    public let values: [[Double]]
    /// `.vanishing` below the lower threshold, `.exploding` above the upper one, nil in between.
    public let marks: [[Growth?]]
    /// With an RNN: ‖∂h_T/∂h_{T−L}‖₂ for each window (nil when L > T); otherwise empty.
    public let measured: [Double?]
    public let example: WorkedExample

    public var passed: Bool { example.passed }

    /// The marks in table cells.
    public static let vanishingMark = "↓", explodingMark = "↑"

    /// Works the table without emitting anything.
    public static func make(gamma: Double, rhos: [Double], windows: [Int],
                            vanishingBelow low: Double = 1e-3, explodingAbove high: Double = 1e3,
                            measuring rnn: RNN? = nil, inputs: [Vector] = [],
                            caption: String? = nil) -> SpectralBoundWork {
        func refused(_ message: String) -> SpectralBoundWork {
            SpectralBoundWork(gamma: gamma, rhos: rhos, windows: windows, values: [], marks: [], measured: [],
                              example: .refusal("spectralBoundTable: " + message))
        }
        guard gamma.isFinite, gamma >= 0, rhos.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            return refused("γ and every ρ must be finite and ≥ 0")
        }
        guard !rhos.isEmpty, !windows.isEmpty, windows.allSatisfy({ $0 >= 0 }) else {
            return refused("needs at least one ρ and one window length L ≥ 0")
        }
        guard low < high else { return refused("the vanishing threshold must be below the exploding one") }
        if rnn != nil && inputs.isEmpty { return refused("measuring an RNN needs its inputs x_1 … x_T") }

        var w = WorkedExample()
        let values = rhos.map { rho in windows.map { Double.pow(gamma * rho, Double($0)) } }
        let marks = values.map { row in row.map { v -> Growth? in v < low ? .vanishing : (v > high ? .exploding : nil) } }

        w.math("(\\gamma \\lVert W_h \\rVert_2)^L, \\qquad \\gamma = \(TeX.number(gamma))")
        // One row per window length, one column per value ρ of the spectral norm ‖W_h‖₂ (written
        // as the norm, not as ρ, which the course keeps for the spectral radius); the mark goes in
        // front so the digits stay aligned.
        let columns = rhos.map { rho in
            gamma == 1 ? "$\\lVert W_h \\rVert_2 = \(TeX.number(rho))$"
                : "$\\lVert W_h \\rVert_2 = \(TeX.number(rho)),\\ \\gamma \\lVert W_h \\rVert_2 = \(TeX.number(gamma * rho))$"
        }
        var t = Table(headers: ["$L$"] + columns, alignments: Array(repeating: .right, count: rhos.count + 1))
        for (j, L) in windows.enumerated() {
            let cells = rhos.indices.map { i -> String in
                let text = Format.number(values[i][j])
                switch marks[i][j] {
                case .vanishing?: return vanishingMark + " " + text
                case .exploding?: return explodingMark + " " + text
                default: return text
                }
            }
            t.row([String(L)] + cells)
        }
        w.table(t, caption: caption)
        w.text("Each entry is $(\\gamma \\lVert W_h \\rVert_2)^L$, the bound on $\\lVert \\partial h_T / \\partial h_{T-L} \\rVert_2$ when "
            + "$\\lvert\\varphi'\\rvert \\le \\gamma$. "
            + "\(vanishingMark) vanishing (below \(Format.number(low))), \(explodingMark) exploding (above \(Format.number(high))).")

        // The same powers by repeated multiplication, an independent computation of every entry.
        var worst = 0.0, worstAt = ""
        for (i, rho) in rhos.enumerated() {
            for (j, L) in windows.enumerated() {
                var p = 1.0
                for _ in 0..<L { p *= gamma * rho }
                let v = values[i][j]
                let rel = v == p ? 0 : Swift.abs(v - p) / Swift.max(Swift.abs(v), Swift.abs(p))
                if rel > worst || worstAt.isEmpty {
                    worst = rel
                    worstAt = "at ‖W_h‖₂ = \(Format.number(rho)), L = \(L): pow \(Format.distinguishing(v, from: p)), product \(Format.distinguishing(p, from: v))"
                }
            }
        }
        let allowed = 1e-12 * Double(Swift.max(1, windows.max() ?? 1))
        let ok = worst <= allowed
        w.check(condition(ok, "(γ‖W_h‖₂)^L by repeated multiplication agrees with pow for all \(rhos.count * windows.count) entries",
                          detail: "largest relative difference \(Format.number(worst))\(ok ? "" : " " + worstAt), allowed \(Format.number(allowed))",
                          rule: "relative difference ≤ 1e-12 · max L"))

        var measured: [Double?] = []
        if let rnn {
            measured = measure(&w, rnn: rnn, inputs: inputs, windows: windows)
        }
        return SpectralBoundWork(gamma: gamma, rhos: rhos, windows: windows, values: values, marks: marks,
                                 measured: measured, example: w)
    }

    /// Measures ‖∂h_T/∂h_{T−L}‖₂ along the RNN's trajectory over `inputs` and checks it
    /// against ∏‖D_j‖₂‖W_h‖₂ ≤ (γ‖W_h‖₂)^L.
    static func measure(_ w: inout WorkedExample, rnn: RNN, inputs: [Vector], windows: [Int]) -> [Double?] {
        let trajectory = rnn.forward(inputs)
        let T = trajectory.length
        let norms = rnn.jacobianNorms(trajectory)
        let gamma = rnn.activation.maxDerivative
        let sigma = rnn.Wh.spectralNorm, rho = rnn.Wh.spectralRadius
        w.math("\\gamma = \(TeX.number(gamma)) \\ (\\text{\(rnn.activation.rawValue)}), \\quad \\lVert W_h \\rVert_2 = \(TeX.number(sigma)), "
            + "\\quad \\rho(W_h) = \(TeX.number(rho)), \\quad T = \(T)")
        var t = Table(headers: ["$L$", "measured $\\lVert \\partial h_T / \\partial h_{T-L} \\rVert_2$",
                                "$\\prod_j \\lVert D_j \\rVert_2 \\lVert W_h \\rVert_2$",
                                "$(\\gamma \\lVert W_h \\rVert_2)^L$", "$(\\gamma\\rho(W_h))^L$"],
                      alignments: Array(repeating: .right, count: 5))
        var out: [Double?] = []
        var checked: [Int] = [], skipped: [Int] = []
        var failure: String? = nil
        for L in windows {
            guard L <= T else { out.append(nil); skipped.append(L); continue }
            let m = norms[L]
            let product = rnn.productBound(trajectory, from: T - L, to: T)
            let bound = rnn.gammaBound(gap: L, using: .spectralNorm)
            let rate = rnn.gammaBound(gap: L, using: .spectralRadius)
            t.row(L, m, product, bound, rate)
            out.append(m)
            checked.append(L)
            let slack = 1 + 1e-9
            if failure == nil && !(m <= product * slack && product <= bound * slack) {
                failure = "at L = \(L): measured \(Format.number(m)), product \(Format.number(product)), (γ‖W_h‖₂)^L \(Format.number(bound))"
            }
        }
        if !checked.isEmpty { w.table(t) }
        if !skipped.isEmpty {
            w.text("Not measured for L = " + skipped.map(String.init).joined(separator: ", ") + ": longer than the sequence (T = \(T)).")
        }
        w.text("$(\\gamma\\rho(W_h))^L$, with the spectral radius $\\rho(W_h)$, is not a bound: it equals $(\\gamma \\lVert W_h \\rVert_2)^L$ "
            + "only when $\\rho(W_h) = \\lVert W_h \\rVert_2$, as for a normal $W_h$. Nor is it in general the rate of the measured gradient: "
            + "$\\rho(W_h)^L$ is the long-run rate of the powers $\\lVert W_h^L \\rVert_2$ alone, while every step of the gradient "
            + "also multiplies by the slopes $D_j = \\operatorname{diag}(\\varphi'(a_j))$ along the trajectory.")
        if !checked.isEmpty {
            let list = checked.map(String.init).joined(separator: ", ")
            w.check(condition(failure == nil, "‖∂h_T/∂h_(T−L)‖₂ ≤ ∏‖D_j‖₂‖W_h‖₂ ≤ (γ‖W_h‖₂)^L for L = \(list)",
                              detail: failure ?? "", rule: "measured ≤ bound · (1 + 1e-9)"))
        }
        return out
    }
}

/// Shows (γρ)^L for every ρ in `rhos` and every window length in `windows`,
/// each entry marked ↓ (vanishing, below `vanishingBelow`) or ↑ (exploding,
/// above `explodingAbove`). With `measuring: rnn, inputs: xs` it also measures
/// ‖∂h_T/∂h_{T−L}‖₂ of that RNN and records (at this call's line) that it stays
/// below ∏‖D_j‖₂‖W_h‖₂ ≤ (γ‖W_h‖₂)^L.
@discardableResult
public func spectralBoundTable(gamma: Double, rhos: [Double], windows: [Int],
                               vanishingBelow: Double = 1e-3, explodingAbove: Double = 1e3,
                               measuring rnn: RNN? = nil, inputs: [Vector] = [], caption: String? = nil,
                               file: String = #filePath, line: Int = #line, column: Int = #column) -> SpectralBoundWork {
    let w = SpectralBoundWork.make(gamma: gamma, rhos: rhos, windows: windows, vanishingBelow: vanishingBelow,
                                   explodingAbove: explodingAbove, measuring: rnn, inputs: inputs, caption: caption)
    w.example.emit(file: file, line: line, column: column)
    return w
}
