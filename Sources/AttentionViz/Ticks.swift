// Axis ticks at "nice" values: steps of 1, 2 or 5 times a power of ten on linear axes (so labels
// read 0, 0.5, 1, 1.5 rather than 0, 0.37, 0.74), and powers of ten (with 2 and 5 between them
// when the axis spans few decades) on logarithmic axes.
// Reference: Heckbert, "Nice numbers for graph labels", Graphics Gems (1990).
// Not handled: date/time axes, categorical axes.

import Foundation

/// Tick positions for one axis.
public enum Ticks: Sendable {
    /// The nice step near `span / target`: 1, 2 or 5 × 10ᵏ.
    public static func niceStep(span: Double, target: Int) -> Double {
        guard span > 0, span.isFinite, target > 0 else { return 1 }
        let raw = span / Double(target)
        let power = pow(10, floor(log10(raw)))
        let fraction = raw / power
        let nice: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        return nice * power
    }

    /// A range widened outward to whole steps, and the ticks inside it.
    ///
    /// ```swift
    /// Ticks.linear(0.13...0.87, target: 5)   // (0.1...0.9, [0.1, 0.3, 0.5, 0.7, 0.9]) with step 0.2
    /// ```
    public static func linear(_ range: ClosedRange<Double>, target: Int = 6) -> (range: ClosedRange<Double>, ticks: [Double]) {
        var low = range.lowerBound, high = range.upperBound
        if !(high > low) {  // a single value: open a window around it
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let step = niceStep(span: high - low, target: target)
        let first = floor(low / step + 1e-9) * step
        let last = ceil(high / step - 1e-9) * step
        var ticks: [Double] = []
        var index = 0
        while true {
            let value = first + Double(index) * step
            if value > last + step * 1e-6 || index > 1000 { break }
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            index += 1
        }
        return (first...last, ticks)
    }

    /// A positive range widened to whole decades, and ticks at 1, (2, 5,) 10, … × 10ᵏ.
    /// Ranges that touch zero or below start at the smallest positive `fallbackLow`.
    public static func logarithmic(_ range: ClosedRange<Double>, fallbackLow: Double = 1e-6) -> (range: ClosedRange<Double>, ticks: [Double]) {
        let low = range.lowerBound > 0 ? range.lowerBound : fallbackLow
        let high = max(range.upperBound, low * 10)
        let lowDecade = floor(log10(low) + 1e-9), highDecade = ceil(log10(high) - 1e-9)
        let decades = Int(highDecade - lowDecade)
        let multipliers: [Double] = decades <= 2 ? [1, 2, 5] : [1]
        var ticks: [Double] = []
        let stride = decades > 8 ? Int((Double(decades) / 6).rounded(.up)) : 1
        var decade = Int(lowDecade)
        while decade <= Int(highDecade) {
            for multiplier in multipliers {
                let value = multiplier * pow(10, Double(decade))
                if value <= pow(10, highDecade) * (1 + 1e-9) { ticks.append(value) }
            }
            decade += stride
        }
        return (pow(10, lowDecade)...pow(10, highDecade), ticks)
    }

    /// A tick label: integers without decimals, small or huge values in exponent form.
    public static func label(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 {
            let exponent = Int(floor(log10(magnitude) + 1e-9))
            let mantissa = value / pow(10, Double(exponent))
            let mantissaText = abs(mantissa - mantissa.rounded()) < 1e-9 ? String(Int(mantissa.rounded())) : String(format: "%.1f", mantissa)
            return mantissaText == "1" ? "1e\(exponent)" : "\(mantissaText)e\(exponent)"
        }
        let decimals = step > 0 ? max(0, -Int(floor(log10(step) + 1e-9))) : 2
        return String(format: "%.\(min(decimals, 6))f", value)
    }
}
