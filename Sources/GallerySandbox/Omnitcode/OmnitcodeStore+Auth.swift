import Foundation
import HTTPTypes
import Hummingbird

extension OmnitcodeStore {
    typealias User = OmnitcodeState.User

    /// The user a bearer token belongs to, checking signature, expiry, revocation and `permission`.
    func authenticate(_ authorization: String?, permission: String?) throws -> User {
        guard let authorization, authorization.lowercased().hasPrefix("bearer "),
            case let token = String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces), !token.isEmpty
        else {
            var headers = HTTPFields()
            if options.missingBearerStatus == 401 { headers[.wwwAuthenticate] = "Bearer" }
            throw OmnitcodeError(
                options.missingBearerStatus == 401 ? .unauthorized : .forbidden, "Not authenticated", headers: headers)
        }
        let claims: OmnitcodeTokens.Claims
        do {
            claims = try tokens.verify(token, now: Date())
        } catch .expired {
            throw unauthorized("Token has expired")
        } catch {
            throw unauthorized("Could not validate credentials")
        }
        guard claims.type == "access" else { throw unauthorized("Invalid token type") }
        guard claims.ep == state.accessEpoch else { throw unauthorized("Token has expired") }
        guard let user = state.users.first(where: { $0.id == claims.sub }) else { throw unauthorized("User not found") }
        guard user.isActive else { throw unauthorized("Account is inactive") }
        guard claims.tv == user.tokenVersion else { throw unauthorized("Token has been revoked") }
        if let permission, !permissions(of: user).contains(permission) {
            throw OmnitcodeError(.forbidden, "Permission denied: \(permission) required")
        }
        return user
    }

    func permissions(of user: User) -> Set<String> {
        Set(state.roles.filter { user.roles.contains($0.name) }.flatMap(\.permissions))
    }

    func unauthorized(_ message: String) -> OmnitcodeError {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Bearer"
        return OmnitcodeError(.unauthorized, message, headers: headers)
    }

    func register(email: String, password: String, firstName: String?, lastName: String?) throws -> Response {
        guard !state.users.contains(where: { $0.email.lowercased() == email.lowercased() }) else {
            throw OmnitcodeError(.conflict, "Email already registered")
        }
        let salt = Self.randomToken(8)
        let user = User(
            id: Self.newID(), email: email, passwordHash: Self.hash(password, salt: salt), salt: salt,
            firstName: firstName, lastName: lastName, isActive: true, roles: [], tokenVersion: 0, lastLogin: nil,
            createdAt: Date(), updatedAt: nil)
        state.users.append(user)
        let body = ["user": render(user), "tokens": issueTokens(for: user)]
        save()
        return OmnitcodeJSON.response(.created, body)
    }

    func login(email: String, password: String) throws -> Response {
        guard let index = state.users.firstIndex(where: { $0.email.lowercased() == email.lowercased() }),
            state.users[index].passwordHash == Self.hash(password, salt: state.users[index].salt)
        else { throw unauthorized("Invalid email or password") }
        guard state.users[index].isActive else { throw unauthorized("Account is inactive") }
        state.users[index].lastLogin = Date()
        let user = state.users[index]
        let body = ["user": render(user), "tokens": issueTokens(for: user)]
        save()
        return OmnitcodeJSON.response(.ok, body)
    }

    /// Rotates a refresh token: the presented one is revoked, a new pair is issued (the token object only).
    func refresh(_ token: String) throws -> Response {
        let claims: OmnitcodeTokens.Claims
        do {
            claims = try tokens.verify(token, now: Date())
        } catch .expired {
            throw unauthorized("Refresh token has expired")
        } catch {
            throw unauthorized("Invalid refresh token")
        }
        guard claims.type == "refresh", let record = state.refreshTokens[claims.jti] else {
            throw unauthorized("Invalid refresh token")
        }
        guard !record.revoked else { throw unauthorized("Token has been revoked") }
        guard let user = state.users.first(where: { $0.id == claims.sub }), user.isActive,
            user.tokenVersion == claims.tv
        else { throw unauthorized("Token has been revoked") }
        state.refreshTokens[claims.jti]?.revoked = true
        let body = issueTokens(for: user)
        save()
        return OmnitcodeJSON.response(.ok, body)
    }

    func logout(_ token: String) -> Response {
        if let claims = try? tokens.verify(token, now: Date()), claims.type == "refresh" {
            state.refreshTokens[claims.jti]?.revoked = true
            save()
        }
        return Response(status: .noContent)
    }

    func logoutAll(_ user: User) -> Response {
        if let index = state.users.firstIndex(where: { $0.id == user.id }) { state.users[index].tokenVersion += 1 }
        for (jti, record) in state.refreshTokens where record.userID == user.id {
            state.refreshTokens[jti]?.revoked = true
        }
        save()
        return Response(status: .noContent)
    }

    /// Sandbox only: every access token issued so far stops working (as if 15 minutes had passed).
    func expireAccessTokens() -> Int {
        state.accessEpoch += 1
        save()
        return state.accessEpoch
    }

    func issueTokens(for user: User) -> [String: Any] {
        let now = Int(Date().timeIntervalSince1970)
        let access = tokens.sign(
            .init(
                sub: user.id, type: "access", tv: user.tokenVersion, ep: state.accessEpoch, jti: Self.newID(), iat: now,
                exp: now + options.accessTokenLifetime))
        let jti = Self.newID()
        let refresh = tokens.sign(
            .init(
                sub: user.id, type: "refresh", tv: user.tokenVersion, ep: 0, jti: jti, iat: now,
                exp: now + 7 * 24 * 3600))
        state.refreshTokens[jti] = .init(userID: user.id, revoked: false)
        return [
            "access_token": access, "refresh_token": refresh, "token_type": "bearer",
            "expires_in": options.accessTokenLifetime,
        ]
    }

    func profile(_ user: User) -> Response { OmnitcodeJSON.response(.ok, render(user)) }

    func render(_ user: User) -> [String: Any] {
        [
            "id": user.id, "email": user.email, "first_name": user.firstName ?? NSNull(),
            "last_name": user.lastName ?? NSNull(), "is_active": user.isActive,
            "last_login": OmnitcodeTime.value(user.lastLogin),
            "roles": user.roles.map { name in ["name": name] },
            "created_at": OmnitcodeTime.string(user.createdAt), "updated_at": OmnitcodeTime.value(user.updatedAt),
        ]
    }

    // MARK: - Languages

    func listLanguages(_ paging: OmnitcodePaging) -> Response {
        page(state.languages.map(render), paging)
    }

    func createLanguage(code: String, name: String, isDefault: Bool, isActive: Bool) throws -> Response {
        guard !state.languages.contains(where: { $0.code == code }) else {
            throw OmnitcodeError(.conflict, "Language code already exists")
        }
        if isDefault { for index in state.languages.indices { state.languages[index].isDefault = false } }
        let language = OmnitcodeState.Language(
            id: Self.newID(), code: code, name: name, isDefault: isDefault, isActive: isActive, createdAt: Date())
        state.languages.append(language)
        save()
        return OmnitcodeJSON.response(.created, render(language))
    }

    func render(_ language: OmnitcodeState.Language) -> [String: Any] {
        [
            "id": language.id, "code": language.code, "name": language.name, "is_default": language.isDefault,
            "is_active": language.isActive, "created_at": OmnitcodeTime.string(language.createdAt),
            "updated_at": OmnitcodeTime.value(language.updatedAt),
        ]
    }
}
