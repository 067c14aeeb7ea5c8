// bfloat16: rounding to nearest even by hand (ties both ways, carries into the exponent,
// infinities, NaN, subnormals, negative zero) for the Swift reference and for CKernels'
// conversion on every path this CPU runs; the packed pair layout by hand; every bf16 path's
// product against `gemmBFloat16Reference` at odd shapes (K not a multiple of 2 or 32, edge tiles,
// several row blocks); threads change no bit; paths without a bf16 unit refuse with a message.
// Not handled: AMX on CPUs without it (its tests run wherever `KernelPath.available` has "amx").
import CKernels
import Testing
import TensorCore
import TestSupport

/// The paths of this CPU with a bfloat16 product (may be empty).
private let bf16Paths = KernelPath.available.filter { te_kernel_path_has_bf16($0) == 1 }

@Suite struct BFloat16Tests {
    /// (float32 bits, bfloat16 bits), each derived by hand from the 16 dropped bits.
    static let roundings: [(UInt32, UInt16)] = [
        (0x3F80_0000, 0x3F80),  // 1: exact
        (0x3F80_8000, 0x3F80),  // 1 + 2^-8: exactly half way, kept 0x3F80 is even: down
        (0x3F81_8000, 0x3F82),  // 1 + 3·2^-8: half way, kept 0x3F81 is odd: up to even
        (0x3F80_8001, 0x3F81),  // just above half: up
        (0x3F80_7FFF, 0x3F80),  // just below half: down
        (0x4049_0FDB, 0x4049),  // π: dropped 0x0FDB < 0x8000 → 3.140625
        (0xBF81_8000, 0xBF82),  // −(1 + 3·2^-8): sign apart, as the positive one
        (0x3FFF_8000, 0x4000),  // 1.99609375: tie, odd: the carry makes 2
        (0x7F7F_FFFF, 0x7F80),  // largest float: rounds up into infinity
        (0x7F7F_7FFF, 0x7F7F),  // below half: stays the largest finite bfloat16
        (0x7F80_0000, 0x7F80),  // +inf
        (0xFF80_0000, 0xFF80),  // −inf
        (0x7FC0_0000, 0x7FC0),  // quiet NaN
        (0x7F80_0001, 0x7FC0),  // signalling NaN, payload only in dropped bits: still NaN (quiet)
        (0x7FA0_0000, 0x7FE0),  // NaN payload 0x20 kept, quiet bit set
        (0xFFC0_0001, 0xFFC0),  // negative NaN keeps its sign
        (0x8000_0000, 0x8000),  // −0
        (0x0000_0001, 0x0000),  // smallest subnormal float: far below half of 2^-133
        (0x0000_8000, 0x0000),  // exactly half the smallest bfloat16 subnormal: tie, even: 0
        (0x0001_8000, 0x0002),  // 1.5 smallest bfloat16 subnormals: tie, odd: up
        (0x0001_0000, 0x0001),  // 2^-133, the smallest bfloat16 subnormal: exact
        (0x007F_FFFF, 0x0080),  // largest float subnormal: carries into the smallest normal
        (0x8001_8000, 0x8002),  // negative subnormal tie
    ]

    @Test func referenceRoundsToNearestEvenByHand() {
        for (input, expected) in Self.roundings {
            #expect(BFloat16.bits(from: Float(bitPattern: input)) == expected, "0x\(String(input, radix: 16))")
        }
        #expect(BFloat16.float(fromBits: 0x4049) == 3.140625)
        #expect(BFloat16.float(fromBits: 0x0001) == 0x1p-133)
        #expect(BFloat16.rounded(1 + 0x1p-7 + 0x1p-9) == 1 + 0x1p-7)
    }

    /// The C conversion gives the same bits on the default path (scalar when it has no bf16
    /// unit) and on every bf16 path (vectors of 16 with a masked tail: 23 values + 14 repeats).
    @Test func kernelConversionMatchesTheTable() {
        let inputs = Self.roundings.map { Float(bitPattern: $0.0) } + Self.roundings.prefix(14).map { Float(bitPattern: $0.0) }
        let expected = Self.roundings.map(\.1) + Self.roundings.prefix(14).map(\.1)
        for path in [KernelPath.current] + bf16Paths {
            var output = [UInt16](repeating: 0xAAAA, count: inputs.count + 3)
            KernelPath.run(path) { te_f32_to_bf16(inputs, &output, inputs.count) }
            #expect(Array(output.prefix(inputs.count)) == expected, "\(path)")
            #expect(output.suffix(3) == [0xAAAA, 0xAAAA, 0xAAAA], "\(path) wrote past the end")
        }
        // Random values, every bit pattern class: the C scalar/vector forms against Swift.
        var rng = SeededGenerator(seed: 5)
        let random = (0..<1000).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())) }
        for path in [KernelPath.current] + bf16Paths {
            var output = [UInt16](repeating: 0, count: random.count)
            KernelPath.run(path) { te_f32_to_bf16(random, &output, random.count) }
            #expect(output == random.map(BFloat16.bits(from:)), "\(path)")
        }
    }

    /// W = [[1, 2, 3], [4, 5, 6]] ([out 2, in 3]) packs as pair rows of 32 columns, K padded to 32:
    /// pair 0 = (1, 2) (4, 5) then zeros; pair 1 = (3, 0) (6, 0); pairs 2–15 zeros.
    @Test func packedLayoutByHand() {
        let (n, k) = (2, 3)
        let w: [Float] = [1, 2, 3, 4, 5, 6]
        #expect(te_bgemm_packed_b_count(n, k) == 32 * 32)
        var packed = [UInt16](repeating: 0xFFFF, count: 32 * 32)
        te_bgemm_pack_b(1, n, k, w, k, 0, n, &packed)
        let bf = { (x: Float) in BFloat16.bits(from: x) }
        var expected = [UInt16](repeating: 0, count: 32 * 32)
        expected[0] = bf(1); expected[1] = bf(2); expected[2] = bf(4); expected[3] = bf(5)
        expected[64] = bf(3); expected[66] = bf(6)
        #expect(packed == expected)
    }

    /// A = [[1 + 2^-7 + 2^-9, 2]], W = [[3, 0.5]], b = [1]: bf16 rounds a₀ to 1 + 2^-7, so
    /// C = 3·(1 + 2^-7) + 2·0.5 + 1 = 5.0234375 (float32 would give 5.029296875).
    @Test func referenceByHand() {
        let a = Tensor(shape: [1, 2], scalars: [1 + 0x1p-7 + 0x1p-9, 2])
        let c = gemmBFloat16Reference(a, transposedWeight: Tensor(shape: [1, 2], scalars: [3, 0.5]),
                                      bias: Tensor(shape: [1], scalars: [1]))
        #expect(c.scalars == [5.0234375])
    }

    static let shapes = [(1, 1, 1), (5, 7, 3), (13, 33, 31), (12, 32, 64), (37, 65, 67), (100, 96, 384), (97, 40, 1001), (200, 70, 33)]

    /// Every bf16 path against the reference: the same rounded inputs, float32 sums in another
    /// order, so within a few float32 roundings of Σ|aᵢ wᵢ|.
    @Test(arguments: bf16Paths) func kernelMatchesReference(path: String) throws {
        var rng = SeededGenerator(seed: 11)
        for (m, n, k) in Self.shapes {
            for withBias in [false, true] {
                let a = rng.uniform(shape: [m, k], low: -2, high: 2)
                let w = rng.uniform(shape: [n, k], low: -1, high: 1)
                let bias = withBias ? rng.uniform(shape: [n], low: -1, high: 1) : nil
                let packed = PackedBFloat16Matrix(transposedWeight: w, kernelPath: path)
                var c = [Float](repeating: .nan, count: m * n)  // written, not read
                a.withUnsafeBufferPointer { x in
                    if let bias {
                        bias.withUnsafeBufferPointer { b in
                            gemmBFloat16(m: m, a: x.baseAddress!, lda: k, packedB: packed, rowBias: b.baseAddress!, c: &c, ldc: n)
                        }
                    } else {
                        gemmBFloat16(m: m, a: x.baseAddress!, lda: k, packedB: packed, c: &c, ldc: n)
                    }
                }
                let reference = gemmBFloat16Reference(a, transposedWeight: w, bias: bias).scalars
                let xa = a.scalars.map(BFloat16.rounded), xw = w.scalars.map(BFloat16.rounded)
                var worst: Float = 0
                for i in 0..<m {
                    for j in 0..<n {
                        var magnitude: Float = abs(bias?.scalars[j] ?? 0)
                        for p in 0..<k { magnitude += abs(xa[i * k + p] * xw[j * k + p]) }
                        worst = max(worst, abs(c[i * n + j] - reference[i * n + j]) / (magnitude * Float(k) * 0x1p-24 + 1e-30))
                    }
                }
                #expect(worst <= 1, "\(path) m=\(m) n=\(n) k=\(k) bias=\(withBias): \(worst)")
            }
        }
    }

    /// A row's result does not depend on the row block or thread it was computed in.
    @Test(arguments: bf16Paths) func threadsChangeNoBit(path: String) {
        var rng = SeededGenerator(seed: 13)
        let (m, n, k) = (500, 96, 200)
        let a = rng.uniform(shape: [m, k], low: -1, high: 1), w = rng.uniform(shape: [n, k], low: -1, high: 1)
        let packed = PackedBFloat16Matrix(transposedWeight: w, kernelPath: path)
        var threaded = [Float](repeating: 0, count: m * n), single = threaded, byRow = threaded
        gemmBFloat16(m: m, a: a.scalars, lda: k, packedB: packed, c: &threaded, ldc: n)
        let status = KernelPath.run(path) { te_bgemm_prepacked(m, n, k, a.scalars, k, packed.values(), nil, &single, n) }
        #expect(status == 1)
        for i in [0, 1, 95, 96, 499] {
            let row = Array(a.scalars[(i * k)..<((i + 1) * k)])
            var out = [Float](repeating: 0, count: n)
            _ = KernelPath.run(path) { te_bgemm_prepacked(1, n, k, row, k, packed.values(), nil, &out, n) }
            byRow.replaceSubrange((i * n)..<((i + 1) * n), with: out)
            #expect(out == Array(single[(i * n)..<((i + 1) * n)]), "row \(i)")
        }
        #expect(threaded == single)
    }

    /// A path without a bf16 unit refuses the product (returns 0, writes nothing) and the Swift
    /// side names what is missing.
    @Test func pathsWithoutBFloat16Refuse() throws {
        for path in KernelPath.available where te_kernel_path_has_bf16(path) == 0 {
            var c: [Float] = [42]
            let packed = [UInt16](repeating: 0, count: Int(te_bgemm_packed_b_count(1, 1)))
            let status = KernelPath.run(path) { te_bgemm_prepacked(1, 1, 1, [1], 1, packed, nil, &c, 1) }
            #expect(status == 0 && c == [42], "\(path)")
            // Chosen by hand (as --path does): an error naming the path and the alternatives.
            let error = #expect(throws: PrecisionError.self) { try KernelPath.run(path) { try BFloat16Support.kernelPath() } }
            #expect(error?.description.contains("the kernel path \(path) has no bfloat16 product") == true)
        }
        #expect(te_kernel_path_has_bf16("avx2-fma") == 0 && te_kernel_path_has_bf16("no-such-path") == 0)
    }

    /// The rule over given facts: the thread's own bf16 path; else the first bf16 path offered
    /// (AMX before AVX512-BF16) unless a path was chosen; none: the missing features by name.
    @Test func choosingTheBFloat16Path() throws {
        let f32 = ["avx2-fma", "avx512", "portable"]
        #expect(try BFloat16Support.kernelPath(current: "avx2-fma", chosen: false, available: f32 + ["avx512-bf16"]) == "avx512-bf16")
        #expect(try BFloat16Support.kernelPath(current: "avx512", chosen: false, available: f32 + ["amx", "avx512-bf16"]) == "amx")
        #expect(try BFloat16Support.kernelPath(current: "avx512-bf16", chosen: true, available: f32 + ["amx", "avx512-bf16"]) == "avx512-bf16")
        let none = #expect(throws: PrecisionError.self) {
            try BFloat16Support.kernelPath(current: "avx2-fma", chosen: false, available: f32)
        }
        #expect(none?.description == "bfloat16: this CPU lacks AMX-TILE and AMX-BF16 and lacks AVX512-BF16 (bfloat16 products need one of them; its kernel paths are avx2-fma, avx512, portable); use --precision float32")
        let chosen = #expect(throws: PrecisionError.self) {
            try BFloat16Support.kernelPath(current: "avx2-fma", chosen: true, available: f32 + ["avx512-bf16"])
        }
        #expect(chosen?.description.contains("choose avx512-bf16") == true)
    }
}

extension PackedBFloat16Matrix {
    /// The packed values, for calling CKernels directly in tests.
    func values() -> UnsafePointer<UInt16> { UnsafePointer(valuesPointer) }
}
