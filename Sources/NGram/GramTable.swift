/// How a run of token ids becomes a fixed-width key of 64-bit words.
///
/// Each id takes `bits` bits, the fewest that hold every id in 0..<V, and a word holds `perWord` ids, none split
/// across two words. A gram of length m therefore needs ⌈m / perWord⌉ words (at least one, so that the empty
/// gram has a key too). For V ≤ 256 that is 8 ids a word; any V up to Int32.max works, with fewer ids a word.
///
/// Positions are counted from the gram's end: position 0 is its last token, position 1 the one before, and so
/// on. Extending a gram to the left (the next lower-order context grows into the next higher one) then only
/// sets one more position, and a gram and all its suffixes share their low positions.
struct GramPacking: Sendable {
    let bits: Int
    let perWord: Int
    let idMask: UInt64

    init(vocabularySize: Int) {
        precondition(vocabularySize >= 1 && vocabularySize <= Int(Int32.max), "the vocabulary size must be 1…2³¹−1")
        let largest = UInt64(vocabularySize - 1)
        bits = max(1, UInt64.bitWidth - largest.leadingZeroBitCount)
        perWord = UInt64.bitWidth / bits
        idMask = (1 << UInt64(bits)) - 1   // bits ≤ 31: ids are non-negative Int32
    }

    /// Words in the key of a gram of `length` tokens.
    func words(forLength length: Int) -> Int { max(1, (length + perWord - 1) / perWord) }

    /// Writes `id` at `position` of a key whose bits there are still zero.
    @inline(__always)
    func set(_ id: Int32, at position: Int, in key: UnsafeMutablePointer<UInt64>) {
        key[position / perWord] |= UInt64(UInt32(bitPattern: id)) << UInt64((position % perWord) * bits)
    }

    /// Zeroes `position` of a key.
    @inline(__always)
    func clear(_ position: Int, in key: UnsafeMutablePointer<UInt64>) {
        key[position / perWord] &= ~(idMask << UInt64((position % perWord) * bits))
    }

    /// The key of `tokens[start ..< start + length]` into `key` (its first `words(forLength: length)` words).
    @inline(__always)
    func pack(_ tokens: UnsafeBufferPointer<Int32>, start: Int, length: Int, into key: UnsafeMutablePointer<UInt64>) {
        key.update(repeating: 0, count: words(forLength: length))
        for p in 0..<length { set(tokens[start + length - 1 - p], at: p, in: key) }
    }

    /// Drops position 0 (the gram's last token) from a key of `width` words: position p + 1 moves to p, which
    /// turns the key of h·w into the key of its context h.
    @inline(__always)
    func dropLast(_ key: UnsafePointer<UInt64>, width: Int, into out: UnsafeMutablePointer<UInt64>) {
        let carryShift = UInt64((perWord - 1) * bits)
        for i in 0..<width {
            var word = key[i] >> UInt64(bits)
            if i + 1 < width { word |= (key[i + 1] & idMask) << carryShift }
            out[i] = word
        }
    }
}

/// The distinct grams of one length, each with an integer count: an open-addressing hash table (linear
/// probing, at most half full) whose entries are stored densely in insertion order, so that they can also be
/// walked as an array. Keys are compared word for word, so two different grams never share an entry.
struct GramTable: Sendable {
    /// Words per key.
    let width: Int
    /// Entry e's key is `keys[e * width ..< (e + 1) * width]`.
    private(set) var keys: [UInt64] = []
    /// Entry e's count.
    var counts: [Int32] = []
    /// Hash slot → entry index, or −1 for an empty slot.
    private var slots: [Int32]
    private var mask: Int

    init(width: Int, expectedEntries: Int = 8) {
        self.width = width
        var capacity = 16
        while capacity < 2 * expectedEntries { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        keys.reserveCapacity(expectedEntries * width)
        counts.reserveCapacity(expectedEntries)
    }

    var count: Int { counts.count }

    /// A 64-bit mix of the key's words (multiply–xorshift per word, then the SplitMix64 finaliser), so that keys
    /// differing in a few bits of one id land far apart.
    @inline(__always)
    static func hash(_ key: UnsafePointer<UInt64>, width: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in 0..<width {
            h = (h ^ key[i]) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
        }
        h ^= h >> 30
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 27
        h = h &* 0x94D0_49BB_1331_11EB
        h ^= h >> 31
        return h
    }

    /// The entry holding `key`, or nil.
    @inline(__always)
    func find(_ key: UnsafePointer<UInt64>) -> Int? { probe(key).entry }

    /// Linear probing from `key`'s hash: the entry holding it, or nil and the empty slot where it would go.
    @inline(__always)
    private func probe(_ key: UnsafePointer<UInt64>) -> (entry: Int?, slot: Int) {
        let w = width
        var slot = Int(truncatingIfNeeded: Self.hash(key, width: w)) & mask
        return slots.withUnsafeBufferPointer { s in
            keys.withUnsafeBufferPointer { k in
                while true {
                    let e = Int(s[slot])
                    if e < 0 { return (nil, slot) }
                    let stored = k.baseAddress! + e * w
                    var same = true
                    for i in 0..<w where stored[i] != key[i] { same = false; break }
                    if same { return (e, slot) }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// Adds `amount` to the count of `key`, inserting it with count 0 first if it is new; returns its entry.
    @discardableResult
    mutating func add(_ key: UnsafePointer<UInt64>, _ amount: Int32) -> Int {
        let w = width
        let (found, slot) = probe(key)
        if let e = found {
            counts[e] += amount
            return e
        }
        let e = counts.count
        precondition(e < Int(Int32.max), "too many distinct grams for one table")
        keys.append(contentsOf: UnsafeBufferPointer(start: key, count: w))
        counts.append(amount)
        slots[slot] = Int32(e)
        if 2 * counts.count > slots.count { grow() }
        return e
    }

    /// Doubles the slot array and re-places every entry.
    private mutating func grow() {
        let capacity = slots.count * 2
        var fresh = [Int32](repeating: -1, count: capacity)
        let m = capacity - 1
        let w = width
        keys.withUnsafeBufferPointer { k in
            fresh.withUnsafeMutableBufferPointer { s in
                for e in 0..<counts.count {
                    var slot = Int(truncatingIfNeeded: Self.hash(k.baseAddress! + e * w, width: w)) & m
                    while s[slot] >= 0 { slot = (slot + 1) & m }
                    s[slot] = Int32(e)
                }
            }
        }
        slots = fresh
        mask = m
    }

    /// Calls `body` with entry e's key.
    @inline(__always)
    func withKey<R>(_ e: Int, _ body: (UnsafePointer<UInt64>) -> R) -> R {
        keys.withUnsafeBufferPointer { body($0.baseAddress! + e * width) }
    }
}
