import Foundation

/// The campaign's gallery in a data folder, so an emulator stopped and started again (`gallery-hub sandbox
/// --data`) serves the same rows, as the real service would after a restart: `state.json` holds the rows without
/// their bytes, and `files/<id>` each image's original.
struct KankaPersistence: Sendable {
    let directory: URL

    init(directory: String) throws {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
        try PrivateFiles.createFolder(self.directory)
        try PrivateFiles.createFolder(files)
    }

    private var files: URL { directory.appendingPathComponent("files") }
    private var state: URL { directory.appendingPathComponent("state.json") }

    /// The rows a previous start left, with their bytes; `nil` when the folder holds none yet.
    func load() throws -> [String: KankaImage]? {
        guard let data = try? Data(contentsOf: state) else { return nil }
        var rows = try JSONDecoder().decode([String: KankaImage].self, from: data)
        for (id, row) in rows where !row.isFolder {
            rows[id]?.bytes = Array(try Data(contentsOf: files.appendingPathComponent(id)))
        }
        return rows
    }

    /// Writes what changed from `previous` to `rows`: new images' bytes, removed images' files, and the rows.
    func save(_ rows: [String: KankaImage], previous: [String: KankaImage]) {
        for (id, row) in rows where !row.isFolder && previous[id] == nil {
            try? PrivateFiles.write(Data(row.bytes), to: files.appendingPathComponent(id))
        }
        for id in previous.keys where rows[id] == nil {
            try? FileManager.default.removeItem(at: files.appendingPathComponent(id))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let data = try? encoder.encode(rows) { try? PrivateFiles.write(data, to: state) }
    }
}
