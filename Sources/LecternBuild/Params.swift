import LecternDocument

/// `-P name=value` overrides, checked against the types the front matter declares.
public struct ParamOverrides: Sendable {
    public var values: [(name: String, text: String)]

    public init(_ args: [String]) throws {
        values = try args.map { arg in
            guard let eq = arg.firstIndex(of: "="), eq != arg.startIndex else {
                throw BuildError.usage("-P takes name=value, got '\(arg)'")
            }
            return (String(arg[..<eq]), String(arg[arg.index(after: eq)...]))
        }
    }

    /// The lecture's parameters with the overrides applied; a type mismatch is an
    /// error at the parameter's front matter line.
    public func apply(to doc: Document) -> (params: [Param], diagnostics: [Diagnostic]) {
        var params = doc.frontMatter.params
        var diags: [Diagnostic] = []
        for (name, text) in values {
            guard let k = params.firstIndex(where: { $0.name == name }) else { continue }
            if let v = ParamValue.parse(text, as: params[k].value) {
                params[k].value = v
                // An explorable param set on the command line is fixed: no control, one value.
                params[k].explore = nil
            } else {
                diags.append(Diagnostic(.error, file: doc.path, line: params[k].line, column: 0,
                                        "-P \(name)=\(text): '\(text)' is not \(article(params[k].value.swiftType)), the type of '\(name)' (declared as \(params[k].value))"))
            }
        }
        return (params, diags)
    }

    /// Throws the usage error for the names no lecture in `docs` declares. For
    /// `lectern run` (`oneLecture`) it names the file and what it does declare.
    public func requireDeclared(in docs: [Document], oneLecture: Bool = false) throws {
        let unknown = values.map(\.name).filter { n in !docs.contains { $0.frontMatter.param(n) != nil } }
        guard !unknown.isEmpty else { return }
        let names = unknown.joined(separator: ", ")
        if oneLecture, let doc = docs.first {
            let declared = doc.frontMatter.params.map(\.name)
            throw BuildError.usage("\(doc.path) declares no parameter \(names)"
                                   + (declared.isEmpty ? "" : " (it declares \(declared.joined(separator: ", ")))"))
        }
        throw BuildError.usage("no lecture declares the parameter\(unknown.count > 1 ? "s" : "") \(names)")
    }
}
