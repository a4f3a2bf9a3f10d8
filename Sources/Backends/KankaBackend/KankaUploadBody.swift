import GalleryCore
import GalleryHTTP

/// The `multipart/form-data` body of one upload request: `folder_id`, then one `file[]` part per file, each
/// file's bytes streamed and checked against its declared length (a short or long stream fails the request, so
/// the server stores nothing truncated).
struct KankaUploadBody {
    var folderID: String?
    var files: [PendingUpload]
    var boundary = "GalleryHubKanka" + String(UInt64.random(in: .min ... .max), radix: 16)

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    func body(backend: String) -> RemoteRequest.Body {
        var segments: [Segment] = []
        if let folderID {
            segments.append(
                .text("--\(boundary)\r\nContent-Disposition: form-data; name=\"folder_id\"\r\n\r\n\(folderID)\r\n"))
        }
        for file in files {
            segments.append(
                .text(
                    """
                    --\(boundary)\r\nContent-Disposition: form-data; name="file[]"; filename="\(MultipartForm.quoted(file.filename))"\r
                    Content-Type: \(file.mimeType)\r\n\r\n
                    """))
            segments.append(.file(file))
            segments.append(.text("\r\n"))
        }
        segments.append(.text("--\(boundary)--\r\n"))
        let total = segments.reduce(Int64(0)) { $0 + $1.length }
        let parts = segments
        let stream = ByteStream(byteCount: total) {
            var index = 0
            var current: ByteStream.AsyncIterator?
            var sent: Int64 = 0
            return ByteStream.AsyncIterator {
                while index < parts.count {
                    switch parts[index] {
                    case .text(let text):
                        index += 1
                        return Array(text.utf8)
                    case .file(let file):
                        if current == nil {
                            current = file.bytes.makeAsyncIterator()
                            sent = 0
                        }
                        if let chunk = try await current?.next() {
                            sent += Int64(chunk.count)
                            if sent > file.byteCount { throw Self.lengthError(file, sent: sent, backend: backend) }
                            if chunk.isEmpty { continue }
                            return chunk
                        }
                        if sent != file.byteCount { throw Self.lengthError(file, sent: sent, backend: backend) }
                        current = nil
                        index += 1
                    }
                }
                return nil
            }
        }
        return .stream(stream, contentType: contentType, isReplayable: false)
    }

    private enum Segment {
        case text(String)
        case file(PendingUpload)

        var length: Int64 {
            switch self {
            case .text(let text): Int64(text.utf8.count)
            case .file(let file): file.byteCount
            }
        }
    }

    static func lengthError(_ file: PendingUpload, sent: Int64, backend: String) -> GalleryError {
        GalleryError(
            .integrity, "The bytes of \(file.filename) did not match their declared size of \(file.byteCount)",
            backend: backend, item: file.filename, serverMessage: nil,
            hint: "The source changed or was cut while it was read; nothing was stored. Run again.", isRetryable: true)
    }
}
