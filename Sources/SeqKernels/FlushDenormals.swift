import CFloatControl

/// Float32 arithmetic for training: subnormal numbers (below 1.18e-38) are flushed to zero on this thread.
///
/// A vanishing gradient spends many steps in the subnormal range on its way to zero, and x86 handles subnormal
/// operands in microcode, 10–100× slower: without this, measuring a sigmoid RNN's gradient costs several times
/// more than a relu one's. Every training, study and profiling thread calls it first, so all results — on any
/// thread — are computed the same way; "zero" in a gradient profile therefore means below 1.18e-38.
public func flushDenormalsToZero() { nv_set_flush_denormals(1) }
