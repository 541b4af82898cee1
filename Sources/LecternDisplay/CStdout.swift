#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// C stdio's stdout stream (the one Swift's `print` writes through).
func cStdout() -> UnsafeMutablePointer<FILE>? { stdout }
