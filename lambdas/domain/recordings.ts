/**
 * Where Connect writes call recordings in the recordings bucket: the instance storage config's
 * prefix (lib/constructs/instance-storage.ts). The API may read only below it.
 */
export const RECORDINGS_PREFIX = 'connect';
