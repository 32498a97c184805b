// Account secrets use the one Secret wrapper shared by all parts.
export { Secret, REDACTED } from '../../schemas/secret.ts';
