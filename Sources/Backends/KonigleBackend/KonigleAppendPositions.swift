import GalleryCore

/// Where the next added item of each gallery goes, so an append costs no listing: the gallery's item count is
/// read once, then each add takes the next place. Concurrent adds get distinct places; a failed add leaves a gap,
/// which orders the same.
actor KonigleAppendPositions {
    private var loads: [String: Task<Int, any Error>] = [:]
    private var taken: [String: Int] = [:]

    /// The 0-based index the next item of `gallery` takes; `count` reads the gallery's item count once.
    func next(in gallery: String, count: @escaping @Sendable () async throws -> Int) async throws -> Int {
        let load = loads[gallery] ?? Task { try await count() }
        loads[gallery] = load
        let base: Int
        do {
            base = try await load.value
        } catch {
            loads[gallery] = nil
            throw error
        }
        let index = base + taken[gallery, default: 0]
        taken[gallery, default: 0] += 1
        return index
    }

    /// The 0-based index an added item takes: its planned place when the writer knows it (``ItemSpec/position``),
    /// so uploads landing out of order still end up in order, else the next free place (``next(in:count:)``).
    func index(for spec: ItemSpec, in gallery: String, count: @escaping @Sendable () async throws -> Int)
        async throws -> Int
    {
        if let planned = spec.position, planned >= 1 { return planned - 1 }
        return try await next(in: gallery, count: count)
    }

    /// Forgets what is known of `gallery` (after a removal or a reorder): the next add reads the count again.
    func forget(_ gallery: String) {
        loads[gallery] = nil
        taken[gallery] = nil
    }
}
