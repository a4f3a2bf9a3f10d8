extension ByteStream {
    /// This stream, failing with `integrity` as soon as it yields more than `expected` bytes, or when it ends
    /// with fewer (a download cut short, which is worth retrying): a short or long file never passes for whole.
    public func checkingLength(_ expected: Int64, backend: String, item: String) -> ByteStream {
        let base = self
        return ByteStream(byteCount: expected, sha256Digester: sha256Digester) {
            var iterator = base.makeAsyncIterator()
            var count: Int64 = 0
            return AsyncIterator {
                if let chunk = try await iterator.next() {
                    count += Int64(chunk.count)
                    if count > expected {
                        throw GalleryError(
                            .integrity, "\(item) is longer than its declared \(expected) bytes", backend: backend,
                            item: item)
                    }
                    return chunk
                }
                if count != expected {
                    throw GalleryError(
                        .integrity, "\(item) ended after \(count) of \(expected) bytes", backend: backend, item: item,
                        hint: "The download was cut short; run again to retry it.", isRetryable: true)
                }
                return nil
            }
        }
    }
}
