import LecternDocument

/// The parts of a page that make the course a site: the search box and the
/// side bar (the course's lectures and the current one's sections). Their
/// style and script are `assets/site.css` and `assets/site.js` (`SiteAssets`).
enum Site {
    /// The search box. Hidden until `site.js` runs (it needs script to search).
    static let searchForm = """
    <form class="search" role="search" hidden>
    <input id="search-box" type="search" aria-label="Search the course" placeholder="Search the course (/)" spellcheck="false" role="combobox" aria-expanded="false" aria-controls="search-results" aria-autocomplete="list">
    <ul id="search-results" role="listbox" aria-label="Search results" hidden></ul>
    <p class="search-status" aria-live="polite"></p>
    </form>

    """

    /// The row above a lecture's title: the course's name and the search box.
    static func topBar(courseTitle: String) -> String {
        "<div class=\"topbar\">\n<nav class=\"top\" aria-label=\"Course\"><a href=\"index.html\">\(escapeHTML(courseTitle))</a></nav>\n"
            + searchForm + "</div>\n"
    }

    /// The side bar: every lecture, the current one open on its level-2 sections.
    /// A fixed column on wide screens; on narrow ones a closed `<details>`.
    static func sidebar(lectures: [LectureLink], current: String, headings: [Heading]) -> String {
        guard !lectures.isEmpty else { return "" }
        var out = "<details class=\"side\">\n<summary>Lectures and sections</summary>\n"
        out += "<nav class=\"side\" aria-label=\"Lectures and sections\">\n<ol class=\"side-lectures\">\n"
        for l in lectures {
            let href = escapeHTML(l.slug) + ".html"
            guard l.slug == current else {
                out += "<li><a href=\"\(href)\">\(escapeHTML(l.title))</a></li>\n"
                continue
            }
            out += "<li class=\"current\"><a href=\"\(href)\" aria-current=\"page\">\(escapeHTML(l.title))</a>"
            let sections = headings.filter { $0.level == 2 }
            if !sections.isEmpty {
                out += "\n<ol class=\"side-sections\">\n"
                for h in sections {
                    out += "<li><a href=\"#\(escapeHTML(h.anchor))\">\(escapeHTML(h.text))</a></li>\n"
                }
                out += "</ol>\n"
            }
            out += "</li>\n"
        }
        out += "</ol>\n</nav>\n</details>\n"
        return out
    }
}

/// `s` HTML-escaped, with every number written with an exponent (`2.8e-18`)
/// wrapped in `<span class="num">`, which the stylesheet keeps on one line:
/// browsers otherwise break it after the minus. The characters stay as they
/// are, so copying the number gives the number.
func escapeHTMLKeepingNumbers(_ s: String) -> String {
    let b = Array(s.utf8)
    func digit(_ i: Int) -> Bool { i < b.count && b[i] >= 0x30 && b[i] <= 0x39 }
    var out = ""
    var pos = 0
    var i = 0
    while i < b.count {
        // A run of digits (and a point) starting a token, then e/E, an optional sign, digits.
        guard digit(i), i == 0 || !(digit(i - 1) || b[i - 1] == 0x2E) else { i += 1; continue }
        var start = i
        if start > 0 && b[start - 1] == 0x2D { start -= 1 }  // leading minus
        var j = i
        while digit(j) || (j < b.count && b[j] == 0x2E) { j += 1 }
        guard j < b.count, b[j] == 0x65 || b[j] == 0x45 else { i = j; continue }
        var k = j + 1
        if k < b.count && (b[k] == 0x2D || b[k] == 0x2B) { k += 1 }
        guard digit(k) else { i = k; continue }
        while digit(k) { k += 1 }
        out += escapeHTML(String(decoding: b[pos..<start], as: UTF8.self))
        out += "<span class=\"num\">" + escapeHTML(String(decoding: b[start..<k], as: UTF8.self)) + "</span>"
        pos = k
        i = k
    }
    if pos == 0 { return escapeHTML(s) }
    return out + escapeHTML(String(decoding: b[pos...], as: UTF8.self))
}
