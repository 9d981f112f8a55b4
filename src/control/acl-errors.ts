/**
 * Every error the ACL server answers with, in one table: a stable code, the HTTP status, and what it means.
 * Bodies are `{"error": CODE, "message": "…"}` (BAD_RULE adds `problems`, one per refused line), the shape of
 * src/api/api-errors.ts. Kept apart from that table because the control layer imports nothing from the
 * analyzer's; docs/acl-server.md lists this one (test/control/acl-docs.test.ts checks that it lists every code).
 */
export const ACL_ERRORS = {
  BAD_JSON: { status: 400, text: 'the request body is not valid JSON' },
  BAD_BODY: { status: 400, text: 'the body must be a JSON array of strings, one rule line each' },
  BAD_NAME: { status: 400, text: 'an ACL name must be 1 to 64 characters of a-z and 0-9' },
  BAD_RULE: { status: 400, text: 'a rule line is refused; `problems` names each line and why' },
  UNAUTHORIZED: { status: 401, text: 'a write without valid credentials (bearer token or HTTP basic)' },
  NOT_FOUND: { status: 404, text: 'no such route' },
  UNKNOWN_ACL: { status: 404, text: 'no ACL of that name' },
  METHOD_NOT_ALLOWED: { status: 405, text: 'the route does not take that method' },
  TOO_MANY_ACLS: { status: 409, text: 'a new ACL would pass the limit on stored ACLs (--max-acls)' },
  BODY_TOO_LARGE: { status: 413, text: 'the request body is over the limit (--body-limit)' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, text: 'a body must be application/json' },
  STORE_FAILED: { status: 500, text: 'the ACL files could not be written; the batch was rolled back' },
  INTERNAL: { status: 500, text: 'an unexpected error; it is logged' },
  COMMIT_FAILED: {
    status: 502,
    text: "the back-end refused the batch; its files were rolled back and the message is the back-end's",
  },
  SHUTTING_DOWN: { status: 503, text: 'the server is stopping and takes no more changes' },
} as const;

export type AclErrorCode = keyof typeof ACL_ERRORS;

export class AclError extends Error {
  override name = 'AclError';
  constructor(
    readonly code: AclErrorCode,
    message: string = ACL_ERRORS[code].text,
    /** More of the body, beside error and message (BAD_RULE's problems). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }

  get status(): number {
    return ACL_ERRORS[this.code].status;
  }

  toJSON(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...this.extra };
  }
}
