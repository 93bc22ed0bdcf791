import Vapor

/// The account web pages (sign-up, sign-in, account settings, recovery). Filled in by the pages work.
struct AccountPagesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {}
}
