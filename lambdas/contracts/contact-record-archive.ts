/**
 * Where the contact-record archive keeps records, shared by the delivery stream that writes it
 * (lib/constructs/contact-record-archive.ts) and the replay that reads it (local/replay-cli.ts):
 * `<prefix>YYYY/MM/DD/<object>.gz`, days in UTC, gzip of newline-delimited contact records.
 */
export const CONTACT_RECORD_ARCHIVE_PREFIX = 'contact-records/';

/** Where Firehose puts what it could not deliver, by error type and day. */
export const CONTACT_RECORD_ARCHIVE_ERROR_PREFIX = 'contact-record-errors/';
