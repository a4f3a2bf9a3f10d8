#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ByteStream {
    /// A stream over a file's bytes, read in `chunkSize` pieces; the file is opened when iteration starts and
    /// closed when it ends or the iterator is dropped.
    public static func file(atPath path: String, byteCount: Int64?, chunkSize: Int = 1 << 20) -> ByteStream {
        // A file known to be small gets a buffer of its size (plus one byte, to see the end in the same read)
        // instead of a whole chunk: most images are far below a chunk.
        let bufferSize = byteCount.map { Int(Swift.min(Int64(chunkSize), Swift.max(0, $0) + 1)) } ?? chunkSize
        return ByteStream(byteCount: byteCount) {
            let reader = FileChunkReader(path: path, chunkSize: bufferSize)
            return AsyncIterator { try reader.next() }
        }
    }
}

/// Reads a file in chunks with POSIX calls (no Foundation `Data` copies on the hot path).
/// Not Sendable: one iterator owns it.
final class FileChunkReader {
    private let path: String
    private let chunkSize: Int
    private var descriptor: Int32 = -1
    private var finished = false

    init(path: String, chunkSize: Int) {
        self.path = path
        self.chunkSize = chunkSize
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    func next() throws -> [UInt8]? {
        if finished { return nil }
        if descriptor < 0 {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw GalleryError(
                    errno == ENOENT ? .notFound : .io,
                    "Cannot open \(path): \(String(cString: strerror(errno)))"
                )
            }
        }
        let size = chunkSize
        var failure: Int32 = 0
        let chunk = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var total = 0
            // Fill the whole chunk unless the file ends: fewer, larger chunks are cheaper downstream.
            while total < size {
                let got = read(descriptor, buffer.baseAddress! + total, size - total)
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if got == 0 { break }
                total += got
            }
            initialized = total
        }
        if failure != 0 {
            throw GalleryError(.io, "Cannot read \(path): \(String(cString: strerror(failure)))")
        }
        if chunk.count < size {
            finished = true
            close(descriptor)
            descriptor = -1
            if chunk.isEmpty { return nil }
        }
        return chunk
    }
}
