/// One training run of a study: everything that distinguishes it from the others.
public struct RunSpec: Hashable, Sendable {
    public var task: TaskKind
    public var variant: Variant
    public var layers: Int
    public var hidden: Int
    public var distance: Int
    public var seed: Int

    public init(task: TaskKind, variant: Variant, layers: Int, hidden: Int, distance: Int, seed: Int) {
        self.task = task
        self.variant = variant
        self.layers = layers
        self.hidden = hidden
        self.distance = distance
        self.seed = seed
    }

    /// A stable name, also the key a resumed study uses to skip finished runs.
    public var id: String { "\(task)/\(variant)/L\(layers)/H\(hidden)/d\(distance)/s\(seed)" }

    /// The run's own random seed, from its id alone — so a run computes the same numbers whichever shard,
    /// thread or order it runs in. (FNV-1a: Swift's `Hasher` is seeded per process and would not do.)
    public var randomSeed: UInt64 { stableHash(id) }
}

/// FNV-1a over UTF-8 bytes: a hash that is the same in every process and on every machine.
public func stableHash(_ text: String) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
        h ^= UInt64(byte)
        h &*= 0x0000_0100_0000_01B3
    }
    return h
}

/// The full grid of a study — distances × variants × depths × seeds — in a fixed order, and its shards.
public struct StudyGrid: Sendable {
    public var task: TaskKind
    public var distances: [Int]
    public var variants: [Variant]
    public var layers: [Int]
    public var hidden: Int
    public var seeds: Int

    public init(task: TaskKind, distances: [Int], variants: [Variant], layers: [Int], hidden: Int, seeds: Int) {
        self.task = task
        self.distances = distances
        self.variants = variants
        self.layers = layers
        self.hidden = hidden
        self.seeds = seeds
    }

    /// Every run, depth-major then distance, variant and seed (the order reports and tables use).
    public var runs: [RunSpec] {
        var out = [RunSpec]()
        for l in layers {
            for d in distances {
                for v in variants {
                    for s in 1...max(seeds, 1) {
                        out.append(RunSpec(task: task, variant: v, layers: l, hidden: hidden, distance: d, seed: s))
                    }
                }
            }
        }
        return out
    }

    /// Shard `index` of `count` (1-based): every count-th run starting at index − 1. Round-robin keeps the
    /// expensive long-distance runs spread over the shards; the shards are disjoint and cover the grid.
    public func shard(_ index: Int, of count: Int) -> [RunSpec] {
        precondition(count >= 1 && (1...count).contains(index), "shard \(index)/\(count) out of range")
        return runs.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }
}
