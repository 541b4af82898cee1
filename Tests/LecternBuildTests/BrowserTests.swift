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
