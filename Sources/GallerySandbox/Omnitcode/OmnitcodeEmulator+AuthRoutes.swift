import Foundation
import GalleryCore
import Hummingbird

extension OmnitcodeEmulator {
    func addAuthRoutes(to router: Router<SandboxRequestContext>) {
        let store = self.store
        router.post("/api/v1/auth/register") { request, _ -> Response in
            var validator = OmnitcodeValidator(try await Self.jsonBody(request))
            let email = validator.string("email", required: true, nullable: false)
            let password = validator.string("password", required: true, nullable: false, min: 8, max: 72)
            let first = validator.string("first_name", max: 100)
            let last = validator.string("last_name", max: 100)
            if let value = email.value, !Self.looksLikeEmail(value) {
                validator.fail(
                    "email", "value_error",
                    "value is not a valid email address: The email address is not valid. It must have exactly one @-sign.",
                    input: value, ctx: ["reason": "The email address is not valid. It must have exactly one @-sign."])
            }
            try validator.finish()
            return try await store.register(
                email: email.value ?? "", password: password.value ?? "", firstName: first.value, lastName: last.value)
        }
        let loginBody = options.loginBody
        router.post("/api/v1/auth/login") { request, _ -> Response in
            switch loginBody {
            case .json:
                var validator = OmnitcodeValidator(try await Self.jsonBody(request))
                let email = validator.string("email", required: true, nullable: false)
                let password = validator.string("password", required: true, nullable: false)
                try validator.finish()
                return try await store.login(email: email.value ?? "", password: password.value ?? "")
            case .form:
                // OAuth2PasswordRequestForm: the email travels as `username`; a JSON body has neither field.
                var validator = OmnitcodeValidator(try await Self.formBody(request))
                let username = validator.string("username", required: true, nullable: false)
                let password = validator.string("password", required: true, nullable: false)
                try validator.finish()
                return try await store.login(email: username.value ?? "", password: password.value ?? "")
            }
        }
        router.post("/api/v1/auth/refresh") { request, _ -> Response in
            var validator = OmnitcodeValidator(try await Self.jsonBody(request))
            let token = validator.string("refresh_token", required: true, nullable: false)
            try validator.finish()
            return try await store.refresh(token.value ?? "")
        }
        router.post("/api/v1/auth/logout") { request, _ -> Response in
            var validator = OmnitcodeValidator(try await Self.jsonBody(request))
            let token = validator.string("refresh_token", required: true, nullable: false)
            try validator.finish()
            return await store.logout(token.value ?? "")
        }
        router.post("/api/v1/auth/logout-all") { request, _ -> Response in
            let user = try await store.authenticate(Self.bearer(request), permission: nil)
            return await store.logoutAll(user)
        }
        router.get("/api/v1/auth/me") { request, _ -> Response in
            let user = try await store.authenticate(Self.bearer(request), permission: nil)
            return await store.profile(user)
        }

        let languagesEndpoint = options.languagesEndpoint
        router.get("/api/v1/languages") { request, _ -> Response in
            switch languagesEndpoint {
            case .listed: break
            case .absent: throw HTTPError(.notFound)
            case .forbidden:
                _ = try await store.authenticate(Self.bearer(request), permission: nil)
                throw OmnitcodeError(.forbidden, "Not enough permissions")
            }
            _ = try await store.authenticate(Self.bearer(request), permission: "languages:read")
            return await store.listLanguages(try paging(request))
        }
        router.post("/api/v1/languages") { request, _ -> Response in
            _ = try await store.authenticate(Self.bearer(request), permission: "languages:create")
            var validator = OmnitcodeValidator(try await Self.jsonBody(request))
            let code = validator.string("code", required: true, nullable: false, min: 2, max: 10)
            let name = validator.string("name", required: true, nullable: false, min: 1, max: 100)
            let isDefault = validator.bool("is_default")
            let isActive = validator.bool("is_active")
            try validator.finish()
            return try await store.createLanguage(
                code: code.value ?? "", name: name.value ?? "", isDefault: isDefault.value ?? false,
                isActive: isActive.value ?? true)
        }
    }

    static func looksLikeEmail(_ value: String) -> Bool {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasSuffix(".")
    }
}
