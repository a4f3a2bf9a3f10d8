import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// A `multipart/form-data` body as PHP hands it to Laravel: text fields and file parts by field name.
struct KankaMultipart {
    struct Part {
        var name: String
        /// Present for file parts (PHP treats a part with a filename as an upload).
        var filename: String?
        var bytes: [UInt8] = []
    }

    var parts: [Part] = []

    func value(_ name: String) -> String? {
        parts.first { $0.name == name && $0.filename == nil }.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    /// Parses the request body as it streams in; a body that is not multipart yields no parts (so the validator
    /// answers "The file field is required.", as Laravel does).
    static func read(_ request: Request, limit: Int) async throws -> KankaMultipart {
        guard let contentType = request.headers[.contentType],
            contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundary = HeaderParameter.value("boundary", in: contentType)
        else {
            for try await _ in request.body {}
            return KankaMultipart()
        }
        let parser = MultipartParser(boundary: boundary)
        var form = KankaMultipart()
        var headers: [String: String] = [:]
        var current: Part?
        var total = 0
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { buffer in
            if current == nil { current = makePart(headers) }
            total += buffer.readableBytes
            current?.bytes.append(contentsOf: buffer.readableBytesView)
        }
        parser.onPartComplete = {
            if let part = current ?? makePart(headers) { form.parts.append(part) }
            current = nil
            headers = [:]
        }
        do {
            for try await buffer in request.body {
                try parser.execute(buffer)
                // PHP's post_max_size: the request fails as a whole, and Kanka's renderer makes that a 500.
                if total > limit { throw KankaError.unhandled("POST Content-Length exceeds the limit") }
            }
        } catch let error as KankaError {
            throw error
        } catch {
            throw KankaError.unhandled("Malformed multipart body")
        }
        return form
    }

    private static func makePart(_ headers: [String: String]) -> Part? {
        let disposition = headers["content-disposition"] ?? ""
        guard let name = HeaderParameter.value("name", in: disposition) else { return nil }
        return Part(name: name, filename: HeaderParameter.value("filename", in: disposition))
    }
}
