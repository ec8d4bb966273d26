/// A contiguous Float32 buffer with an explicit shape, allocated once and 64-byte aligned
/// (one cache line, and a whole number of 8-lane AVX vectors).
///
/// Hot loops never touch `Array`: they take `data` (an unsafe pointer) and work on it directly,
/// so there is no copy-on-write, no exclusivity check and no retain/release per element.
/// A `Tensor` is a reference type on purpose: a model's parameters and a window's activations are
/// allocated once and written in place for the whole run.
public final class Tensor: @unchecked Sendable {
    /// Dimensions, outermost first (row-major): `[rows, cols]` for a matrix.
    public let shape: [Int]
    /// Number of elements, the product of `shape`.
    public let count: Int
    /// The first element. Valid for `count` elements for the tensor's lifetime.
    public let data: UnsafeMutablePointer<Float>

    /// The alignment of every tensor's storage, in bytes.
    public static let alignment = 64

    /// A zero-filled tensor of the given shape.
    public init(_ shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        self.count = shape.reduce(1, *)
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: Tensor.alignment)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        self.data = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// A tensor holding a copy of `values`, which must have `shape`'s element count.
    public convenience init(_ shape: [Int], values: [Float]) {
        self.init(shape)
        precondition(values.count == count, "\(values.count) values for shape \(shape)")
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }

    deinit { UnsafeMutableRawPointer(data).deallocate() }

    /// The elements as an array (for tests, checkpoints and reports; never in a hot loop).
    public var array: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

    /// Sets every element to zero.
    public func zero() { data.update(repeating: 0, count: count) }

    /// Copies every element of `other`, which must have the same element count.
    public func copy(from other: Tensor) {
        precondition(other.count == count, "copy between tensors of \(other.count) and \(count) elements")
        data.update(from: other.data, count: count)
    }

    /// Element access for tests and set-up code.
    public subscript(i: Int) -> Float {
        get { data[i] }
        set { data[i] = newValue }
    }
}
