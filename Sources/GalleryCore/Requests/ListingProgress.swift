/// Tells whoever shows progress how far a full listing (``GalleryBackend/allGalleriesWithItems(concurrency:)``)
/// has got: galleries read, of how many, and the items seen so far.
///
/// The engine binds ``observer`` around the reading of one side; ``GalleryBackend/readEachGallery(concurrency:)``
/// reports after each gallery, and a backend that lists in its own way reports as it goes. Task-local, like
/// ``RateLimitWait``, so the protocol needs no progress parameter and nothing outside the binding hears of it.
public enum ListingProgress {
    /// How far a listing has got.
    public struct Count: Sendable, Hashable {
        /// Galleries read whole, with their items.
        public var galleries: Int
        /// Galleries there are in all, once the list of galleries is known.
        public var totalGalleries: Int?
        /// Items seen so far.
        public var items: Int

        public init(galleries: Int, totalGalleries: Int? = nil, items: Int) {
            self.galleries = galleries
            self.totalGalleries = totalGalleries
            self.items = items
        }
    }

    /// Receives each new count of the listing that is going on in this task.
    public typealias Observer = @Sendable (Count) -> Void

    @TaskLocal public static var observer: Observer?

    /// Reports how far the current task's listing has got.
    public static func report(_ count: Count) {
        observer?(count)
    }
}
