import Hummingbird
import StoreAPI
import StoreClient

/// How a request ends early, turned into a page by `ErrorPageMiddleware`.
enum WebError: Error {
    /// No live session: to the login form.
    case signIn
    /// A state change without the session's token, or from another site.
    case forbidden
    /// Nothing of this user's by that id (another user's ids included: they do not exist for
    /// this user, so the answer says no more than it would for an unused id).
    case notFound
    case badRequest(String)
}

/// Every error as a page: ours with their status, the store's "no such mailbox or message"
/// as 404, a store that fails as 502, anything else as 500 with its cause only in the log.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext
    let pages: Pages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch WebError.signIn {
            return Webmail.redirect("/login")
        } catch WebError.forbidden {
            return pages.error(
                .forbidden, heading: "Not allowed",
                explanation: "This request did not come from a page of this webmail. Reload the page and try again.")
        } catch WebError.notFound {
            return notFound
        } catch WebError.badRequest(let why) {
            return pages.error(.badRequest, heading: "Bad request", explanation: why)
        } catch let error as StoreClientError {
            switch error.code {
            case .mailboxNotFound?, .messageNotFound?, .noPermission?, .notFound?:
                return notFound
            default:
                // The store refused what was asked (a folder name taken or not allowed, a
                // folder with subfolders): its reason, in words, with the status it gave.
                if case .api(let status, _, let message) = error, status < 500, status != 401 {
                    return pages.error(HTTPResponse.Status(code: status), heading: "Not done", explanation: message)
                }
                context.logger.error("store request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
                return pages.error(
                    .badGateway, heading: "Mail is unavailable", explanation: "The mail store did not answer. Try again in a moment.")
            }
        } catch let error as any HTTPResponseError where error.status == .notFound {
            return notFound
        } catch let error as any HTTPResponseError where error.status.code < 500 {
            return pages.error(error.status, heading: "Bad request", explanation: "The request could not be read.")
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return pages.error(.internalServerError, heading: "Something went wrong", explanation: "The webmail could not answer.")
        }
    }

    var notFound: Response {
        pages.error(.notFound, heading: "Not found", explanation: "There is no such folder, message or page.")
    }
}
