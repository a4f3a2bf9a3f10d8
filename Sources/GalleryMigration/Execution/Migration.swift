public import GalleryCore
public import Logging

/// The engine's entry points, as the CLI calls them: plan from the journal's mappings, then run.
public enum Migration {
    /// Plans with the journal's mappings, checks the plan may run, and runs it.
    /// - Returns: the plan that was run and the run's result.
    public static func copy(
        source: any GalleryBackend,
        destination: any GalleryBackend,
        journal: Journal,
        options: MigrationOptions = MigrationOptions(),
        progress: any ProgressReporter = SilentProgress(),
        logger: Logger
    ) async throws -> (plan: Plan, result: RunResult) {
        let mappings = try await journal.mappings()
        let plan = try await MigrationPlanning.plan(
            source: source, destination: destination, mappings: mappings, options: options.planning, logger: logger
        ).plan
        let executor = Executor(
            source: source, destination: destination, journal: journal, options: options, progress: progress,
            logger: logger
        )
        return (plan, try await executor.run(plan))
    }
}
