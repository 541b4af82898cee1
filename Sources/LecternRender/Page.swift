import LecternDocument

/// The HTML around a lecture body, and the course index.
enum Page {
    /// `katexScript`: false when the build typeset the math (the page needs no KaTeX script).
    static func head(title: String, explorable: Bool = false, katexScript: Bool = true) -> String {
        let explore = explorable
            ? "<link rel=\"stylesheet\" href=\"assets/explore.css\">\n<script defer src=\"assets/explore.js\"></script>\n" : ""
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>\(escapeHTML(title))</title>
        <link rel="stylesheet" href="assets/katex/katex.min.css">
        <link rel="stylesheet" href="assets/lectern.css">
        <link rel="stylesheet" href="assets/site.css">
        \(katexScript ? "<script defer src=\"assets/katex/katex.min.js\"></script>\n" : "")<script defer src="assets/lectern.js"></script>
        <script defer src="assets/site.js"></script>
        \(explore)</head>

        """
    }

    static func lecture(document: Document, body: String, courseTitle: String,
                        previous: LectureLink?, next: LectureLink?, lectures: [LectureLink] = [],
                        explorable: Bool = false, katexScript: Bool = true) -> String {
        var out = head(title: "\(document.title) · \(courseTitle)", explorable: explorable, katexScript: katexScript)
        out.reserveCapacity(body.utf8.count + 64 * 1024)
        out += "<body class=\"lecture\">\n"
        out += Site.topBar(courseTitle: courseTitle)
        out += Site.sidebar(lectures: lectures, current: document.slug, headings: document.headings)
        out += "<header class=\"title\">\n<h1>\(escapeHTML(document.title))</h1>\n"
        if let sub = document.subtitle { out += "<p class=\"subtitle\">\(escapeHTML(sub))</p>\n" }
        out += "</header>\n"
        out += toc(document.headings)
        out += "<main>\n"
        out += body
        out += "</main>\n"
        out += pager(previous: previous, next: next)
        out += "</body>\n</html>\n"
        return out
    }

    /// Table of contents from level-2 and level-3 headings (level 1 is the page title).
    static func toc(_ headings: [Heading]) -> String {
        let entries = headings.filter { $0.level == 2 || $0.level == 3 }
        guard entries.count >= 2 else { return "" }
        func item(_ h: Heading) -> String { "<li><a href=\"#\(escapeHTML(h.anchor))\">\(escapeHTML(h.text))</a>" }
        var out = "<nav class=\"toc\" aria-label=\"Contents\">\n<details open><summary>Contents</summary>\n<ol>\n"
        var i = 0
        while i < entries.count {
            let h = entries[i]
            out += item(h)
            i += 1
            if h.level == 2 {
                var subs: [Heading] = []
                while i < entries.count && entries[i].level == 3 { subs.append(entries[i]); i += 1 }
                if !subs.isEmpty { out += "\n<ol>\n" + subs.map { item($0) + "</li>\n" }.joined() + "</ol>\n" }
            }
            out += "</li>\n"
        }
        out += "</ol>\n</details>\n</nav>\n"
        return out
    }

    static func pager(previous: LectureLink?, next: LectureLink?) -> String {
        guard previous != nil || next != nil else { return "" }
        var out = "<nav class=\"pager\" aria-label=\"Lectures\">\n"
        if let p = previous {
            out += "<a class=\"prev\" rel=\"prev\" href=\"\(escapeHTML(p.slug)).html\"><span>Previous</span>\(escapeHTML(p.title))</a>\n"
        } else {
            out += "<span></span>\n"
        }
        if let n = next {
            out += "<a class=\"next\" rel=\"next\" href=\"\(escapeHTML(n.slug)).html\"><span>Next</span>\(escapeHTML(n.title))</a>\n"
        }
        out += "</nav>\n"
        return out
    }

    static func index(courseTitle: String, lectures: [LectureLink], katexScript: Bool = true) -> String {
        var out = head(title: courseTitle, katexScript: katexScript)
        out += "<body class=\"index\">\n<div class=\"topbar\">\n\(Site.searchForm)</div>\n<header class=\"title\">\n<h1>\(escapeHTML(courseTitle))</h1>\n</header>\n<main>\n"
        out += "<ol class=\"lectures\">\n"
        for l in lectures {
            out += "<li><a href=\"\(escapeHTML(l.slug)).html\">\(escapeHTML(l.title))</a>"
            if let s = l.subtitle { out += "<p class=\"subtitle\">\(escapeHTML(s))</p>" }
            out += "</li>\n"
        }
        out += "</ol>\n</main>\n</body>\n</html>\n"
        return out
    }
}

extension LectureRenderer {
    /// `index.html`: the course, lectures in order.
    public static func index(courseTitle: String, lectures: [LectureLink], math: MathRendering = .browser) -> [UInt8] {
        Array(Page.index(courseTitle: courseTitle, lectures: lectures, katexScript: math == .browser).utf8)
    }
}
