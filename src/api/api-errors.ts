/**
 * Every error the REST API answers with, in one table: a stable code, the HTTP status, and what it means.
 * Bodies are `{"error": CODE, "message": "…"}`, the message naming the problem. docs/api.md lists the table
 * (a test checks that it lists every code).
 */
export const API_ERRORS = {
  BAD_JSON: { status: 400, text: 'the request body is not valid JSON' },
  BAD_DEFINITION: { status: 400, text: 'a flow, threshold or group definition the engine cannot take' },
  BAD_PARAMETER: { status: 400, text: 'a path or query parameter out of range or malformed' },
  UNAUTHORIZED: { status: 401, text: 'a write without the bearer token set with --api-token' },
  NOT_FOUND: { status: 404, text: 'no such route' },
  UNKNOWN_FLOW: { status: 404, text: 'no flow definition of that name' },
  UNKNOWN_THRESHOLD: { status: 404, text: 'no threshold of that name' },
  UNKNOWN_METRIC: { status: 404, text: 'no agent has reported that metric, and no flow has that name' },
  UNKNOWN_AGENT: { status: 404, text: 'no such agent' },
  UNKNOWN_APP: { status: 404, text: 'no controller app of that name is loaded' },
  METHOD_NOT_ALLOWED: { status: 405, text: 'the route does not take that method' },
  BODY_TOO_LARGE: { status: 413, text: 'the request body is over the limit (1 MiB)' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, text: 'a body must be application/json' },
  APP_ERROR: { status: 500, text: "the app's HTTP handler threw; the error is logged with the app's name" },
  INTERNAL: { status: 500, text: 'an unexpected error; it is logged' },
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string = API_ERRORS[code].text,
  ) {
    super(message);
  }

  get status(): number {
    return API_ERRORS[this.code].status;
  }
}
