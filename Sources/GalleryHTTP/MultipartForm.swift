public import GalleryCore
import MultipartKit
import NIOCore
import NIOHTTP1

/// A `multipart/form-data` body with text fields and one streamed file part.
///
/// multipart-kit frames the parts (boundary, headers); it serialises whole parts in memory, so the file part is
/// framed with an empty body and its bytes are streamed in between, never held whole.
public struct MultipartForm: Sendable {
    public var fields: [(name: String, value: String)]
    public var fileField: String
    public var filename: String
    public var contentType: String
    public var file: ByteStream
    public let boundary: String

    public init(
        fields: [(name: String, value: String)] = [],
        fileField: String,
        filename: String,
        contentType: String,
        file: ByteStream,
        boundary: String = "GalleryHub-" + String(UInt64.random(in: .min ... .max), radix: 16)
    ) {
        self.fields = fields
        self.fileField = fileField
        self.filename = filename
        self.contentType = contentType
        self.file = file
        self.boundary = boundary
    }

    /// The request body. `isReplayable` only when `file` can be read again from its start.
    public func body(isReplayable: Bool = false) throws -> RemoteRequest.Body {
        let (head, tail) = try framing()
        let file = self.file
        let total = file.byteCount.map { Int64(head.count + tail.count) + $0 }
        let stream = ByteStream(byteCount: total) {
            var phase = 0
            var fileIterator = file.makeAsyncIterator()
            return ByteStream.AsyncIterator {
                while true {
                    switch phase {
                    case 0:
                        phase = 1
                        return head
                    case 1:
                        if let chunk = try await fileIterator.next() {
                            if chunk.isEmpty { continue }
                            return chunk
                        }
                        phase = 2
                    case 2:
                        phase = 3
                        return tail
                    default:
                        return nil
                    }
                }
            }
        }
        return .stream(stream, contentType: "multipart/form-data; boundary=\(boundary)", isReplayable: isReplayable)
    }

    /// The bytes before and after the file's content.
    func framing() throws -> (head: [UInt8], tail: [UInt8]) {
        var parts: [MultipartPart] = fields.map { field in
            MultipartPart(
                headers: ["Content-Disposition": "form-data; name=\"\(Self.quoted(field.name))\""],
                body: field.value)
        }
        var fileHeaders = HTTPHeaders()
        fileHeaders.add(
            name: "Content-Disposition",
            value: "form-data; name=\"\(Self.quoted(fileField))\"; filename=\"\(Self.quoted(filename))\"")
        fileHeaders.add(name: "Content-Type", value: contentType)
        parts.append(MultipartPart(headers: fileHeaders, body: ByteBuffer()))
        var buffer = ByteBuffer()
        try MultipartSerializer().serialize(parts: parts, boundary: boundary, into: &buffer)
        let whole = Array(buffer.readableBytesView)
        let tail = Array("\r\n--\(boundary)--\r\n".utf8)
        guard whole.count >= tail.count, Array(whole.suffix(tail.count)) == tail else {
            throw GalleryError(.invalidInput, "Unexpected multipart framing for \(filename)")
        }
        return (Array(whole.dropLast(tail.count)), tail)
    }

    /// A header parameter value with quotes and line breaks made harmless (a hostile file name cannot end the
    /// `filename="…"` parameter or inject a header).
    public static func quoted(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\"": out += "%22"
            case "\r", "\n": out += " "
            default: out.append(character)
            }
        }
        return out
    }
}
