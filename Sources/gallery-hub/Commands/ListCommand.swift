import ArgumentParser
import Foundation
import GalleryCore
import GalleryMigration

/// `gallery-hub ls REMOTE [GALLERY]`: galleries of a remote, or one gallery's items in order.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List a remote's galleries, or one gallery's items in order.",
        discussion: "GALLERY is a gallery id, slug or title as `ls REMOTE` shows it."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The remote: a configured name (`name:`), an inline remote (`local:PATH`), or a folder path.")
    var remote: String

    @Argument(help: "A gallery id, slug or title.")
    var gallery: String?

    func run() async throws {
        try await runReportingErrors(json: options.json) {
            let context = try CLIContext(options: options)
            let config = try context.resolver.resolve(remote)
            let backend = try await context.registry.makeBackend(for: config, logger: context.logger)
            // `ls REMOTE:GALLERY` on a service names the gallery, as in `copy`; a folder's path is its root.
            let named = config.namedGallery
            if let named, let gallery, named != gallery {
                throw UsageError(
                    message: "Two galleries named: \(remote) and \(gallery)",
                    hint: "Name the gallery once: `gallery-hub ls \(config.name): GALLERY`.")
            }
            if let gallery = gallery ?? named {
                try await listItems(of: gallery, in: backend)
            } else {
                try await listGalleries(of: backend)
            }
        }
    }

    private func listGalleries(of backend: any GalleryBackend) async throws {
        let galleries = try await backend.allGalleries()
        if options.json {
            try JSONOutput.print(GalleriesDocument(remote: .init(name: remote), galleries: galleries))
            return
        }
        if galleries.isEmpty { printLine("(no galleries)") }
        let width = galleries.map(\.id.rawValue.count).max() ?? 0
        for summary in galleries {
            let count = summary.itemCount.map { "\($0) items" } ?? ""
            let id = summary.id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            printLine("\(id)  \(summary.title)  \(count)")
        }
    }

    private func listItems(of name: String, in backend: any GalleryBackend) async throws {
        let id = try await GalleryLookup.find(name, in: backend)
        let gallery = try await backend.gallery(id)
        if options.json {
            try JSONOutput.print(GalleryDocument(remote: .init(name: remote), gallery: gallery))
            return
        }
        printLine("\(gallery.title) (\(gallery.id)): \(gallery.items.count) items")
        let coverID = gallery.cover?.itemID
        for (index, item) in gallery.items.enumerated() {
            var line = "\(item.id == coverID ? "*" : " ") \(index + 1). \(item.filename)  \(item.byteCount) B"
            if let digest = item.digest { line += "  \(digest.algorithm.rawValue):\(digest.hex.prefix(12))…" }
            if let caption = item.caption { line += "  \"\(caption)\"" }
            printLine(line)
        }
        if case .standalone(let cover) = gallery.cover { printLine("* cover (not an item): \(cover.filename)") }
    }

    /// `ls REMOTE --json`: the remote's galleries, in the backend's listing order.
    struct GalleriesDocument: Encodable {
        var schema = "gallery-hub/galleries"
        var schemaVersion = 1
        var remote: PlanDocument.Side
        var galleries: [GallerySummary]
    }

    /// `ls REMOTE GALLERY --json`: one gallery with its items in order; `cover` marks the cover item.
    struct GalleryDocument: Encodable {
        var schema = "gallery-hub/gallery"
        var schemaVersion = 1
        var remote: PlanDocument.Side
        var gallery: Gallery
    }
}
