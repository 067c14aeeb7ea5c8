// HalfPrecision: IEEE 754 binary16 ("F16") ⇄ Float32 by bit operations, so the safetensors reader
// and writer compile on every platform (Swift's Float16 type does not exist on Intel Macs and needs
// macOS 11 on Apple silicon). Widening is exact; narrowing rounds to nearest, ties to even, and
// overflows to ±infinity, as the hardware conversion (and Float16(x)) does.
// Reference: IEEE 754-2008 §3.6 (binary16: 1 sign, 5 exponent bits with bias 15, 10 fraction bits).
// Not handled: signalling-NaN payloads are kept only in their top 10 fraction bits (quiet bit set).

/// Conversions between binary16 bit patterns and Float.
public enum HalfPrecision: Sendable {
    /// The Float that the binary16 pattern `bits` stands for (exact: every binary16 value is a Float).
    ///
    /// binary16 = (−1)^s · 2^(e − 15) · 1.f  for 1 ≤ e ≤ 30;  (−1)^s · 2^(−14) · 0.f  for e = 0;
    /// e = 31 is infinity (f = 0) or NaN. Float32 has bias 127, so a normal value moves its exponent
    /// by 127 − 15 = 112 and its fraction 13 bits to the left.
    @inlinable
    public static func float(fromBits bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let fraction = UInt32(bits & 0x03FF)
        switch exponent {
        case 0x1F:  // infinity or NaN: all-ones exponent in Float32 too
            return Float(bitPattern: sign | 0x7F80_0000 | (fraction << 13) | (fraction == 0 ? 0 : 0x0040_0000))
        case 0:
            // Zero or subnormal: 0.f · 2^(−14) = f · 2^(−24), exact in Float32.
            let magnitude = Float(fraction) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        default:
            return Float(bitPattern: sign | ((exponent + 112) << 23) | (fraction << 13))
        }
    }

    /// The binary16 pattern nearest to `value` (ties to even); beyond the largest finite binary16
    /// (65504) after rounding: ±infinity; NaN stays NaN.
    @inlinable
    public static func bits(from value: Float) -> UInt16 {
        let pattern = value.bitPattern
        let sign = UInt16((pattern >> 16) & 0x8000)
        let exponent = Int((pattern >> 23) & 0xFF)   // Float32's biased exponent
        let fraction = pattern & 0x007F_FFFF         // 23 bits
        if exponent == 0xFF {  // infinity or NaN
            return fraction == 0 ? sign | 0x7C00 : sign | 0x7E00 | UInt16(fraction >> 13)
        }
        let halfExponent = exponent - 112           // rebias: 127 → 15
        if halfExponent >= 0x1F { return sign | 0x7C00 }  // ≥ 2^16: beyond 65520, overflows
        if halfExponent >= 1 {
            // Normal: keep the top 10 fraction bits, round on the 13 dropped ones. A carry out of
            // the fraction bumps the exponent (and 0x7BFF + 1 = 0x7C00 is infinity), as it should.
            let kept = UInt32(halfExponent << 10) | (fraction >> 13)
            return sign | UInt16(roundToNearestEven(kept, dropped: fraction & 0x1FFF, half: 0x1000))
        }
        // Subnormal or zero in binary16: value = m · 2^(−24) with m = 1.f · 2^(exponent − 103).
        // The full significand (with its implicit 1) shifts right by 126 − exponent − 13 … bits.
        if exponent < 102 { return sign }  // below half the smallest subnormal 2^(−25): rounds to 0
        let significand = fraction | 0x0080_0000
        let shift = UInt32(126 - exponent)  // 14 ... 24
        let kept = significand >> shift
        let dropped = significand & ((1 << shift) - 1)
        return sign | UInt16(roundToNearestEven(kept, dropped: dropped, half: 1 << (shift - 1)))
    }

    /// `kept` plus one when the dropped bits are above half, or exactly half and `kept` is odd.
    @usableFromInline
    static func roundToNearestEven(_ kept: UInt32, dropped: UInt32, half: UInt32) -> UInt32 {
        if dropped > half || (dropped == half && kept & 1 == 1) { return kept + 1 }
        return kept
    }
}
