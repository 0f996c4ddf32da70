import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ApiError, errorBody } from '../domain/api-contract.js';

/**
 * Placeholder of the reporting API's function, so the API stack synthesizes and bundles: the real
 * router is written on the api-core branch and replaces this file.
 */
export const handler = async (
  _event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> => {
  const error = new ApiError(501, 'not_implemented', 'the reporting API is not deployed yet');
  return {
    statusCode: error.status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(errorBody(error)),
  };
};
