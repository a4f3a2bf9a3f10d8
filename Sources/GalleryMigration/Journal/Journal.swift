import Foundation
import GRDB
public import GalleryCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The run's memory: every step as *intent* before it is attempted and *done* (with the destination's id)
/// after, in SQLite (WAL).
///
/// Moves go through ``StepState/applying(_:)``, so an illegal one (attempting a step left in *intent* without
/// reconciling it) fails instead of being written. `synchronous = NORMAL` in WAL mode keeps every committed
/// change through a killed process (SIGKILL); only a power cut may lose the last few, which resume then
/// reconciles like any interrupted step.
///
/// **Group commit.** Only a move *into* intent must be on disk before the step is attempted, so only that
/// move commits, and it commits every move queued before it in the same transaction. Other moves (done,
/// failed, matched) wait in memory for the next commit, ``commit()``, or the journal's release. A run killed
/// before they are written leaves those steps in intent, which resume reconciles against the destination
/// exactly like a step killed mid-attempt: the cost is a lookup, never a duplicate. A caller that starts many
/// steps at once defers the commit of each intent and calls ``commit()`` once before attempting any of them.
///
/// One run owns a journal at a time: an exclusive lock on `PATH.lock` (released by the kernel even on
/// SIGKILL) keeps a second run out. Step states are also kept in memory (loaded at open, changed at once,
/// written at the next commit), so checking a step costs no read transaction.
public final class Journal: Sendable {
    public let path: String
    let database: DatabasePool
    /// Step states as recorded (committed or queued), and the moves not yet committed, in order. One lock, so
    /// the queue's order is the order in which states changed.
    private let memory: Mutex<Memory>
    /// The descriptor holding the run's lock, or -1 for a reader.
    private let lockDescriptor: Int32

    /// Opens (or creates) the journal for one source/destination pair.
    /// - Parameter exclusive: take the run's lock (a copy); `false` only reads what earlier runs recorded
    ///   (plan, verify) and may overlap a running copy.
    /// - Throws: ``GalleryError`` `.configuration` when the file belongs to another pair, `.conflict` when
    ///   another run holds it.
    public init(path: String, source: String, destination: String, exclusive: Bool = true) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        lockDescriptor = exclusive ? try Self.lock(path + ".lock") : -1
        Self.makePrivate(path)
        do {
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
                        hint: """
                            Give this pair its own --journal, or omit --journal to use the default for the pair. If a \
                            service only moved (a new host or port), a new journal is safe: its first run matches the \
                            galleries and items already there by title and name, and copies only what is missing.
                            """
                    )
                }
            }
            memory = Mutex(
                Memory(
                    states: try database.read { db in
                        var states: [String: StepState] = [:]
                        let rows = try Row.fetchCursor(
                            db, sql: "SELECT key, state, attempts, destination, message FROM step")
                        while let row = try rows.next() { states[row["key"]] = Self.state(from: row) }
                        return states
                    }))
        } catch let error as GalleryError {
            if lockDescriptor >= 0 { close(lockDescriptor) }
            throw error
        } catch {
            if lockDescriptor >= 0 { close(lockDescriptor) }
            throw GalleryError(
                .io, "Cannot open the journal \(path): \(error)", hint: "Check the path and its permissions.")
        }
    }

    deinit {
        // What is still queued is written before the lock goes: a run that simply drops its journal loses
        // nothing.
        try? commitQueued()
        if lockDescriptor >= 0 { close(lockDescriptor) }
    }

    /// Creates the database file readable by its owner only, or narrows an existing one: a journal names the
    /// remotes and their items. SQLite gives its WAL and shared-memory files the database file's mode.
    private static func makePrivate(_ path: String) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            fchmod(descriptor, 0o600)
            close(descriptor)
        }
    }

    /// Takes the exclusive lock on `lockPath`, failing at once when another process holds it.
    private static func lock(_ lockPath: String) throws -> Int32 {
        try FileLock.acquire(lockPath) {
            GalleryError(
                .conflict, "Another gallery-hub run is using the journal \(lockPath.dropLast(5))",
                hint: "Wait for it to finish (or stop it), then run again; two runs of one pair would race.")
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
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v2-source-fingerprints") { db in
            // What the source item looked like when its upload step was done: change detection.
            try db.execute(
                sql: """
                    ALTER TABLE step ADD COLUMN sourceBytes INTEGER;
                    ALTER TABLE step ADD COLUMN sourceSHA256 TEXT;
                    ALTER TABLE step ADD COLUMN sourceModified REAL;
                    """)
        }
        migrator.registerMigration("v3-checkpoints") { db in try checkpointSchema(db) }
        return migrator
    }

    /// The step's current state; `pending` when never recorded.
    public func state(of key: StepKey) async throws -> StepState {
        memory.withLock { $0.states[key.description] } ?? .pending
    }

    /// Applies `event` to the step. A move into *intent* is committed before this returns, together with
    /// every move queued before it; other moves are queued for the next commit.
    /// - Parameters:
    ///   - destinationGallery: for `upload` steps, the destination gallery that holds the item.
    ///   - fingerprint: for `upload` steps moving to *done*, what the source item looked like.
    ///   - deferCommit: queue even a move into intent; the caller must call ``commit()`` before the attempt.
    @discardableResult
    public func record(
        _ event: StepEvent, for key: StepKey, destinationGallery: GalleryID? = nil,
        fingerprint: SourceFingerprint? = nil, deferCommit: Bool = false
    ) async throws -> StepState {
        let id = key.description
        let (next, queued) = try memory.withLock { memory in
            let next = try (memory.states[id] ?? .pending).applying(event)
            memory.states[id] = next
            memory.queue.append(
                QueuedMove(key: key, state: next, destinationGallery: destinationGallery, fingerprint: fingerprint))
            return (next, memory.queue.count)
        }
        let mustCommit = if case .intent = next { !deferCommit } else { false }
        if mustCommit || queued >= Self.queueLimit { try await commit() }
        return next
    }

    /// Writes every queued move in one transaction.
    public func commit() async throws {
        try await journaled { try commitQueued() }
    }

    /// Moves queued beyond this many are committed even without an intent to carry them.
    static let queueLimit = 512

    private struct Memory {
        var states: [String: StepState]
        var queue: [QueuedMove] = []
    }

    private struct QueuedMove {
        var key: StepKey
        var state: StepState
        var destinationGallery: GalleryID?
        var fingerprint: SourceFingerprint?
    }

    /// Takes the queue inside the write, so commits happen in the order the moves were made even when two
    /// callers commit at once; a synchronous write is cheaper than hopping to GRDB's writer queue and back.
    private func commitQueued() throws {
        try database.writeWithoutTransaction { db in
            let moves = memory.withLock { memory in
                defer { memory.queue = [] }
                return memory.queue
            }
            guard !moves.isEmpty else { return }
            let now = Date().timeIntervalSince1970
            do {
                try write(moves, at: now, in: db)
            } catch {
                // Back at the front, so a later commit still writes them in order.
                memory.withLock { $0.queue = moves + $0.queue }
                throw error
            }
        }
    }

    private func write(_ moves: [QueuedMove], at now: Double, in db: Database) throws {
        try db.inTransaction {
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO step (key, kind, sourceGallery, sourceItem, state, attempts, destination,
                                      destinationGallery, message, updated, sourceBytes, sourceSHA256, sourceModified)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(key) DO UPDATE SET state = excluded.state, attempts = excluded.attempts,
                        destination = excluded.destination,
                        destinationGallery = COALESCE(excluded.destinationGallery, step.destinationGallery),
                        message = excluded.message, updated = excluded.updated,
                        sourceSHA256 = CASE WHEN excluded.sourceBytes IS NULL THEN step.sourceSHA256
                            ELSE excluded.sourceSHA256 END,
                        sourceModified = CASE WHEN excluded.sourceBytes IS NULL THEN step.sourceModified
                            ELSE excluded.sourceModified END,
                        sourceBytes = COALESCE(excluded.sourceBytes, step.sourceBytes)
                    """)
            let clearCheckpoint = try db.cachedStatement(sql: "DELETE FROM checkpoint WHERE step = ?")
            for move in moves {
                var destination: String?
                var message: String?
                switch move.state {
                case .done(let made): destination = made
                case .failed(_, let text): message = text
                case .pending, .intent: break
                }
                try statement.execute(arguments: [
                    move.key.description, move.key.kind.rawValue, move.key.gallery.rawValue,
                    move.key.item?.rawValue, move.state.name, move.state.attempts, destination,
                    move.destinationGallery?.rawValue, message, now, move.fingerprint?.byteCount,
                    move.fingerprint?.sha256, move.fingerprint?.modified?.timeIntervalSince1970,
                ])
                if case .done = move.state {
                    // A finished write's server ids are in its destination; a later write of the same item (a
                    // replacement of changed bytes) must start afresh, not reuse them.
                    try clearCheckpoint.execute(arguments: [move.key.description])
                }
            }
            return .commit
        }
    }

    /// What earlier runs established: gallery and item mappings, and uploads left unfinished.
    public func mappings() async throws -> JournalMappings {
        try await commit()
        return try await journaled {
            try await database.read { db in
                var mappings = JournalMappings()
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT kind, sourceGallery, sourceItem, state, destination, destinationGallery,
                               sourceBytes, sourceSHA256, sourceModified
                        FROM step WHERE kind IN ('createGallery', 'upload')
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
                        if let bytes = row["sourceBytes"] as Int64? {
                            mappings.fingerprints[ref] = SourceFingerprint(
                                byteCount: bytes, sha256: row["sourceSHA256"],
                                modified: (row["sourceModified"] as Double?).map(Date.init(timeIntervalSince1970:)))
                        }
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
        try await commit()
        return try await journaled {
            try await database.read { db in
                let rows = try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM step GROUP BY state")
                return Dictionary(
                    uniqueKeysWithValues: rows.map { (row: Row) in (row["state"] as String, row["n"] as Int) })
            }
        }
    }

    private static func state(from row: Row) -> StepState {
        let attempts: Int = row["attempts"]
        switch row["state"] as String {
        case "intent": return .intent(attempts: attempts)
        case "done": return .done(destination: row["destination"])
        case "failed": return .failed(attempts: attempts, message: row["message"] ?? "")
        default: return .pending
        }
    }

    /// Turns SQLite errors into `GalleryError`s that name the journal.
    func journaled<T>(_ body: () async throws -> T) async throws -> T {
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
