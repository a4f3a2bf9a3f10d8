import AsyncHTTPClient
import Foundation
import GalleryCore
import KankaBackend
import LocalBackend
import Logging
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

    init(options: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.environment = environment
        var logger = Logger(label: "gallery-hub") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel =
            switch options.verbose {
            case 0: .warning
            case 1: .info
            default: .debug
            }
        self.logger = logger
        registry = CLIContext.standardRegistry()
        remotes = try RemotesFile.load(path: options.config ?? RemotesFile.defaultPath(environment: environment))
        for warning in remotes.securityWarnings(registry: registry) {
            logger.warning("\(warning)")
        }
    }

    /// Every backend this build of the CLI knows. HTTP backends share the process's one client (AsyncHTTPClient's
    /// shared instance: pooled connections, shut down with the process).
    static func standardRegistry() -> BackendRegistry {
        BackendRegistry([
            LocalBackend.descriptor,
            OmnitcodeBackend.descriptor(httpClient: .shared),
            KankaBackend.descriptor(httpClient: .shared),
            StashBackend.descriptor(httpClient: .shared),
        ])
    }

    var resolver: RemoteResolver {
        RemoteResolver(registry: registry, remotesFile: remotes, environment: environment)
    }

    /// Resolves what the user typed and makes the backend for it.
    func backend(for remote: String) async throws -> any GalleryBackend {
        try await registry.makeBackend(for: try resolver.resolve(remote), logger: logger)
    }
}
