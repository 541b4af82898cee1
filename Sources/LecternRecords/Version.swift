/// Lectern's version. The tool and the kit (LecternKit) are built from one
/// source tree and both link this module, so each carries it.
public enum LecternVersion {
    public static let current = "0.1.0"

    /// The version as plain bytes in every binary that links this module, so
    /// that `lectern --version` can read which kit it uses from the library
    /// file without loading it (and its BLAS). Keep it equal to `current`.
    public static let kitMarker: StaticString = "lectern-kit-version 0.1.0\n"
    public static let kitMarkerPrefix = "lectern-kit-version "
}
