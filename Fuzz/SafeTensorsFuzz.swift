// libFuzzer target: the safetensors reader. Compiled into a module of SafeTensors.swift alone (see `make fuzz`).
//
// Any bytes either are refused with `FormatError` or decode to contents that encode to a file decoding to the
// same contents; encoding those again gives the same bytes (the writer's output is canonical).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let contents: SafeTensors.Contents
    do {
        contents = try SafeTensors.decode(bytes, path: "fuzz")
    } catch {
        require(!error.reason.isEmpty, "a refusal without a reason")
        return 0
    }
    let encoded = SafeTensors.encode(contents)
    let again: SafeTensors.Contents
    do {
        again = try SafeTensors.decode(encoded, path: "re-encoded")
    } catch {
        fatalError("invariant broken: the writer's output is refused: \(error)")
    }
    require(sameBits(contents, again), "re-encoding changed the contents")
    require(SafeTensors.encode(again) == encoded, "encoding is not canonical")
    return 0
}

private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
}

/// Equality with floats compared by bit pattern, so NaN payloads count and NaN equals itself.
private func sameBits(_ a: SafeTensors.Contents, _ b: SafeTensors.Contents) -> Bool {
    a.metadata == b.metadata && a.tensors.count == b.tensors.count && zip(a.tensors, b.tensors).allSatisfy { x, y in
        x.name == y.name && x.shape == y.shape && x.values.map(\.bitPattern) == y.values.map(\.bitPattern)
    }
}
