import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps a request path to a file inside the served folder, and refuses every
/// path that could reach outside it.
///
/// The path is taken as it came on the wire (still percent-encoded, query
/// removed). It is refused when it:
/// - does not start with `/`, or has an empty segment (`//etc/passwd`);
/// - holds a backslash, a NUL, an encoded slash (`%2f`), an encoded backslash
///   (`%5c`) or an encoded NUL (`%00`);
/// - has a `.` or `..` segment, written plainly or percent-encoded (`%2e%2E`);
/// - has invalid percent-encoding.
///
/// Each segment is decoded exactly once, so `%252e%252e` names a file called
/// `%2e%2e` (which is not there: 404). Names starting with `.` are not served
/// (the build manifest, temporary files). Last, the file's real path (every
/// symlink resolved) must lie inside the real path of the root: a symlink in
/// the folder that points outside it is refused.
public struct StaticFiles: Sendable {
    public let root: String

    public enum Resolution: Equatable, Sendable {
        /// Serve this file (its real path) with this Content-Type.
        case file(path: String, contentType: String)
        /// A folder asked for without its trailing slash: redirect here, so
        /// that the page's relative links resolve.
        case redirect(location: String)
        case forbidden
        case notFound
    }

    public init(root: String) {
        self.root = root
    }

    public func resolve(_ rawPath: String) -> Resolution {
        guard let segments = Self.segments(of: rawPath) else { return .forbidden }
        if segments.contains(where: { $0.hasPrefix(".") }) { return .notFound }
        guard let realRoot = Self.realPath(root) else { return .notFound }

        let relative = segments.joined(separator: "/")
        let asked = relative.isEmpty ? realRoot : realRoot + "/" + relative
        guard let real = Self.realPath(asked) else { return .notFound }
        guard Self.isInside(real, realRoot) else { return .forbidden }

        switch Self.kind(real) {
        case .file:
            return .file(path: real, contentType: Self.contentType(for: real))
        case .directory:
            if !rawPath.hasSuffix("/") { return .redirect(location: rawPath + "/") }
            guard let index = Self.realPath(real + "/index.html") else { return .notFound }
            guard Self.isInside(index, realRoot) else { return .forbidden }
            guard Self.kind(index) == .file else { return .notFound }
            return .file(path: index, contentType: Self.contentType(for: index))
        case .other:
            return .notFound
        }
    }

    /// The decoded segments of a request path, or nil when the path is refused.
    /// A trailing slash gives no empty last segment.
    static func segments(of rawPath: String) -> [String]? {
        guard rawPath.hasPrefix("/") else { return nil }
        let lowered = rawPath.lowercased()
        if rawPath.contains("\\") || rawPath.utf8.contains(0) { return nil }
        for encoded in ["%2f", "%5c", "%00"] where lowered.contains(encoded) { return nil }

        var parts = rawPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }  // "/" and "/dir/"
        var out: [String] = []
        for part in parts {
            if part.isEmpty { return nil }
            guard let decoded = part.removingPercentEncoding else { return nil }
            if decoded == "." || decoded == ".." { return nil }
            if decoded.contains("/") || decoded.contains("\\") || decoded.utf8.contains(0) { return nil }
            out.append(decoded)
        }
        return out
    }

    static func isInside(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    enum Kind { case file, directory, other }

    static func kind(_ path: String) -> Kind {
        var st = stat()
        guard stat(path, &st) == 0 else { return .other }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    /// Content-Type by file extension.
    public static func contentType(for path: String) -> String {
        let ext = (path as NSString).pathExtension.lowercased()
        switch ext {
        case "html", "htm": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "md": return "text/markdown; charset=utf-8"
        case "txt": return "text/plain; charset=utf-8"
        case "json": return "application/json"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "ico": return "image/x-icon"
        case "woff2": return "font/woff2"
        case "woff": return "font/woff"
        default: return "application/octet-stream"
        }
    }
}
