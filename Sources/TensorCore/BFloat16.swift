// BFloat16: the 16-bit "brain" float ⇄ Float32, by bit operations. bfloat16 keeps Float32's sign
// and all 8 exponent bits and only the top 7 fraction bits: the same range (±3.4e38, subnormals
// down to 9.2e−41), about 2–3 significant decimal digits (a relative step of 2^−8 = 0.39%).
// Widening is exact (append 16 zero bits). Narrowing is the readable reference of CKernels'
// te_f32_to_bf16: keep the top 16 bits and round on the 16 dropped ones, to nearest, ties to even;
// a carry runs into the exponent (the largest floats become infinity, the largest subnormals the
// smallest normal); infinities stay; NaN stays a quiet NaN with its sign and top payload bits.
// Reference: Intel, "BFLOAT16 — Hardware Numerics Definition" (2018), §2 (format) and §3
// (round to nearest even).
// Not handled: other roundings (truncation, stochastic).

/// Conversions between bfloat16 bit patterns and Float.
public enum BFloat16 {
    /// The Float that the bfloat16 pattern `bits` stands for (exact).
    @inlinable
    public static func float(fromBits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// The bfloat16 pattern nearest to `value` (ties to even).
    @inlinable
    public static func bits(from value: Float) -> UInt16 {
        let pattern = value.bitPattern
        let kept = pattern >> 16             // sign, exponent, top 7 fraction bits
        let dropped = pattern & 0xFFFF       // the 16 fraction bits that do not fit
        if value.isNaN { return UInt16(kept | 0x0040) }  // quiet NaN, same sign and top payload
        // Above half: round up; exactly half: round to the even neighbour; below: down. Rounding
        // up may carry into the exponent, which is the right neighbour in every case
        // (0x7F7F + 1 = 0x7F80 is infinity; 0x007F + 1 = 0x0080 the smallest normal).
        let roundsUp = dropped > 0x8000 || (dropped == 0x8000 && kept & 1 == 1)
        return UInt16(roundsUp ? kept + 1 : kept)
    }

    /// `value` rounded to the nearest bfloat16, as a Float.
    @inlinable
    public static func rounded(_ value: Float) -> Float { float(fromBits: bits(from: value)) }
}
