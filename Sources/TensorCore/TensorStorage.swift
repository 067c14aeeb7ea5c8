// TensorStorage: the heap buffer behind a Tensor: Float32, 64-byte aligned (one cache line, and
// what AVX-512 loads would want), freed when the last Tensor sharing it goes away.
// Tensor gives it value semantics by copying on write (isKnownUniquelyReferenced). Large buffers
// come from and go back to `BufferPool.shared`, so a forward pass reuses its freed blocks.
// Not handled: other element types, views with strides, memory mapping.

/// The reference-counted, aligned Float32 buffer that `Tensor` shares until one copy is written.
public final class TensorStorage: @unchecked Sendable {
    // @unchecked: the buffer is written only through Tensor's mutating accessors, after a
    // uniqueness check (copy on write), so a storage that threads share is only ever read.
    /// The alignment of every buffer, in bytes.
    public static let alignment = 64

    /// The first element. Valid for `count` elements while this object is alive.
    public let pointer: UnsafeMutablePointer<Float>
    /// The number of Float elements.
    public let count: Int

    /// Allocates `count` uninitialised elements (at least one, so a pointer always exists).
    public init(uninitializedCount count: Int) {
        precondition(count >= 0, "TensorStorage: negative element count \(count)")
        let raw = BufferPool.shared.allocate(bytes: max(count, 1) * MemoryLayout<Float>.stride)
        self.pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        self.count = count
    }

    /// Allocates `count` elements, all set to `value`.
    public convenience init(count: Int, repeating value: Float) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: value, count: max(count, 1))
    }

    /// A new buffer holding the same elements.
    public func copy() -> TensorStorage {
        let result = TensorStorage(uninitializedCount: count)
        result.pointer.update(from: pointer, count: count)
        return result
    }

    deinit {
        BufferPool.shared.release(UnsafeMutableRawPointer(pointer), bytes: max(count, 1) * MemoryLayout<Float>.stride)
    }
}
