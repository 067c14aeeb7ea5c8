// GloVeConfig: the options of GloVe counting and training, each naming the GloVe C tools' flag.
// Defaults are the C tools' defaults (window 15, x_max 100, alpha 0.75, eta 0.05, 25 iterations).
// Reference: Pennington, Socher, Manning 2014; stanfordnlp/GloVe src/cooccur.c and glove.c.
// Not handled: asymmetric windows (-symmetric 0), the -model 0/1 outputs (we write word + context).

import Foundation

/// Options of `GloVe`.
public struct GloVeConfig: PassesTrainingConfig {
    /// Vector size (`-vector-size`).
    public var dimension = 100
    /// Context words on each side (`-window-size`), weighted 1/distance.
    public var window = 15
    /// Words seen fewer times are dropped (vocab_count `-min-count`).
    public var minCount = 5
    /// Passes over the shuffled co-occurrences (`-iter`).
    public var epochs = 25
    /// The weighting cut-off (`-x-max`): f(x) = (x/x_max)^power below it, 1 above.
    public var xMax: Float = 100
    /// The weighting exponent (`-alpha`).
    public var power: Float = 0.75
    /// AdaGrad's initial learning rate (`-eta`).
    public var learningRate: Float = 0.05
    /// Bytes the co-occurrence counting may hold in memory before spilling sorted runs to disk
    /// (cooccur `-memory`, in bytes here). Training keeps the shuffled records in memory when they
    /// fit in this budget, and streams them from a file otherwise.
    public var memoryBudget = 2 << 30
    /// Where spill and shuffle files go (`-overflow-file`'s folder).
    public var temporaryDirectory: URL = FileManager.default.temporaryDirectory
    /// Seed of the initialisation and the shuffle.
    public var seed: UInt64 = 1

    /// Worker threads (`-threads`); nil uses the process-wide `Threads.count`. With 1 the run is
    /// bit-reproducible for a seed.
    public var threads: Int? = nil

    public init() {}

    /// Throws `WordVectorsError.invalidOption` for unusable values.
    public func validate() throws {
        try validatePasses()
        try check(xMax > 0 && xMax.isFinite, "xMax", "must be > 0")
        try check(power >= 0 && power.isFinite, "power", "must be ≥ 0")
        try check(memoryBudget >= 1 << 20, "memoryBudget", "must be at least 1 MiB")
    }
}
