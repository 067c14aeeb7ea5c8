// ColorScale: numbers to colours for heat maps and legends. A sequential scale (white → deep
// blue) for probabilities in [0, 1], where darker means more weight, and a diverging scale
// (red ← white → blue) for signed values such as gradients. Colours are interpolated linearly in
// sRGB between a few anchors chosen so that lightness falls monotonically (readable in greyscale).
// The line-plot palette is the colour-blind-safe set of Okabe & Ito (2008).
// Not handled: perceptually uniform (CIELAB) interpolation; user-supplied palettes.

/// A map from a value to an sRGB colour.
public struct ColorScale: Sendable {
    /// Anchors at positions 0…1, in order.
    public let anchors: [(position: Double, red: Double, green: Double, blue: Double)]
    /// The value mapped to position 0 and to position 1; values outside are clamped.
    public let domain: ClosedRange<Double>

    public init(anchors: [(position: Double, red: Double, green: Double, blue: Double)], domain: ClosedRange<Double>) {
        precondition(anchors.count >= 2, "ColorScale needs at least two anchors")
        self.anchors = anchors
        self.domain = domain
    }

    /// White (no weight) to deep blue (all weight), over `domain` (default 0…1).
    public static func sequential(domain: ClosedRange<Double> = 0...1) -> ColorScale {
        ColorScale(anchors: [(0, 255, 255, 255), (0.25, 189, 215, 238), (0.5, 107, 160, 209),
                             (0.75, 44, 101, 172), (1, 12, 36, 97)], domain: domain)
    }

    /// Red (negative) through white (0) to blue (positive), symmetric: −limit…limit.
    public static func diverging(limit: Double) -> ColorScale {
        let bound = limit > 0 && limit.isFinite ? limit : 1
        return ColorScale(anchors: [(0, 165, 30, 40), (0.25, 226, 132, 112), (0.5, 247, 247, 247),
                                    (0.75, 120, 168, 214), (1, 24, 76, 150)], domain: -bound...bound)
    }

    /// The position of `value` in 0…1 (clamped; NaN maps to 0).
    public func position(of value: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        guard span > 0, value.isFinite else { return value.isNaN || span <= 0 ? 0 : (value > 0 ? 1 : 0) }
        return min(max((value - domain.lowerBound) / span, 0), 1)
    }

    /// The colour of `value` as (r, g, b) in 0…255.
    public func rgb(_ value: Double) -> (red: Int, green: Int, blue: Int) {
        let t = position(of: value)
        var upper = 1
        while upper < anchors.count - 1 && anchors[upper].position < t { upper += 1 }
        let a = anchors[upper - 1], b = anchors[upper]
        let span = b.position - a.position
        let f = span > 0 ? min(max((t - a.position) / span, 0), 1) : 0
        func mix(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * f).rounded()) }
        return (mix(a.red, b.red), mix(a.green, b.green), mix(a.blue, b.blue))
    }

    /// The colour of `value` as "#rrggbb".
    public func hex(_ value: Double) -> String {
        let (r, g, b) = rgb(value)
        return "#" + [r, g, b].map { component in
            let text = String(component, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined()
    }

    /// Whether text drawn on `value`'s colour should be white (dark background) rather than black.
    public func prefersLightText(_ value: Double) -> Bool {
        let (r, g, b) = rgb(value)
        return 0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(b) < 140
    }

    /// `<linearGradient id=…>` running from the domain's low end (bottom) to its high end (top).
    public func gradientDefinition(id: String, stops: Int = 11) -> String {
        var result = "<linearGradient id=\"\(id)\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        for index in 0..<stops {
            let t = Double(index) / Double(max(stops - 1, 1))
            let value = domain.lowerBound + t * (domain.upperBound - domain.lowerBound)
            result += "<stop offset=\"\(Markup.number(t * 100))%\" stop-color=\"\(hex(value))\"/>"
        }
        return result + "</linearGradient>"
    }
}

/// Colours for the series of a line plot (Okabe & Ito's colour-blind-safe set, yellow last).
public enum SeriesPalette: Sendable {
    public static let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

    /// The colour of series `index` (cycling).
    public static func color(_ index: Int) -> String { colors[((index % colors.count) + colors.count) % colors.count] }
}
