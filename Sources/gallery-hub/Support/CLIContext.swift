import AsyncHTTPClient
import Foundation
import GalleryCore
import GalleryHTTP
import GalleryMigration
import KankaBackend
import KonigleBackend
import LocalBackend
import Logging
import NIOCore
import OmnitcodeBackend
import StashBackend

/// What every command needs: the registry of backends, the remotes file, a logger on stderr.
///
/// Built once per command run and passed down: the library never reaches for globals.
struct CLIContext {
    let registry: BackendRegistry
    let remotes: RemotesFile
    let environment: [String: String]
    let logger: Logger
    /// What `-q` and `-P` ask of the progress display.
    let progressMode: ProgressMode

    enum ProgressMode {
        /// `-q`: nothing.
        case none
        /// `-P`: a live bar, terminal or not.
        case live
        /// A live bar on a terminal, a plain line every few seconds otherwise.
        case automatic
    }

    init(options: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.environment = environment
        progressMode = options.quiet ? .none : options.progress ? .live : .automatic
        let liveProgress =
            progressMode == .live
            || (progressMode == .automatic && TerminalProgress.styleForStandardError == .live)
        let sink =
            try options.logFile.map(LogSink.file(atPath:))
            ?? .standardError(sharedWithLiveProgress: liveProgress)
        var logger = Logger(label: "gallery-hub") { [format = options.logFormat] label in
            LineLogHandler(label: label, format: format, sink: sink)
        }
        logger.logLevel =
            if options.quiet {
                .error
            } else {
                switch options.verbose {
                case 0: .warning
                case 1: .info
                case 2: .debug
                default: .trace
                }
            }
        self.logger = logger
        guard (1...20).contains(options.lowLevelRetries) else {
            throw GalleryError(
                .invalidInput, "--low-level-retries must be between 1 and 20, not \(options.lowLevelRetries)")
        }
        registry = CLIContext.standardRegistry(requestAttempts: options.lowLevelRetries)
        remotes = try RemotesFile.load(path: options.config ?? RemotesFile.defaultPath(environment: environment))
            .applyingEnvironment(environment, registry: registry)
        try remotes.validate(registry: registry)
        for warning in remotes.securityWarnings(registry: registry) {
            logger.warning("\(warning)")
        }
    }

    /// Every backend this build of the CLI knows. HTTP backends share the process's one client, each request
    /// sent at most `requestAttempts` times (`--low-level-retries`).
    static func standardRegistry(requestAttempts: Int = 3) -> BackendRegistry {
        let retry = RetryPolicy(maxAttempts: requestAttempts)
        return BackendRegistry([
            LocalBackend.descriptor,
            OmnitcodeBackend.descriptor(httpClient: httpClient, retry: retry),
            KankaBackend.descriptor(httpClient: httpClient, retry: retry),
            KonigleBackend.descriptor(httpClient: httpClient, retry: retry),
            StashBackend.descriptor(httpClient: httpClient, retry: retry),
        ])
    }

    /// The process's one HTTP client: pooled connections, shut down with the process. A connection not
    /// established in 5 s (refused: at once), or an answer silent for 15 s after the request was sent, fails that send: these two
    /// bound how long a dead server can hold a run (Docs/cli.md).
    static let httpClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(15))
        // A refused connection fails its send at once; our own retry policy (0.5 s, 1 s … between sends) then
        // decides, so a stopped server is reported in about a second and a half, not after every send has spent
        // the connect timeout redialling.
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// The progress display for a command's long work (listing, planning, transferring, verifying), on stderr.
    func progress() -> any ProgressReporter {
        switch progressMode {
        case .none: SilentProgress()
        case .live: TerminalProgress(style: .live)
        case .automatic: TerminalProgress(style: TerminalProgress.styleForStandardError)
        }
    }

    var resolver: RemoteResolver {
        RemoteResolver(registry: registry, remotesFile: remotes, environment: environment)
    }

    /// Resolves what the user typed and makes the backend for it.
    func backend(for remote: String) async throws -> any GalleryBackend {
        try await registry.makeBackend(for: try resolver.resolve(remote), logger: logger)
    }
}
