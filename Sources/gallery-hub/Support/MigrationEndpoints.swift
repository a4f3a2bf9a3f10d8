import Foundation
import GalleryCore
import GalleryMigration

/// The two remotes of a migration command, their backends, and the journal that belongs to the pair.
struct MigrationEndpoints {
    let source: any GalleryBackend
    let destination: any GalleryBackend
    /// The journal file: `--journal`, else the default for the pair.
    let journalPath: String
    let sourceIdentity: String
    let destinationIdentity: String

    init(context: CLIContext, source: String, destination: String, journal: String?) async throws {
        let sourceConfig = try context.resolver.resolve(source)
        let destinationConfig = try context.resolver.resolve(destination)
        sourceIdentity = Self.identity(of: sourceConfig, registry: context.registry)
        destinationIdentity = Self.identity(of: destinationConfig, registry: context.registry)
        if sourceIdentity == destinationIdentity {
            throw GalleryError(
                .invalidInput, "The source and the destination are the same remote (\(sourceIdentity))",
                hint: "Name two different remotes or folders."
            )
        }
        self.source = try await context.registry.makeBackend(for: sourceConfig, logger: context.logger)
        self.destination = try await context.registry.makeBackend(for: destinationConfig, logger: context.logger)
        journalPath =
            journal
            ?? Journal.defaultPath(
                source: sourceIdentity, destination: destinationIdentity, environment: context.environment
            )
    }

    /// Opens (creating when needed) the pair's journal.
    func openJournal() throws -> Journal {
        try Journal(path: journalPath, source: sourceIdentity, destination: destinationIdentity)
    }

    /// What earlier runs recorded, without creating a journal when there is none (planning writes nothing).
    func existingMappings() async throws -> JournalMappings {
        guard FileManager.default.fileExists(atPath: journalPath) else { return .empty }
        let journal = try Journal(
            path: journalPath, source: sourceIdentity, destination: destinationIdentity, exclusive: false
        )
        return try await journal.mappings()
    }

    /// A stable name for a remote: its type and where it points, with local paths made absolute, so the
    /// default journal is the same whichever way the user spells the folder. Secrets never enter it: a URL's
    /// user info is left out, so the journal's name and rows hold no password, and a new password keeps the
    /// same journal. Options that pick which galleries the remote addresses (``BackendOption/addressesGalleries``:
    /// a Kanka campaign, a Konigle mode) are part of it.
    static func identity(of remote: RemoteConfig, registry: BackendRegistry) -> String {
        var location = remote.options["path"] ?? remote.options["url"].map(SecretMasking.removingUserInfo) ?? ""
        if remote.options["path"] != nil {
            location = URL(fileURLWithPath: location).standardizedFileURL.path
        }
        if let sub = remote.path, !sub.isEmpty { location += "/" + sub }
        let addressing = (registry.descriptor(named: remote.type)?.options ?? [])
            .filter { $0.addressesGalleries && !$0.isSecret }
            .compactMap { option in remote.option(option.name).map { "\(option.name)=\($0)" } }
            .sorted()
        if !addressing.isEmpty { location += "?" + addressing.joined(separator: "&") }
        return "\(remote.type):\(location)"
    }
}

extension Plan {
    /// The plan with its sides named as the user typed them, for reports.
    func named(source: String, destination: String) -> Plan {
        var plan = self
        plan.source = source
        plan.destination = destination
        return plan
    }
}
