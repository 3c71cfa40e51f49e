/// An S3 error: the code real clients branch on, its HTTP status, and a message for people.
/// Rendered as S3's `<Error>` document by the gateway.
public struct S3Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// S3's error codes that this gateway answers with, and their HTTP statuses.
    public enum Code: String, Sendable {
        case accessDenied = "AccessDenied"
        case accountProblem = "AccountProblem"
        case authorizationHeaderMalformed = "AuthorizationHeaderMalformed"
        case badDigest = "BadDigest"
        case bucketAlreadyExists = "BucketAlreadyExists"
        case bucketAlreadyOwnedByYou = "BucketAlreadyOwnedByYou"
        case bucketNotEmpty = "BucketNotEmpty"
        case entityTooLarge = "EntityTooLarge"
        case entityTooSmall = "EntityTooSmall"
        case incompleteBody = "IncompleteBody"
        case internalError = "InternalError"
        case invalidAccessKeyId = "InvalidAccessKeyId"
        case invalidArgument = "InvalidArgument"
        case invalidBucketName = "InvalidBucketName"
        case invalidDigest = "InvalidDigest"
        case invalidPart = "InvalidPart"
        case invalidPartOrder = "InvalidPartOrder"
        case invalidRange = "InvalidRange"
        case invalidRequest = "InvalidRequest"
        case malformedXML = "MalformedXML"
        case methodNotAllowed = "MethodNotAllowed"
        case missingContentLength = "MissingContentLength"
        case noSuchBucket = "NoSuchBucket"
        case noSuchKey = "NoSuchKey"
        case noSuchUpload = "NoSuchUpload"
        case notImplemented = "NotImplemented"
        case preconditionFailed = "PreconditionFailed"
        case requestTimeTooSkewed = "RequestTimeTooSkewed"
        case serviceUnavailable = "ServiceUnavailable"
        case signatureDoesNotMatch = "SignatureDoesNotMatch"
        case xAmzContentSHA256Mismatch = "XAmzContentSHA256Mismatch"

        /// The HTTP status S3 answers this code with.
        public var status: Int {
            switch self {
            case .accessDenied, .accountProblem, .invalidAccessKeyId, .requestTimeTooSkewed, .signatureDoesNotMatch: 403
            case .noSuchBucket, .noSuchKey, .noSuchUpload: 404
            case .methodNotAllowed: 405
            case .bucketAlreadyExists, .bucketAlreadyOwnedByYou, .bucketNotEmpty: 409
            case .missingContentLength: 411
            case .preconditionFailed: 412
            case .invalidRange: 416
            case .internalError: 500
            case .notImplemented: 501
            case .serviceUnavailable: 503
            default: 400
            }
        }
    }

    /// The code.
    public var code: Code
    /// What went wrong, for people.
    public var message: String
    /// The bucket or object it is about, as a path.
    public var resource: String?

    /// An error.
    public init(_ code: Code, _ message: String, resource: String? = nil) {
        self.code = code
        self.message = message
        self.resource = resource
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
