// Vector math (CKernels' exp, tanh, erf, GELU and their derivatives): hand-worked values, and the
// error bounds of every kernel path the CPU can run (AVX-512, AVX2, NEON, portable) against libm in
// Double on dense grids that include large |x|, the overflow/underflow edges and NaN.
// Not handled: timing (see `tinyencoder bench gemm --elementwise`).
import CKernels
import Foundation
import Testing
import TensorCore
import TestSupport

/// Runs a C kernel over `inputs` on this thread, on the named kernel path.
private func run(path: String, _ inputs: [Float], _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> [Float] {
    var outputs = [Float](repeating: 0, count: inputs.count)
    let ran: Void? = KernelPath.run(path) {
        inputs.withUnsafeBufferPointer { x in
            outputs.withUnsafeMutableBufferPointer { y in kernel(x.baseAddress!, y.baseAddress!, inputs.count) }
        }
    }
    precondition(ran != nil, "kernel path \(path) is not available")
    return outputs
}

/// `count` evenly spaced Floats from `low` to `high` (an odd count, so that 0 is hit for ±ranges).
private func grid(_ low: Double, _ high: Double, count: Int = 200_001) -> [Float] {
    (0..<count).map { Float(low + (high - low) * Double($0) / Double(count - 1)) }
}

/// The worst |fast − exact| / max(|exact|, floor) over a grid, with where it happened.
private func worstError(_ xs: [Float], _ fast: [Float], floor: Double, _ exact: (Double) -> Double) -> (error: Double, at: Float) {
    var worst = (error: 0.0, at: Float(0))
    for (x, y) in zip(xs, fast) {
        let truth = exact(Double(x))
        let error = abs(Double(y) - truth) / max(abs(truth), floor)
        if !(error <= worst.error) { worst = (error.isNaN ? .infinity : error, x) }
    }
    return worst
}

private let paths = KernelPath.available  // every path this CPU can run

@Suite struct VectorMathTests {
    // MARK: - Hand-worked values

    /// e¹ = 2.7182817 (Float), tanh ½ = 0.46211717, erf 1 = 0.8427008, erf(−2) = −0.9953223
    /// (50-digit values rounded to Float; erf is odd).
    @Test(arguments: paths) func knownValues(path: String) {
        #expect(run(path: path, [0, 1]) { te_vexp($0, $1, $2) } == [1, 2.7182817])
        let t = run(path: path, [0.5, -0.5]) { te_vtanh($0, $1, $2) }
        #expect(abs(t[0] - 0.46211717) <= 6e-8 && t[1] == -t[0])
        let e = run(path: path, [1, -2, 0]) { te_verf($0, $1, $2) }
        #expect(abs(e[0] - 0.8427008) <= 6e-8 && abs(e[1] + 0.9953223) <= 6e-8 && e[2] == 0)
    }

    /// GELU(1) = Φ(1) = 0.8413448; GELU(−1) = −Φ(−1) = −0.15865526; GELU(3) = 3Φ(3) = 2.9959502;
    /// tanh form at 1: ½(1 + tanh(√(2/π)·1.044715)) = 0.841192.
    /// GELU′(1) = Φ(1) + φ(1) = 0.8413447 + 0.2419707 = 1.0833155; GELU′(−1) = Φ(−1) − φ(1) = −0.08331547.
    @Test(arguments: paths) func geluKnownValues(path: String) {
        let y = run(path: path, [1, -1, 3, 0]) { te_vgelu_erf($0, $1, $2) }
        #expect(maxRelativeError(y, [0.8413448, -0.15865526, 2.9959502, 0]).error < 2e-7)
        let yt = run(path: path, [1]) { te_vgelu_tanh($0, $1, $2) }
        #expect(abs(yt[0] - 0.841192) < 2e-7)
        let ones: [Float] = [1, 1]
        let dx = run(path: path, [1, -1]) { x, out, n in te_vgelu_erf_backward(x, ones, out, n, 0) }
        #expect(maxRelativeError(dx, [1.0833155, -0.08331547]).error < 3e-7)
        // tanh′ from the output: y = ½ gives 1 − ¼ = 0.75, times dy = 2 gives 1.5.
        let twos: [Float] = [2]
        #expect(run(path: path, [0.5]) { y, out, n in te_vtanh_backward(y, twos, out, n, 0) } == [1.5])
    }

    // MARK: - Error bounds on dense grids

    @Test(arguments: paths) func expRelativeErrorOnItsRange(path: String) {
        let xs = grid(-87, 88)
        let worst = worstError(xs, run(path: path, xs) { te_vexp($0, $1, $2) }, floor: 0) { Foundation.exp($0) }
        #expect(worst.error <= 2e-7, "exp: relative error \(worst.error) at x = \(worst.at)")
    }

    /// Below −87.3 exp is subnormal (one rounding, so within one subnormal step 2⁻¹⁴⁹ ≈ 1.4e-45),
    /// below −104 it is 0, above 88.73 it is +∞; −∞ gives 0 and NaN stays NaN.
    @Test(arguments: paths) func expEdges(path: String) {
        let xs = grid(-110, -87.4, count: 20_001)
        let fast = run(path: path, xs) { te_vexp($0, $1, $2) }
        for (x, y) in zip(xs, fast) {
            let exact = Foundation.exp(Double(x))
            #expect(abs(Double(y) - exact) <= 1.5e-45 + 2e-7 * exact, "exp(\(x)) = \(y), expected \(exact)")
        }
        let special = run(path: path, [88.73, 100, .infinity, -.infinity, -200, .nan]) { te_vexp($0, $1, $2) }
        #expect(special[0] == .infinity && special[1] == .infinity && special[2] == .infinity)
        #expect(special[3] == 0 && special[4] == 0 && special[5].isNaN)
    }

    @Test(arguments: paths) func tanhRelativeError(path: String) {
        let xs = grid(-20, 20)
        let worst = worstError(xs, run(path: path, xs) { te_vtanh($0, $1, $2) }, floor: 1e-30) { Foundation.tanh($0) }
        #expect(worst.error <= 2.5e-7, "tanh: relative error \(worst.error) at x = \(worst.at)")
        #expect(run(path: path, [.infinity, -.infinity, 1e30]) { te_vtanh($0, $1, $2) } == [1, -1, 1])
    }

    @Test(arguments: paths) func erfAbsoluteError(path: String) {
        let xs = grid(-12, 12)
        let worst = worstError(xs, run(path: path, xs) { te_verf($0, $1, $2) }, floor: 1) { Foundation.erf($0) }
        #expect(worst.error <= 1e-7, "erf: absolute error \(worst.error) at x = \(worst.at)")
    }

    /// GELU is checked relative to max(|GELU(x)|, 1): relative for large |x|, absolute near 0.
    /// The exact reference is x·erfc(−x/√2)/2 (no cancellation in the lower tail).
    @Test(arguments: paths) func geluErfError(path: String) {
        let xs = grid(-30, 30)
        let forward = worstError(xs, run(path: path, xs) { te_vgelu_erf($0, $1, $2) }, floor: 1) {
            0.5 * $0 * Foundation.erfc(-$0 / 2.0.squareRoot())
        }
        #expect(forward.error <= 2e-7, "GELU: error \(forward.error) at x = \(forward.at)")
        let ones = [Float](repeating: 1, count: xs.count)
        let derivative = worstError(xs, run(path: path, xs) { te_vgelu_erf_backward($0, ones, $1, $2, 0) }, floor: 1) {
            0.5 * Foundation.erfc(-$0 / 2.0.squareRoot()) + $0 * Foundation.exp(-0.5 * $0 * $0) / (2 * Double.pi).squareRoot()
        }
        #expect(derivative.error <= 3e-7, "GELU′: error \(derivative.error) at x = \(derivative.at)")
    }

    /// A vector whose lanes all sit on one side of the erf split computes that side only; a lane's
    /// value must not depend on its neighbours. Each x on a grid alone in a vector of copies,
    /// against x among neighbours from the far side of the split (|x| = 0.1 and 5): same bits.
    @Test(arguments: paths) func erfLanesDoNotDependOnTheirNeighbours(path: String) {
        let xs = grid(-4, 4, count: 1001)
        let kernels: [(String, (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void)] = [
            ("erf", { te_verf($0, $1, $2) }), ("gelu", { te_vgelu_erf($0, $1, $2) }),
            ("gelu′", { x, y, n in let ones = [Float](repeating: 1, count: n); te_vgelu_erf_backward(x, ones, y, n, 0) }),
        ]
        for (name, kernel) in kernels {
            for x in xs {
                let alone = run(path: path, [Float](repeating: x, count: 8), kernel)[0]
                let mixed = run(path: path, [x, 5, 0.1, -5, -0.1, 5, 0.1, -5], kernel)[0]
                #expect(alone.bitPattern == mixed.bitPattern, "\(name)(\(x)): \(alone) alone, \(mixed) among mixed lanes")
            }
        }
    }

    /// The tanh form; reference: x·σ(2u) = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³).
    @Test(arguments: paths) func geluTanhError(path: String) {
        let xs = grid(-30, 30)
        let c = (2 / Double.pi).squareRoot()
        let forward = worstError(xs, run(path: path, xs) { te_vgelu_tanh($0, $1, $2) }, floor: 1) { x in
            x / (1 + Foundation.exp(-2 * c * (x + 0.044715 * x * x * x)))
        }
        #expect(forward.error <= 2e-7, "GELU tanh: error \(forward.error) at x = \(forward.at)")
        let ones = [Float](repeating: 1, count: xs.count)
        let derivative = worstError(xs, run(path: path, xs) { te_vgelu_tanh_backward($0, ones, $1, $2, 0) }, floor: 1) { x in
            let t = Foundation.tanh(c * (x + 0.044715 * x * x * x))
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x)
        }
        #expect(derivative.error <= 3e-7, "GELU tanh′: error \(derivative.error) at x = \(derivative.at)")
    }

    // MARK: - Accumulate, odd lengths, BLAS-1

    /// accumulate == 1 adds into dx; lengths that are not a multiple of the vector width work.
    @Test(arguments: [1, 3, 7, 8, 9, 17, 33]) func backwardAccumulatesAndTails(count: Int) {
        var rng = SeededGenerator(seed: UInt64(count))
        let x = rng.uniform(shape: [count], low: -4, high: 4).scalars
        let dy = rng.uniform(shape: [count], low: -1, high: 1).scalars
        let start = rng.uniform(shape: [count], low: -1, high: 1).scalars
        var fresh = [Float](repeating: .nan, count: count), added = start
        te_vgelu_erf_backward(x, dy, &fresh, count, 0)
        te_vgelu_erf_backward(x, dy, &added, count, 1)
        for index in 0..<count { #expect(abs(added[index] - (start[index] + fresh[index])) <= 1e-6) }
    }

    /// dot, axpy, scale and add against their definitions, on both paths, at odd lengths.
    @Test(arguments: paths) func blasLevelOne(path: String) {
        var rng = SeededGenerator(seed: 9)
        te_force_path(path)
        defer { te_force_path(nil) }
        for count in [1, 5, 8, 31, 64, 1001] {
            let x = rng.uniform(shape: [count], low: -1, high: 1).scalars
            let y = rng.uniform(shape: [count], low: -1, high: 1).scalars
            let exact = zip(x, y).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            #expect(abs(Double(te_dot(x, y, count)) - exact) <= 1e-6 * Double(count))
            var axpy = y
            te_axpy(count, 0.5, x, &axpy)
            var scaled = [Float](repeating: 0, count: count), sum = scaled
            te_scale(count, -2, x, &scaled)
            te_add(count, x, y, &sum)
            for index in 0..<count {
                #expect(abs(axpy[index] - (y[index] + 0.5 * x[index])) <= 1e-7)
                #expect(scaled[index] == -2 * x[index])
                #expect(sum[index] == x[index] + y[index])
            }
        }
    }

    // MARK: - Tensor wrappers

    /// The Tensor-level functions are equivalent to their Swift references (threads included).
    @Test func tensorWrappersMatchReferences() {
        var rng = SeededGenerator(seed: 4)
        let x = rng.uniform(shape: [3, 40_001], low: -8, high: 8)
        #expect(maxScaledError(exponential(x).scalars, exponentialReference(x).scalars) <= 2e-7)
        #expect(maxScaledError(hyperbolicTangent(x).scalars, hyperbolicTangentReference(x).scalars) <= 2e-7)
        #expect(maxScaledError(errorFunction(x).scalars, errorFunctionReference(x).scalars) <= 2e-7)
        for tanhForm in [false, true] {
            #expect(maxScaledError(gelu(x, tanhApproximation: tanhForm).scalars,
                                   geluReference(x, tanhApproximation: tanhForm).scalars) <= 2e-7)
            let dOut = rng.uniform(shape: x.shape, low: -1, high: 1)
            #expect(maxScaledError(geluBackward(dOut, input: x, tanhApproximation: tanhForm).scalars,
                                   geluBackwardReference(dOut, input: x, tanhApproximation: tanhForm).scalars) <= 3e-7)
        }
        let y = hyperbolicTangent(x), dOut = rng.uniform(shape: x.shape, low: -1, high: 1)
        #expect(maxScaledError(hyperbolicTangentBackward(dOut, output: y).scalars,
                               hyperbolicTangentBackwardReference(dOut, output: y).scalars) <= 2e-7)
    }

    /// The doc-comment snippets of VectorKernels.swift, so they keep compiling and stay true.
    @Test func documentedExamples() {
        #expect(exponential(Tensor(shape: [2], scalars: [0, 1])).scalars == [1, 2.7182817])
        #expect(abs(hyperbolicTangent(Tensor(shape: [1], scalars: [0.5])).scalar - 0.46211717) <= 6e-8)
        #expect(abs(errorFunction(Tensor(shape: [1], scalars: [1])).scalar - 0.8427008) <= 6e-8)
        let y = gelu(Tensor(shape: [3], scalars: [-1, 0, 1])).scalars
        #expect(maxRelativeError(y, [-0.15865526, 0, 0.8413448]).error < 2e-7)
    }
}
