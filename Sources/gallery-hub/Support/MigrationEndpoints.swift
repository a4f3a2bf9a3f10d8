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
    /// The destination as resolved, with its `[NAME.match]` answers.
    let destinationConfig: RemoteConfig
    /// The source gallery named by `REMOTE:GALLERY` on a remote that is not a folder (a folder's path is its
    /// root instead).
    let sourceGallery: String?

    /// - Parameter allFiles: a Local source lists files of every type as items.
    init(context: CLIContext, source: String, destination: String, journal: String?, allFiles: Bool = false)
        async throws
    {
        var sourceConfig = try context.resolver.resolve(source)
        var destinationConfig = try context.resolver.resolve(destination)
        sourceGallery = sourceConfig.namedGallery
        if destinationConfig.namedGallery != nil {
            throw UsageError(
                message: "The destination \(destination) names a gallery: a destination is a whole remote",
                hint: "Write \(destinationConfig.name): — each source gallery goes to the gallery of the same title "
                    + "(made when missing); to send it to a gallery of another title, use --match-gallery "
                    + "SOURCE_ID=DESTINATION_ID.")
        }
        sourceIdentity = Self.identity(of: sourceConfig, registry: context.registry)
        destinationIdentity = Self.identity(of: destinationConfig, registry: context.registry)
        if sourceIdentity == destinationIdentity {
            throw GalleryError(
                .invalidInput, "The source and the destination are the same remote (\(sourceIdentity))",
                hint: "Name two different remotes or folders."
            )
        }
        try Self.refuseOverlap(sourceConfig, destinationConfig)
        // A destination folder may not exist yet: it reads as empty and is made by the first write. A source
        // folder must exist.
        if destinationConfig.type == "local" { destinationConfig.options["create"] = "true" }
        self.destinationConfig = destinationConfig
        if sourceConfig.type == "local", allFiles { sourceConfig.options["all-files"] = "true" }
        self.source = try await context.registry.makeBackend(for: sourceConfig, logger: context.logger)
        self.destination = try await context.registry.makeBackend(for: destinationConfig, logger: context.logger)
        journalPath =
            journal
            ?? Journal.defaultPath(
                source: sourceIdentity, destination: destinationIdentity, environment: context.environment
            )
    }

    /// The requests each HTTP remote of the pair spent so far, named as the command named them.
    func requests(source sourceName: String, destination destinationName: String) async -> [RemoteRequests] {
        await RemoteRequests.of(
            source: source, named: sourceName, destination: destination, named: destinationName)
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

    /// Refuses two local folders of which one is inside the other (symbolic links resolved): a copy would
    /// copy its own output again on every run.
    static func refuseOverlap(_ source: RemoteConfig, _ destination: RemoteConfig) throws {
        guard source.type == "local", destination.type == "local",
            let sourcePath = localPath(of: source), let destinationPath = localPath(of: destination)
        else { return }
        func isInside(_ inner: String, _ outer: String) -> Bool {
            inner == outer || inner.hasPrefix(outer.hasSuffix("/") ? outer : outer + "/")
        }
        let inside: String? =
            isInside(destinationPath, sourcePath)
            ? "the destination \(destinationPath) is inside the source \(sourcePath)"
            : isInside(sourcePath, destinationPath)
                ? "the source \(sourcePath) is inside the destination \(destinationPath)" : nil
        if let inside {
            throw UsageError(
                message: "The folders overlap: \(inside)",
                hint: "Copy to a folder outside the source (a copy inside its source would copy itself on every run)."
            )
        }
    }

    /// A local remote's folder, absolute, with every symbolic link of its existing part resolved.
    static func localPath(of remote: RemoteConfig) -> String? {
        guard var path = remote.options["path"] else { return nil }
        if let sub = remote.path, !sub.isEmpty { path += "/" + sub }
        var existing = URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL.path
        var rest: [String] = []
        while existing != "/", !FileManager.default.fileExists(atPath: existing) {
            rest.insert((existing as NSString).lastPathComponent, at: 0)
            existing = (existing as NSString).deletingLastPathComponent
        }
        let resolved = URL(fileURLWithPath: existing).resolvingSymlinksInPath().path
        return ([resolved == "/" ? "" : resolved] + rest).joined(separator: "/")
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
            // A folder's sub-path is another root; a service's `REMOTE:GALLERY` only selects, in the same journal.
            if let sub = remote.path, !sub.isEmpty { location += "/" + sub }
        }
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
