// Running a job under a small task-local memory limit (`MemoryBudget.$limit`) to see whether it
// stops with its own MemoryBudgetError before allocating: shared by the trainers' tests
// (WordVectorsTests) and the command line's (TinyEncoderCLITests).
// Not handled: what the job would have allocated (a job that passes runs for real).

import Testing
import TensorCore

/// The `what` of the MemoryBudgetError `job` stops with under `limit` bytes, or nil when it runs
/// through; any other error is recorded as a test issue.
public func memoryBudgetRefusal(under limit: Double, _ job: () throws -> Void) -> String? {
    do {
        try MemoryBudget.$limit.withValue(limit) { try job() }
        return nil
    } catch let error as MemoryBudgetError {
        #expect(error.availableBytes <= limit)
        return error.what
    } catch {
        Issue.record("not a MemoryBudgetError: \(error)")
        return nil
    }
}
