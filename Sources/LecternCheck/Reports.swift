/// What `--format` prints: compiler-form text, or that and GitHub Actions
/// annotations. (The JUnit XML report is `--junit`, beside either.)
public enum CheckFormat: String, CaseIterable, Sendable {
    case text, github
}

extension CheckReport {
    /// Compiler-form lines for each failure, detail lines indented below. A
    /// message's own line breaks are indented too, so every line that starts
    /// at the margin is a failure of its own.
    public func textLines() -> [String] {
        failures.flatMap { r in
            ([r.diagnostic] + r.detail.map { "    " + $0 }).flatMap { line in
                line.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                    .map { $0.offset == 0 ? String($0.element) : "    " + $0.element }
            }
        }
    }

    /// What `--format github` prints: the text lines with GitHub's workflow
    /// commands switched off around them (a message could hold `::warning ...`,
    /// which GitHub would otherwise obey), then one annotation per failure.
    public func githubOutput(token: String) -> [String] {
        guard !failures.isEmpty else { return [] }
        return ["::stop-commands::\(token)"] + textLines() + ["::\(token)::"] + githubLines()
    }

    /// `::error file=F,line=L,col=C,title=T::message` for each failure (detail
    /// lines joined with encoded newlines, as the runner expects).
    public func githubLines() -> [String] {
        failures.map { r in
            var props = ["file=\(property(r.file))"]
            if r.line > 0 { props.append("line=\(r.line)") }
            if r.column > 0 { props.append("col=\(r.column)") }
            props.append("title=\(property("lectern check: " + r.name))")
            let body = ([r.message] + r.detail).joined(separator: "\n")
            return "::error \(props.joined(separator: ","))::\(data(body))"
        }
    }

    /// JUnit XML: one test suite per file, one test case per check.
    public func junitXML() -> String {
        var order: [String] = []
        var byFile: [String: [CheckResult]] = [:]
        for r in results {
            let suite = r.kind == .outputFile ? "Output" : r.file
            if byFile[suite] == nil { order.append(suite) }
            byFile[suite, default: []].append(r)
        }
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        x += "<testsuites name=\"lectern check\" tests=\"\(results.count)\" failures=\"\(failed)\" errors=\"0\">\n"
        for suite in order {
            let cases = byFile[suite]!
            let fails = cases.filter { !$0.passed }.count
            x += "  <testsuite name=\"\(xml(suite))\" tests=\"\(cases.count)\" failures=\"\(fails)\" errors=\"0\" skipped=\"0\">\n"
            for r in cases {
                var attrs = "classname=\"\(xml(suite))\" name=\"\(xml(r.name))\" file=\"\(xml(r.file))\""
                if r.line > 0 { attrs += " line=\"\(r.line)\"" }
                if r.passed {
                    x += "    <testcase \(attrs)/>\n"
                } else {
                    x += "    <testcase \(attrs)>\n"
                    x += "      <failure type=\"\(r.kind.rawValue)\" message=\"\(xml(r.message))\">"
                    x += xml(([r.diagnostic] + r.detail).joined(separator: "\n"))
                    x += "</failure>\n    </testcase>\n"
                }
            }
            x += "  </testsuite>\n"
        }
        x += "</testsuites>\n"
        return x
    }
}

/// GitHub's escaping of an annotation's message.
private func data(_ s: String) -> String {
    s.replacingAll(["%": "%25", "\r": "%0D", "\n": "%0A"])
}

/// GitHub's escaping of an annotation property (also `:` and `,`).
private func property(_ s: String) -> String {
    s.replacingAll(["%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"])
}

private func xml(_ s: String) -> String {
    var out = ""
    for u in s.unicodeScalars {
        switch u {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "\n", "\t", "\r": out.unicodeScalars.append(u)
        default:
            // Control characters are not allowed in XML 1.0.
            if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF { out += "\u{FFFD}" } else { out.unicodeScalars.append(u) }
        }
    }
    return out
}

extension String {
    /// Replaces characters one at a time (so `%` is not escaped twice).
    fileprivate func replacingAll(_ map: [Character: String]) -> String {
        var out = ""
        for ch in unicodeScalars.map(Character.init) { out += map[ch] ?? String(ch) }
        return out
    }
}
