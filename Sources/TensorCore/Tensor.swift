// Tensor: an n-dimensional array of Float32, row-major and always contiguous, with value
// semantics (copy-on-write over an aligned TensorStorage). Shapes are explicit `[Int]`.
// Broadcasting is never implicit: ops that broadcast say so in their name (`addingBias`).
// Not handled: strides/views, other element types, devices.

/// A contiguous, row-major Float32 array with an explicit shape and copy-on-write storage.
///
/// ```swift
/// var x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// x[1, 2] = 60              // copies the storage first if it is shared
/// let y = x.reshaped([3, 2]) // shares storage with x until either is written
/// ```
public struct Tensor: Sendable {
    /// The extent of each axis, outermost first. `[]` is a scalar holding one element.
    public private(set) var shape: [Int]
    /// The shared buffer. Read it freely; write only through the `mutating` accessors.
    public private(set) var storage: TensorStorage

    // MARK: - Creating tensors

    /// A tensor of `shape` with every element set to `value`.
    public init(shape: [Int], repeating value: Float) {
        Tensor.checkShape(shape)
        self.shape = shape
        self.storage = TensorStorage(count: Tensor.elementCount(shape), repeating: value)
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.init(shape: shape, repeating: 0)
    }

    /// A tensor whose elements are not initialised: every element must be written before reading.
    public init(uninitializedShape shape: [Int]) {
        Tensor.checkShape(shape)
        self.shape = shape
        self.storage = TensorStorage(uninitializedCount: Tensor.elementCount(shape))
    }

    /// A tensor holding `scalars` in row-major order; `scalars.count` must equal the shape's product.
    public init(shape: [Int], scalars: [Float]) {
        Tensor.checkShape(shape)
        let count = Tensor.elementCount(shape)
        precondition(
            scalars.count == count,
            "Tensor(shape: \(shape), scalars:): the shape holds \(count) elements but \(scalars.count) arrived")
        self.shape = shape
        self.storage = TensorStorage(uninitializedCount: count)
        scalars.withUnsafeBufferPointer { source in
            if count > 0 { storage.pointer.update(from: source.baseAddress!, count: count) }
        }
    }

    /// A rank-0 tensor holding one value.
    public init(scalar: Float) {
        self.init(shape: [], scalars: [scalar])
    }

    /// Wraps existing storage. `storage.count` must equal the shape's product.
    public init(shape: [Int], storage: TensorStorage) {
        Tensor.checkShape(shape)
        precondition(
            storage.count == Tensor.elementCount(shape),
            "Tensor(shape: \(shape), storage:): storage holds \(storage.count) elements")
        self.shape = shape
        self.storage = storage
    }

    // MARK: - Shape

    /// The number of elements (the product of the shape; 1 for a scalar).
    public var count: Int { storage.count }
    /// The number of axes.
    public var rank: Int { shape.count }

    /// The same elements seen with another shape of the same element count. Shares storage.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor.checkShape(newShape)
        precondition(
            Tensor.elementCount(newShape) == count,
            "reshaped: cannot view \(shape) (\(count) elements) as \(newShape)")
        return Tensor(shape: newShape, storage: storage)
    }

    /// The elements as an array, in row-major order.
    public var scalars: [Float] {
        Array(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// The single element of a one-element tensor.
    public var scalar: Float {
        precondition(count == 1, "scalar: tensor of shape \(shape) holds \(count) elements")
        return storage.pointer[0]
    }

    // MARK: - Element access

    /// The row-major offset of a multi-index, with bounds checked against the shape.
    public func offset(_ indices: [Int]) -> Int {
        precondition(indices.count == shape.count, "index \(indices) does not fit shape \(shape)")
        var offset = 0
        for (axis, index) in indices.enumerated() {
            precondition(index >= 0 && index < shape[axis], "index \(indices) is outside shape \(shape)")
            offset = offset * shape[axis] + index
        }
        return offset
    }

    /// One element by multi-index: `x[b, t, c]`.
    public subscript(indices: Int...) -> Float {
        get { storage.pointer[offset(indices)] }
        set {
            let position = offset(indices)
            makeUnique()
            storage.pointer[position] = newValue
        }
    }

    // MARK: - Raw access (kernels only)

    /// Reads the elements through a buffer pointer. Do not let the pointer escape `body`.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// Writes the elements through a buffer pointer, copying shared storage first.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }

    /// Copies the storage if another tensor shares it, so that writing cannot be seen elsewhere.
    public mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            storage = storage.copy()
        }
    }

    // MARK: - Helpers

    /// The product of the extents. Traps on overflow: shapes reaching here come from code;
    /// shapes read from files are validated (and throw) before they get here.
    public static func elementCount(_ shape: [Int]) -> Int {
        var product = 1
        for extent in shape {
            let (result, overflow) = product.multipliedReportingOverflow(by: extent)
            precondition(!overflow, "shape \(shape) overflows Int")
            product = result
        }
        return product
    }

    static func checkShape(_ shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "shape \(shape) has a negative extent")
    }
}

extension Tensor: Equatable {
    /// Same shape and bit-for-bit equal elements (NaN ≠ NaN, as for Float).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.shape == rhs.shape else { return false }
        if lhs.storage === rhs.storage { return true }
        for index in 0..<lhs.count where lhs.storage.pointer[index] != rhs.storage.pointer[index] {
            return false
        }
        return true
    }
}
