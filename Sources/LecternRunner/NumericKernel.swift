import Foundation

/// The OpenBLAS kernel lecture programs run with.
///
/// OpenBLAS picks its kernel by CPU model, and kernels round differently, so
/// the same lecture prints other last digits on another machine, and a chaotic
/// computation (a diverging training run) other numbers altogether. OpenBLAS
/// 0.3.21 does not know recent Xeons and falls back to its oldest kernel there.
/// So that a course built on one machine checks on another, lecture programs
/// get `OPENBLAS_CORETYPE=Haswell` on every x86-64 CPU that has AVX2 and FMA
/// (which is what that kernel needs). An `OPENBLAS_CORETYPE` already in the
/// environment is kept: whoever set it knows something about this machine.
/// Elsewhere OpenBLAS chooses. The kernel is part of the cache key.
public enum NumericKernel {
    public static let environmentKey = "OPENBLAS_CORETYPE"

    /// The kernel to ask for, or nil to leave the choice to OpenBLAS.
    public static let pinned: String? = {
        if let set = ProcessInfo.processInfo.environment[environmentKey], !set.isEmpty { return set }
        #if arch(x86_64)
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let has = Set(flags.split(separator: " "))
        return has.contains("avx2") && has.contains("fma") ? "Haswell" : nil
        #else
        return nil
        #endif
    }()
}
