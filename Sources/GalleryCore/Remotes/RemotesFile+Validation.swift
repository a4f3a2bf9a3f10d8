extension RemotesFile {
    /// Refuses what no backend would read, when the file is read rather than when a remote is first used: a
    /// type this build does not know, an option the type does not take (a misspelt `pasword` would otherwise be
    /// ignored until the login fails).
    public func validate(registry: BackendRegistry) throws {
        for entry in entries.values.sorted(by: { $0.name < $1.name }) {
            try Self.validate(entry, registry: registry, file: path)
        }
    }

    /// Refuses an unknown type or option in one remote.
    public static func validate(_ entry: Entry, registry: BackendRegistry, file: String?) throws {
        let place =
            entry.environmentOptions["type"].map { " ($\($0))" } ?? file.map { " ([\(entry.name)] in \($0))" } ?? ""
        guard let descriptor = registry.descriptor(named: entry.type) else {
            throw GalleryError(
                .configuration,
                "Remote '\(entry.name)' has type '\(entry.type)', which this build does not know\(place)",
                backend: entry.name,
                hint: "Known types: \(registry.all.map(\.name).joined(separator: ", ")) (`gallery-hub backends`)."
            )
        }
        let known = descriptor.options.map(\.name)
        for key in entry.options.keys.sorted() where !known.contains(key) {
            let suggestion = closest(to: key, among: known).map { "Did you mean '\($0)'? " } ?? ""
            throw GalleryError(
                .configuration,
                "Remote '\(entry.name)' (\(entry.type)) has an unknown option '\(key)'\(place)",
                backend: entry.name,
                hint: suggestion + "Options of \(entry.type): \(known.joined(separator: ", ")).")
        }
    }

    /// The known name a mistyped one most likely meant: within two edits, or none.
    static func closest(to key: String, among names: [String]) -> String? {
        names.map { ($0, editDistance(key.lowercased(), $0.lowercased())) }
            .filter { $0.1 <= 2 }
            .min { $0.1 < $1.1 }?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(
                    previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
