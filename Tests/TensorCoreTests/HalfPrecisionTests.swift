// HalfPrecision: binary16 ⇄ Float32 by bit operations. Hand-derived values from the format's
// definition (1 sign bit, 5 exponent bits with bias 15, 10 fraction bits), the rounding cases
// (ties to even, carries into the exponent, overflow, subnormals, the half-of-smallest boundary),
// and, where the platform has Swift's Float16 (everywhere but Intel Macs), all 65,536 patterns
// and a dense sweep of floats against it.
import Testing
import TensorCore

@Suite struct HalfPrecisionTests {
    /// Hand-derived: value = (−1)^s · 2^(e − 15) · (1 + f/1024), or f · 2^(−24) when e = 0.
    @Test(arguments: [
        (UInt16(0x0000), Float(0)), (0x8000, -0.0), (0x3C00, 1), (0xBC00, -1),
        (0x4000, 2), (0xC100, -2.5),                // e = 16, f = 256: −2 · 1.25
        (0x3555, 0.333251953125),                  // e = 13, f = 341: 2^−2 · 1365/1024
        (0x7BFF, 65504),                           // largest finite: 2^15 · 2047/1024
        (0x0400, 0x1p-14),                         // smallest normal
        (0x0001, 0x1p-24),                         // smallest subnormal: 1 · 2^(−24)
        (0x03FF, 1023 * 0x1p-24),                  // largest subnormal
        (0x7C00, .infinity), (0xFC00, -.infinity),
    ])
    func widensExactly(bits: UInt16, value: Float) {
        let widened = HalfPrecision.float(fromBits: bits)
        #expect(widened == value && widened.sign == value.sign, "0x\(String(bits, radix: 16)) → \(widened)")
        #expect(HalfPrecision.bits(from: value) == bits, "\(value) → 0x\(String(HalfPrecision.bits(from: value), radix: 16))")
    }

    @Test func nanStaysNaN() {
        #expect(HalfPrecision.float(fromBits: 0x7E00).isNaN)
        #expect(HalfPrecision.float(fromBits: 0x7C01).isNaN)   // signalling pattern: still NaN
        let bits = HalfPrecision.bits(from: .nan)
        #expect(bits & 0x7C00 == 0x7C00 && bits & 0x03FF != 0)
    }

    /// Rounding: the spacing of binary16 at 1 is 2^(−10), so 1 + 2^(−11) is exactly half-way between
    /// 1 (even fraction 0) and 1 + 2^(−10) (odd fraction 1): ties go to the even one.
    @Test func roundsToNearestEven() {
        #expect(HalfPrecision.bits(from: 1 + 0x1p-11) == 0x3C00)              // tie → even (down)
        #expect(HalfPrecision.bits(from: 1 + 3 * 0x1p-11) == 0x3C02)          // tie between f=1 and f=2 → 2 (up)
        #expect(HalfPrecision.bits(from: 1 + 0x1p-11 + 0x1p-20) == 0x3C01)    // just above the tie → up
        #expect(HalfPrecision.bits(from: 2 - 0x1p-12) == 0x4000)              // carry out of the fraction: 2
        // 65504 + 16 = 65520 is half-way to 2^16 (not representable): rounds "up" to infinity.
        #expect(HalfPrecision.bits(from: 65519) == 0x7BFF)
        #expect(HalfPrecision.bits(from: 65520) == 0x7C00)
        #expect(HalfPrecision.bits(from: 1e10) == 0x7C00)
        #expect(HalfPrecision.bits(from: -1e10) == 0xFC00)
        // Subnormals: 2^(−25) is half the smallest subnormal: a tie, to even (0); just above → 1.
        #expect(HalfPrecision.bits(from: 0x1p-25) == 0x0000)
        #expect(HalfPrecision.bits(from: 0x1p-25 * (1 + 0x1p-10)) == 0x0001)
        #expect(HalfPrecision.bits(from: 3 * 0x1p-25) == 0x0002)              // 1.5 → 2 (tie to even)
        #expect(HalfPrecision.bits(from: 0x1p-26) == 0x0000)
        #expect(HalfPrecision.bits(from: -0x1p-30) == 0x8000)                 // underflow keeps the sign
        #expect(HalfPrecision.bits(from: 0x1p-14 - 0x1p-26) == 0x0400)        // rounds up into the normals
        #expect(HalfPrecision.bits(from: .leastNonzeroMagnitude) == 0)        // Float32 subnormal
    }

    @Test func everyPatternRoundTrips() {
        for bits in UInt16.min...UInt16.max {
            let value = HalfPrecision.float(fromBits: bits)
            if value.isNaN { continue }
            #expect(HalfPrecision.bits(from: value) == bits)
        }
    }

    #if !(os(macOS) && arch(x86_64))
    /// Swift's Float16 (hardware conversion where there is one) on every pattern and on a sweep
    /// of Float32 values around every binary16 exponent, ties included.
    @Test func agreesWithFloat16() {
        for bits in UInt16.min...UInt16.max {
            let ours = HalfPrecision.float(fromBits: bits), theirs = Float(Float16(bitPattern: bits))
            #expect(ours.isNaN ? theirs.isNaN : ours.bitPattern == theirs.bitPattern, "0x\(String(bits, radix: 16))")
        }
        var mismatches = 0
        for exponent in 90...145 {
            for step in stride(from: UInt32(0), to: 1 << 23, by: 4099) {
                for low in [UInt32(0), 0x0FFF, 0x1000, 0x1001, 0x2000] {
                    let pattern = (UInt32(exponent) << 23) | ((step & ~0x1FFF) | low) & 0x007F_FFFF
                    for value in [Float(bitPattern: pattern), -Float(bitPattern: pattern)] {
                        if HalfPrecision.bits(from: value) != Float16(value).bitPattern { mismatches += 1 }
                    }
                }
            }
        }
        #expect(mismatches == 0)
    }
    #endif
}
