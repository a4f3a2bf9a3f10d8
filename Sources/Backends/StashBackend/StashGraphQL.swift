import Foundation
public import GalleryCore
public import GalleryHTTP
import Logging

/// GraphQL over the request lifecycle: one `POST /graphql` per operation, the `ApiKey` header from the
/// client's authorizer, and errors — HTTP ones and the `errors` Stash puts inside 200 answers — classified by
/// ``StashGraphQL/classifier`` in the lifecycle, never re-inspected here.
public struct StashGraphQL: Sendable {
    let client: RemoteHTTPClient

    /// Runs `document` and decodes its `data`.
    /// - Parameters:
    ///   - mutates: whether the operation changes state; only reads are sent again after a failure…
    ///   - repeatable: …and mutations whose second application changes nothing more (they set fields, add to a
    ///     set, or scan paths again), so a lost or malformed answer does not end the run.
    func run<T: Decodable>(
        _ document: String, variables: [String: JSONValue] = [:], mutates: Bool = false, repeatable: Bool = false,
        as type: T.Type = T.self
    ) async throws -> T {
        var body: [String: JSONValue] = ["query": .string(document)]
        if !variables.isEmpty { body["variables"] = .object(variables) }
        var request = try RemoteRequest.json("POST", "/graphql", body: body)
        // Every operation is the same POST: its name (`query Job(…)` → Job) is what tells them apart at -vv.
        client.logger.debug("graphql", metadata: ["operation": "\(Self.operationName(document))"])
        request.isIdempotent = !mutates || repeatable
        let envelope: Envelope<T>
        do {
            envelope = try await client.json(request, as: Envelope<T>.self)
        } catch let error as GalleryError {
            throw error.adding(backend: client.configuration.backend)
        }
        guard let data = envelope.data else {
            throw GalleryError(
                .corruptResponse, "Stash answered without data", backend: client.configuration.backend,
                hint: "The server may not be Stash v0.30 or newer; check the remote's url.")
        }
        return data
    }

    /// `mutation Scan($input: …) { … }` → `Scan`; an anonymous document → `query`.
    static func operationName(_ document: String) -> Substring {
        let words = document.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" })
        return words.count >= 2 && ["query", "mutation", "subscription"].contains(words[0]) ? words[1] : "query"
    }

    struct Envelope<T: Decodable>: Decodable {
        var data: T?
    }

    /// Stash's answers as verdicts: GraphQL `errors` in a 200 are failures sending again cannot fix, typed by
    /// what the message says; validation errors come as 400/422 and are fatal; a 200 HTML page is the login form
    /// a protected server redirects to when the key is missing.
    public static let classifier = StandardClassifier(
        isUnauthorized: { answer in answer.status == 302 || answer.status == 303 },
        inspectSuccess: { answer in
            if answer.header("content-type")?.lowercased().hasPrefix("text/html") == true {
                return .unauthorized
            }
            guard let body = answer.body, let message = errorMessage(in: body) else { return nil }
            return .fatal(error(for: message))
        })

    /// The first `errors[].message` of a GraphQL answer, if it has any.
    static func errorMessage(in body: [UInt8]) -> String? {
        struct Errors: Decodable {
            struct Entry: Decodable { var message: String }
            var errors: [Entry]?
        }
        guard let decoded = try? JSONDecoder().decode(Errors.self, from: Data(body)), let errors = decoded.errors,
            let first = errors.first
        else { return nil }
        return errors.count == 1 ? first.message : "\(first.message) (and \(errors.count - 1) more)"
    }

    /// The error a Stash message means (Docs/stash.md, "Errors").
    static func error(for message: String) -> GalleryError {
        let lower = message.lowercased()
        let code: GalleryError.Code
        let hint: String
        if lower.contains("not found") {
            (code, hint) = (.notFound, "It may have been deleted in Stash; re-run the plan.")
        } else if lower.contains("missing ffmpeg") {
            (code, hint) = (.server, "Stash refuses scans without ffmpeg and ffprobe; install them on the server.")
        } else if lower.contains("cannot change contents") {
            (code, hint) = (.invalidInput, "Folder and zip galleries change only on disk; use a user gallery.")
        } else {
            (code, hint) = (.invalidInput, "Stash refused the request; the server's message says why.")
        }
        return GalleryError(code, "Stash refused the request: \(message)", serverMessage: message, hint: hint)
    }
}
