import Foundation

/// A value behind a lock, read and changed only in `withLock`. Not
/// `Synchronization.Mutex`: that needs macOS 15 (the package supports 13) and is
/// non-copyable, so the escaping closures and tasks that share a value could not hold it.
public final class Mutex<Value> {
    private var value: Value
    private let lock = NSLock()

    public init(_ value: Value) { self.value = value }

    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock(); defer { lock.unlock() }
        return try body(&value)
    }
}

extension Mutex: @unchecked Sendable where Value: Sendable {}
