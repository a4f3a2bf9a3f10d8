import GRDB
public import GalleryCore

extension Journal {
    /// The server ids one step's multi-request write obtained (``WriteCheckpoint``), kept apart from the step's
    /// state so the group commit of states never delays them: each is on disk before the write goes on.
    static func checkpointSchema(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE checkpoint (
                    step TEXT NOT NULL,
                    name TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (step, name)
                ) WITHOUT ROWID;
                """)
    }

    /// The checkpoint of one step, for the backend's write.
    public func checkpoint(for key: StepKey) -> any WriteCheckpoint {
        JournalCheckpoint(journal: self, step: key.description)
    }

    func checkpointValues(step: String) async throws -> [String: String] {
        try await journaled {
            try await database.read { db in
                let rows = try Row.fetchAll(
                    db, sql: "SELECT name, value FROM checkpoint WHERE step = ?", arguments: [step])
                return Dictionary(rows.map { ($0["name"] as String, $0["value"] as String) }, uniquingKeysWith: { $1 })
            }
        }
    }

    func recordCheckpoint(step: String, name: String, value: String) async throws {
        try await journaled {
            try await database.write { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO checkpoint (step, name, value) VALUES (?, ?, ?)",
                    arguments: [step, name, value])
            }
        }
    }
}

/// A ``WriteCheckpoint`` in the journal, under one step's key.
struct JournalCheckpoint: WriteCheckpoint {
    let journal: Journal
    let step: String

    func recorded() async throws -> [String: String] { try await journal.checkpointValues(step: step) }

    func record(_ name: String, _ value: String) async throws {
        try await journal.recordCheckpoint(step: step, name: name, value: value)
    }
}
