// Correlation of two series: Pearson's r, Spearman's ρ (Pearson's r of average ranks, as
// scipy.stats.spearmanr), and the ranks themselves. Used by word-pair evaluation (WordSim-353),
// pair agreement between two sentence embedders, and distillation's held-out figures.
// Not handled: Kendall's τ; weighted correlations.

/// Ranks 1...n with ties given their average rank (as scipy.stats.rankdata "average").
public func averageRanks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var start = 0
    while start < order.count {
        var end = start
        while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
        let rank = Double(start + end) / 2 + 1
        for position in start...end { ranks[order[position]] = rank }
        start = end + 1
    }
    return ranks
}

/// Pearson's r = cov(x, y) / (σx σy); NaN when either side is constant or fewer than 2 values.
public func pearsonCorrelation(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count, "pearsonCorrelation: \(x.count) vs \(y.count) values")
    guard x.count >= 2 else { return .nan }
    let meanX = x.reduce(0, +) / Double(x.count), meanY = y.reduce(0, +) / Double(y.count)
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for index in x.indices {
        let dx = x[index] - meanX, dy = y[index] - meanY
        sxy += dx * dy; sxx += dx * dx; syy += dy * dy
    }
    return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : .nan
}

/// Spearman's ρ: Pearson's r of the average ranks.
public func spearmanCorrelation(_ x: [Double], _ y: [Double]) -> Double {
    pearsonCorrelation(averageRanks(x), averageRanks(y))
}
