import Vapor

/// `/healthz` says the process answers; `/readyz` says whether it can do its work.
struct HealthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz", use: health)
        routes.get("readyz", use: ready)
    }

    @Sendable
    func health(request: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(string: "ok\n"))
        response.headers.contentType = .plainText
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    @Sendable
    func ready(request: Request) async throws -> Response {
        let app = request.application
        var components: [ReadinessComponentDTO] = []
        var overall = ComponentState.ok
        var essentialDown = false
        for check in app.readiness.registered {
            let start = ContinuousClock.now
            let report = await check.check(app)
            let elapsed = ContinuousClock.now - start
            components.append(
                ReadinessComponentDTO(
                    name: check.name, status: report.state, detail: report.detail,
                    latencyMs: Int(
                        elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)))
            if report.state == .down && check.isEssential {
                essentialDown = true
                overall = .down
            } else if report.state != .ok {
                overall = max(overall, .degraded)
            }
        }
        let body = ReadinessDTO(status: overall, components: components)
        let response = try await body.encodeResponse(status: essentialDown ? .serviceUnavailable : .ok, for: request)
        response.headers.cacheControl = .init(noStore: true)
        return response
    }
}

struct ReadinessDTO: Content {
    var status: ComponentState
    var components: [ReadinessComponentDTO]
}

struct ReadinessComponentDTO: Content {
    var name: String
    var status: ComponentState
    var detail: String?
    var latencyMs: Int
}
