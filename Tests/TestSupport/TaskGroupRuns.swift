// TaskGroupRuns: runs one piece of work in several child tasks of a TaskGroup at once, for the
// tests that share one loaded model, tokenizer or set of vectors between tasks and compare each
// task's results with serial ones.
// Not handled: cancellation (the first error ends the group and is rethrown).

/// `work(task)` for task = 0..<tasks, all added to one TaskGroup before any result is awaited;
/// the results in task order.
public func resultsOfConcurrentTasks<Result: Sendable>(
    _ tasks: Int, _ work: @escaping @Sendable (_ task: Int) throws -> Result
) async throws -> [Result] {
    try await withThrowingTaskGroup(of: (Int, Result).self) { group in
        for task in 0..<tasks {
            group.addTask { (task, try work(task)) }
        }
        var results = [Result?](repeating: nil, count: tasks)
        for try await (task, result) in group { results[task] = result }
        return results.map { $0! }
    }
}
