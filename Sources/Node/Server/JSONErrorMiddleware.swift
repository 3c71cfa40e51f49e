import Hummingbird
import Logging
import NIOCore

/// Turns every error into a JSON body with a code, so no client ever gets an empty error page,
/// and logs the unexpected ones.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as NodeError {
            throw error
        } catch let error as HTTPError {
            let code =
                switch error.status {
                case .notFound: "route_not_found"
                case .methodNotAllowed: "method_not_allowed"
                case .contentTooLarge: "body_too_large"
                default: "bad_request"
                }
            throw NodeError(error.status, code, error.body ?? "\(request.method) \(request.uri.path): \(error.status.reasonPhrase)")
        } catch is NIOTooManyBytesError {
            throw NodeError.coded("body_too_large", "the body is over the node's limit")
        } catch {
            logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            throw NodeError(.internalServerError, "internal_error", "the node could not answer; see its log")
        }
    }
}
