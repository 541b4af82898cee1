import Foundation

/// A figure, drawn as SVG by Lectern itself.
///
///     var f = Figure(title: "Gradient norm", x: "L", y: "‖∂h_T/∂h_{T-L}‖", yScale: .log)
///     f.line(1...50, norms09, label: "ρ = 0.9")
///     f.line(1...50, norms11, label: "ρ = 1.1")
///     show(f, caption: "Vanishing and exploding")
///
/// Kinds: line/scatter plots (`Figure(...)` + `line`, `scatter`, `hline`, `vline`),
/// `Figure.complexPlane`, `Figure.heatmap`, `Figure.bars`.
/// Labels accept light markup: `h_t`, `x^2`, `h_{T-L}`, `\rho`, `\|`.
public struct Figure: Sendable, Equatable {
    public enum Mark: String, Sendable, Equatable { case line, scatter, lineAndMarkers }

    public struct Series: Sendable, Equatable {
        public var xs: [Double]
        public var ys: [Double]
        public var label: String?
        public var mark: Mark
        /// A reference curve for series `of`: drawn thin and dashed in its colour, above the series.
        public var of: Int?
    }

    struct RefLine: Sendable, Equatable {
        var value: Double
        var label: String?
        var of: Int?
    }

    enum Kind: Sendable, Equatable { case xy, complexPlane, heatmap, bars }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xScale: AxisScale
    public var yScale: AxisScale
    /// Size of the drawing in SVG user units (the inline SVG scales to its container).
    public var width: Double
    public var height: Double
    /// Fixed axis ranges (data outside is clipped). Nil: fitted to the data with nice bounds.
    public var xLimits: ClosedRange<Double>?
    public var yLimits: ClosedRange<Double>?
    /// Heatmaps: write the value in each cell (default: when the matrix is at most 8×8).
    public var annotateCells: Bool?

    public internal(set) var series: [Series] = []
    var kind: Kind = .xy
    var hlines: [RefLine] = []
    var vlines: [RefLine] = []
    var unitCircle = false
    var heat: Matrix?
    var barLabels: [String] = []
    var barValues: [Double] = []

    public init(title: String = "", x: String = "", y: String = "",
                xScale: AxisScale = .linear, yScale: AxisScale = .linear,
                width: Double = 640, height: Double = 400) {
        self.title = title
        self.xLabel = x
        self.yLabel = y
        self.xScale = xScale
        self.yScale = yScale
        self.width = max(200, width)
        self.height = max(150, height)
    }

    // MARK: Series

    /// A line through (xs[i], ys[i]); non-finite points break the line.
    /// `of: k` makes it a reference curve for series k (a bound, a prediction):
    /// thin and dashed in series k's colour, drawn above the series.
    public mutating func line<X: Sequence, Y: Sequence>(_ xs: X, _ ys: Y, label: String? = nil, markers: Bool = false,
                                                        of: Int? = nil)
    where X.Element: PlotValue, Y.Element: PlotValue {
        add(xs, ys, label, markers ? .lineAndMarkers : .line)
        series[series.count - 1].of = of
    }

    /// A line through (i, ys[i]) for i = 0, 1, ...
    public mutating func line<Y: Sequence>(_ ys: Y, label: String? = nil, markers: Bool = false)
    where Y.Element: PlotValue {
        let v = ys.map(\.plotValue)
        add(v.indices.map(Double.init), v, label, markers ? .lineAndMarkers : .line)
    }

    /// Points at (xs[i], ys[i]).
    public mutating func scatter<X: Sequence, Y: Sequence>(_ xs: X, _ ys: Y, label: String? = nil)
    where X.Element: PlotValue, Y.Element: PlotValue {
        add(xs, ys, label, .scatter)
    }

    /// A horizontal reference line, e.g. `f.hline(1, label: "ρ = 1")`: thin, dashed,
    /// grey (or series `of`'s colour), drawn above the series; without a label it
    /// gets a legend entry `y = value`.
    public mutating func hline(_ y: Double, label: String? = nil, of: Int? = nil) {
        hlines.append(RefLine(value: y, label: label, of: of))
    }

    /// A vertical reference line (as `hline`; legend entry `x = value`).
    public mutating func vline(_ x: Double, label: String? = nil, of: Int? = nil) {
        vlines.append(RefLine(value: x, label: label, of: of))
    }

    /// Adds complex numbers as points (complex-plane figures, or any xy figure: (re, im)).
    public mutating func points(_ zs: [Complex<Double>], label: String? = nil) {
        series.append(Series(xs: zs.map(\.real), ys: zs.map(\.imaginary), label: label, mark: .scatter))
    }

    mutating func add<X: Sequence, Y: Sequence>(_ xs: X, _ ys: Y, _ label: String?, _ mark: Mark)
    where X.Element: PlotValue, Y.Element: PlotValue {
        let x = xs.map(\.plotValue), y = ys.map(\.plotValue)
        let n = min(x.count, y.count)
        series.append(Series(xs: Array(x.prefix(n)), ys: Array(y.prefix(n)), label: label, mark: mark))
    }

    // MARK: Other kinds

    /// Eigenvalues (or any complex numbers) in the complex plane: equal aspect ratio,
    /// axes through 0, the unit circle dashed.
    public static func complexPlane(_ zs: [Complex<Double>], title: String = "", label: String? = nil,
                                    unitCircle: Bool = true, x: String = "Re", y: String = "Im",
                                    size: Double = 420) -> Figure {
        var f = Figure(title: title, x: x, y: y, width: size + 80, height: size)
        f.kind = .complexPlane
        f.unitCircle = unitCircle
        f.points(zs, label: label)
        return f
    }

    /// A matrix as coloured cells with a colour bar (diverging palette when the
    /// entries have both signs, sequential otherwise). Row i is drawn at the top for i = 0.
    public static func heatmap(_ m: Matrix, title: String = "", x: String = "column j", y: String = "row i",
                               annotate: Bool? = nil, width: Double = 520, height: Double = 420) -> Figure {
        var f = Figure(title: title, x: x, y: y, width: width, height: height)
        f.kind = .heatmap
        f.heat = m
        f.annotateCells = annotate
        return f
    }

    /// Vertical bars, one per label.
    public static func bars(_ labels: [String], _ values: [Double], title: String = "", x: String = "", y: String = "",
                            width: Double = 640, height: Double = 400) -> Figure {
        var f = Figure(title: title, x: x, y: y, width: width, height: height)
        f.kind = .bars
        let n = min(labels.count, values.count)
        f.barLabels = Array(labels.prefix(n))
        f.barValues = Array(values.prefix(n))
        return f
    }

    // MARK: Output

    /// The SVG. Inline form (default): `width="100%"`, scales to its container.
    /// Standalone form: fixed width/height, and a white (or dark, under
    /// `prefers-color-scheme: dark`) background so the file reads anywhere.
    /// `id` prefixes every element id; it must be unique within a page.
    /// `narrow`: the layout for phones (at most 300 units wide, legend under the
    /// plot), which pages show when the figure's box is narrower than 480 px.
    public func svg(id: String = "fig", standalone: Bool = false, narrow: Bool = false) -> String {
        FigureRenderer(figure: self, id: id, narrow: narrow).render(standalone: standalone)
    }

    /// A one-paragraph text description (kind, series, ranges, skipped points).
    public var summary: String { FigureRenderer(figure: self, id: "x").summary() }

    /// Plain-text title (markup removed), or the kind of figure when untitled.
    public var plainTitle: String {
        if !title.isEmpty { return Markup.plain(title) }
        switch kind {
        case .xy: return "Plot"
        case .complexPlane: return "Complex plane"
        case .heatmap: return "Heatmap"
        case .bars: return "Bar chart"
        }
    }
}

/// A number a figure can plot.
public protocol PlotValue { var plotValue: Double { get } }
extension Double: PlotValue { public var plotValue: Double { self } }
extension Float: PlotValue { public var plotValue: Double { Double(self) } }
extension Int: PlotValue { public var plotValue: Double { Double(self) } }

/// Shows a figure. The record carries both SVG forms; ids are `lectern-fig-N-HASH`
/// (N counts the figures of the program, HASH hashes the content), so repeated
/// runs give identical output.
public func show(_ figure: Figure, caption: String? = nil) {
    let n = DisplayRuntime.nextFigureNumber()
    let id = "lectern-fig-\(n)-" + SVG.hash(figure.svg(id: "ID"))
    DisplayRuntime.emit(.figure(.init(id: id, title: figure.plainTitle, svg: figure.svg(id: id),
                                standalone: figure.svg(id: id, standalone: true),
                                caption: caption, alt: figure.summary, out: -1,
                                narrow: figure.svg(id: id + "-n", narrow: true))))
}
