import Foundation

/// Series colours: Paul Tol's "bright" qualitative scheme (colour-blind safe),
/// overridable through `--lectern-c1` … `--lectern-c7`.
enum Palette {
    static let light = ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB"]
    /// Used by the standalone SVG under `prefers-color-scheme: dark`.
    static let dark = ["#77AADD", "#EE8866", "#44BB99", "#EEDD88", "#99DDFF", "#DD77BB", "#DDDDDD"]
    static func color(_ i: Int) -> String {
        let k = i % light.count
        return "var(--lectern-c\(k + 1), \(light[k]))"
    }
    /// Dash pattern per series (after the colours run out, and to tell lines apart in grey).
    static func dash(_ i: Int) -> String? {
        ["", "7 4", "2 3", "9 3 2 3"][i % 4].nilIfEmpty
    }
    /// Diverging blue–white–red (ColorBrewer RdBu) and sequential (viridis) ramps.
    static let diverging: [(Double, Double, Double)] = [
        (0x21, 0x66, 0xAC), (0x67, 0xA9, 0xCF), (0xF7, 0xF7, 0xF7), (0xEF, 0x8A, 0x62), (0xB2, 0x18, 0x2B)]
    static let sequential: [(Double, Double, Double)] = [
        (0x44, 0x01, 0x54), (0x3B, 0x52, 0x8B), (0x21, 0x91, 0x8C), (0x5E, 0xC9, 0x62), (0xFD, 0xE7, 0x25)]

    /// Colour at t ∈ [0, 1] along a ramp.
    static func ramp(_ stops: [(Double, Double, Double)], _ t: Double) -> (Double, Double, Double) {
        let t = min(1, max(0, t.isFinite ? t : 0.5)) * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(t))
        let f = t - Double(i)
        let a = stops[i], b = stops[i + 1]
        return (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f, a.2 + (b.2 - a.2) * f)
    }
    static func hex(_ c: (Double, Double, Double)) -> String {
        func h(_ v: Double) -> String {
            let n = Int(min(255, max(0, v.rounded())))
            let s = String(n, radix: 16, uppercase: true)
            return n < 16 ? "0" + s : s
        }
        return "#" + h(c.0) + h(c.1) + h(c.2)
    }
    static func isDark(_ c: (Double, Double, Double)) -> Bool {
        0.2126 * c.0 + 0.7152 * c.1 + 0.0722 * c.2 < 128
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

/// A mapped axis: data range → pixel range.
struct Axis {
    var scale: AxisScale
    var lo: Double
    var hi: Double
    var ticks: [Tick]
    /// Pixel at `lo` and at `hi`.
    var p0: Double = 0
    var p1: Double = 1

    /// Pixel for `v`, or nil when it cannot be drawn (non-finite, ≤ 0 on a log axis).
    func pixel(_ v: Double) -> Double? {
        guard v.isFinite else { return nil }
        switch scale {
        case .linear:
            return p0 + (v - lo) / (hi - lo) * (p1 - p0)
        case .log:
            guard v > 0 else { return nil }
            return p0 + (log10(v) - log10(lo)) / (log10(hi) - log10(lo)) * (p1 - p0)
        }
    }

    func accepts(_ v: Double) -> Bool { v.isFinite && (scale == .linear || v > 0) }

    static func fit(_ values: [Double], scale: AxisScale, limits: ClosedRange<Double>?, target: Int) -> Axis {
        let usable = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        if let l = limits, l.lowerBound < l.upperBound, scale == .linear || l.lowerBound > 0 {
            let t = scale == .linear ? Ticks.linear(l.lowerBound, l.upperBound, target: target)
                                     : Ticks.log(l.lowerBound, l.upperBound)
            let eps = (l.upperBound - l.lowerBound) * 1e-9
            let inside = t.ticks.filter { $0.value >= l.lowerBound - eps && $0.value <= l.upperBound + eps }
            return Axis(scale: scale, lo: l.lowerBound, hi: l.upperBound, ticks: inside)
        }
        let lo = usable.min() ?? (scale == .log ? 1 : 0)
        let hi = usable.max() ?? (scale == .log ? 10 : 1)
        let t = scale == .linear ? Ticks.linear(lo, hi, target: target) : Ticks.log(lo, hi)
        return Axis(scale: scale, lo: t.lo, hi: t.hi, ticks: t.ticks)
    }
}

struct FigureRenderer {
    let figure: Figure
    let id: String
    /// The layout for narrow screens: at most `narrowWidth` units wide (drawn at
    /// about that many pixels on a phone, so text keeps its nominal size), the
    /// legend under the plot, the title wrapped.
    let narrow: Bool
    /// Width of the drawing in user units.
    let W: Double
    /// The title, one entry per line.
    let titleLines: [String]

    static let narrowWidth = 300.0

    // Font sizes.
    let tickSize = 11.0
    let labelSize = 13.0
    let titleSize = 15.0

    init(figure: Figure, id: String, narrow: Bool = false) {
        self.figure = figure
        self.id = id
        self.narrow = narrow
        let w = narrow ? min(figure.width, Self.narrowWidth) : figure.width
        self.W = w
        // The width estimate is for regular text: the bold title gets a margin.
        self.titleLines = figure.title.isEmpty ? [] : Self.wrap(figure.title, width: (w - 16) / 1.15, size: 15)
    }

    /// Breaks marked-up text at spaces outside braces so each line fits `width`.
    static func wrap(_ text: String, width: Double, size: Double) -> [String] {
        guard Markup.width(text, size: size) > width else { return [text] }
        var words: [String] = [], current = "", depth = 0
        for c in text {
            if c == "{" { depth += 1 } else if c == "}" { depth = max(0, depth - 1) }
            if c == " " && depth == 0 { words.append(current); current = "" } else { current.append(c) }
        }
        words.append(current)
        var lines: [String] = []
        var line = ""
        for w in words where !w.isEmpty {
            let candidate = line.isEmpty ? w : line + " " + w
            if !line.isEmpty && Markup.width(candidate, size: size) > width { lines.append(line); line = w } else { line = candidate }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    // MARK: Document

    func render(standalone: Bool) -> String {
        let body: String, height: Double
        switch figure.kind {
        case .xy, .complexPlane: (body, height) = renderXY()
        case .heatmap: (body, height) = renderHeatmap()
        case .bars: (body, height) = renderBars()
        }
        let w = SVG.num(W), h = SVG.num(height)
        let size = standalone ? "width=\"\(w)\" height=\"\(h)\"" : "width=\"100%\""
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(w) \(h)\" \(size)"
        s += " role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" class=\"lectern-figure\""
        s += " font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif\""
        s += " font-size=\"\(SVG.num(tickSize))\" fill=\"currentColor\">\n"
        s += "<title id=\"\(id)-title\">\(SVG.escape(figure.plainTitle))</title>\n"
        s += "<desc id=\"\(id)-desc\">\(SVG.escape(summary()))</desc>\n"
        s += styleBlock()
        for (k, line) in titleLines.enumerated() {
            s += "<text x=\"\(SVG.num(W / 2))\" y=\"\(SVG.num(24 + 19 * Double(k)))\" text-anchor=\"middle\" font-size=\"\(SVG.num(titleSize))\" font-weight=\"600\">\(Markup.tspans(line, size: titleSize))</text>\n"
        }
        s += body
        s += "</svg>\n"
        return s
    }

    /// Only the standalone file is affected: `svg:root` never matches an SVG inlined in HTML.
    func styleBlock() -> String {
        var dark = "color: #E6E6E6; background: #0D1117;"
        for (i, c) in Palette.dark.enumerated() { dark += " --lectern-c\(i + 1): \(c);" }
        return "<style>svg:root { color: #1F2328; background: #FFFFFF; } "
            + "@media (prefers-color-scheme: dark) { svg:root { \(dark) } }</style>\n"
    }

    var top: Double { titleLines.isEmpty ? 14 : 42 + 19 * Double(titleLines.count - 1) }

    // MARK: Summary

    func summary() -> String {
        let f = figure
        func axisText(_ name: String, _ label: String, _ values: [Double], _ scale: AxisScale) -> String {
            let v = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
            let named = label.isEmpty ? name : "\(name) (\(Markup.plain(label)))"
            guard let lo = v.min(), let hi = v.max() else { return "\(named): no data" }
            return "\(named) from \(Format.number(lo)) to \(Format.number(hi))" + (scale == .log ? ", log scale" : "")
        }
        switch f.kind {
        case .xy, .complexPlane:
            let kindName: String
            if f.kind == .complexPlane { kindName = "Complex plane" + (f.unitCircle ? " with the unit circle" : "") }
            else if f.series.allSatisfy({ $0.mark == .scatter }) && !f.series.isEmpty { kindName = "Scatter plot" }
            else { kindName = "Line plot" }
            let names = f.series.enumerated().map { i, s in
                "\(s.label.map(Markup.plain) ?? "series \(i + 1)") (\(s.xs.count) point\(s.xs.count == 1 ? "" : "s"))"
            }
            var parts = ["\(kindName) with \(f.series.count) series" + (names.isEmpty ? "" : ": " + names.joined(separator: ", "))]
            let xs = f.series.flatMap(\.xs), ys = f.series.flatMap(\.ys)
            parts.append(axisText("x", f.xLabel, xs, f.kind == .complexPlane ? .linear : f.xScale))
            parts.append(axisText("y", f.yLabel, ys, f.kind == .complexPlane ? .linear : f.yScale))
            if f.kind == .complexPlane {
                let r = zip(xs, ys).map { ($0 * $0 + $1 * $1).squareRoot() }.filter(\.isFinite)
                if let m = r.max() { parts.append("largest modulus \(Format.number(m))") }
            }
            let refs = f.hlines.map { "y = \(Format.number($0.value))" } + f.vlines.map { "x = \(Format.number($0.value))" }
            if !refs.isEmpty { parts.append("reference lines at " + refs.joined(separator: ", ")) }
            let skipped = skippedPoints()
            if skipped.nonFinite > 0 { parts.append("\(skipped.nonFinite) non-finite point\(skipped.nonFinite == 1 ? "" : "s") not shown") }
            if skipped.nonPositive > 0 { parts.append("\(skipped.nonPositive) point\(skipped.nonPositive == 1 ? "" : "s") ≤ 0 not shown on the log axis") }
            return parts.joined(separator: "; ") + "."
        case .heatmap:
            guard let m = f.heat else { return "Heatmap." }
            let v = m.columnMajor.filter(\.isFinite)
            var s = "Heatmap of a \(m.rows)×\(m.cols) matrix"
            if let lo = v.min(), let hi = v.max() {
                s += ", values from \(Format.number(lo)) to \(Format.number(hi))"
                s += lo < 0 && hi > 0 ? " (diverging colours, white at 0)" : ""
            }
            let bad = m.columnMajor.count - v.count
            if bad > 0 { s += "; \(bad) non-finite entr\(bad == 1 ? "y" : "ies") drawn grey" }
            return s + "."
        case .bars:
            let items = zip(f.barLabels, f.barValues).map { "\(Markup.plain($0)) \(Format.number($1))" }
            return "Bar chart with \(items.count) bar\(items.count == 1 ? "" : "s")" + (items.isEmpty ? "" : ": " + items.joined(separator: ", ")) + "."
        }
    }

    func skippedPoints() -> (nonFinite: Int, nonPositive: Int) {
        var nf = 0, np = 0
        let xLog = figure.kind == .xy && figure.xScale == .log
        let yLog = figure.kind == .xy && figure.yScale == .log
        for s in figure.series {
            for (x, y) in zip(s.xs, s.ys) {
                if !x.isFinite || !y.isFinite { nf += 1 } else if (xLog && x <= 0) || (yLog && y <= 0) { np += 1 }
            }
        }
        return (nf, np)
    }

    // MARK: Shared pieces

    func text(_ x: Double, _ y: Double, _ content: String, size: Double, anchor: String = "middle", extra: String = "") -> String {
        "<text x=\"\(SVG.num(x))\" y=\"\(SVG.num(y))\"\(anchor == "start" ? "" : " text-anchor=\"\(anchor)\"")\(size == tickSize ? "" : " font-size=\"\(SVG.num(size))\"")\(extra)>\(Markup.tspans(content, size: size))</text>\n"
    }

    func marker(_ shape: Int, _ x: Double, _ y: Double, _ color: String) -> String {
        let X = SVG.num(x), Y = SVG.num(y)
        switch shape % 4 {
        case 0: return "<circle cx=\"\(X)\" cy=\"\(Y)\" r=\"3.5\" style=\"fill: \(color)\"/>"
        case 1: return "<rect x=\"\(SVG.num(x - 3.2))\" y=\"\(SVG.num(y - 3.2))\" width=\"6.4\" height=\"6.4\" style=\"fill: \(color)\"/>"
        case 2: return "<path d=\"M\(X) \(SVG.num(y - 4.2))L\(SVG.num(x + 4)) \(SVG.num(y + 3))L\(SVG.num(x - 4)) \(SVG.num(y + 3))Z\" style=\"fill: \(color)\"/>"
        default: return "<path d=\"M\(X) \(SVG.num(y - 4.5))L\(SVG.num(x + 4.5)) \(Y)L\(X) \(SVG.num(y + 4.5))L\(SVG.num(x - 4.5)) \(Y)Z\" style=\"fill: \(color)\"/>"
        }
    }

    /// Labels that fit: every k-th labelled tick so neighbours do not overlap.
    func thinned(_ ticks: [Tick], axis: Axis, extent: (Tick) -> Double) -> Set<Int> {
        let labelled = ticks.indices.filter { ticks[$0].label != nil }
            .sorted { (axis.pixel(ticks[$0].value) ?? 0) < (axis.pixel(ticks[$1].value) ?? 0) }
        var keep = Set<Int>()
        for every in 1...max(1, labelled.count) {
            keep = Set(labelled.enumerated().filter { $0.offset % every == 0 }.map(\.element))
            let kept = labelled.filter(keep.contains)
            var ok = true
            for (a, b) in zip(kept, kept.dropFirst()) {
                let pa = axis.pixel(ticks[a].value) ?? 0, pb = axis.pixel(ticks[b].value) ?? 0
                if abs(pb - pa) < (extent(ticks[a]) + extent(ticks[b])) / 2 + 6 { ok = false; break }
            }
            if ok { break }
        }
        return keep
    }

    /// Frame, grid, ticks and tick labels for a rectangular plot area.
    func axesBlock(_ xa: Axis, _ ya: Axis, _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, zeroAxes: Bool) -> String {
        var s = "<g class=\"lectern-axes\">\n"
        var grid = "", ticks = "", labels = ""
        let xKeep = thinned(xa.ticks, axis: xa) { Markup.width($0.label ?? "", size: tickSize) }
        let yKeep = thinned(ya.ticks, axis: ya) { _ in tickSize + 2 }
        for (i, t) in xa.ticks.enumerated() {
            guard let px = xa.pixel(t.value), px >= x0 - 0.5, px <= x1 + 0.5 else { continue }
            let major = t.label != nil
            if major { grid += "M\(SVG.num(px)) \(SVG.num(y0))V\(SVG.num(y1))" }
            ticks += "M\(SVG.num(px)) \(SVG.num(y1))v\(major ? 5 : 3)"
            if major, xKeep.contains(i), let l = t.label {
                labels += text(px, y1 + 18, minus(l), size: tickSize)
            }
        }
        for (i, t) in ya.ticks.enumerated() {
            guard let py = ya.pixel(t.value), py >= y0 - 0.5, py <= y1 + 0.5 else { continue }
            let major = t.label != nil
            if major { grid += "M\(SVG.num(x0)) \(SVG.num(py))H\(SVG.num(x1))" }
            ticks += "M\(SVG.num(x0)) \(SVG.num(py))h\(major ? -5 : -3)"
            if major, yKeep.contains(i), let l = t.label {
                labels += text(x0 - 8, py + 4, minus(l), size: tickSize, anchor: "end")
            }
        }
        if !grid.isEmpty { s += "<path d=\"\(grid)\" stroke=\"currentColor\" stroke-opacity=\"0.12\" fill=\"none\"/>\n" }
        s += "<rect x=\"\(SVG.num(x0))\" y=\"\(SVG.num(y0))\" width=\"\(SVG.num(x1 - x0))\" height=\"\(SVG.num(y1 - y0))\" fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"0.45\"/>\n"
        if zeroAxes {
            var z = ""
            if let px = xa.pixel(0), px > x0, px < x1 { z += "M\(SVG.num(px)) \(SVG.num(y0))V\(SVG.num(y1))" }
            if let py = ya.pixel(0), py > y0, py < y1 { z += "M\(SVG.num(x0)) \(SVG.num(py))H\(SVG.num(x1))" }
            if !z.isEmpty { s += "<path d=\"\(z)\" stroke=\"currentColor\" stroke-opacity=\"0.6\" fill=\"none\"/>\n" }
        }
        if !ticks.isEmpty { s += "<path d=\"\(ticks)\" stroke=\"currentColor\" fill=\"none\"/>\n" }
        s += labels
        s += "</g>\n"
        return s
    }

    /// Tick labels use the typographic minus sign.
    func minus(_ label: String) -> String { label.replacingOccurrences(of: "-", with: "−") }

    func axisTitles(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, yTicks: Double) -> String {
        var s = ""
        // The x label sits a fixed distance under the frame (square plots end above the drawing's foot).
        if !figure.xLabel.isEmpty { s += text((x0 + x1) / 2, y1 + 40, figure.xLabel, size: labelSize) }
        if !figure.yLabel.isEmpty {
            s += "<text transform=\"translate(\(SVG.num(max(18, x0 - yTicks - 22))) \(SVG.num((y0 + y1) / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"\(SVG.num(labelSize))\">\(Markup.tspans(figure.yLabel, size: labelSize))</text>\n"
        }
        return s
    }

    func yTickWidth(_ a: Axis) -> Double {
        a.ticks.compactMap(\.label).map { Markup.width($0, size: tickSize) }.max() ?? 0
    }

    // MARK: XY and complex plane

    /// One legend row: a series, or a reference line that has no label of its own in the plot.
    struct LegendItem {
        var label: String
        var color: String
        var dash: String?
        var strokeWidth: Double
        var line: Bool
        var shape: Int?
    }

    /// Reference lines: thinner than series, dashed, drawn above them; grey unless
    /// tied to a series (`of:`), whose colour they take.
    static let referenceDash = "4 3"

    func referenceStyle(_ of: Int?) -> (color: String, width: Double, attrs: String) {
        if let k = of {
            let c = Palette.color(k)
            return (c, 1.5, " stroke-width=\"1.5\" stroke-dasharray=\"\(Self.referenceDash)\" style=\"stroke: \(c)\"")
        }
        return ("currentColor", 1.25, " stroke=\"currentColor\" stroke-opacity=\"0.75\" stroke-width=\"1.25\" stroke-dasharray=\"\(Self.referenceDash)\"")
    }

    func legendItems() -> [LegendItem] {
        let f = figure
        var items: [LegendItem] = []
        for (i, s) in f.series.enumerated() {
            guard let label = s.label else { continue }
            if let k = s.of {
                items.append(LegendItem(label: label, color: Palette.color(k), dash: Self.referenceDash, strokeWidth: 1.5, line: true, shape: nil))
            } else {
                items.append(LegendItem(label: label, color: Palette.color(i), dash: Palette.dash(i), strokeWidth: 2,
                                        line: s.mark != .scatter, shape: s.mark == .line ? nil : i))
            }
        }
        for (axis, refs) in [("y", f.hlines), ("x", f.vlines)] {
            for r in refs where r.label == nil {
                let st = referenceStyle(r.of)
                items.append(LegendItem(label: "\(axis) = \(Format.number(r.value))", color: st.color, dash: Self.referenceDash,
                                        strokeWidth: st.width, line: true, shape: nil))
            }
        }
        return items
    }

    func legendEntry(_ item: LegendItem, _ lx: Double, _ ly: Double) -> String {
        var s = ""
        if item.line {
            let dash = item.dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
            let stroke = item.color == "currentColor" ? " stroke=\"currentColor\" stroke-opacity=\"0.75\"" : " style=\"stroke: \(item.color)\""
            s += "<path d=\"M\(SVG.num(lx)) \(SVG.num(ly))h24\" stroke-width=\"\(SVG.num(item.strokeWidth))\"\(dash)\(stroke)/>"
        }
        if let shape = item.shape { s += marker(shape, lx + 12, ly, item.color) }
        return s + "\n" + text(lx + 30, ly + 4, item.label, size: 12, anchor: "start")
    }

    func renderXY() -> (String, Double) {
        let f = figure
        let complex = f.kind == .complexPlane
        let xScale: AxisScale = complex ? .linear : f.xScale
        let yScale: AxisScale = complex ? .linear : f.yScale
        var xs = f.series.flatMap(\.xs) + f.vlines.map(\.value)
        var ys = f.series.flatMap(\.ys) + f.hlines.map(\.value)
        var xa: Axis, ya: Axis
        if complex {
            let r = zip(f.series.flatMap(\.xs), f.series.flatMap(\.ys)).map { max(abs($0), abs($1)) }.filter(\.isFinite)
            let m = max(f.unitCircle ? 1.0 : 0, r.max() ?? 1) * 1.08
            xs = [-m, m]; ys = [-m, m]
            xa = Axis.fit(xs, scale: .linear, limits: f.xLimits, target: narrow ? 5 : 6)
            let half = max(abs(xa.lo), abs(xa.hi))
            xa = Axis.fit([-half, half], scale: .linear, limits: f.xLimits ?? (-half...half), target: narrow ? 5 : 6)
            ya = xa
        } else {
            ya = Axis.fit(ys, scale: yScale, limits: f.yLimits, target: narrow ? 4 : 5)
            xa = Axis.fit(xs, scale: xScale, limits: f.xLimits, target: narrow ? 5 : 7)
        }
        let legend = legendItems()
        let entryW = 40 + (legend.map { Markup.width($0.label, size: 12) }.max() ?? 0)
        let left = 12 + (f.yLabel.isEmpty ? 0 : 22) + yTickWidth(ya) + 9
        let lastX = xa.ticks.last(where: { $0.label != nil })?.label.map { Markup.width($0, size: tickSize) } ?? 0
        // Wide: the legend right of the plot. Narrow: under it, in two columns when they fit.
        let legendRight = !legend.isEmpty && !narrow
        let right = legendRight ? entryW + 18 : max(16, lastX / 2 + 6)
        let bottom: Double = 30 + (f.xLabel.isEmpty ? 0 : 22)
        var x0 = left, x1 = W - right
        let y0 = top
        var y1: Double
        if narrow {
            // Keep the wide layout's plot shape (square for the complex plane).
            let wide = FigureRenderer(figure: f, id: id)
            let wideLeft = 12 + (f.yLabel.isEmpty ? 0 : 22) + wide.yTickWidth(ya) + 9
            let wideW = f.width - wideLeft - (legend.isEmpty ? max(16, lastX / 2 + 6) : entryW + 18)
            let wideH = f.height - wide.top - bottom
            let aspect = complex ? 1 : min(1.1, max(0.55, wideH / max(1, wideW)))
            y1 = y0 + (x1 - x0) * aspect
        } else {
            y1 = f.height - bottom
        }
        if complex {
            // Equal aspect: a square plot area, centred in the free space.
            let side = min(x1 - x0, y1 - y0)
            let slack = (x1 - x0) - side
            x0 += slack / 2; x1 = x0 + side
            y1 = y0 + side
        }
        xa.p0 = x0; xa.p1 = x1
        ya.p0 = y1; ya.p1 = y0
        if !complex, xScale == .linear {
            // Fewer x ticks when the labels would crowd.
            for target in stride(from: narrow ? 5 : 7, through: 2, by: -1) {
                var t = Axis.fit(xs, scale: .linear, limits: f.xLimits, target: target)
                t.p0 = x0; t.p1 = x1
                let spacing = (x1 - x0) / Double(max(1, t.ticks.count - 1))
                let widest = t.ticks.compactMap(\.label).map { Markup.width($0, size: tickSize) }.max() ?? 0
                xa = t
                if widest + 10 <= spacing { break }
            }
        }
        var s = axesBlock(xa, ya, x0, y0, x1, y1, zeroAxes: complex)
        s += axisTitles(x0, y0, x1, y1, yTicks: yTickWidth(ya))
        s += "<clipPath id=\"\(id)-clip\"><rect x=\"\(SVG.num(x0))\" y=\"\(SVG.num(y0))\" width=\"\(SVG.num(x1 - x0))\" height=\"\(SVG.num(y1 - y0))\"/></clipPath>\n"
        s += "<g clip-path=\"url(#\(id)-clip)\">\n"
        if complex && f.unitCircle, let cx = xa.pixel(0), let cy = ya.pixel(0), let r1 = xa.pixel(1) {
            s += "<circle cx=\"\(SVG.num(cx))\" cy=\"\(SVG.num(cy))\" r=\"\(SVG.num(r1 - cx))\" fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"0.7\" stroke-dasharray=\"5 4\"/>\n"
        }
        var drawn = 0
        var markers = "", tied = ""
        for (i, series) in f.series.enumerated() {
            let color = Palette.color(series.of ?? i)
            let pts: [(Double, Double)?] = zip(series.xs, series.ys).map { x, y in
                guard let px = xa.pixel(x), let py = ya.pixel(y) else { return nil }
                return (px, py)
            }
            drawn += pts.compactMap { $0 }.count
            if series.mark != .scatter {
                var d = "", pen = false
                for (k, p) in pts.enumerated() {
                    guard let (px, py) = p else { pen = false; continue }
                    let alone = !pen && (k + 1 >= pts.count || pts[k + 1] == nil)
                    if alone && series.mark == .line {
                        // A point between gaps: a dot, or it would not show at all.
                        markers += "<circle cx=\"\(SVG.num(px))\" cy=\"\(SVG.num(py))\" r=\"2.5\" style=\"fill: \(color)\"/>\n"
                    }
                    d += (pen ? "L" : "M") + "\(SVG.num(px)) \(SVG.num(py))"
                    pen = true
                }
                if !d.isEmpty {
                    if series.of != nil {
                        tied += "<path d=\"\(d)\" fill=\"none\"\(referenceStyle(series.of).attrs)/>\n"
                    } else {
                        let dash = Palette.dash(i).map { " stroke-dasharray=\"\($0)\"" } ?? ""
                        s += "<path d=\"\(d)\" fill=\"none\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke-linecap=\"round\"\(dash) style=\"stroke: \(color)\"/>\n"
                    }
                }
            }
            if series.mark != .line {
                markers += "<g>" + pts.compactMap { $0 }.map { marker(i, $0.0, $0.1, color) }.joined() + "</g>\n"
            }
        }
        // Reference lines above the series, so that no series hides them.
        s += tied
        var refLabels = ""
        for r in f.hlines {
            if let py = ya.pixel(r.value) {
                s += "<path d=\"M\(SVG.num(x0)) \(SVG.num(py))H\(SVG.num(x1))\" fill=\"none\"\(referenceStyle(r.of).attrs)/>\n"
                if let l = r.label { refLabels += text(x1 - 4, py - 5, l, size: tickSize, anchor: "end") }
            }
        }
        for r in f.vlines {
            if let px = xa.pixel(r.value) {
                s += "<path d=\"M\(SVG.num(px)) \(SVG.num(y0))V\(SVG.num(y1))\" fill=\"none\"\(referenceStyle(r.of).attrs)/>\n"
                if let l = r.label { refLabels += text(px + 4, y0 + 14, l, size: tickSize, anchor: "start") }
            }
        }
        s += "</g>\n"
        if !markers.isEmpty {
            // Markers may overhang the frame by their size.
            s += "<clipPath id=\"\(id)-clipm\"><rect x=\"\(SVG.num(x0 - 6))\" y=\"\(SVG.num(y0 - 6))\" width=\"\(SVG.num(x1 - x0 + 12))\" height=\"\(SVG.num(y1 - y0 + 12))\"/></clipPath>\n"
            s += "<g clip-path=\"url(#\(id)-clipm)\">\n" + markers + "</g>\n"
        }
        s += refLabels
        if drawn == 0 {
            s += text((x0 + x1) / 2, (y0 + y1) / 2, "no data to show", size: labelSize, extra: " fill-opacity=\"0.7\"")
        }
        var height = complex || narrow ? y1 + bottom : f.height
        if legendRight {
            var ly = y0 + 8
            for item in legend {
                s += legendEntry(item, x1 + 14, ly)
                ly += 20
            }
            height = max(height, ly)
        } else if !legend.isEmpty {
            let columns = 2 * entryW <= W - 16 ? 2 : 1
            let colW = (W - 16) / Double(columns)
            let ly0 = y1 + bottom + 6
            for (k, item) in legend.enumerated() {
                s += legendEntry(item, 12 + Double(k % columns) * colW, ly0 + Double(k / columns) * 20)
            }
            height = ly0 + Double((legend.count + columns - 1) / columns) * 20
        }
        return (s, height)
    }

    // MARK: Heatmap

    /// Height of the drawing: the figure's, scaled with the width in the narrow layout.
    var H: Double { narrow ? max(180, figure.height * W / figure.width) : figure.height }

    func renderHeatmap() -> (String, Double) {
        guard let m = figure.heat, m.rows > 0, m.cols > 0 else {
            return (text(W / 2, H / 2, "empty matrix", size: labelSize), H)
        }
        let vals = m.columnMajor.filter(\.isFinite)
        var lo = vals.min() ?? 0, hi = vals.max() ?? 0
        let diverging = lo < 0 && hi > 0
        if diverging { let a = max(-lo, hi); lo = -a; hi = a }
        if lo == hi { lo -= lo == 0 ? 1 : abs(lo) * 0.5; hi += hi == 0 ? 1 : abs(hi) * 0.5 }
        let stops = diverging ? Palette.diverging : Palette.sequential
        let annotate = figure.annotateCells ?? (m.rows <= 8 && m.cols <= 8)
        let cbTicks = Ticks.linear(lo, hi, target: 5).ticks.filter { $0.value >= lo - 1e-12 * abs(lo) && $0.value <= hi + 1e-12 * abs(hi) }
        let cbLabelW = cbTicks.compactMap(\.label).map { Markup.width($0, size: tickSize) }.max() ?? 0
        let rowLabelW = Markup.width(String(m.rows - 1), size: tickSize)
        let left = 12 + (figure.yLabel.isEmpty ? 0 : 22) + rowLabelW + 8
        let right: Double = 20 + 14 + 8 + cbLabelW + 12
        let bottom: Double = 26 + (figure.xLabel.isEmpty ? 0 : 22)
        let availW = W - left - right, availH = H - top - bottom
        let cell = min(availW / Double(m.cols), availH / Double(m.rows))
        let gw = cell * Double(m.cols), gh = cell * Double(m.rows)
        let x0 = left + (availW - gw) / 2, y0 = top
        var s = "<g class=\"lectern-cells\">\n"
        let fmt = Format.matrix(m, digits: 3)
        for i in 0..<m.rows {
            for j in 0..<m.cols {
                let v = m[i, j]
                let c = Palette.ramp(stops, (v - lo) / (hi - lo))
                let fill = v.isFinite ? Palette.hex(c) : "#999999"
                let x = x0 + Double(j) * cell, y = y0 + Double(i) * cell
                s += "<rect x=\"\(SVG.num(x))\" y=\"\(SVG.num(y))\" width=\"\(SVG.num(cell))\" height=\"\(SVG.num(cell))\" fill=\"\(fill)\"><title>(\(i), \(j)): \(SVG.escape(Format.number(v)))</title></rect>\n"
                if annotate {
                    let size = min(12, cell * 0.28)
                    let ink = v.isFinite && Palette.isDark(c) ? "#FFFFFF" : "#111111"
                    s += "<text x=\"\(SVG.num(x + cell / 2))\" y=\"\(SVG.num(y + cell / 2 + size * 0.35))\" text-anchor=\"middle\" font-size=\"\(SVG.num(size))\" fill=\"\(ink)\">\(SVG.escape(fmt[i][j]))</text>\n"
                }
            }
        }
        s += "</g>\n"
        s += "<rect x=\"\(SVG.num(x0))\" y=\"\(SVG.num(y0))\" width=\"\(SVG.num(gw))\" height=\"\(SVG.num(gh))\" fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"0.45\"/>\n"
        // Row and column indices (thinned so that they stay legible).
        let every = max(1, Int(ceil(14 / cell)))
        for j in stride(from: 0, to: m.cols, by: every) {
            s += text(x0 + (Double(j) + 0.5) * cell, y0 + gh + 15, String(j), size: tickSize)
        }
        for i in stride(from: 0, to: m.rows, by: every) {
            s += text(x0 - 6, y0 + (Double(i) + 0.5) * cell + 4, String(i), size: tickSize, anchor: "end")
        }
        if !figure.xLabel.isEmpty { s += text(x0 + gw / 2, y0 + gh + 14 + 24, figure.xLabel, size: labelSize) }
        if !figure.yLabel.isEmpty {
            s += "<text transform=\"translate(\(SVG.num(max(18, x0 - rowLabelW - 20))) \(SVG.num(y0 + gh / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"\(SVG.num(labelSize))\">\(Markup.tspans(figure.yLabel, size: labelSize))</text>\n"
        }
        // Colour bar.
        let bx = x0 + gw + 20, bw = 14.0
        s += "<linearGradient id=\"\(id)-ramp\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        for (k, c) in stops.enumerated() {
            s += "<stop offset=\"\(SVG.num(Double(k) / Double(stops.count - 1)))\" stop-color=\"\(Palette.hex(c))\"/>"
        }
        s += "</linearGradient>\n"
        s += "<rect x=\"\(SVG.num(bx))\" y=\"\(SVG.num(y0))\" width=\"\(SVG.num(bw))\" height=\"\(SVG.num(gh))\" fill=\"url(#\(id)-ramp)\" stroke=\"currentColor\" stroke-opacity=\"0.45\"/>\n"
        var cb = Axis(scale: .linear, lo: lo, hi: hi, ticks: cbTicks)
        cb.p0 = y0 + gh; cb.p1 = y0
        let keep = thinned(cbTicks, axis: cb) { _ in tickSize + 2 }
        var tk = ""
        for (k, t) in cbTicks.enumerated() {
            guard let py = cb.pixel(t.value) else { continue }
            tk += "M\(SVG.num(bx + bw)) \(SVG.num(py))h4"
            if keep.contains(k), let l = t.label { s += text(bx + bw + 7, py + 4, minus(l), size: tickSize, anchor: "start") }
        }
        s += "<path d=\"\(tk)\" stroke=\"currentColor\" fill=\"none\"/>\n"
        return (s, y0 + gh + bottom)
    }

    // MARK: Bars

    func renderBars() -> (String, Double) {
        let f = figure
        let n = f.barValues.count
        let finite = f.barValues.filter(\.isFinite)
        var ya = Axis.fit(finite + [0], scale: .linear, limits: f.yLimits, target: 6)
        let left = 12 + (f.yLabel.isEmpty ? 0 : 22) + yTickWidth(ya) + 9
        let bottom: Double = 30 + (f.xLabel.isEmpty ? 0 : 22)
        let x0 = left, x1 = W - 16, y0 = top, y1 = H - bottom
        ya.p0 = y1; ya.p1 = y0
        var xa = Axis(scale: .linear, lo: 0, hi: Double(max(1, n)), ticks: [])
        xa.p0 = x0; xa.p1 = x1
        var s = axesBlock(xa, ya, x0, y0, x1, y1, zeroAxes: true)
        s += axisTitles(x0, y0, x1, y1, yTicks: yTickWidth(ya))
        guard n > 0 else {
            return (s + text((x0 + x1) / 2, (y0 + y1) / 2, "no data to show", size: labelSize, extra: " fill-opacity=\"0.7\""), H)
        }
        let band = (x1 - x0) / Double(n)
        let zero = ya.pixel(0) ?? y1
        let labelW = f.barLabels.map { Markup.width($0, size: tickSize) }.max() ?? 0
        let every = max(1, Int(ceil((labelW + 6) / band)))
        let values = Format.numbers(f.barValues)
        let showValues = band >= (values.map { SVG.textWidth($0, size: 10) }.max() ?? 0) + 4
        s += "<g>\n"
        for k in 0..<n {
            let cx = x0 + (Double(k) + 0.5) * band
            let v = f.barValues[k]
            if let py = ya.pixel(v) {
                let yTop = min(py, zero), h = abs(py - zero)
                s += "<rect x=\"\(SVG.num(cx - band * 0.35))\" y=\"\(SVG.num(yTop))\" width=\"\(SVG.num(band * 0.7))\" height=\"\(SVG.num(h))\" style=\"fill: \(Palette.color(0))\"><title>\(SVG.escape(Markup.plain(f.barLabels[k]))): \(SVG.escape(values[k]))</title></rect>\n"
                if showValues {
                    s += text(cx, v >= 0 ? yTop - 4 : yTop + h + 12, values[k], size: 10)
                }
            }
            if k % every == 0 { s += text(cx, y1 + 18, f.barLabels[k], size: tickSize) }
        }
        s += "</g>\n"
        return (s, H)
    }
}
