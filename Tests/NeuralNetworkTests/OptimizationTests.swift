// AdamW, the learning-rate schedules and gradient clipping against steps computed by hand.
import CKernels
import Foundation
import NeuralNetwork
import Testing
import TensorCore

@Suite struct OptimizationTests {
    /// One AdamW step from m = v = 0 with g = 0.5, lr = 0.1, λ = 0.01, p = 2:
    ///   decay: p = 2·(1 − 0.1·0.01) = 1.998
    ///   m = 0.1·0.5 = 0.05, v = 0.001·0.25 = 0.00025
    ///   m̂ = 0.05/0.1 = 0.5, √v̂ = √(0.00025/0.001) = 0.5
    ///   p = 1.998 − 0.1·0.5/(0.5 + 1e-8) = 1.898
    /// The bias (no decay) with the same gradient: p = 2 − 0.1 = 1.9.
    @Test func adamWFirstStepByHand() {
        let weight = Parameter(Tensor(shape: [1], scalars: [2]))
        let bias = Parameter(Tensor(shape: [1], scalars: [2]), decays: false)
        weight.gradient = Tensor(shape: [1], scalars: [0.5])
        bias.gradient = Tensor(shape: [1], scalars: [0.5])
        let optimizer = AdamW(parameters: [NamedParameter(name: "w", parameter: weight), NamedParameter(name: "b", parameter: bias)])
        optimizer.update(learningRate: 0.1)
        #expect(abs(weight.value.scalar - 1.898) < 1e-6)
        #expect(abs(bias.value.scalar - 1.9) < 1e-6)
        // Second step, g = −0.5 (no decay on the bias):
        //   m = 0.9·0.05 + 0.1·(−0.5) = −0.005, v = 0.999·0.00025 + 0.001·0.25 = 0.00049975
        //   m̂ = −0.005/0.19 = −0.0263158, √v̂ = √(0.00049975/0.001999) = 0.5000000
        //   p = 1.9 + 0.1·0.0263158/0.5 = 1.9052632
        bias.gradient = Tensor(shape: [1], scalars: [-0.5])
        weight.gradient = nil
        optimizer.update(learningRate: 0.1)
        #expect(abs(bias.value.scalar - 1.9052632) < 1e-6)
        #expect(abs(weight.value.scalar - 1.898) < 1e-6)  // no gradient, no update
        #expect(optimizer.step == 2)
    }

    /// te_adamw (every kernel path the CPU can run) against `AdamW.referenceStep`, bit for bit, over three
    /// steps at lengths that leave a scalar tail, with decay, and with gradients of every size
    /// (including 0 and a tiny one, where ε matters).
    @Test(arguments: KernelPath.available) func adamWKernelEqualsTheSwiftReference(path: String) {
        te_force_path(path)
        defer { te_force_path(nil) }
        var rng = SeededGenerator(seed: 12)
        for count in [1, 7, 8, 29, 1003] {
            let start = rng.uniform(shape: [count], low: -2, high: 2).scalars
            var p = start
            var m = [Float](repeating: 0, count: count), v = m
            var (rp, rm, rv) = (p, m, v)
            for step in 1...3 {
                var g = rng.uniform(shape: [count], low: -1, high: 1).scalars.map { $0 * Float(step) }
                g[0] = step == 2 ? 0 : 1e-9
                let (decay, stepSize, root): (Float, Float, Float) = (0.9995, 0.01 / Float(1 - pow(0.9, Double(step))),
                                                              Float((1 - pow(0.999, Double(step))).squareRoot()))
                te_adamw(count, &p, &m, &v, g, decay, 0.9, 0.999, stepSize, root, 1e-8)
                for i in 0..<count {
                    AdamW.referenceStep(p: &rp[i], m: &rm[i], v: &rv[i], g: g[i], decay: decay, beta1: 0.9, beta2: 0.999,
                                        stepSize: stepSize, correction2Root: root, epsilon: 1e-8)
                }
            }
            #expect(zip(p, rp).filter { $0.bitPattern != $1.bitPattern }.count == 0, "p, \(count)")
            #expect(zip(m, rm).filter { $0.bitPattern != $1.bitPattern }.count == 0, "m, \(count)")
            #expect(zip(v, rv).filter { $0.bitPattern != $1.bitPattern }.count == 0, "v, \(count)")
            #expect(zip(p, start).allSatisfy { $0 != $1 })  // every parameter moved (ε keeps g = 1e-9 from doing nothing)
        }
    }

    @Test func frozenParametersAreSkipped() {
        let frozen = Parameter(Tensor(shape: [1], scalars: [1]), requiresGradient: false)
        frozen.gradient = Tensor(shape: [1], scalars: [1])
        AdamW(parameters: [NamedParameter(name: "f", parameter: frozen)]).update(learningRate: 1)
        #expect(frozen.value.scalar == 1)
    }

    @Test func stateRoundTrips() throws {
        let p = Parameter(Tensor(shape: [2], scalars: [1, 2]))
        p.gradient = Tensor(shape: [2], scalars: [0.1, -0.2])
        let a = AdamW(parameters: [NamedParameter(name: "p", parameter: p)])
        a.update(learningRate: 0.01)
        let saved = Dictionary(uniqueKeysWithValues: a.stateTensors().map { ($0.name, $0.tensor) })
        let b = AdamW(parameters: [NamedParameter(name: "p", parameter: p)])
        try b.restore(step: a.step, tensors: saved, file: "state")
        #expect(b.stateTensors().map(\.tensor) == a.stateTensors().map(\.tensor))
        #expect(throws: FileError.self) { try b.restore(step: 1, tensors: [:], file: "state") }
    }

    /// peak 1, 10 warm-up steps of 100: step 5 → 0.5; step 10 → 1; linear step 55 → 45/90 = 0.5;
    /// cosine step 55 → ½(1 + cos(π/2)) = 0.5, step 25 → ½(1 + cos(π/6)) = 0.9330127; step 100 → 0.
    @Test func schedulesByHand() {
        let linear = LearningRateSchedule(peak: 1, warmupSteps: 10, totalSteps: 100, decay: .linear)
        #expect(linear.rate(at: 0) == 0)
        #expect(linear.rate(at: 5) == 0.5)
        #expect(linear.rate(at: 10) == 1)
        #expect(abs(linear.rate(at: 55) - 0.5) < 1e-6)
        #expect(linear.rate(at: 100) == 0)
        let cosine = LearningRateSchedule(peak: 1, warmupSteps: 10, totalSteps: 100, decay: .cosine)
        #expect(abs(cosine.rate(at: 55) - 0.5) < 1e-6)
        #expect(abs(cosine.rate(at: 25) - 0.9330127) < 1e-6)
        #expect(abs(cosine.rate(at: 100)) < 1e-6)
        let floored = LearningRateSchedule(peak: 1, warmupSteps: 0, totalSteps: 10, decay: .linear, minimumRate: 0.1)
        #expect(floored.rate(at: 10) == 0.1)
    }

    /// Gradients [3, 4] and [12]: norm √(9 + 16 + 144) = 13; clipped to 6.5 they halve
    /// (coefficient 6.5/(13 + 1e-6)).
    @Test func clippingByGlobalNorm() {
        let a = Parameter(Tensor(zeros: [2])), b = Parameter(Tensor(zeros: [1]))
        a.gradient = Tensor(shape: [2], scalars: [3, 4])
        b.gradient = Tensor(shape: [1], scalars: [12])
        let norm = clipGradientNorm([a, b, a], maxNorm: 6.5)
        #expect(norm == 13)
        #expect(abs(a.gradient![0] - 1.5) < 1e-5 && abs(a.gradient![1] - 2) < 1e-5 && abs(b.gradient![0] - 6) < 1e-5)
        #expect(clipGradientNorm([a, b], maxNorm: 100) < 6.5 + 1e-4)  // below the limit: unchanged
    }
}
