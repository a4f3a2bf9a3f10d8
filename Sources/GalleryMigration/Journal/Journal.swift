import Foundation
import GRDB
public import GalleryCore

/// The run's memory: every step as *intent* before it is attempted and *done* (with the destination's id)
/// after, in SQLite (WAL), one transaction per state change.
///
/// Moves go through ``StepState/applying(_:)``, so an illegal one (attempting a step left in *intent* without
/// reconciling it) fails instead of being written. `synchronous = NORMAL` in WAL mode keeps every committed
/// change through a killed process (SIGKILL); only a power cut may lose the last few, which resume then
/// reconciles like any interrupted step.
public final class Journal: Sendable {
    public let path: String
    private let database: DatabasePool

    /// Opens (or creates) the journal for one source/destination pair.
    /// - Throws: ``GalleryError`` `.configuration` when the file belongs to another pair.
    public init(path: String, source: String, destination: String) throws {
        self.path = path
        do {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            var configuration = Configuration()
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            database = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
            try database.write { db in
                let pair = try Row.fetchAll(db, sql: "SELECT key, value FROM meta")
                let stored = Dictionary(
                    uniqueKeysWithValues: pair.map { (row: Row) in
                        (row["key"] as String, row["value"] as String)
                    })
                if stored.isEmpty {
                    try db.execute(
                        sql: "INSERT INTO meta (key, value) VALUES ('source', ?), ('destination', ?)",
                        arguments: [source, destination])
                } else if stored["source"] != source || stored["destination"] != destination {
                    throw GalleryError(
                        .configuration,
                        "The journal \(path) belongs to \(stored["source"] ?? "?") → \(stored["destination"] ?? "?")",
                        hint: "Give this pair its own --journal, or omit --journal to use the default for the pair."
                    )
                }
            }
        } catch let error as GalleryError {
            throw error
        } catch {
            throw GalleryError(
                .io, "Cannot open the journal \(path): \(error)", hint: "Check the path and its permissions.")
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                    CREATE TABLE step (
                        key TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        sourceGallery TEXT NOT NULL,
                        sourceItem TEXT,
                        state TEXT NOT NULL,
                        attempts INTEGER NOT NULL,
                        destination TEXT,
                        destinationGallery TEXT,
                        message TEXT,
                        updated REAL NOT NULL
                    );
                    CREATE INDEX step_kind ON step (kind);
                    """)
        }
        return migrator
    }

    /// The step's current state; `pending` when never recorded.
    public func state(of key: StepKey) async throws -> StepState {
        try await journaled {
            try await database.read { db in try Self.state(of: key, in: db) }
        }
    }

    /// Applies `event` to the step and writes the new state, in one transaction.
    /// - Parameter destinationGallery: for `upload` steps, the destination gallery that holds the item.
    @discardableResult
    public func record(_ event: StepEvent, for key: StepKey, destinationGallery: GalleryID? = nil) async throws
        -> StepState
    {
        try await journaled {
            try await database.write { db in
                let next = try Self.state(of: key, in: db).applying(event)
                var destination: String?
                var message: String?
                switch next {
                case .done(let id): destination = id
                case .failed(_, let text): message = text
                case .pending, .intent: break
                }
                try db.execute(
                    sql: """
                        INSERT INTO step (key, kind, sourceGallery, sourceItem, state, attempts, destination,
                                          destinationGallery, message, updated)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(key) DO UPDATE SET state = excluded.state, attempts = excluded.attempts,
                            destination = excluded.destination,
                            destinationGallery = COALESCE(excluded.destinationGallery, step.destinationGallery),
                            message = excluded.message, updated = excluded.updated
                        """,
                    arguments: [
                        key.description, key.kind.rawValue, key.gallery.rawValue, key.item?.rawValue, next.name,
                        next.attempts, destination, destinationGallery?.rawValue, message,
                        Date().timeIntervalSince1970,
                    ]
                )
                return next
            }
        }
    }

    /// What earlier runs established: gallery and item mappings, and uploads left unfinished.
    public func mappings() async throws -> JournalMappings {
        try await journaled {
            try await database.read { db in
                var mappings = JournalMappings()
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT kind, sourceGallery, sourceItem, state, destination, destinationGallery FROM step
                        WHERE kind IN ('createGallery', 'upload')
                        """
                )
                while let row = try rows.next() {
                    let kind: String = row["kind"]
                    let state: String = row["state"]
                    let sourceGallery = GalleryID(row["sourceGallery"] as String)
                    let destination: String? = row["destination"]
                    if kind == StepKey.Kind.createGallery.rawValue {
                        if state == "done", let destination {
                            mappings.galleries[sourceGallery] = GalleryID(destination)
                        }
                        continue
                    }
                    guard let sourceItem = row["sourceItem"] as String? else { continue }
                    let ref = ItemRef(gallery: sourceGallery, item: ItemID(sourceItem))
                    if state == "done", let destination, let gallery = row["destinationGallery"] as String? {
                        mappings.items[ref] = ItemRef(gallery: GalleryID(gallery), item: ItemID(destination))
                    } else if state == "intent" || state == "failed" {
                        mappings.pendingItems.insert(ref)
                    }
                }
                return mappings
            }
        }
    }

    /// Counts of steps by state, for reports and tests.
    public func stateCounts() async throws -> [String: Int] {
        try await journaled {
            try await database.read { db in
                let rows = try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM step GROUP BY state")
                return Dictionary(
                    uniqueKeysWithValues: rows.map { (row: Row) in (row["state"] as String, row["n"] as Int) })
            }
        }
    }

    private static func state(of key: StepKey, in db: Database) throws -> StepState {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT state, attempts, destination, message FROM step WHERE key = ?",
                arguments: [key.description]
            )
        else { return .pending }
        let attempts: Int = row["attempts"]
        switch row["state"] as String {
        case "intent": return .intent(attempts: attempts)
        case "done": return .done(destination: row["destination"])
        case "failed": return .failed(attempts: attempts, message: row["message"] ?? "")
        default: return .pending
        }
    }

    /// Turns SQLite errors into `GalleryError`s that name the journal.
    private func journaled<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as GalleryError {
            throw error
        } catch {
            throw GalleryError(
                .io, "Journal \(path): \(error)", hint: "Check disk space and permissions of the journal.")
        }
    }
}
