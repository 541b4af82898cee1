import Foundation
import Testing
@testable import LecternBuild

/// A TCP listener on loopback that records proxy requests: Chromium is pointed
/// at it as its proxy, so any request that would leave the machine shows up here.
/// Chromium's own background traffic (update checks, clock, account services)
/// is told apart by host and not counted against the page.
final class ConnectionCounter: @unchecked Sendable {
    let fd: Int32
    let port: UInt16
    private let lock = NSLock()
    private var _requests: [String] = []
    static let browserHosts = ["accounts.google.com", "clients2.google.com", "clientservices.googleapis.com",
                               "update.googleapis.com", "optimizationguide-pa.googleapis.com",
                               "content-autofill.googleapis.com", "safebrowsing.googleapis.com",
                               "redirector.gvt1.com", "edgedl.me.gvt1.com"]
    /// Request lines from the page (browser background traffic left out).
    var pageRequests: [String] {
        lock.lock(); defer { lock.unlock() }
        return _requests.filter { line in !Self.browserHosts.contains { line.contains($0) } }
    }
    var count: Int { pageRequests.count }

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        listen(fd, 16)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        self.fd = fd
        self.port = UInt16(bigEndian: addr.sin_port)
        let t = Thread { [self] in
            while true {
                let c = accept(fd, nil, nil)
                if c < 0 { return }
                var buf = [UInt8](repeating: 0, count: 512)
                var tv = timeval(tv_sec: 1, tv_usec: 0)
                setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                let n = read(c, &buf, buf.count)
                let line = String(decoding: buf.prefix(max(n, 0)), as: UTF8.self).split(separator: "\r\n").first.map(String.init) ?? "?"
                lock.lock(); _requests.append(line); lock.unlock()
                close(c)
            }
        }
        t.start()
    }

    deinit { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
}

func chromiumPath() -> String? {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
}

@discardableResult
func runChromium(_ args: [String]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: chromiumPath()!)
    p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync"] + args
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

@Suite(.serialized) struct Browser {
    @Test(.enabled(if: chromiumPath() != nil, "Chromium is installed by scripts/test"))
    func mathRendersOfflineWithNoRequest() throws {
        let c = try TempCourse(["01-spectral.md": demoLecture])
        var o = BuildOptions()
        o.outputDirectory = c.output
        _ = try CourseBuilder(course: try Course.load(c.lectures), options: o).build()
        let counter = try ConnectionCounter()
        let url = "file://\(c.output)/spectral.html"
        let proxy = ["--proxy-server=http://127.0.0.1:\(counter.port)", "--proxy-bypass-list=<-loopback>",
                     "--virtual-time-budget=5000"]
        let dom = try runChromium(proxy + ["--dump-dom", url])
        #expect(dom.contains("class=\"katex\""))
        #expect(dom.contains("class=\"katex-display\""))
        // No TeX left unrendered: every .math span now holds KaTeX output.
        #expect(!dom.contains("$$"))
        #expect(dom.components(separatedBy: "class=\"math ").count - 1 == 5)  // λ, W, ρ(W)…, L, (γρ)^L
        #expect(dom.components(separatedBy: "<span class=\"katex\">").count - 1 == 5)
        let shot = artifactsDirectory() + "/lecture-page.png"
        try runChromium(proxy + ["--window-size=900,900", "--screenshot=\(shot)", url])
        #expect(FileManager.default.fileExists(atPath: shot))
        #expect(counter.pageRequests.isEmpty, "the page made network requests: \(counter.pageRequests)")
    }

    /// Every figure kind on one page, screenshotted in the light and the dark
    /// theme: `test-artifacts/figures-light.png` and `figures-dark.png`.
    @Test(.enabled(if: chromiumPath() != nil, "Chromium is installed by scripts/test"))
    func everyFigureKindInLightAndDarkThemes() throws {
        let c = try TempCourse(["01-figures.md": """
        ---
        title: Every figure kind
        ---

        ```swift {#fig-log echo=false caption="Line plot, log y axis, two series with a legend"}
        var f = Figure(title: "Gradient norm", x: "L", y: "\\\\|\\\\partial h_T/\\\\partial h_{T-L}\\\\|", yScale: .log)
        f.line(1...40, (1...40).map { pow(0.9, Double($0)) }, label: "\\\\rho = 0.9")
        f.line(1...40, (1...40).map { pow(1.1, Double($0)) }, label: "\\\\rho = 1.1", markers: true)
        f.hline(1, label: "bound 1")
        show(f)
        ```

        ```swift {#fig-scatter echo=false caption="Scatter, linear axes"}
        var rng = Xoshiro256(seed: 7)
        var s = Figure(title: "Scatter", x: "x_1", y: "x_2")
        s.scatter((0..<60).map { _ in rng.normal() }, (0..<60).map { _ in rng.normal() }, label: "samples")
        show(s)
        ```

        ```swift {#fig-complex echo=false caption="Complex plane with the unit circle"}
        let W = Matrix.rotation(Double.pi / 5)
        show(Figure.complexPlane(try W.eigenvalues() + [Complex(0.5, 0), Complex(-1.2, 0.3)], title: "Eigenvalues \\\\lambda_i"))
        ```

        ```swift {#fig-heat echo=false caption="Heatmap with a colour bar"}
        show(Figure.heatmap(Matrix(rows: 4, cols: 4) { i, j in Double(i - j) / 3 }, title: "W_{hh}"))
        ```

        ```swift {#fig-bars echo=false caption="Bars"}
        show(Figure.bars(["\\\\sigma_1", "\\\\sigma_2", "\\\\sigma_3"], [2.1, 1.3, 0.4], title: "Singular values"))
        ```

        """])
        var o = BuildOptions()
        o.outputDirectory = c.output
        o.cacheDirectory = c.root + "/.lectern-cache"
        let report = try CourseBuilder(course: try Course.load(c.lectures), options: o).build()
        #expect(report.diagnostics.map(\.description) == [])
        let url = "file://\(c.output)/figures.html"
        let dom = try runChromium(["--virtual-time-budget=3000", "--blink-settings=preferredColorScheme=0", "--dump-dom", url])
        #expect(dom.components(separatedBy: "<svg").count - 1 >= 5)
        #expect(dom.contains("Figure 5"))
        var shots: [Data] = []
        for (theme, scheme) in [("light", 1), ("dark", 0)] {
            let shot = artifactsDirectory() + "/figures-\(theme).png"
            try? FileManager.default.removeItem(atPath: shot)
            try runChromium(["--virtual-time-budget=3000", "--blink-settings=preferredColorScheme=\(scheme)",
                             "--window-size=900,3200", "--screenshot=\(shot)", url])
            shots.append(try #require(FileManager.default.contents(atPath: shot)))
        }
        #expect(shots[0] != shots[1], "the dark theme must change the page")
    }

    @Test(.enabled(if: chromiumPath() != nil, "Chromium is installed by scripts/test"))
    func theCounterSeesARequestWhenThereIsOne() throws {
        // The check above is only worth something if a real request would be seen.
        let counter = try ConnectionCounter()
        let dir = NSTemporaryDirectory() + "lectern-net-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("<img src=\"http://example.invalid/x.png\">".utf8).write(to: URL(fileURLWithPath: dir + "/p.html"))
        try runChromium(["--proxy-server=http://127.0.0.1:\(counter.port)", "--proxy-bypass-list=<-loopback>",
                         "--virtual-time-budget=3000", "--dump-dom", "file://\(dir)/p.html"])
        #expect(counter.count > 0)
    }
}
