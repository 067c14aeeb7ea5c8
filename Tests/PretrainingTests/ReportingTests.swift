// The progress line: "\r"-rewritten on a terminal, plain throttled lines in a log, messages that
// do not garble it; and the duration and count formats it prints.
import Pretraining
import Testing

@Suite struct ReportingTests {
    @Test func terminalRewritesOneLineAndMessagesStartANewOne() {
        var written = ""
        let line = ProgressLine(isTerminal: true, write: { written += $0 })
        line.update(force: true) { "step 1/10  loss 9.0000" }
        line.update(force: true) { "step 2/10" }        // shorter: padded with spaces over the old text
        line.message("step 2: checkpoint written")
        line.update(force: true) { "step 3/10" }
        line.finish()
        // 22 characters, then 9 + 13 spaces to cover them.
        #expect(written == "\rstep 1/10  loss 9.0000" + "\rstep 2/10" + String(repeating: " ", count: 13)
                + "\nstep 2: checkpoint written\n" + "\rstep 3/10" + "\n")
    }

    @Test func logGetsPlainLinesAtMostEveryInterval() {
        var written: [String] = []
        let line = ProgressLine(isTerminal: false, logInterval: 3600, write: { written.append($0) })
        line.update { "first" }            // the first update is always shown
        line.update { "too soon" }         // within the interval: dropped
        line.update(force: true) { "forced" }
        line.finish()                      // nothing to close in a log
        #expect(written == ["first\n", "forced\n"])
        let quiet = ProgressLine(isEnabled: false, write: { written.append($0) })
        quiet.update(force: true) { "never" }
        quiet.message("never")
        #expect(written.count == 2)
    }

    @Test func formats() {
        #expect(ProgressFormat.duration(9) == "9s")
        #expect(ProgressFormat.duration(75) == "1m15s")
        #expect(ProgressFormat.duration(3725) == "1h02m")
        #expect(ProgressFormat.duration(.infinity) == "?")
        #expect(ProgressFormat.count(512) == "512")
        #expect(ProgressFormat.count(12_345.6) == "12.3k")
        #expect(ProgressFormat.count(2_500_000) == "2.50M")
    }
}
