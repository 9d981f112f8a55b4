/**
 * What went wrong with a request body, from the error fastify raised reading it: the one reading of fastify's
 * codes that the REST API and the ACL server share, each answering with its own error table.
 */
export type BodyProblem = 'TOO_LARGE' | 'MEDIA_TYPE' | 'EMPTY' | 'NOT_JSON';

export function bodyProblem(error: Error & { code?: string; statusCode?: number }): BodyProblem | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'TOO_LARGE';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'MEDIA_TYPE';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'EMPTY';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'NOT_JSON';
  }
  // JSON.parse's own error, which fastify passes on with a 400.
  return error instanceof SyntaxError && error.statusCode === 400 ? 'NOT_JSON' : undefined;
}
