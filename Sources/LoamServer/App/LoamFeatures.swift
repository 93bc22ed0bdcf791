/// Every feature of Loam, listed once. The order is the order their migrations run on a new database (a
/// feature's tables may refer to those of the features before it) and the order their routes are registered.
enum LoamFeatures {
    static let all: [any LoamFeature] = [
        AccountsFeature(),
        SessionsFeature(),
        SignInMethodsFeature(),
        PeopleFeature(),
        WorkspacesFeature(),
        ImportsFeature(),
        HomeFeature(),
        StatusFeature(),
        APIDocumentFeature(),
    ]
}
