import Foundation
import Testing
@testable import LecternDisplay

private let goldenDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
private let updating = ProcessInfo.processInfo.environment["LECTERN_UPDATE_GOLDEN"] == "1"

@Suite struct FigureGoldenTests {
    @Test(arguments: GoldenFigures.all.map(\.name))
    func golden(_ name: String) throws {
        let fig = try #require(GoldenFigures.all.first { $0.name == name }).figure
        let svg = fig.svg(id: "g-\(name)", standalone: true)
        let url = goldenDir.appendingPathComponent("\(name).svg")
        if updating {
            try FileManager.default.createDirectory(at: goldenDir, withIntermediateDirectories: true)
            try svg.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(svg == expected, "SVG of \(name) changed; regenerate with LECTERN_UPDATE_GOLDEN=1 if intended")
        // Structure that does not depend on the details of the drawing.
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("<title id=\"g-\(name)-title\">"))
        #expect(svg.contains("<desc id=\"g-\(name)-desc\">"))
        #expect(!svg.contains("NaN\""), "no NaN coordinates")
        #expect(!svg.contains("inf\""), "no infinite coordinates")
        #expect(svg.components(separatedBy: "<text").count == svg.components(separatedBy: "</text>").count)
    }

    @Test func deterministic() {
        for (_, f) in GoldenFigures.all { #expect(f.svg(id: "a") == f.svg(id: "a")) }
    }

    @Test func inlineFormScales() {
        let svg = GoldenFigures.all[0].figure.svg(id: "x")
        #expect(svg.contains("width=\"100%\""))
        #expect(!svg.contains("height=\"400\""))
        #expect(svg.contains("viewBox=\"0 0 640 400\""))
        #expect(svg.contains("var(--lectern-c1, #4477AA)"))
        #expect(svg.contains("@media (prefers-color-scheme: dark)"))
    }
}

@Suite struct AxisTests {
    @Test func logDecades() {
        let t = Ticks.log(1e-6, 1)
        let labelled = t.ticks.filter { $0.label != nil }.map(\.value)
        #expect(labelled.count == 7)
        for (k, v) in labelled.enumerated() { #expect(abs(log10(v) - Double(k - 6)) < 1e-12) }
        #expect(t.lo == 1e-6 && t.hi == 1)
        #expect(t.ticks.first { $0.value == 1e-6 }?.label == "10^{-6}")
        #expect(t.ticks.first { $0.value == 1 }?.label == "1")
    }

    @Test func logManyDecadesLabelsEveryFew() {
        let t = Ticks.log(1e-40, 1e3)
        #expect(t.ticks.filter { $0.label != nil }.count <= 9)
        #expect(t.ticks.filter { $0.label == nil }.allSatisfy { abs(log10($0.value).rounded() - log10($0.value)) < 1e-9 })
    }

    @Test func logNarrowRange() {
        let t = Ticks.log(0.32, 0.78)
        #expect(t.lo == 0.3 && t.hi == 0.8)
        #expect(t.ticks.map(\.label) == ["0.3", "0.4", "0.5", "0.6", "0.7", "0.8"])
    }

    @Test func linearNice() {
        let t = Ticks.linear(0.13, 0.97, target: 5)
        #expect(t.lo == 0 && t.hi == 1)
        #expect(t.ticks.map(\.label) == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        let u = Ticks.linear(1, 50, target: 6)
        #expect(u.ticks.map(\.label) == ["0", "10", "20", "30", "40", "50"])
        let v = Ticks.linear(5, 5)
        #expect(v.lo < 5 && v.hi > 5)
    }

    @Test func affineMapping() {
        // Pixel positions computed by hand from x0 = 100, x1 = 500 on [0, 50]:
        // px = 100 + (x − 0)/(50 − 0)·400, so x = 20 → 260.
        var a = Axis(scale: .linear, lo: 0, hi: 50, ticks: [])
        a.p0 = 100; a.p1 = 500
        #expect(a.pixel(20) == 260)
        // Log axis 1e-6…1 drawn from y = 350 (bottom) to y = 50 (top): 1e-3 is halfway, 200.
        var l = Axis(scale: .log, lo: 1e-6, hi: 1, ticks: [])
        l.p0 = 350; l.p1 = 50
        #expect(abs(l.pixel(1e-3)! - 200) < 1e-9)
        #expect(l.pixel(0) == nil && l.pixel(-1) == nil && l.pixel(.nan) == nil)
    }

    @Test func tickLabelsAppearInSVG() {
        var f = Figure(x: "L", y: "norm", yScale: .log)
        f.line([1, 2, 3], [1e-6, 1e-3, 1])
        let svg = f.svg(id: "t")
        // superscript exponent for 10^{-6}
        #expect(svg.contains(">10<tspan dy=\"-4.62\" font-size=\"7.92\">−6</tspan></text>"))
    }

    @Test func summaryMentionsSkippedPoints() {
        let f = GoldenFigures.all.first { $0.name == "log-bad-data" }!.figure
        #expect(f.summary.contains("1 non-finite point not shown"))
        #expect(f.summary.contains("2 points ≤ 0 not shown on the log axis"))
    }
}

@Suite struct MarkupTests {
    @Test func parse() {
        #expect(Markup.parse("h_t") == [TextRun(text: "h", level: .normal), TextRun(text: "t", level: .sub)])
        #expect(Markup.parse("x^2") == [TextRun(text: "x", level: .normal), TextRun(text: "2", level: .sup)])
        #expect(Markup.parse("‖∂h_T/∂h_{T-L}‖") == [
            TextRun(text: "‖∂h", level: .normal), TextRun(text: "T", level: .sub),
            TextRun(text: "/∂h", level: .normal), TextRun(text: "T-L", level: .sub),
            TextRun(text: "‖", level: .normal)])
        #expect(Markup.parse("\\gamma\\rho^L") == [TextRun(text: "γρ", level: .normal), TextRun(text: "L", level: .sup)])
        #expect(Markup.parse("a\\_b") == [TextRun(text: "a_b", level: .normal)])
        #expect(Markup.plain("h_{T-L}") == "h_(T-L)")
    }

    @Test func escaping() {
        #expect(Markup.tspans("a<b & c", size: 10) == "a&lt;b &amp; c")
        #expect(SVG.num(-0.001) == "0")
        #expect(SVG.num(12.345) == "12.35")
        #expect(SVG.num(3.10) == "3.1")
        #expect(SVG.num(-2.05) == "-2.05")
    }

    @Test func showFigureRecord() {
        let recs = collectRecords { show(GoldenFigures.all[0].figure, caption: "c") }
        guard case let .figure(f) = recs.first else { Issue.record(); return }
        #expect(f.id.hasPrefix("lectern-fig-"))
        #expect(f.svg.contains("id=\"\(f.id)-title\""))
        #expect(f.standalone.contains("width=\"640\""))
        #expect(f.title == "Gradient norm over L steps")
        #expect(f.caption == "c")
        #expect(f.alt.hasPrefix("Line plot with 3 series"))
    }
}

@Suite struct FigureLayoutTests {
    func viewBox(_ svg: String) -> [Double] {
        let r = svg.range(of: "viewBox=\"")!
        return svg[r.upperBound...].prefix { $0 != "\"" }.split(separator: " ").map { Double($0)! }
    }

    @Test func theNarrowLayoutIs300UnitsWideWithTheLegendUnderThePlot() {
        var f = Figure(title: "Gradient norm against window length", x: "window L", y: "norm", yScale: .log, width: 460, height: 380)
        f.line(0...30, (0...30).map { pow(0.9, Double($0)) }, label: "ρ = 0.9", markers: true)
        f.line(0...30, (0...30).map { pow(1.1, Double($0)) }, label: "ρ = 1.1")
        let wide = f.svg(id: "w"), narrow = f.svg(id: "n", narrow: true)
        #expect(viewBox(wide) == [0, 0, 460, 380])
        let box = viewBox(narrow)
        #expect(box[2] == 300)
        // Legend text under the frame: every legend label starts at x 12 + 30 or in the second column.
        let frame = narrow.range(of: "<rect x=\"")!
        let frameTag = narrow[frame.lowerBound...].prefix { $0 != ">" }
        func attr(_ name: String) -> Double {
            let r = frameTag.range(of: " \(name)=\"")!
            return Double(frameTag[r.upperBound...].prefix { $0 != "\"" })!
        }
        let bottom = attr("y") + attr("height")
        let legendLine = narrow.range(of: ">ρ = 1.1</text>")!
        let legendTag = narrow[..<legendLine.lowerBound].components(separatedBy: "<text").last!
        let y = Double(legendTag.components(separatedBy: "y=\"")[1].prefix { $0 != "\"" })!
        #expect(y > bottom + 30, "legend under the plot and its x label")
        #expect(y < box[3])
        // The title no longer fits on one line at 300 units: two lines.
        #expect(narrow.components(separatedBy: "font-weight=\"600\"").count - 1 == 2)
        #expect(wide.components(separatedBy: "font-weight=\"600\"").count - 1 == 1)
    }

    @Test func referenceLinesAreAboveTheSeriesInTheLegendAndTiedOnesTakeTheSeriesColour() {
        var f = Figure(x: "L", y: "loss", yScale: .log)
        f.line([1, 2, 3], [1, 0.5, 0.1], label: "measured")
        f.line([1, 2, 3], [1, 0.9, 0.8], label: "bound", of: 0)
        f.hline(1.0 / 12)
        let svg = f.svg(id: "r")
        let series = svg.range(of: "stroke-width=\"2\" stroke-linejoin")!
        let tied = svg.range(of: "stroke-dasharray=\"4 3\" style=\"stroke: var(--lectern-c1")!
        let hline = svg.range(of: "stroke=\"currentColor\" stroke-opacity=\"0.75\" stroke-width=\"1.25\" stroke-dasharray=\"4 3\"")!
        #expect(series.lowerBound < tied.lowerBound && tied.lowerBound < hline.lowerBound, "references drawn after the series")
        #expect(svg.contains(">y = 0.0833333</text>"), "an unlabelled reference line is named in the legend")
        #expect(!svg.contains("var(--lectern-c2"), "the tied curve takes series 1's colour, not a colour of its own")
    }

    @Test func theComplexPlaneEndsUnderItsXLabel() {
        let f = Figure.complexPlane([Complex(0.5, 0.5), Complex(0.5, -0.5)], title: "Spectrum", label: "λ", size: 340)
        let svg = f.svg(id: "c")
        let height = viewBox(svg)[3]
        let label = svg.range(of: ">Re</text>")!
        let tag = svg[..<label.lowerBound].components(separatedBy: "<text").last!
        let y = Double(tag.components(separatedBy: "y=\"")[1].prefix { $0 != "\"" })!
        #expect(height - y <= 14, "no gap under the x label: label at \(y), drawing \(height) high")
    }
}
