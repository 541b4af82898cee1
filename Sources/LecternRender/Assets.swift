import Foundation

/// Files under `Output/assets/`: the page's stylesheets and scripts (kept here,
/// so the build is self-contained), KaTeX, copied from Debian's libjs-katex,
/// and lunr.js, copied from Debian's libjs-lunr.
public enum Assets {
    /// Where Debian installs KaTeX (`libjs-katex`, fonts from `fonts-katex`).
    public static let katexDirectory = "/usr/share/javascript/katex"

    /// Where Debian installs lunr.js (`libjs-lunr`), which the search box uses.
    public static let lunrPath = "/usr/share/javascript/lunr/lunr.min.js"

    public enum AssetError: Error, CustomStringConvertible {
        case missing(String)
        case missingLunr(String)
        public var description: String {
            switch self {
            case .missing(let p):
                return "KaTeX not found at \(p): install Debian's libjs-katex (apt-get install libjs-katex)"
            case .missingLunr(let p):
                return "lunr.js not found at \(p): install Debian's libjs-lunr (apt-get install libjs-lunr)"
            }
        }
    }

    /// Every asset file, path relative to `Output/` and bytes, in a stable order.
    /// With math typeset at build time (`.build`) the pages need KaTeX's
    /// stylesheet and fonts but not its script, which is then left out.
    public static func files(katexDirectory: String = katexDirectory, lunrPath: String = lunrPath,
                             math: MathRendering = .browser) throws -> [(path: String, bytes: [UInt8])] {
        var out: [(String, [UInt8])] = [
            ("assets/lectern.css", Array(stylesheet.utf8)),
            ("assets/lectern.js", Array(script.utf8)),
            ("assets/site.css", Array(SiteAssets.stylesheet.utf8)),
            ("assets/site.js", Array(SiteAssets.script.utf8)),
            ("assets/explore.css", Array(ExplorePage.stylesheet.utf8)),
            ("assets/explore.js", Array(ExplorePage.script.utf8)),
        ]
        let fm = FileManager.default
        guard let lunr = fm.contents(atPath: lunrPath) else { throw AssetError.missingLunr(lunrPath) }
        out.append(("assets/lunr.min.js", Array(lunr)))
        for name in math == .browser ? ["katex.min.js", "katex.min.css"] : ["katex.min.css"] {
            let p = "\(katexDirectory)/\(name)"
            guard let data = fm.contents(atPath: p) else { throw AssetError.missing(p) }
            out.append(("assets/katex/\(name)", Array(data)))
        }
        // woff2 is what every current browser loads first; the other formats are not copied.
        let fontDir = "\(katexDirectory)/fonts"
        guard let fonts = try? fm.contentsOfDirectory(atPath: fontDir) else { throw AssetError.missing(fontDir) }
        for font in fonts.sorted() where font.hasSuffix(".woff2") {
            guard let data = fm.contents(atPath: "\(fontDir)/\(font)") else { throw AssetError.missing("\(fontDir)/\(font)") }
            out.append(("assets/katex/fonts/\(font)", Array(data)))
        }
        return out
    }

    static let script = """
    // Renders math with KaTeX (offline, from assets/katex) and, under
    // `lectern watch`, reloads the page when the build changes.
    "use strict";
    document.addEventListener("DOMContentLoaded", function () {
      if (window.katex) {
        document.querySelectorAll(".math").forEach(function (el) {
          var display = el.classList.contains("display");
          try {
            katex.render(el.textContent, el, { displayMode: display, throwOnError: false, output: "htmlAndMathml" });
          } catch (e) {
            el.classList.add("math-error");
            el.title = String(e);
          }
        });
      }
      if (location.protocol.indexOf("http") === 0 && window.EventSource) {
        var source = new EventSource("/__lectern/events");
        source.addEventListener("reload", function () { location.reload(); });
      }
    });

    """

    static let stylesheet = """
    /* Lectern course notes: light and dark themes follow the reader's system. */
    :root {
      --bg: #ffffff; --fg: #1d1f23; --muted: #5b6270; --border: #d9dce3;
      --accent: #1f5fbf; --code-bg: #f5f6f8; --out-bg: #fbfbfc; --error: #b3261e; --ok: #1d7a3a;
      --hl-k: #a2257d; --hl-s: #b3501e; --hl-n: #1c6e8c; --hl-c: #5d6470; --hl-t: #5b3cc4; --hl-f: #245fa8; --hl-a: #8a5a00;
      --lectern-c1: #0072b2; --lectern-c2: #d55e00; --lectern-c3: #009e73; --lectern-c4: #cc79a7;
      --lectern-c5: #e69f00; --lectern-c6: #56b4e9; --lectern-grid: #e3e5ea;
      color-scheme: light dark;
    }
    @media (prefers-color-scheme: dark) {
      :root {
        --bg: #15171b; --fg: #e4e6eb; --muted: #9aa1ad; --border: #343842;
        --accent: #7fb0ff; --code-bg: #1e2127; --out-bg: #1a1c21; --error: #ff8a80; --ok: #7fd49b;
        --hl-k: #f08fd0; --hl-s: #f0a877; --hl-n: #7fd0ec; --hl-c: #8b93a0; --hl-t: #b6a3ff; --hl-f: #8cbcff; --hl-a: #e6c06b;
        --lectern-c1: #56b4e9; --lectern-c2: #f0a35e; --lectern-c3: #3fd1a2; --lectern-c4: #e89ccc;
        --lectern-c5: #f0c75e; --lectern-c6: #9fd3f5; --lectern-grid: #2c3038;
      }
    }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body {
      margin: 0 auto; max-width: 48rem; padding: 1rem 1.25rem 4rem;
      background: var(--bg); color: var(--fg);
      font: 17px/1.6 "Source Serif Pro", Georgia, "DejaVu Serif", serif;
    }
    a { color: var(--accent); }
    nav.top { font: 0.9rem/1.4 system-ui, sans-serif; margin-bottom: 1.5rem; }
    nav.top a { text-decoration: none; }
    header.title h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 0.25rem; }
    .subtitle { color: var(--muted); margin: 0 0 1rem; font-style: italic; }
    h1, h2, h3, h4 { line-height: 1.25; font-family: system-ui, sans-serif; }
    h2 { margin-top: 2.2rem; border-bottom: 1px solid var(--border); padding-bottom: 0.2rem; }
    .anchor { margin-left: 0.4rem; color: var(--muted); text-decoration: none; opacity: 0; font-weight: normal; }
    h1:hover .anchor, h2:hover .anchor, h3:hover .anchor, h4:hover .anchor, .anchor:focus { opacity: 1; }
    nav.toc { font: 0.92rem/1.5 system-ui, sans-serif; border: 1px solid var(--border); border-radius: 6px;
      padding: 0.5rem 1rem; margin: 1rem 0 2rem; }
    nav.toc summary { cursor: pointer; font-weight: 600; }
    nav.toc ol { margin: 0.3rem 0; padding-left: 1.3rem; }
    code, pre { font: 0.88em/1.45 "JetBrains Mono", "DejaVu Sans Mono", ui-monospace, monospace; }
    :not(pre) > code { background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 4px; }
    pre { background: var(--code-bg); padding: 0.8rem 1rem; border-radius: 6px; overflow-x: auto; margin: 0; }
    figure.cell { margin: 1.2rem 0; }
    figure.cell > pre.code { border-left: 3px solid var(--accent); }
    .cell-output { border-left: 3px solid var(--border); background: var(--out-bg); padding: 0.4rem 0.8rem; margin-top: 0.2rem;
      overflow-x: auto; }
    .cell-output pre { background: transparent; padding: 0.3rem 0; }
    .cell-output .figure > svg { display: block; width: 100%; height: auto; max-width: 720px; margin: 0.5rem auto; }
    .cell-error { color: var(--error); white-space: pre-wrap; }
    .cell-error.expected { opacity: 0.85; }
    .cell-status.not-run { color: var(--muted); font: italic 0.9rem system-ui, sans-serif; }
    figcaption { font: 0.92rem/1.4 system-ui, sans-serif; color: var(--muted); margin-top: 0.4rem; }
    figcaption .label { font-weight: 600; color: var(--fg); }
    .hl-k { color: var(--hl-k); } .hl-s { color: var(--hl-s); } .hl-n { color: var(--hl-n); }
    .hl-c { color: var(--hl-c); font-style: italic; } .hl-t { color: var(--hl-t); } .hl-f { color: var(--hl-f); }
    .hl-a { color: var(--hl-a); }
    .table-wrap { overflow-x: auto; margin: 1rem 0; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 0.95em; }
    th, td { border: 1px solid var(--border); padding: 0.3rem 0.6rem; vertical-align: top; }
    th { background: var(--code-bg); }
    .math.display { display: block; overflow-x: auto; overflow-y: hidden; margin: 0.8rem 0; }
    .math.display > .katex-display { margin: 0; }
    .math-error { border: 1px solid var(--error); border-radius: 4px; padding: 0.1em 0.35em; }
    .math-error code { background: transparent; }
    .math-error .math-message { display: block; color: var(--error); font: 0.85rem/1.4 system-ui, sans-serif; }
    span.math-error.inline { display: inline-block; }
    .claim.failed, .value.error { color: var(--error); text-decoration: underline wavy; }
    .check.passed { color: var(--ok); } .check.failed { color: var(--error); }
    ul.tasks { list-style: none; padding-left: 1.2rem; }
    img { max-width: 100%; }
    blockquote { margin: 1rem 0; padding: 0 1rem; border-left: 4px solid var(--border); color: var(--muted); }
    nav.pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3rem;
      font: 0.95rem/1.4 system-ui, sans-serif; border-top: 1px solid var(--border); padding-top: 1rem; }
    nav.pager a { text-decoration: none; max-width: 48%; }
    nav.pager span { display: block; color: var(--muted); font-size: 0.8rem; }
    nav.pager .next { text-align: right; margin-left: auto; }
    ol.lectures { padding-left: 1.4rem; }
    ol.lectures li { margin: 0.8rem 0; font: 1.1rem/1.4 system-ui, sans-serif; }
    ol.lectures .subtitle { font-size: 0.95rem; margin: 0.1rem 0 0; }
    @media (max-width: 600px) {
      body { font-size: 16px; padding: 0.75rem 0.8rem 3rem; }
      header.title h1 { font-size: 1.6rem; }
      pre { padding: 0.6rem; }
    }
    @media print {
      :root { --bg: #fff; --fg: #000; --muted: #444; --code-bg: #f5f6f8; --out-bg: #fff; color-scheme: light; }
      body { max-width: none; padding: 0; font-size: 11pt; color: #000; background: #fff; }
      nav.top, nav.pager, nav.toc, .anchor { display: none; }
      figure.cell, table, tr, pre, svg, .figure, .math.display, .show { break-inside: avoid; }
      h1, h2, h3, h4, figcaption { break-after: avoid; }
      pre, .cell-output pre { overflow: visible; white-space: pre-wrap; overflow-wrap: anywhere; }
      .cell-output, .table-wrap, .math.display { overflow: visible; }
      .katex .katex-mathml { display: none; }
      a { color: inherit; }
      a[href^="http:"]::after, a[href^="https:"]::after, a[href^="mailto:"]::after {
        content: " <" attr(href) ">"; font-size: 0.85em; overflow-wrap: anywhere; }
      .course-print > header.course { break-after: page; }
      .course-print ol.lectures li { font-size: 1rem; }
      section.lecture-print + section.lecture-print { break-before: page; }
    }

    """
}
