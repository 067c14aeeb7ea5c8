// The options of `pretrain` and `distill` that set a step-based run's schedule: batching, the
// learning rate and its warm-up and decay, the optimiser, clipping, cadence and seed. Both
// configurations conform to Pretraining's `StepTrainingConfiguration`, so this is written once.
// Not handled: each command's own options (corpus and masking, the teacher and its loss).

import NeuralNetwork
import Pretraining

enum StepTrainingOptions {
    /// Sets each field whose option was given; a new run's warm-up defaults to 5% of the steps.
    static func apply(_ arguments: inout Arguments, to configuration: inout some StepTrainingConfiguration, newRun: Bool) throws {
        func int(_ name: String, _ range: ClosedRange<Int>, _ set: (Int) -> Void) throws {
            if arguments.string(name) != nil { set(try arguments.int(name, default: 0, in: range)) }
        }
        func double(_ name: String, _ range: ClosedRange<Double>, _ set: (Double) -> Void) throws {
            if arguments.string(name) != nil { set(try arguments.double(name, default: 0, in: range)) }
        }
        try int("batch", 1...65536) { configuration.batchSize = $0 }
        try int("accumulate", 1...65536) { configuration.accumulationSteps = $0 }
        try int("group", 1...100_000) { configuration.lengthGroupSize = $0 }
        try int("steps", 1...100_000_000) { configuration.steps = $0 }
        try double("lr", 1e-9...10) { configuration.peakLearningRate = Float($0) }
        let warmupGiven = arguments.string("warmup") != nil
        try int("warmup", 0...100_000_000) { configuration.warmupSteps = $0 }
        if newRun && !warmupGiven { configuration.warmupSteps = configuration.steps / 20 }
        if let shape = try arguments.choice("schedule", DecayShape.self) { configuration.decay = shape }
        try double("min-lr", 0...10) { configuration.minimumLearningRate = Float($0) }
        try double("weight-decay", 0...10) { configuration.optimizer.weightDecay = Float($0) }
        try double("clip", 0...1e6) { configuration.maxGradientNorm = $0 == 0 ? nil : Float($0) }
        try int("eval-every", 0...100_000_000) { configuration.evaluateEvery = $0 }
        try int("checkpoint-every", 0...100_000_000) { configuration.checkpointEvery = $0 }
        try int("seed", 0...Int.max) { configuration.seed = UInt64($0) }
    }
}
