import Crypto
import Foundation

/// HS256 JSON Web Tokens as the real service issues them: access tokens (short-lived) and refresh tokens
/// (rotating, one use). Claims: `sub` (user id), `type`, `tv` (the user's token version), `ep` (the sandbox's access
/// epoch), `jti`, `iat`, `exp`.
struct OmnitcodeTokens: Sendable {
    struct Claims: Codable, Sendable {
        var sub: String
        var type: String
        var tv: Int
        var ep: Int
        var jti: String
        var iat: Int
        var exp: Int
    }

    enum Failure: Error {
        case malformed
        case badSignature
        case expired
    }

    private let secret: Data
    private var key: SymmetricKey { SymmetricKey(data: secret) }

    init(secret: String) { self.secret = Data(secret.utf8) }

    func sign(_ claims: Claims) -> String {
        let header = Self.base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let payload = Self.base64URL((try? encoder.encode(claims)) ?? Data())
        let signingInput = "\(header).\(payload)"
        let signature = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: key)
        return "\(signingInput).\(Self.base64URL(Data(signature)))"
    }

    func verify(_ token: String, now: Date) throws(Failure) -> Claims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let signature = Self.decodeBase64URL(parts[2]),
            let payload = Self.decodeBase64URL(parts[1])
        else { throw .malformed }
        guard
            HMAC<SHA256>.isValidAuthenticationCode(
                signature, authenticating: Data("\(parts[0]).\(parts[1])".utf8), using: key)
        else { throw .badSignature }
        guard let claims = try? JSONDecoder().decode(Claims.self, from: payload) else { throw .malformed }
        guard Double(claims.exp) > now.timeIntervalSince1970 else { throw .expired }
        return claims
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeBase64URL(_ string: String) -> Data? {
        var base64 = string.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
