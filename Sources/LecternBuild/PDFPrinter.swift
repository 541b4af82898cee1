import Foundation
import LecternDocument
import LecternRender
import LecternRunner

/// Paper for `--pdf`.
public enum Paper: String, Sendable, CaseIterable {
    case a4, letter

    /// The CSS `size` of the page.
    var css: String { self == .a4 ? "A4" : "letter" }
    /// Width of the text between the margins, in CSS pixels (96 per inch).
    var textWidth: Int {
        let widthMM = self == .a4 ? 210.0 : 215.9
        return Int(((widthMM - 2 * PDFPrinter.sideMarginMM) / 25.4 * 96).rounded(.down))
    }
}

/// Prints the built pages to PDF with headless Chromium: `Output/<slug>.pdf`
/// for each lecture and `Output/course.pdf` for the course, through the
/// pages' print stylesheet plus an `@page` rule (paper, margins, the title
/// at the top and the page number at the bottom of each page). Display math,
/// tables and figures wider than the text are scaled to fit. The dates
/// Chromium writes are blanked, so the same pages print to the same bytes.
///
/// PDFs are not part of `lectern check`'s freshness check: they are listed in
/// the manifest under `pdf:<slug>` (and `pdf:*` for the course), which a build
/// without `--pdf` keeps and a deleted lecture's build removes.
public struct PDFPrinter: Sendable {
    public static let ownerPrefix = "pdf:"
    static let sideMarginMM = 16.0

    public let chromium: String
    public let paper: Paper

    public init(chromium: String, paper: Paper) {
        self.chromium = chromium
        self.paper = paper
    }

    /// Chromium on PATH (`LECTERN_CHROMIUM` overrides), or nil.
    public static func locateChromium(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let fm = FileManager.default
        if let c = environment["LECTERN_CHROMIUM"] { return fm.isExecutableFile(atPath: c) ? c : nil }
        let dirs = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            if let p = dirs.map({ "\($0)/\(name)" }).first(where: { fm.isExecutableFile(atPath: $0) }) { return p }
        }
        return nil
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The page as printed: its own HTML with a `<base>` that points at the
    /// output folder (so assets and figures resolve from a scratch folder), the
    /// `@page` rule and the script that scales what is too wide.
    func printable(_ page: [UInt8], title: String, outputDirectory: String) -> [UInt8] {
        let base = URL(fileURLWithPath: outputDirectory, isDirectory: true).absoluteString
        let head = """
        <style>
        @page { size: \(paper.css); margin: 18mm \(Int(Self.sideMarginMM))mm 18mm;
          @top-center { content: "\(Self.cssString(title))"; font: 9pt system-ui, sans-serif; color: #555; }
          @bottom-center { content: counter(page) " / " counter(pages); font: 9pt system-ui, sans-serif; color: #555; } }
        html body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
        </style>
        <script>
        // Scales display math, tables and figures that are wider than the text.
        document.addEventListener("DOMContentLoaded", function () {
          document.querySelectorAll(".math.display, .table-wrap, .cell-output .figure").forEach(function (el) {
            var wide = el.scrollWidth, room = el.clientWidth;
            if (room > 0 && wide > room + 1) { el.style.zoom = (room / wide).toFixed(3); }
          });
        });
        </script>

        """
        var text = String(decoding: page, as: UTF8.self)
        // First in the head: the `<base>` resolves every link after it, and Chromium
        // lets a later `@page` rule win, so the named pages of `coursePage` take over
        // from this one (`html body` outranks the site's `body` rules all the same).
        if let r = text.range(of: "<head>") {
            text.insert(contentsOf: "\n<base href=\"\(escapeHTML(base))\">\n" + head, at: r.upperBound)
        }
        return Array(text.utf8)
    }

    /// One HTML page holding every lecture, each from a new page, after a title page.
    /// Each lecture prints on a named page (`page: lecture-K`) whose top margin
    /// carries the lecture's title; the title page carries the course's.
    public static func coursePage(title: String, lectures: [(title: String, page: [UInt8])]) -> [UInt8] {
        guard let first = lectures.first else { return [] }
        var text = String(decoding: first.page, as: UTF8.self)
        let headEnd = text.range(of: "<body").map { text[..<$0.lowerBound] } ?? ""
        var out = String(headEnd).replacingOccurrences(
            of: "<title>[^<]*</title>", with: "<title>\(escapeHTML(title))</title>", options: .regularExpression)
        // After the unnamed `@page` rule `printable` puts first in the head, so these win.
        var style = "<style>\n"
        for (k, l) in lectures.enumerated() {
            style += "@page lecture-\(k + 1) { @top-center { content: \"\(cssString(l.title))\"; } }\n"
        }
        style += "</style>\n"
        if let r = out.range(of: "</head>") { out.insert(contentsOf: style, at: r.lowerBound) }
        out += "<body class=\"course-print\">\n<header class=\"title course\">\n<h1>\(escapeHTML(title))</h1>\n<ol class=\"lectures\">\n"
        for l in lectures { out += "<li>\(escapeHTML(l.title))</li>\n" }
        out += "</ol>\n</header>\n"
        for (k, l) in lectures.enumerated() {
            text = String(decoding: l.page, as: UTF8.self)
            guard let start = text.range(of: "<header class=\"title\">"), let end = text.range(of: "</main>") else { continue }
            out += "<section class=\"lecture-print\" style=\"page: lecture-\(k + 1)\">\n" + text[start.lowerBound..<end.upperBound] + "\n</section>\n"
        }
        out += "</body>\n</html>\n"
        return Array(out.utf8)
    }

    /// Prints one page; the PDF's bytes with Chromium's dates blanked.
    public func print(_ page: [UInt8], title: String, outputDirectory: String) throws -> [UInt8] {
        let fm = FileManager.default
        let dir = NSTemporaryDirectory() + "lectern-pdf-\(getpid())-\(UUID().uuidString)"
        try fm.createDirectory(atPath: dir + "/profile", withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: dir) }
        let absOutput = outputDirectory.hasPrefix("/") ? outputDirectory : fm.currentDirectoryPath + "/" + outputDirectory
        try Data(printable(page, title: title, outputDirectory: absOutput)).write(to: URL(fileURLWithPath: dir + "/page.html"))
        // A profile of its own: Chromium hands a URL to a browser already
        // running on the same profile and exits without printing.
        let args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=\(dir)/profile", "--window-size=\(paper.textWidth),1200",
                    "--no-pdf-header-footer", "--print-to-pdf=\(dir)/page.pdf",
                    URL(fileURLWithPath: dir + "/page.html").absoluteString]
        let r = try ChildProcess.run(chromium, args, timeout: 180)
        guard let data = fm.contents(atPath: dir + "/page.pdf"), !data.isEmpty else {
            let why = r.timedOut ? "timed out" : "exited with status \(r.status) and wrote no PDF"
            throw Failure(description: "\(chromium) \(why)")
        }
        return Self.renumberNodes(Self.blankDates([UInt8](data)))
    }

    /// Tagged PDFs name structure elements after DOM nodes, `(node00000540)`,
    /// whose numbers depend on what Chromium built before the page: they are
    /// renumbered in order of first appearance, each in the same width, so the
    /// offsets stay true and the same page gives the same bytes.
    static func renumberNodes(_ pdf: [UInt8]) -> [UInt8] {
        var out = pdf
        let prefix = Array("(node".utf8)
        var numbers: [ArraySlice<UInt8>: Int] = [:]
        var i = 0
        while i + prefix.count < out.count {
            guard out[i] == prefix[0], Array(out[i..<(i + prefix.count)]) == prefix else { i += 1; continue }
            let start = i + prefix.count
            var end = start
            while end < out.count, out[end] >= 0x30, out[end] <= 0x39 { end += 1 }
            guard end > start, end < out.count, out[end] == UInt8(ascii: ")") else { i += 1; continue }
            let key = pdf[start..<end]
            let n = numbers[key] ?? (numbers.count + 1)
            numbers[key] = n
            let digits = Array(String(n).utf8)
            if digits.count <= end - start {
                let padded = [UInt8](repeating: UInt8(ascii: "0"), count: end - start - digits.count) + digits
                out.replaceSubrange(start..<end, with: padded)
            }
            i = end
        }
        return out
    }

    /// `/CreationDate (...)` and `/ModDate (...)` turned into spaces of the same
    /// length: the cross-reference offsets stay true and no date is left.
    static func blankDates(_ pdf: [UInt8]) -> [UInt8] {
        var out = pdf
        for key in ["/CreationDate", "/ModDate"] {
            let k = Array(key.utf8)
            var i = 0
            while i + k.count < out.count {
                if out[i] == k[0], Array(out[i..<(i + k.count)]) == k {
                    var j = i + k.count
                    while j < out.count && out[j] == 0x20 { j += 1 }
                    guard j < out.count, out[j] == UInt8(ascii: "(") else { i += 1; continue }
                    while j < out.count && out[j] != UInt8(ascii: ")") { j += 1 }
                    for m in i...min(j, out.count - 1) { out[m] = 0x20 }
                    i = j
                }
                i += 1
            }
        }
        return out
    }

    /// `s` as the text of a CSS string literal.
    static func cssString(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "<", with: "\\3c ")
    }
}
