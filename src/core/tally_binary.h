/*-------------------------------------------------------------------------
 *
 * tally_binary.h
 *	  The tally's binary wire form: COPY BINARY, send/recv, and the
 *	  aggregates' serialized partial states.
 *
 * All integers big-endian (network order):
 *
 *	 uint8 version (1)  uint8 flags  int64 registered  int64 cast
 *	 int64 invalid  uint32 ncandidates  (int64 candidate, int64 votes) x n
 *
 * With text keys (flag MH_TALLY_TEXT_KEYS) each candidate is instead
 * (uint32 key length, the key's UTF-8 bytes, int64 votes).
 *
 * Since 0.2.0 the trailer follows (tally.h): int64 blank if flag
 * MH_TALLY_BLANK_KNOWN, int64 issued if MH_TALLY_ISSUED_KNOWN, int64 parts
 * and int64 provisional if MH_TALLY_PARTS; 0.1.0's bytes are unchanged.
 *
 * The decoder trusts nothing: it checks the length against ncandidates
 * before it allocates, and then every invariant of mh_tally_check.
 *
 * src/core/tally_binary.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MASLIHAT_TALLY_BINARY_H
#define MASLIHAT_TALLY_BINARY_H

#include "tally.h"

#define MH_BINARY_HEADER_SIZE	(1 + 1 + 8 + 8 + 8 + 4)

/* Bytes the binary form of t takes. */
extern size_t mh_tally_binary_size(const mh_tally *t);

/* Writes mh_tally_binary_size(t) bytes. */
extern void mh_tally_encode(const mh_tally *t, uint8_t *buf);

/* Reads exactly len bytes into a checked tally. */
extern mh_status mh_tally_decode(const uint8_t *buf, size_t len,
								 const mh_allocator *alloc, mh_tally **result,
								 mh_error *err);

#endif							/* MASLIHAT_TALLY_BINARY_H */
